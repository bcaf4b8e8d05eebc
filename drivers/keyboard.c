/* keyboard.c: the PS/2 keyboard. Each key press or release raises IRQ 1 and
 * leaves a scan code (set 1, as the controller translates by default) at port
 * 0x60: the key's number, with bit 7 set for a release. We turn presses into
 * ASCII with a US layout, tracking Shift, Ctrl and Caps Lock. */
#include "drivers/keyboard.h"
#include "kernel/trap.h"
#include "drivers/tty.h"
#include "x86.h"

#define KBD_DATA   0x60
#define KBD_STATUS 0x64

static const char normal_map[128] = {
    0, 27, '1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '-', '=', '\b',
    '\t', 'q', 'w', 'e', 'r', 't', 'y', 'u', 'i', 'o', 'p', '[', ']', '\n',
    0, 'a', 's', 'd', 'f', 'g', 'h', 'j', 'k', 'l', ';', '\'', '`',
    0, '\\', 'z', 'x', 'c', 'v', 'b', 'n', 'm', ',', '.', '/', 0,
    '*', 0, ' ',
};

static const char shift_map[128] = {
    0, 27, '!', '@', '#', '$', '%', '^', '&', '*', '(', ')', '_', '+', '\b',
    '\t', 'Q', 'W', 'E', 'R', 'T', 'Y', 'U', 'I', 'O', 'P', '{', '}', '\n',
    0, 'A', 'S', 'D', 'F', 'G', 'H', 'J', 'K', 'L', ':', '"', '~',
    0, '|', 'Z', 'X', 'C', 'V', 'B', 'N', 'M', '<', '>', '?', 0,
    '*', 0, ' ',
};

#define SC_LSHIFT 0x2A
#define SC_RSHIFT 0x36
#define SC_CTRL   0x1D
#define SC_CAPS   0x3A
#define SC_EXTENDED 0xE0

static bool shift, ctrl, caps, extended;

static void keyboard_interrupt(struct trapframe *tf)
{
    (void)tf;
    while (inb(KBD_STATUS) & 1) {
        uint8_t sc = inb(KBD_DATA);
        if (sc == SC_EXTENDED) {
            extended = true;
            continue;
        }
        bool release = sc & 0x80;
        uint8_t key = sc & 0x7F;
        bool was_extended = extended;
        extended = false;
        if (key == SC_LSHIFT || key == SC_RSHIFT) {
            shift = !release;
            continue;
        }
        if (key == SC_CTRL) {                 /* left, or right after 0xE0 */
            ctrl = !release;
            continue;
        }
        if (release || was_extended)          /* arrows etc.: not yet */
            continue;
        if (key == SC_CAPS) {
            caps = !caps;
            continue;
        }
        char c = shift ? shift_map[key] : normal_map[key];
        if (caps && c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        else if (caps && c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (ctrl && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
            c = (char)((c & 0x1F));
        if (c)
            tty_input(c);
    }
}

void keyboard_init(void)
{
    while (inb(KBD_STATUS) & 1)               /* drop anything pending */
        inb(KBD_DATA);
    irq_register(IRQ_KEYBOARD, keyboard_interrupt);
}
