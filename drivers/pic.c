/* pic.c: the 8259A pair, master at ports 0x20/0x21, slave at 0xA0/0xA1,
 * the slave cascaded into the master's line 2. Programmed with the four
 * initialisation command words (ICW1-4) from the 8259A data sheet. */
#include "drivers/pic.h"
#include "kernel/trap.h"
#include "x86.h"

#define PIC1_CMD  0x20
#define PIC1_DATA 0x21
#define PIC2_CMD  0xA0
#define PIC2_DATA 0xA1
#define PIC_EOI   0x20
#define PIC_READ_ISR 0x0B   /* OCW3: next read of the command port gives the ISR */

static uint16_t mask = 0xFFFF;   /* bit n set = IRQ n masked */

static void write_mask(void)
{
    outb(PIC1_DATA, (uint8_t)mask);
    outb(PIC2_DATA, (uint8_t)(mask >> 8));
}

void pic_init(void)
{
    outb(PIC1_CMD, 0x11);             /* ICW1: edge triggered, cascade, ICW4 follows */
    outb(PIC2_CMD, 0x11);
    outb(PIC1_DATA, IRQ_BASE);        /* ICW2: vector of IRQ 0 */
    outb(PIC2_DATA, IRQ_BASE + 8);    /*       vector of IRQ 8 */
    outb(PIC1_DATA, 1 << 2);          /* ICW3: master has the slave on line 2 */
    outb(PIC2_DATA, 2);               /*       slave's cascade identity is 2 */
    outb(PIC1_DATA, 0x01);            /* ICW4: 8086 mode, normal EOI */
    outb(PIC2_DATA, 0x01);
    mask = 0xFFFF & ~(1u << 2);       /* everything masked but the cascade */
    write_mask();
}

void pic_unmask(int irq)
{
    mask &= (uint16_t)~(1u << irq);
    write_mask();
}

void pic_eoi(int irq)
{
    if (irq >= 8)
        outb(PIC2_CMD, PIC_EOI);
    outb(PIC1_CMD, PIC_EOI);
}

bool pic_spurious(int irq)
{
    if (irq == 7) {
        outb(PIC1_CMD, PIC_READ_ISR);
        return !(inb(PIC1_CMD) & 0x80);
    }
    if (irq == 15) {
        outb(PIC2_CMD, PIC_READ_ISR);
        if (!(inb(PIC2_CMD) & 0x80)) {
            outb(PIC1_CMD, PIC_EOI);  /* the master did see the cascade line */
            return true;
        }
    }
    return false;
}
