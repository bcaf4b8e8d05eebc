/* cred.h: who a process is: its user and group ids (kernel/cred.c).
 *
 * Every process has three user ids, as Unix has had since set-user-ID
 * programs came:
 *   real (uid)        who started it; kill and access check it
 *   effective (euid)  whose rights it has now; 0 is root, privileged
 *   saved (suid)      an effective id it may go back to (a set-user-ID
 *                     program that dropped its privilege for a while)
 * plus Linux's file-system id (fsuid), which file permission checks use and
 * which follows the effective one unless setfsuid moved it; the same four
 * for groups; and the supplementary groups. A process is privileged when
 * its effective uid is 0 (Linux's capabilities, all or nothing), and has
 * file privilege when its fsuid is 0.
 *
 * fork and clone copy the credentials (Linux keeps them per thread; the C
 * library's setuid changes every thread's); execve keeps them, except that
 * a set-user-ID or set-group-ID program changes the effective and saved
 * ids (exec_creds). */
#ifndef CRED_H
#define CRED_H

#include "types.h"
#include "linux/limits.h"          /* NGROUPS_MAX: what Linux allows setgroups */
#include "kernel/trap.h"

#define CRED_NGROUPS 32            /* supplementary groups kept (Linux: 65536) */
#define OVERFLOW_ID  65534         /* what a 16-bit call shows for a bigger id */

struct cred {
    uint32_t uid, euid, suid, fsuid;
    uint32_t gid, egid, sgid, fsgid;
    uint32_t ngroups;
    uint32_t groups[CRED_NGROUPS];  /* sorted, as Linux keeps them */
};

struct proc;
struct inode;

/* The calling process's credentials. */
const struct cred *current_cred(void);
/* Privileged: effective uid 0 (may take any id, signal anyone...). */
bool cred_privileged(const struct cred *c);
/* Is gid the fs group id or a supplementary group of c? */
bool cred_in_group(const struct cred *c, uint32_t gid);

/* The credentials a program gets at execve of file ip by a process with
 * old: the effective (and saved, and fs) ids become the file's owner and
 * group if it has S_ISUID, or S_ISGID with group execute, unless
 * no_new_privs. *secure: AT_SECURE, whether the effective ids differ from
 * the real ones (the program must then not trust its environment). */
void exec_creds(const struct cred *old, const struct inode *ip, bool no_new_privs,
                struct cred *out, bool *secure);

/* May the current process send a signal to p? Privileged, or its real or
 * effective uid is p's real or saved uid (kill(2)). */
bool cred_may_signal(const struct proc *p);

/* The set-id rules, for user ids (uids true) or group ids (false), on the
 * calling process; (uint32_t)-1 means "leave it". 0, -EPERM (an
 * unprivileged process asked for an id that is not among its real,
 * effective and saved ones) or -EINVAL. Nothing changes on failure. */
int cred_setresid(bool uids, uint32_t r, uint32_t e, uint32_t s);
int cred_setreid(bool uids, uint32_t r, uint32_t e);
int cred_setid(bool uids, uint32_t id);
/* setfsuid/setfsgid: the old fs id; the new one is taken if allowed. */
uint32_t cred_setfsid(bool uids, uint32_t id);
/* setgroups: n sorted into the process's supplementary groups. 0,
 * -EPERM (not privileged), -EINVAL (more than CRED_NGROUPS). */
int cred_setgroups(const uint32_t *groups, uint32_t n);

#endif
