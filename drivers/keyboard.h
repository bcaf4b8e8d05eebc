/* keyboard.h: the PS/2 keyboard, feeding the tty. */
#ifndef KEYBOARD_H
#define KEYBOARD_H

void keyboard_init(void);

#endif
