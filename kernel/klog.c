/* klog.c: the kernel's log. Everything printk prints on the console is also
 * kept here, the last KLOG_SIZE bytes of it in a ring, and the syslog system
 * call (klogctl in the C library; busybox's dmesg) reads it back as Linux's
 * does. Bytes are counted from boot: byte number i lives at
 * klog_buf[i % KLOG_SIZE], and the log holds the bytes from klog_first to
 * klog_end (at most KLOG_SIZE of them).
 *
 * Who may do what, as Linux with kernel.dmesg_restrict = 0: anyone may read
 * the whole log and ask its size (SYSLOG_ACTION_READ_ALL, SIZE_BUFFER);
 * every other action (taking unread bytes, clearing, console levels) takes
 * privilege: EPERM. */
#include "kernel/klog.h"
#include "kernel/cred.h"
#include "kernel/proc.h"
#include "kernel/signal.h"
#include "mm/usercopy.h"
#include "linux/errno.h"
#include "linux/syslog.h"

#define KLOG_SIZE 16384

static char klog_buf[KLOG_SIZE];
static uint32_t klog_end;          /* bytes written since boot */
static uint32_t klog_first;        /* the oldest byte still kept (CLEAR moves it) */
static uint32_t klog_unread;       /* the oldest byte SYSLOG_ACTION_READ has not taken */
static bool klog_reader_waits;     /* a SYSLOG_ACTION_READ sleeps on klog_buf */

void klog_write(const char *s, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        klog_buf[klog_end++ % KLOG_SIZE] = s[i];
    /* What the ring wrapped over is gone. */
    if (klog_end - klog_first > KLOG_SIZE)
        klog_first = klog_end - KLOG_SIZE;
    if (klog_end - klog_unread > KLOG_SIZE)
        klog_unread = klog_end - KLOG_SIZE;
    if (klog_reader_waits) {
        klog_reader_waits = false;
        wakeup(klog_buf);
    }
}

/* Copy the log's bytes from..from+n to user memory at dst: 0 or -EFAULT.
 * (System calls run with interrupts off: no printk changes the ring
 * meanwhile.) */
static int klog_copy_out(vaddr_t dst, uint32_t from, uint32_t n)
{
    while (n) {
        uint32_t at = from % KLOG_SIZE, chunk = KLOG_SIZE - at;
        if (chunk > n)
            chunk = n;
        if (copy_to_user(dst, klog_buf + at, chunk) < 0)
            return -EFAULT;
        dst += chunk;
        from += chunk;
        n -= chunk;
    }
    return 0;
}

/* The last lines of the log that fit in len bytes (all of it if it fits)
 * to buf: their count. Whole lines, as Linux gives whole messages: a len
 * shorter than the last line reads 0 bytes. clear: then empty the log
 * (SYSLOG_ACTION_READ_CLEAR). */
static long klog_read_all(vaddr_t buf, uint32_t len, bool clear)
{
    uint32_t from = klog_first;
    if (klog_end - from > len) {
        from = klog_end - len;
        while (from < klog_end && klog_buf[(from - 1) % KLOG_SIZE] != '\n')
            from++;
    }
    uint32_t n = klog_end - from;
    if (klog_copy_out(buf, from, n) < 0)
        return -EFAULT;
    if (clear)
        klog_first = klog_end;
    return n;
}

/* SYSLOG_ACTION_READ: wait until there are unread bytes, then take up to len
 * of them. A signal ends the wait (restarted, or EINTR, by its handler's
 * SA_RESTART). */
static long klog_read(vaddr_t buf, uint32_t len)
{
    while (klog_unread == klog_end) {
        if (signal_pending(current_proc()))
            return -ERESTARTSYS;
        klog_reader_waits = true;
        sleep_on(klog_buf);
    }
    uint32_t n = klog_end - klog_unread;
    if (n > len)
        n = len;
    if (klog_copy_out(buf, klog_unread, n) < 0)
        return -EFAULT;
    klog_unread += n;
    return n;
}

/* syslog(type, buf, len): see the top of the file. The reads need a buffer
 * and a len that is not negative (EINVAL); a len of 0 reads nothing.
 * CONSOLE_LEVEL takes a level from 1 to 8 in len. */
long sys_syslog(struct trapframe *tf)
{
    int type = (int)tf->ebx, len = (int)tf->edx;
    vaddr_t buf = tf->ecx;
    /* Privilege first, as Linux: an unknown action is EPERM to others. */
    if (type != SYSLOG_ACTION_READ_ALL && type != SYSLOG_ACTION_SIZE_BUFFER &&
        !cred_privileged(current_cred()))
        return -EPERM;
    if (type < SYSLOG_ACTION_CLOSE || type > SYSLOG_ACTION_SIZE_BUFFER)
        return -EINVAL;
    switch (type) {
    case SYSLOG_ACTION_READ:
    case SYSLOG_ACTION_READ_ALL:
    case SYSLOG_ACTION_READ_CLEAR:
        if (!buf || len < 0)
            return -EINVAL;
        if (len == 0)
            return 0;
        if (type == SYSLOG_ACTION_READ)
            return klog_read(buf, (uint32_t)len);
        return klog_read_all(buf, (uint32_t)len, type == SYSLOG_ACTION_READ_CLEAR);
    case SYSLOG_ACTION_CLEAR:
        klog_first = klog_end;
        return 0;
    case SYSLOG_ACTION_CONSOLE_LEVEL:
        return len < 1 || len > 8 ? -EINVAL : 0;   /* every level reaches the console */
    case SYSLOG_ACTION_SIZE_UNREAD:
        return klog_end - klog_unread;
    case SYSLOG_ACTION_SIZE_BUFFER:
        return KLOG_SIZE;
    default:                       /* CLOSE, OPEN, CONSOLE_OFF, CONSOLE_ON */
        return 0;
    }
}
