/* reboot.h: reboot(2)'s magic numbers and commands, as on Linux.
 * Linux: <linux/reboot.h>
 *
 * The two magic numbers guard against a stray call: the second is Linus
 * Torvalds's birthday in hex (and three of his daughters' in the others). */
#ifndef REBOOT_H
#define REBOOT_H

#define LINUX_REBOOT_MAGIC1  0xfee1deadu
#define LINUX_REBOOT_MAGIC2  672274793u
#define LINUX_REBOOT_MAGIC2A 85072278u
#define LINUX_REBOOT_MAGIC2B 369367448u
#define LINUX_REBOOT_MAGIC2C 537993216u

#define LINUX_REBOOT_CMD_RESTART   0x01234567u
#define LINUX_REBOOT_CMD_HALT      0xCDEF0123u
#define LINUX_REBOOT_CMD_CAD_ON    0x89ABCDEFu
#define LINUX_REBOOT_CMD_CAD_OFF   0x00000000u
#define LINUX_REBOOT_CMD_POWER_OFF 0x4321FEDCu

#endif
