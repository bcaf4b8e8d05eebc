/* shm.c: System V shared memory segments (ipc/shm.h). */
#include "ipc/shm.h"
#include "ipc/ipc.h"
#include "ipc/ipc_old.h"
#include "kernel/proc.h"
#include "kernel/cred.h"
#include "mm/vm.h"
#include "mm/commit.h"
#include "mm/kheap.h"
#include "mm/frame.h"
#include "mm/usercopy.h"
#include "fs/file.h"
#include "lib/format.h"
#include "lib/string.h"
#include "linux/errno.h"
#include "linux/shm.h"
#include "param.h"

struct shm_segment {
    struct ipc_object obj;         /* first: a segment is found as its object */
    uint32_t size;                 /* shm_segsz: bytes, as asked */
    struct file *file;             /* the memory: an unnamed file of size bytes */
    uint32_t nattch;               /* regions mapping it, in every process */
    uint32_t atime, dtime, ctime;
    int cpid, lpid;
};

static struct ipc_ids shm_ids = { .limit = SHMMNI };
static uint32_t shm_total_pages;   /* pages of every segment (SHMALL) */

static uint32_t segment_pages(const struct shm_segment *s)
{
    return (uint32_t)(((uint64_t)s->size + PAGE_SIZE - 1) / PAGE_SIZE);
}

/* The last of segment s: its memory, its charge and its id go. */
static void shm_destroy(struct shm_segment *s)
{
    ipc_remove(&shm_ids, &s->obj);
    shm_total_pages -= segment_pages(s);
    commit_uncharge(segment_pages(s));
    file_put(s->file);
    kfree(s);
}

/* A region came to map segment s: a new attach, fork's copy, a split. */
static void shm_region_open(struct vm_region *r)
{
    struct shm_segment *s = r->ops_data;
    s->nattch++;
    s->atime = ipc_now();
    s->lpid = current_proc()->tgid;
}

/* A region of s went; a removed segment goes with its last. */
static void shm_region_close(struct vm_region *r)
{
    struct shm_segment *s = r->ops_data;
    s->nattch--;
    s->dtime = ipc_now();
    s->lpid = current_proc()->tgid;
    if (s->nattch == 0 && (s->obj.perm.mode & SHM_DEST))
        shm_destroy(s);
}

static const struct vm_region_ops shm_region_ops = {
    .open = shm_region_open,
    .close = shm_region_close,
};

/* A new segment of size bytes for key, with flags' mode bits: its id. */
static long shm_create(int32_t key, uint32_t size, int flags)
{
    if (size < SHMMIN || size > SHMMAX)
        return -EINVAL;
    uint32_t pages = (uint32_t)(((uint64_t)size + PAGE_SIZE - 1) / PAGE_SIZE);
    if (shm_total_pages + pages > SHMALL)
        return -ENOSPC;
    if (shm_ids.count >= shm_ids.limit)
        return -ENOSPC;
    /* Its pages are promised now, as Linux charges a segment at shmget. */
    if (commit_charge(pages) < 0)
        return -ENOMEM;
    struct shm_segment *s = kzalloc(sizeof *s);
    char name[24];
    ksnprintf(name, sizeof name, "/SYSV%08x", (uint32_t)key);
    if (!s || anon_file_open(size, name, &s->file) < 0) {
        kfree(s);
        commit_uncharge(pages);
        return -ENOMEM;
    }
    ipc_add(&shm_ids, &s->obj, key, flags);        /* room was checked above */
    s->size = size;
    s->ctime = ipc_now();
    s->cpid = current_proc()->tgid;
    shm_total_pages += pages;
    return s->obj.id;
}

long do_shmget(int32_t key, uint32_t size, int flags)
{
    struct ipc_object *o;
    int r = ipc_get(&shm_ids, key, flags, &o);
    if (r < 0)
        return r;
    if (r == 0)
        return shm_create(key, size, flags);
    if (size > ((struct shm_segment *)o)->size)
        return -EINVAL;                /* Linux checks the size before the mode */
    if (!ipc_may(o, flags))
        return -EACCES;
    return o->id;
}

