/* qemu.h: leaving the emulator. */
#ifndef QEMU_H
#define QEMU_H

#include "types.h"

/* End the QEMU run with the given status (0..127) through the isa-debug-exit
 * device at port 0xF4. QEMU then exits with (status << 1) | 1, which the test
 * runners turn back into status. Without that device (real hardware, or QEMU
 * started without it) the CPU halts instead. Never returns. */
void qemu_exit(int status) __attribute__((noreturn));

#endif
