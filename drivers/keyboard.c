/* keyboard.c: the PS/2 keyboard. Each key press or release raises IRQ 1 and
 * leaves a scan code (set 1, as the controller translates by default) at port
 * 0x60: the key's number, with bit 7 set for a release; keys added after
 * the first PC keyboard (arrows, Home, the right Ctrl...) come as 0xE0 and
 * then a code. We turn presses into the bytes Linux's console sends, with
 * a US layout: ASCII, tracking Shift, Ctrl and Caps Lock; Enter as CR and
 * Backspace as DEL (the tty's ICRNL and ERASE expect them); the arrows and
 * the editing keys as VT100/xterm escape sequences. */
#include "drivers/keyboard.h"
#include "kernel/trap.h"
#include "drivers/tty.h"
#include "x86.h"

#define KBD_DATA   0x60
#define KBD_STATUS 0x64

static const char normal_map[128] = {
    0, 27, '1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '-', '=', 0x7F,
    '\t', 'q', 'w', 'e', 'r', 't', 'y', 'u', 'i', 'o', 'p', '[', ']', '\r',
    0, 'a', 's', 'd', 'f', 'g', 'h', 'j', 'k', 'l', ';', '\'', '`',
    0, '\\', 'z', 'x', 'c', 'v', 'b', 'n', 'm', ',', '.', '/', 0,
    '*', 0, ' ',
};

static const char shift_map[128] = {
    0, 27, '!', '@', '#', '$', '%', '^', '&', '*', '(', ')', '_', '+', 0x7F,
    '\t', 'Q', 'W', 'E', 'R', 'T', 'Y', 'U', 'I', 'O', 'P', '{', '}', '\r',
    0, 'A', 'S', 'D', 'F', 'G', 'H', 'J', 'K', 'L', ':', '"', '~',
    0, '|', 'Z', 'X', 'C', 'V', 'B', 'N', 'M', '<', '>', '?', 0,
    '*', 0, ' ',
};

#define SC_LSHIFT 0x2A
#define SC_RSHIFT 0x36
#define SC_CTRL   0x1D
#define SC_CAPS   0x3A
#define SC_EXTENDED 0xE0

/* The keys that come after 0xE0, and what Linux's console sends for them. */
static const struct {
    uint8_t key;
    const char *seq;
} extended_keys[] = {
    { 0x48, "\033[A" },     /* up */
    { 0x50, "\033[B" },     /* down */
    { 0x4D, "\033[C" },     /* right */
    { 0x4B, "\033[D" },     /* left */
    { 0x47, "\033[1~" },    /* Home */
    { 0x4F, "\033[4~" },    /* End */
    { 0x52, "\033[2~" },    /* Insert */
    { 0x53, "\033[3~" },    /* Delete */
    { 0x49, "\033[5~" },    /* Page Up */
    { 0x51, "\033[6~" },    /* Page Down */
    { 0x1C, "\r" },         /* keypad Enter */
    { 0x35, "/" },          /* keypad / */
};

static bool shift, ctrl, caps, extended;

static void extended_key(uint8_t key)
{
    for (uint32_t i = 0; i < sizeof extended_keys / sizeof extended_keys[0]; i++)
        if (extended_keys[i].key == key) {
            tty_input_string(extended_keys[i].seq);
            return;
        }
}

/* With Ctrl, the keys of '@' to '_' (letters too) give codes 0 to 31,
 * the space bar NUL (^@) and '?' DEL, as on Linux's console. */
static char with_ctrl(char c)
{
    if (c == ' ')
        return 0;
    if (c >= 'a' && c <= 'z')
        return (char)(c & 0x1F);
    if (c >= '@' && c <= '_')
        return (char)(c & 0x1F);
    if (c == '?')
        return 0x7F;
    return c;
}

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
            if (!was_extended)                /* 0xE0 0x2A: a "fake" shift, ignored */
                shift = !release;
            continue;
        }
        if (key == SC_CTRL) {                 /* left, or right after 0xE0 */
            ctrl = !release;
            continue;
        }
        if (release)
            continue;
        if (was_extended) {
            extended_key(key);
            continue;
        }
        if (key == SC_CAPS) {
            caps = !caps;
            continue;
        }
        char c = shift ? shift_map[key] : normal_map[key];
        if (!c)
            continue;                         /* a key with no byte (F1, Alt...) */
        if (caps && c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        else if (caps && c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (ctrl)
            c = with_ctrl(c);
        tty_input(c);
    }
}

/* Bytes the keyboard already holds (keys typed while the kernel was
 * starting) are keys too: they are taken now, not thrown away, so that
 * not even the first key typed is lost. */
void keyboard_init(void)
{
    irq_register(IRQ_KEYBOARD, keyboard_interrupt);
    keyboard_interrupt(0);
}