long do_shmat(int id, vaddr_t addr, int flags)
{
    struct mm *mm = current_proc()->mm;
    if (id < 0)
        return -EINVAL;
    if (addr % SHMLBA) {
        if (!(flags & SHM_RND))
            return -EINVAL;
        addr -= addr % SHMLBA;         /* round down */
        if (addr == 0)
            return -EINVAL;
    } else if (!addr && (flags & SHM_REMAP)) {
        return -EINVAL;                /* replace what, where? */
    }
    uint32_t prot = VM_READ, access = 0444;
    if (!(flags & SHM_RDONLY)) {
        prot |= VM_WRITE;
        access |= 0222;
    }
    if (flags & SHM_EXEC) {
        prot |= VM_EXEC;
        access |= 0111;
    }
    struct shm_segment *s = (struct shm_segment *)ipc_find_id(&shm_ids, id);
    if (!s)
        return -EINVAL;
    if (!ipc_may(&s->obj, (int)access))
        return -EACCES;

    uint32_t len = segment_pages(s) * PAGE_SIZE;
    if (addr) {
        if (addr >= USER_TOP || len > USER_TOP - addr)
            return -ENOMEM;
        if (!(flags & SHM_REMAP) && !range_is_free(mm, addr, addr + len))
            return -EINVAL;            /* something is there already */
        int e = vm_unmap(mm, addr, addr + len);
        if (e < 0)
            return e;
    } else {
        addr = vm_find_free(mm, len);
        if (!addr)
            return -ENOMEM;
    }
    int e = vm_map_file(mm, addr, addr + len, prot, s->file, 0, true, flags & SHM_RDONLY);
    if (e < 0)
        return e == -EINVAL ? -ENOMEM : e;
    struct vm_region *r = vm_find(mm, addr);
    r->ops = &shm_region_ops;
    r->ops_data = s;
    shm_region_open(r);
    return (long)addr;
}

/* The first shm region of mm at or after addr whose page pgoff lies at
 * addr + pgoff pages (Linux's test: a segment attached at addr, perhaps
 * with its first pages unmapped since), below end; of file f unless f is
 * NULL. */
static struct vm_region *attach_region(struct mm *mm, vaddr_t addr, vaddr_t end,
                                       struct file *f)
{
    for (struct vm_region *r = mm->regions; r && r->start < end; r = r->next)
        if (r->start >= addr && r->ops == &shm_region_ops &&
            (r->start - addr) / PAGE_SIZE == r->pgoff && (!f || r->file == f))
            return r;
    return 0;
}

long do_shmdt(vaddr_t addr)
{
    struct mm *mm = current_proc()->mm;
    if (addr % PAGE_SIZE)
        return -EINVAL;
    struct vm_region *r = attach_region(mm, addr, USER_TOP, 0);
    if (!r)
        return -EINVAL;
    /* Every part of that attach goes: its regions of the same segment
     * within the segment's size from addr. */
    struct shm_segment *s = r->ops_data;
    struct file *f = r->file;
    vaddr_t end = addr + segment_pages(s) * PAGE_SIZE;
    if (end < addr || end > USER_TOP)
        end = USER_TOP;
    while ((r = attach_region(mm, addr, end, f)) != 0)
        vm_unmap(mm, r->start, r->end);    /* s may be gone after this */
    return 0;
}

/* What IPC_STAT says of s. */
static void shm_fill(const struct shm_segment *s, struct shmid64_ds *ds)
{
    memset(ds, 0, sizeof *ds);
    ds->shm_perm = s->obj.perm;
    ds->shm_segsz = s->size;
    ds->shm_atime = s->atime;
    ds->shm_dtime = s->dtime;
    ds->shm_ctime = s->ctime;
    ds->shm_cpid = s->cpid;
    ds->shm_lpid = s->lpid;
    ds->shm_nattch = s->nattch;
}

/* IPC_INFO and SHM_INFO: the limits, or what is in use. Both return the
 * highest index in use (0 if none), as Linux does. */
