/* unix_addr.c: the names of Unix-domain sockets.
 *
 * A socket may be bound to a path: bind makes a new inode of type S_IFSOCK
 * under that name (ls shows it with an 's'); connect and sendto look the
 * path up as open would, and find the socket through that inode. The inode
 * outlives the socket (as on Linux the name stays until unlink, and then
 * connecting to it is refused), and the socket does not hold its name
 * against unlink: the name inode points at the socket only while it lives.
 * Or it may be bound to a name in Linux's abstract namespace (sun_path[0]
 * is 0): no file, just a list here, and the name goes with the socket.
 */
#include "fs/socket.h"
#include "kernel/proc.h"
#include "mm/kheap.h"
#include "mm/usercopy.h"
#include "linux/errno.h"
#include "lib/string.h"

#define SUN_PATH_OFFSET 2           /* offsetof(struct sockaddr_un, sun_path) */

/* The name inode's private part. */
struct unix_name {
    struct sock *sk;                /* the socket bound here, NULL once it closed */
};

static struct sock *abstract_list;  /* every socket with an abstract name */
static uint32_t autobind_next;      /* the next made-up name */

/* open(2) of a socket's name: Linux says ENXIO. */
static int unix_name_open(struct file *f)
{
    (void)f;
    return -ENXIO;
}

static const struct file_ops unix_name_fops = {
    .open = unix_name_open,
};

static const struct inode_ops unix_name_ops = { 0 };

int unix_addr_check(struct sockaddr_un *a, uint32_t *len)
{
    uint32_t ulen = *len;
    if (ulen < SUN_PATH_OFFSET || ulen > sizeof *a || a->sun_family != AF_UNIX)
        return -EINVAL;
    if (ulen > SUN_PATH_OFFSET && a->sun_path[0] != 0) {
        /* A path: up to its first NUL, which the length counts. */
        uint32_t n = 0;
        while (n < ulen - SUN_PATH_OFFSET && a->sun_path[n])
            n++;
        /* A path filling all 108 bytes has no NUL: Linux counts one
         * anyway (111); we keep the length to the struct's. */
        *len = n == UNIX_PATH_MAX ? sizeof *a : SUN_PATH_OFFSET + n + 1;
    }
    return 0;
}

static bool is_abstract(const struct sockaddr_un *a, uint32_t len)
{
    return len > SUN_PATH_OFFSET && a->sun_path[0] == 0;
}

static struct sock *abstract_find(const struct sockaddr_un *a, uint32_t len)
{
    for (struct sock *s = abstract_list; s; s = s->next_abstract)
        if (s->addrlen == len && memcmp(&s->addr, a, len) == 0)
            return s;
    return 0;
}

/* Bind to a path: a new socket inode named by it, mode 0777 less the umask. */
static int bind_path(struct sock *sk, const struct sockaddr_un *a)
{
    struct inode *dir;
    char name[NAME_MAX + 1], path[UNIX_PATH_MAX + 1];
    memcpy(path, a->sun_path, UNIX_PATH_MAX);
    path[UNIX_PATH_MAX] = 0;
    int r = namei_parent(0, path, &dir, name);
    if (r < 0)
        return r == -EEXIST ? -EADDRINUSE : r;
    uint32_t mode = S_IFSOCK | (0777 & ~current_proc()->fs->umask);
    struct inode *ip = inode_new(mode, &unix_name_ops, sizeof(struct unix_name));
    if (!ip) {
        inode_put(dir);
        return -ENOMEM;
    }
    inode_init_owner(ip, dir);
    ip->dev = dir->dev;             /* a file of the directory's file system (/dev/shm too) */
    ip->fops = &unix_name_fops;
    r = dir_link(dir, name, ip);
    inode_put(dir);
    if (r < 0) {
        inode_put(ip);
        return r == -EEXIST ? -EADDRINUSE : r;
    }
    ((struct unix_name *)ip->priv)->sk = sk;
    sk->name_inode = ip;            /* our reference */
    return 0;
}

/* Linux's autobind: an abstract name of five hex digits. */
static void autobind_name(struct sockaddr_un *a, uint32_t *len)
{
    static const char hex[] = "0123456789abcdef";
    do {
        uint32_t n = autobind_next++ & 0xfffff;
        memset(a, 0, sizeof *a);
        a->sun_family = AF_UNIX;
        for (int i = 0; i < 5; i++)
            a->sun_path[5 - i] = hex[(n >> (4 * i)) & 15];
        *len = SUN_PATH_OFFSET + 6;
    } while (abstract_find(a, *len));
}

/* Is there a file at a's path? (Linux makes the file before it sees that
 * the socket is bound: EADDRINUSE comes first.) */
static bool path_exists(const struct sockaddr_un *a)
{
    char path[UNIX_PATH_MAX + 1];
    struct inode *ip;
    memcpy(path, a->sun_path, UNIX_PATH_MAX);
    path[UNIX_PATH_MAX] = 0;
    if (namei(0, path, false, &ip) < 0)
        return false;
    inode_put(ip);
    return true;
}

int unix_bind(struct sock *sk, const struct sockaddr_un *a, uint32_t len)
{
    if (sk->addrlen) {              /* bound already */
        bool path = len > SUN_PATH_OFFSET && a->sun_path[0] != 0;
        return path && path_exists(a) ? -EADDRINUSE : -EINVAL;
    }
    struct sockaddr_un made;
    if (len == SUN_PATH_OFFSET) {
        autobind_name(&made, &len);
        a = &made;
    }
    if (is_abstract(a, len)) {
        if (abstract_find(a, len))
            return -EADDRINUSE;
        sk->next_abstract = abstract_list;
        abstract_list = sk;
    } else {
        int r = bind_path(sk, a);
        if (r < 0)
            return r;
    }
    sk->addr.un = *a;
    sk->addrlen = len;
    return 0;
}

int unix_find(const struct sockaddr_un *a, uint32_t len, struct sock **out)
{
    if (is_abstract(a, len)) {
        struct sock *s = abstract_find(a, len);
        if (!s)
            return -ECONNREFUSED;
        *out = sock_get(s);
        return 0;
    }
    if (len <= SUN_PATH_OFFSET)
        return -EINVAL;
    struct inode *ip;
    char path[UNIX_PATH_MAX + 1];
    memcpy(path, a->sun_path, UNIX_PATH_MAX);
    path[UNIX_PATH_MAX] = 0;
    int r = namei(0, path, true, &ip);
    if (r < 0)
        return r;
    if (!S_ISSOCK(ip->mode))
        r = -ECONNREFUSED;
    else if ((r = inode_permission(ip, MAY_WRITE)) == 0) {
        struct sock *s = ip->ops == &unix_name_ops ? ((struct unix_name *)ip->priv)->sk : 0;
        if (s)
            *out = sock_get(s);
        else
            r = -ECONNREFUSED;      /* a name left by a socket that closed */
    }
    inode_put(ip);
    return r;
}

void unix_unbind(struct sock *sk)
{
    if (!sk->addrlen)
        return;
    if (sk->name_inode) {
        ((struct unix_name *)sk->name_inode->priv)->sk = 0;
        inode_put(sk->name_inode);
        sk->name_inode = 0;
    } else if (is_abstract(&sk->addr.un, sk->addrlen)) {
        struct sock **pp = &abstract_list;
        while (*pp && *pp != sk)
            pp = &(*pp)->next_abstract;
        if (*pp)
            *pp = sk->next_abstract;
    }
}
