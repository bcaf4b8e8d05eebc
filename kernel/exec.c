/* exec.c: execve. Load an ELF program into a new address space and start it.
 *
 * All or nothing, in two steps:
 *   exec_load    reads and checks the file, and builds the complete new
 *                address space with its segments and its start-up stack. It
 *                may fail at any point; the caller is untouched until then.
 *   exec_commit  the point of no return: the caller drops its old address
 *                space and everything tied to its old program, and takes the
 *                new one. Nothing in it can fail.
 * (Linux checks less up front and kills the process when a late step fails;
 * bunshin promises more: any error leaves the caller running its old
 * program, with an error code.)
 */
#include "kernel/exec.h"
#include "fs/mount.h"
#include "kernel/futex_robust.h"
#include "kernel/posix_timer.h"
#include "boot/cmdline.h"
#include "kernel/fpu.h"
#include "kernel/gdt.h"
#include "kernel/proc.h"
#include "linux/personality.h"
#include "kernel/signal.h"
#include "fs/file.h"
#include "fs/fs.h"
#include "mm/kheap.h"
#include "mm/usercopy.h"
#include "mm/vm.h"
#include "linux/errno.h"
#include "linux/fcntl.h"
#include "linux/limits.h"
#include "param.h"
#include "lib/format.h"
#include "lib/string.h"
#include "x86.h"

static int args_add(struct exec_args *a, const char *s)
{
    uint32_t len = strlen(s) + 1;
    if (len > ARG_MAX - a->used)
        return -E2BIG;
    memcpy(a->buf + a->used, s, len);
    a->used += len;
    return 0;
}

/* Copy the strings of a user vector (argv or envp: an array of pointers
 * ending with NULL). A NULL vector counts as empty, as on Linux. */
static int args_add_user(struct exec_args *a, vaddr_t uvec, int *count)
{
    *count = 0;
    if (!uvec)
        return 0;
    for (uint32_t i = 0;; i++) {
        uint32_t ptr;
        if (copy_from_user(&ptr, uvec + 4 * i, 4) < 0)
            return -EFAULT;
        if (!ptr)
            return 0;
        int n = strncpy_from_user(a->buf + a->used, ptr, ARG_MAX - a->used);
        if (n == -ENAMETOOLONG)
            return -E2BIG;
        if (n < 0)
            return n;
        a->used += (uint32_t)n + 1;
        (*count)++;
    }
}

/* What exec_load builds: an address space ready to run, and where to start. */
struct exec_image {
    struct mm *mm;
    vaddr_t entry;        /* the first instruction: e_entry, or the interpreter's */
    vaddr_t esp;          /* the start-up stack's argc */
    struct sighand *sighand;  /* handlers of its own, if they were shared with
                                 another process (CLONE_SIGHAND), else NULL */
    struct cred cred;         /* the ids it runs with (set-user-ID: exec_creds) */
    bool secure;              /* AT_SECURE: they differ from the real ones */
};

/* Build the new image for the program ip (the caller's reference, which
 * this takes over), named path, with arguments a. Changes nothing of the
 * caller's. 0, or -errno with nothing left behind. */
static int exec_load(struct inode *ip, const char *path, const struct exec_args *a,
                     struct exec_image *img)
{
    struct elf_image elf;
    int r;
    /* Execute permission is all: the kernel reads the program, not the
     * process, so a program with mode 0111 runs (Linux's rule for ELF). */
    if (!S_ISREG(ip->mode) || mount_noexec(ip)) {
        r = -EACCES;                       /* (or on a tmpfs mounted noexec) */
        goto out_inode;
    }
    if ((r = inode_permission(ip, MAY_EXEC)) < 0)
        goto out_inode;
    struct proc *p = current_proc();
    /* (nosuid: the set-id bits count for nothing, as with no_new_privs.) */
    exec_creds(&p->cred, ip, p->no_new_privs || mount_nosuid(ip), &img->cred, &img->secure);
    /* Where the stack, the mmap area and the break go: at random unless
     * booted with aslr=off or the personality says ADDR_NO_RANDOMIZE
     * (setarch -R; mm/vm_layout.c says by how much). A position-independent
     * program moves too (elf_read). */
    bool randomise = boot_options.aslr && !(p->personality & ADDR_NO_RANDOMIZE);
    if ((r = elf_read(ip, &elf, randomise)) < 0)
        goto out_inode;
    r = -ENOMEM;
    if (!(img->mm = mm_create()))
        goto out_elf;
    vaddr_t elf_end;
    if ((r = elf_load(img->mm, ip, &elf, &elf_end)) < 0)
        goto fail;
    vm_layout(img->mm, elf_end, randomise);
    /* A dynamically linked program starts in its interpreter. */
    vaddr_t interp_base = 0;
    img->entry = elf.eh.e_entry;
    if (elf.interp >= 0 &&
        (r = elf_load_interp(img->mm, ip, &elf, &interp_base, &img->entry)) < 0)
        goto fail;
    if ((r = exec_build_stack(img->mm, a, path, &elf.eh, elf.ph, interp_base, &img->cred,
                              img->secure, randomise, &img->esp)) < 0)
        goto fail;
    img->sighand = 0;
    r = -ENOMEM;
    if (current_proc()->sighand->refs > 1 && !(img->sighand = sighand_new()))
        goto fail;
    r = 0;
    goto out_elf;

fail:
    mm_put(img->mm);
    img->mm = 0;
out_elf:
    elf_release(&elf);
out_inode:
    inode_put(ip);
    return r;
}