static long shm_info(int cmd, vaddr_t buf, bool v64)
{
    if (cmd == IPC_INFO) {
        struct shminfo64 info = { .shmmax = SHMMAX, .shmmin = SHMMIN, .shmmni = SHMMNI,
                                  .shmseg = SHMSEG, .shmall = SHMALL };
        if (shminfo_to_user(buf, &info, v64) < 0)
            return -EFAULT;
    } else {
        struct shm_info info = { .used_ids = shm_ids.count, .shm_tot = shm_total_pages,
                                 .shm_rss = shm_total_pages };
        if (copy_to_user(buf, &info, sizeof info) < 0)
            return -EFAULT;
    }
    int max = ipc_max_index(&shm_ids);
    return max < 0 ? 0 : max;
}

long do_shmctl(int id, int cmd, vaddr_t buf, bool v64)
{
    if (cmd < 0 || id < 0)
        return -EINVAL;
    struct shmid64_ds ds;
    struct shm_segment *s;
    switch (cmd) {
    case IPC_INFO:
    case SHM_INFO:
        return shm_info(cmd, buf, v64);
    case IPC_STAT:
    case SHM_STAT:
    case SHM_STAT_ANY:
        s = (struct shm_segment *)(cmd == IPC_STAT ? ipc_find_id(&shm_ids, id)
                                                   : ipc_find_index(&shm_ids, id));
        if (!s)
            return -EINVAL;
        if (cmd != SHM_STAT_ANY && !ipc_may(&s->obj, 0444))
            return -EACCES;
        shm_fill(s, &ds);
        if (shmid_to_user(buf, &ds, v64) < 0)
            return -EFAULT;
        return cmd == IPC_STAT ? 0 : s->obj.id;
    case IPC_SET:
        if (shmid_from_user(buf, &ds, v64) < 0)
            return -EFAULT;
        s = (struct shm_segment *)ipc_find_id(&shm_ids, id);
        if (!s)
            return -EINVAL;
        if (!ipc_may_own(&s->obj))
            return -EPERM;
        ipc_set_perm(&s->obj, &ds.shm_perm);
        s->ctime = ipc_now();
        return 0;
    case IPC_RMID:
    case SHM_LOCK:
    case SHM_UNLOCK:
        s = (struct shm_segment *)ipc_find_id(&shm_ids, id);
        if (!s)
            return -EINVAL;
        if (!ipc_may_own(&s->obj))
            return -EPERM;
        if (cmd == SHM_LOCK)           /* its pages never leave memory anyway */
            s->obj.perm.mode |= SHM_LOCKED;
        else if (cmd == SHM_UNLOCK)
            s->obj.perm.mode &= (uint16_t)~SHM_LOCKED;
        else if (s->nattch == 0)
            shm_destroy(s);
        else {
            /* It goes at the last detach; no new shmget finds it. */
            s->obj.perm.mode |= SHM_DEST;
            s->obj.perm.key = IPC_PRIVATE;
        }
        return 0;
    default:
        return -EINVAL;
    }
}

/* Bytes of s that have a frame (rss): pages of its file that were touched. */
static uint32_t shm_resident_bytes(struct shm_segment *s)
{
    uint32_t resident = 0;
    for (uint32_t i = 0; i < segment_pages(s); i++) {
        paddr_t pa;
        if (inode_page(s->file->inode, i, false, &pa) == 0) {
            frame_decref(pa);
            resident++;
        }
    }
    return resident * PAGE_SIZE;
}

int shm_proc_show(int pid, char *buf, uint32_t size)
{
    (void)pid;
    uint32_t n = 0;
    ipc_put(buf, size, &n, "       key      shmid perms       size  cpid  lpid nattch   uid   gid  cuid "
                           " cgid      atime      dtime      ctime        rss       swap\n");
    for (struct ipc_object *o = shm_ids.list; o; o = o->next) {
        struct shm_segment *s = (struct shm_segment *)o;
        ipc_put(buf, size, &n,
                "%10d %10d  %4o %10u %5d %5d  %5u %5u %5u %5u %5u %10u %10u %10u %10u %10u\n",
                o->perm.key, o->id, o->perm.mode, s->size, s->cpid, s->lpid, s->nattch, o->perm.uid,
                o->perm.gid, o->perm.cuid, o->perm.cgid, s->atime, s->dtime, s->ctime,
                shm_resident_bytes(s), 0u);
    }
    return (int)n;
}
