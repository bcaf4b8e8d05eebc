/* scm.c: control messages, what a Unix-domain message carries besides its
 * bytes (Linux calls them "socket control messages").
 *
 * SCM_RIGHTS carries open file descriptions: sendmsg names descriptors of
 * the sender, and the message holds a reference to each description (as a
 * descriptor does) while it is in flight; recvmsg puts each in a new
 * descriptor of the receiver. The receiver's descriptor then names the
 * sender's very description: one offset, one set of status flags, as after
 * fork or dup (docs/sockets.md). A message never received (its socket
 * closed first) releases its references, so nothing is left open.
 *
 * SCM_CREDENTIALS carries a struct ucred: every message records its
 * sender's, which the receiver sees if it asked (SO_PASSCRED); a sender
 * may name others only if it is privileged, or ids it has.
 */
#include "fs/socket.h"
#include "fs/sys_common.h"
#include "kernel/cred.h"
#include "kernel/proc.h"
#include "mm/kheap.h"
#include "mm/usercopy.h"
#include "linux/errno.h"
#include "lib/string.h"

#define SCM_MAX_FD   253           /* Linux's limit per message */
#define CTL_MAX      (64 * 1024)   /* the most control data sendmsg reads */
#define CMSG_HDR     sizeof(struct cmsghdr)
#define CMSG_ALIGN4(n) (((n) + 3u) & ~3u)   /* cmsghdrs follow at 4-byte steps on i386 */

struct file *scm_hold(struct file *f)
{
    struct sock *sk = sock_of_file(f);
    if (sk)
        sk->inflight++;
    return file_get(f);
}

void scm_unmark(struct file *f)
{
    struct sock *sk = sock_of_file(f);
    if (sk)
        sk->inflight--;
}

void scm_drop(struct file *f)
{
    scm_unmark(f);
    file_put(f);
}

void scm_release(struct scm *scm)
{
    for (uint32_t i = 0; i < scm->nfiles; i++)
        if (scm->files[i])
            scm_drop(scm->files[i]);
    kfree(scm->files);
    scm->files = 0;
    scm->nfiles = 0;
}

/* SCM_RIGHTS: add a reference to each named description. */
static int add_rights(struct scm *scm, const int32_t *fd, uint32_t n)
{
    if (n == 0)
        return 0;
    if (scm->nfiles + n > SCM_MAX_FD)
        return -EINVAL;
    struct file **files = kmalloc((scm->nfiles + n) * sizeof *files);
    if (!files)
        return -ENOMEM;
    for (uint32_t i = 0; i < n; i++) {
        struct file *f = fd_lookup(fds(), fd[i]);
        if (!f) {
            kfree(files);
            return -EBADF;
        }
        files[scm->nfiles + i] = f;
    }
    for (uint32_t i = 0; i < scm->nfiles; i++)
        files[i] = scm->files[i];
    for (uint32_t i = 0; i < n; i++)
        scm_hold(files[scm->nfiles + i]);
    kfree(scm->files);
    scm->files = files;
    scm->nfiles += n;
    return 0;
}

/* SCM_CREDENTIALS: ids the sender may claim (Linux's scm_check_creds). */
static int add_cred(struct scm *scm, const struct ucred *c)
{
    const struct cred *me = current_cred();
    bool root = cred_privileged(me);
    if (!root && c->pid != current_proc()->tgid)
        return -EPERM;
    if (!root && c->uid != me->uid && c->uid != me->euid && c->uid != me->suid)
        return -EPERM;
    if (!root && c->gid != me->gid && c->gid != me->egid && c->gid != me->sgid)
        return -EPERM;
    scm->cred = *c;
    scm->has_cred = true;
    return 0;
}