/* ---- the point of no return: nothing below can fail ---- */

/* The program's path as /proc/<pid>/exe and maps show it: absolute, as on
 * Linux. A relative path is joined to the current directory, its leading
 * "./" steps dropped (a "../" stays, which still names the right file);
 * if the directory has no path any more, the path is kept as given. */
static void exe_path(struct proc *p, const char *path, char *out, uint32_t size)
{
    int n = path[0] == '/' || !p->fs ? -1 : dir_path(p->fs->cwd, out, size);
    if (n < 0) {
        strlcpy(out, path, size);
        return;
    }
    while (path[0] == '.' && path[1] == '/')
        for (path += 2; *path == '/'; path++)
            ;
    if (n > 1 && (uint32_t)n + 1 < size)
        out[n++] = '/';                    /* "/" itself needs no other */
    if ((uint32_t)n < size)
        strlcpy(out + n, path, size - (uint32_t)n);
}

/* Make img the program of the current process p, started from path. */
static void exec_commit(struct proc *p, struct exec_image *img, const char *path)
{
    /* Other threads of this process end (Linux does the same); a vfork
     * parent may run again, now that its memory is its own. */
    for (int i = 0; i < proc_table_end; i++) {
        struct proc *q = &procs[i];
        if (q != p && q->tgid == p->tgid)
            proc_kill(q, W_SIGNALED(SIGKILL));
    }
    vfork_release(p);
    futex_robust_release(p);               /* as if this thread ended (Linux too) */

    struct mm *old = p->mm;
    p->mm = img->mm;
    mm_activate(p->mm);
    if (old)
        mm_put(old);
    fd_close_on_exec(p->files);
    signal_exec(p, img->sighand);
    /* POSIX timers are deleted, with their pending signals; alarm and the
     * other interval timers go on in the new program (Linux's rules). */
    posix_timer_delete_all(p->group);
    p->group->execed = true;               /* its parent's setpgid now says EACCES */

    /* A set-user-ID or set-group-ID program: its ids, and protection from
     * whoever started it: no core dump or ptrace-style peeking at its
     * memory (undumpable), no death signal chosen by the old program. */
    if (img->cred.euid != p->cred.euid || img->cred.egid != p->cred.egid) {
        p->mm->undumpable = true;
        p->pdeath_signal = 0;
    }
    p->cred = img->cred;

    const char *base = path;
    for (const char *c = path; *c; c++)
        if (*c == '/' && c[1])
            base = c + 1;
    strlcpy(p->name, base, sizeof p->name);
    exe_path(p, path, p->mm->exe, sizeof p->mm->exe);
    memset(&p->tls, 0, sizeof p->tls);
    p->clear_child_tid = 0;
    gdt_set_tls(&p->tls);
    fpu_init_state(p->fpu);
    fpu_restore(p->fpu);               /* this process's registers are live */

    /* The trap frame the system call returns through now starts the new
     * program: ring 3, interrupts on, at e_entry with the new stack. */
    struct trapframe *tf = p->tf;
    memset(tf, 0, sizeof *tf);
    tf->cs = USER_CS;
    tf->ds = tf->es = tf->fs = tf->gs = tf->user_ss = USER_DS;
    tf->eflags = EFLAGS_IF | 0x2;      /* bit 1 is always set */
    tf->eip = img->entry;
    tf->user_esp = img->esp;
    /* edx = 0: a program may register edx as an exit handler (glibc does). */
    tf->edx = 0;
}

