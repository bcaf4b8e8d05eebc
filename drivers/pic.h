/* pic.h: the two 8259A programmable interrupt controllers. */
#ifndef PIC_H
#define PIC_H

#include "types.h"

/* Remap IRQ 0-15 to vectors 32-47 (the BIOS puts IRQ 0-7 on 8-15, on top of
 * CPU exceptions) and mask every line. */
void pic_init(void);
void pic_unmask(int irq);
/* Tell the PIC(s) the handler for irq is done, so it may deliver the next. */
void pic_eoi(int irq);
/* True if irq 7 or 15 fired without a real request behind it (a glitch the
 * 8259 reports on its lowest-priority line); such an IRQ gets no EOI. */
bool pic_spurious(int irq);

#endif