int scm_from_user(vaddr_t uctl, uint32_t len, struct scm *scm)
{
    if (len < CMSG_HDR)
        return 0;                  /* room for no header: no control messages */
    if (len > CTL_MAX)
        return -ENOBUFS;
    uint8_t *buf = kmalloc(len);
    if (!buf)
        return -ENOMEM;
    int r = copy_from_user(buf, uctl, len) < 0 ? -EFAULT : 0;
    for (uint32_t at = 0; r == 0 && len - at >= CMSG_HDR;) {
        struct cmsghdr *h = (struct cmsghdr *)(buf + at);
        if (h->cmsg_len < CMSG_HDR || h->cmsg_len > len - at) {
            r = -EINVAL;
            break;
        }
        uint32_t data = h->cmsg_len - CMSG_HDR;
        if (h->cmsg_level == SOL_SOCKET) {
            if (h->cmsg_type == SCM_RIGHTS)
                r = add_rights(scm, (const int32_t *)(h + 1), data / 4);
            else if (h->cmsg_type == SCM_CREDENTIALS && data == sizeof(struct ucred))
                r = add_cred(scm, (const struct ucred *)(h + 1));
            else
                r = -EINVAL;
        }
        at += CMSG_ALIGN4(h->cmsg_len);
        if (at > len)
            break;
    }
    kfree(buf);
    if (r < 0)
        scm_release(scm);
    return r;
}

/* Write one control message (header and n bytes of data) at *pos of the
 * user's buffer, cut to the room left (MSG_CTRUNC). */
static int put_cmsg(vaddr_t uctl, uint32_t room, uint32_t *pos, int type, const void *data,
                    uint32_t n, uint32_t *flags)
{
    if (room - *pos < CMSG_HDR) {
        *flags |= MSG_CTRUNC;
        return 0;
    }
    struct cmsghdr h = { CMSG_HDR + n, SOL_SOCKET, type };
    uint32_t len = h.cmsg_len;
    if (len > room - *pos) {
        *flags |= MSG_CTRUNC;
        len = room - *pos;
    }
    if (copy_to_user(uctl + *pos, &h, CMSG_HDR) < 0 ||
        copy_to_user(uctl + *pos + CMSG_HDR, data, len - CMSG_HDR) < 0)
        return -EFAULT;
    uint32_t step = CMSG_ALIGN4(h.cmsg_len);
    *pos += step < room - *pos ? step : room - *pos;
    return 0;
}

/* SCM_RIGHTS on receipt: a new descriptor for each description that fits,
 * its number written out; the rest stay in scm (released by the caller). */
static int put_rights(struct scm *scm, uint32_t msgflags, vaddr_t uctl, uint32_t room,
                      uint32_t *pos, uint32_t *flags)
{
    uint32_t left = room - *pos;
    uint32_t fit = left > CMSG_HDR ? (left - CMSG_HDR) / 4 : 0;
    uint32_t i = 0;
    for (; i < scm->nfiles && i < fit; i++) {
        int fd = fd_install(fds(), scm->files[i], 0, fd_limit(), msgflags & MSG_CMSG_CLOEXEC);
        if (fd < 0)
            break;
        scm_unmark(scm->files[i]);
        scm->files[i] = 0;         /* the descriptor holds that reference now */
        if (copy_to_user(uctl + *pos + CMSG_HDR + i * 4, &fd, 4) < 0) {
            fd_close(fds(), fd);
            return -EFAULT;
        }
    }
    if (i < scm->nfiles)
        *flags |= MSG_CTRUNC;      /* some did not fit: they are closed */
    if (i == 0)
        return 0;
    struct cmsghdr h = { CMSG_HDR + i * 4, SOL_SOCKET, SCM_RIGHTS };
    if (copy_to_user(uctl + *pos, &h, CMSG_HDR) < 0)
        return -EFAULT;
    uint32_t step = CMSG_ALIGN4(h.cmsg_len);
    *pos += step < left ? step : left;
    return 0;
}

int scm_to_user(struct scm *scm, bool want_cred, uint32_t msgflags, vaddr_t uctl,
                uint32_t room, uint32_t *used, uint32_t *flags)
{
    uint32_t pos = 0;
    int r = 0;
    if (want_cred)
        r = put_cmsg(uctl, room, &pos, SCM_CREDENTIALS, &scm->cred, sizeof scm->cred, flags);
    if (r == 0 && scm->nfiles)
        r = put_rights(scm, msgflags, uctl, room, &pos, flags);
    *used = pos;
    return r;
}