/* Everything after the arguments are in the kernel: load ip (a reference
 * this takes over; NULL: look path up from the current directory), then
 * commit. */
static int exec_program(struct inode *ip, const char *path, const struct exec_args *a)
{
    struct exec_image img;
    int r;
    if (!ip && (r = namei(0, path, true, &ip)) < 0)
        return r;
    r = exec_load(ip, path, a, &img);
    if (r < 0)
        return r;
    exec_commit(current_proc(), &img, path);
    return 0;
}

/* execveat's program: path from dirfd, or with AT_EMPTY_PATH and an empty
 * path the file open on dirfd itself (fexecve). *ip gets a reference; name
 * (PATH_MAX bytes) the name Linux gives the program: path itself when it is
 * absolute or dirfd is AT_FDCWD, else "/dev/fd/N/path" or "/dev/fd/N" (what
 * AT_EXECFN and the thread's name then show). AT_SYMLINK_NOFOLLOW: a final
 * symbolic link is ELOOP. */
static int execveat_target(int dirfd, const char *path, uint32_t flags, struct inode **ip,
                           char *name)
{
    if (flags & ~(uint32_t)(AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW))
        return -EINVAL;
    if (path[0] == '/' || (dirfd == AT_FDCWD && path[0])) {
        strlcpy(name, path, PATH_MAX);
        int r = namei(0, path, !(flags & AT_SYMLINK_NOFOLLOW), ip);
        if (r == 0 && S_ISLNK((*ip)->mode)) {
            inode_put(*ip);
            return -ELOOP;
        }
        return r;
    }
    if (!path[0] && !(flags & AT_EMPTY_PATH))
        return -ENOENT;
    struct file *f = dirfd == AT_FDCWD ? 0 : fd_lookup(current_proc()->files, dirfd);
    if (!f && dirfd != AT_FDCWD)
        return -EBADF;
    if (!path[0]) {                    /* the open file itself */
        ksnprintf(name, PATH_MAX, "/dev/fd/%d", dirfd);
        *ip = f ? inode_get(f->inode) : inode_get(current_proc()->fs->cwd);
        return 0;
    }
    if (!S_ISDIR(f->inode->mode))
        return -ENOTDIR;
    if (ksnprintf(name, PATH_MAX, "/dev/fd/%d/%s", dirfd, path) >= PATH_MAX)
        return -ENAMETOOLONG;
    int r = namei(f->inode, path, !(flags & AT_SYMLINK_NOFOLLOW), ip);
    if (r == 0 && S_ISLNK((*ip)->mode)) {
        inode_put(*ip);
        return -ELOOP;
    }
    return r;
}

int do_execve(vaddr_t upath, vaddr_t uargv, vaddr_t uenvp)
{
    return do_execveat(AT_FDCWD, upath, uargv, uenvp, 0, false);
}

int do_execveat(int dirfd, vaddr_t upath, vaddr_t uargv, vaddr_t uenvp, uint32_t flags,
                bool at)
{
    char *path = kmalloc(PATH_MAX);
    char *name = at ? kmalloc(PATH_MAX) : 0;
    struct exec_args a = { kmalloc(ARG_MAX), 0, 0, 0 };
    struct inode *ip = 0;
    int r = -ENOMEM;
    if (!path || !a.buf || (at && !name))
        goto out;
    r = strncpy_from_user(path, upath, PATH_MAX);
    if (r < 0)
        goto out;
    if ((r = args_add_user(&a, uargv, &a.argc)) < 0)
        goto out;
    if ((r = args_add_user(&a, uenvp, &a.envc)) < 0)
        goto out;
    if (at && (r = execveat_target(dirfd, path, flags, &ip, name)) < 0)
        goto out;
    r = exec_program(ip, at ? name : path, &a);
out:
    kfree(path);
    kfree(name);
    kfree(a.buf);
    return r;
}

int exec_kernel(const char *path, char *const argv[], char *const envp[])
{
    struct exec_args a = { kmalloc(ARG_MAX), 0, 0, 0 };
    int r = -ENOMEM;
    if (!a.buf)
        return r;
    for (; argv && argv[a.argc]; a.argc++)
        if ((r = args_add(&a, argv[a.argc])) < 0)
            goto out;
    for (; envp && envp[a.envc]; a.envc++)
        if ((r = args_add(&a, envp[a.envc])) < 0)
            goto out;
    r = exec_program(0, path, &a);
out:
    kfree(a.buf);
    return r;
}
