/* fown.h: the owner of an open file (fcntl F_SETOWN, F_GETOWN, their _EX
 * forms) and the signal it names (F_SETSIG, F_GETSIG): fs/fown.c. */
#ifndef FOWN_H
#define FOWN_H

#include "types.h"
#include "fs/file.h"

/* fcntl's owner commands on open file f: F_SETOWN (arg a pid, or minus a
 * process group id), F_GETOWN, F_SETOWN_EX/F_GETOWN_EX (a struct
 * f_owner_ex at arg), F_SETSIG, F_GETSIG. The value or 0, or -EINVAL,
 * -ESRCH (no such process or group), -EFAULT. */
long do_fcntl_owner(struct file *f, uint32_t cmd, uint32_t arg);

#endif
