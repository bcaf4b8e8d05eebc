/* pidfd.h: pidfd_send_signal's scopes (Linux 6.9), newer than the host's
 * header, so each line says bunshin: and the ABI check leaves them; t_sched
 * checks the values against the running Linux.
 * Linux: <linux/pidfd.h> */
#ifndef PIDFD_ABI_H
#define PIDFD_ABI_H

#define PIDFD_SIGNAL_THREAD        1    /* bunshin: the leading thread alone */
#define PIDFD_SIGNAL_THREAD_GROUP  2    /* bunshin: the process (the default) */
#define PIDFD_SIGNAL_PROCESS_GROUP 4    /* bunshin: its process group */

#endif
