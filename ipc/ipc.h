/* ipc.h: what System V IPC's three kinds of object share (ipc/ipc.c).
 *
 * A shared memory segment, a semaphore set and a message queue are each
 * named by a key (a number the programs agree on, or IPC_PRIVATE for none)
 * and, once made, by an id that the get call returns. The id is Linux's:
 * seq * IPC_SEQ_MULTIPLIER + the slot's index, where seq grows each time a
 * slot is used again, so that a stale id finds nothing (EINVAL) rather than
 * the slot's new object. Each kind keeps its objects in a list sorted by
 * index (struct ipc_ids); every object starts with a struct ipc_object.
 *
 * Who may do what is the object's ipc64_perm: its mode's owner, group and
 * other bits against the caller's effective ids (ipc_may), and only its
 * owner or creator (or a privileged process) may change or remove it
 * (ipc_may_own).
 *
 * The kernel runs with interrupts off and one CPU: no locks. A process that
 * waits (semop, msgsnd, msgrcv) holds a reference (refs) so that an object
 * removed meanwhile stays until it has looked (and says EIDRM).
 */
#ifndef IPC_IPC_H
#define IPC_IPC_H

#include "types.h"
#include "linux/ipc.h"

#define IPC_SEQ_MULTIPLIER 32768   /* Linux's IPCMNI: ids are seq * this + index */

struct ipc_object {
    struct ipc64_perm perm;        /* key, owner, creator, mode, seq */
    int index;                     /* its slot: id % IPC_SEQ_MULTIPLIER */
    int id;
    bool removed;                  /* IPC_RMID'ed: off the list, waiters see EIDRM */
    int refs;                      /* the list's one (until removed), plus waiters' */
    struct ipc_object *next;       /* sorted by index */
};

/* The objects of one kind. */
struct ipc_ids {
    struct ipc_object *list;
    int count;                     /* objects in the list */
    int limit;                     /* at most this many (SHMMNI...): ENOSPC */
    uint16_t next_seq;             /* seq of the next object made */
};

/* The object key names, or NULL (key is not IPC_PRIVATE). */
struct ipc_object *ipc_find_key(struct ipc_ids *ids, int32_t key);
/* The object id names, or NULL (id < 0, no such slot, or a stale seq). */
struct ipc_object *ipc_find_id(struct ipc_ids *ids, int id);
/* The object in slot index (SHM_STAT...), or NULL. */
struct ipc_object *ipc_find_index(struct ipc_ids *ids, int index);
/* The highest index in use, or -1 (IPC_INFO's answer). */
int ipc_max_index(struct ipc_ids *ids);

/* Put new object o (zeroed by the caller but for its own part) in the
 * lowest free slot, owned and created by the caller, with key and the nine
 * mode bits of flags; gives it its id and one reference. 0 or -ENOSPC. */
int ipc_add(struct ipc_ids *ids, struct ipc_object *o, int32_t key, int flags);
/* Take o off the list (IPC_RMID): it keeps its id for IPC_STAT by those
 * still attached (shm), key becomes IPC_PRIVATE, removed is set. Drops the
 * list's reference; returns true if that was the last (the caller frees o). */
bool ipc_remove(struct ipc_ids *ids, struct ipc_object *o);

/* The common part of a get call: the object key names, after Linux's
 * checks, or a new one. find: an existing object's own checks (a segment
 * too small...) run by the caller. Returns:
 *   1 and *out   an existing object that the caller may use (flags' mode
 *                bits checked against its mode)
 *   0            none: the caller makes one (IPC_PRIVATE, or IPC_CREAT)
 *   -ENOENT, -EEXIST, -EACCES. */
int ipc_get(struct ipc_ids *ids, int32_t key, int flags, struct ipc_object **out);

/* May the caller use o for access (the bits of 0444/0222: S_IRUGO, S_IWUGO,
 * or the nine mode bits of a get)? Root may do anything. */
bool ipc_may(const struct ipc_object *o, int access);
/* Is the caller o's owner or creator, or privileged (IPC_SET, IPC_RMID)? */
bool ipc_may_own(const struct ipc_object *o);

/* IPC_SET: take uid, gid and the nine mode bits from p. */
void ipc_set_perm(struct ipc_object *o, const struct ipc64_perm *p);

/* The time in seconds since 1970 (the _time fields). */
uint32_t ipc_now(void);

/* Append printf-formatted text to buf (size bytes) at *n and add its
 * length to *n, even past size (the /proc/sysvipc files' lines). */
void ipc_put(char *buf, uint32_t size, uint32_t *n, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Split a control command's IPC_64 bit off *cmd: true if it was there. */
bool ipc_parse_version(int *cmd);

#endif
