/* procfs_sysvipc.c: /proc/sysvipc, the System V IPC objects (ipc/), a
 * line each, in Linux's format (what ipcs reads):
 *
 *   /proc/sysvipc/shm   shared memory segments
 *   /proc/sysvipc/sem   semaphore sets
 *   /proc/sysvipc/msg   message queues
 */
#include "fs/procfs.h"
#include "ipc/shm.h"
#include "ipc/sem.h"
#include "ipc/msg.h"

struct inode *procfs_sysvipc_dir_new(struct inode *parent)
{
    struct inode *dp = procfs_dir_new(parent);
    if (!dp)
        return 0;
    procfs_dir_add(dp, "shm", procfs_file_new(0, shm_proc_show));
    procfs_dir_add(dp, "sem", procfs_file_new(0, sem_proc_show));
    procfs_dir_add(dp, "msg", procfs_file_new(0, msg_proc_show));
    return dp;
}
