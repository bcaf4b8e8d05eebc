/* fown.c: the owner of an open file and its signal (fown.h).
 *
 * Linux keeps, in each open file description, the process, process group
 * or thread that should hear of I/O on it (SIGIO, or the signal F_SETSIG
 * chose, once O_ASYNC is set), and fcntl reads and sets them. bunshin keeps
 * and reads them back the same way, with Linux's checks (ESRCH for a pid
 * that names nothing, EINVAL for a bad type or signal); it sends no SIGIO
 * yet: O_ASYNC is accepted and has no effect. */
#include "fs/fown.h"
#include "kernel/pgrp.h"
#include "kernel/proc.h"
#include "mm/usercopy.h"
#include "linux/errno.h"
#include "linux/fcntl.h"
#include "linux/signal.h"

/* Does id name anything? Linux only asks that some thread, process,
 * process group or session have that number, whatever the type. 0 (no
 * owner) is always allowed (a session with no process left is not seen). */
static bool owner_exists(int id)
{
    return id == 0 || proc_find(id) || pgrp_session(id) >= 0;
}

static long set_owner(struct file *f, int type, int id)
{
    if (id < 0 || !owner_exists(id))
        return -ESRCH;
    f->owner_type = type;
    f->owner_id = id;
    return 0;
}

long do_fcntl_owner(struct file *f, uint32_t cmd, uint32_t arg)
{
    switch (cmd) {
    case F_SETOWN: {
        int who = (int)arg;        /* negative: a process group */
        if (who == (int)0x80000000)
            return -EINVAL;        /* its negation does not fit */
        return who < 0 ? set_owner(f, F_OWNER_PGRP, -who) : set_owner(f, F_OWNER_PID, who);
    }
    case F_GETOWN:
        return f->owner_type == F_OWNER_PGRP ? -(long)f->owner_id : (long)f->owner_id;
    case F_SETOWN_EX: {
        struct f_owner_ex ex;
        if (copy_from_user(&ex, arg, sizeof ex) < 0)
            return -EFAULT;
        if (ex.type != F_OWNER_TID && ex.type != F_OWNER_PID && ex.type != F_OWNER_PGRP)
            return -EINVAL;
        return set_owner(f, ex.type, ex.pid);
    }
    case F_GETOWN_EX: {
        /* A file never given an owner says F_OWNER_TID (0) and 0, as Linux. */
        struct f_owner_ex ex = { f->owner_type, f->owner_id };
        return copy_to_user(arg, &ex, sizeof ex) < 0 ? -EFAULT : 0;
    }
    case F_SETSIG:
        if (arg > _NSIG)
            return -EINVAL;
        f->owner_sig = (int)arg;
        return 0;
    case F_GETSIG:
        return f->owner_sig;
    default:
        return -EINVAL;
    }
}
