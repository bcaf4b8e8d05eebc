/* procfs_net.c: /proc/net, the sockets as netstat and lsof read them, a
 * line each in Linux's formats (man 5 proc):
 *
 *   /proc/net/tcp   TCP sockets that listen or are connected (Linux lists
 *                   those, not a socket that is only bound)
 *   /proc/net/udp   UDP sockets that have a port
 *   /proc/net/unix  every Unix-domain socket
 *   /proc/net/tcp6, udp6  their headers: bunshin has no IPv6 sockets to
 *                   list, and netstat complains when the files are missing
 *
 * Addresses are printed as Linux prints them: the 32-bit address as it
 * sits in memory (network order read by a little-endian CPU: 127.0.0.1 is
 * 0100007F) and the port in host order. Columns about what bunshin does
 * not have (retransmit timers, congestion windows) hold the values Linux
 * shows for a quiet loopback connection; kernel pointers read as 0, as
 * Linux shows them to a program without CAP_SYSLOG.
 */
#include "fs/procfs.h"
#include "fs/socket.h"
#include "lib/format.h"

#define TCP_LINE 149                 /* Linux pads each line of tcp to this */
#define UDP_LINE 127                 /* ...and of udp */

/* Linux's TCP states, as the st column shows them. */
#define TCP_ESTABLISHED 0x01
#define TCP_FIN_WAIT2   0x05
#define TCP_CLOSE_WAIT  0x08
#define TCP_LISTEN      0x0A
#define TCP_CLOSING     0x0B

static uint16_t host_port(uint16_t net)
{
    return (uint16_t)((net >> 8) | (net << 8));
}

/* One line padded with spaces to width, as Linux's seq_pad. */
static void put_padded(char *buf, uint32_t size, uint32_t *n, const char *line, int width)
{
    procfs_put(buf, size, n, "%-*s\n", width, line);
}

/* The TCP state a socket shows; 0 if Linux would not list it. */
static int tcp_state(const struct sock *s)
{
    if (s->state == SS_LISTENING)
        return TCP_LISTEN;
    if (s->state != SS_CONNECTED || s->reset)
        return 0;
    bool in = s->shutdown & SHUT_RCV_MASK, out = s->shutdown & SHUT_SEND_MASK;
    if (in && out)
        return TCP_CLOSING;
    if (in)
        return TCP_CLOSE_WAIT;           /* the peer's FIN came */
    return out ? TCP_FIN_WAIT2 : TCP_ESTABLISHED;
}

static int gen_tcp(int pid, char *buf, uint32_t size)
{
    (void)pid;
    uint32_t n = 0;
    char line[TCP_LINE + 1];
    put_padded(buf, size, &n, "  sl  local_address rem_address   st tx_queue rx_queue tr "
               "tm->when retrnsmt   uid  timeout inode", TCP_LINE);
    int i = 0;
    for (struct sock *s = inet_ports(); s; s = s->next_port) {
        int st = s->protocol == IPPROTO_TCP ? tcp_state(s) : 0;
        if (!st)
            continue;
        bool listen = st == TCP_LISTEN;
        uint32_t raddr = s->has_remote && !listen ? s->remote.sin_addr.s_addr : 0;
        uint16_t rport = s->has_remote && !listen ? host_port(s->remote.sin_port) : 0;
        ksnprintf(line, sizeof line,
                  "%4d: %08X:%04X %08X:%04X %02X %08X:%08X 00:00000000 00000000 %5u %8d %u 1 "
                  "00000000 %s",
                  i++, s->addr.in.sin_addr.s_addr, host_port(s->addr.in.sin_port), raddr, rport,
                  st, 0u, listen ? s->npending : s->queued, s->inode->uid, 0, s->inode->ino,
                  listen ? "100 0 0 10 0" : "20 4 0 10 -1");
        put_padded(buf, size, &n, line, TCP_LINE);
    }
    return (int)n;
}

static int gen_udp(int pid, char *buf, uint32_t size)
{
    (void)pid;
    uint32_t n = 0;
    char line[UDP_LINE + 1];
    put_padded(buf, size, &n, "   sl  local_address rem_address   st tx_queue rx_queue tr "
               "tm->when retrnsmt   uid  timeout inode ref pointer drops", UDP_LINE);
    for (struct sock *s = inet_ports(); s; s = s->next_port) {
        if (s->protocol != IPPROTO_UDP)
            continue;
        uint16_t port = host_port(s->addr.in.sin_port);
        /* sl: Linux's hash bucket, the port modulo its table (256 here). */
        ksnprintf(line, sizeof line,
                  "%5d: %08X:%04X %08X:%04X %02X %08X:%08X 00:00000000 00000000 %5u %8d %u 2 "
                  "00000000 0",
                  port & 255, s->addr.in.sin_addr.s_addr, port,
                  s->has_remote ? s->remote.sin_addr.s_addr : 0,
                  s->has_remote ? host_port(s->remote.sin_port) : 0,
                  s->has_remote ? TCP_ESTABLISHED : 0x07, 0u, s->queued, s->inode->uid, 0,
                  s->inode->ino);
        put_padded(buf, size, &n, line, UDP_LINE);
    }
    return (int)n;
}

/* The IPv6 tables: the same headers, no sockets. */
static int gen_tcp6(int pid, char *buf, uint32_t size)
{
    (void)pid;
    return ksnprintf(buf, size, "  sl  local_address                         remote_address                        "
                     "st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n");
}

static int gen_udp6(int pid, char *buf, uint32_t size)
{
    (void)pid;
    return ksnprintf(buf, size, "  sl  local_address                         remote_address                        "
                     "st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n");
}

/* A Unix-domain socket's name as /proc/net/unix shows it: the path, or
 * '@' and the abstract name with its zero bytes as '@'. */
static void put_unix_name(char *buf, uint32_t size, uint32_t *n, const struct sock *s)
{
    const struct sockaddr_un *a = &s->addr.un;
    uint32_t len = s->addrlen - 2;       /* past sun_family */
    procfs_put(buf, size, n, " ");
    for (uint32_t i = 0; i < len && i < sizeof a->sun_path; i++) {
        char c = a->sun_path[i];
        if (c == 0 && a->sun_path[0] != 0)
            break;                       /* a path ends at its NUL */
        procfs_put(buf, size, n, "%c", c ? c : '@');
    }
}

static int gen_unix(int pid, char *buf, uint32_t size)
{
    (void)pid;
    uint32_t n = 0;
    procfs_put(buf, size, &n, "Num       RefCount Protocol Flags    Type St Inode Path\n");
    for (struct sock *s = sock_all; s; s = s->next_all) {
        if (s->ops != &unix_ops || s->closed)
            continue;
        bool listen = s->state == SS_LISTENING;
        procfs_put(buf, size, &n, "00000000: %08X %08X %08X %04X %02X %5u", 2u, 0u,
                   listen ? 0x10000u : 0u, (uint32_t)s->type,
                   s->state == SS_CONNECTED ? 3u : 1u, s->inode->ino);
        if (s->addrlen > 2)
            put_unix_name(buf, size, &n, s);
        procfs_put(buf, size, &n, "\n");
    }
    return (int)n;
}

struct inode *procfs_net_dir_new(struct inode *parent)
{
    struct inode *dp = procfs_dir_new(parent);
    if (!dp)
        return 0;
    procfs_dir_add(dp, "tcp", procfs_file_new(0, gen_tcp));
    procfs_dir_add(dp, "udp", procfs_file_new(0, gen_udp));
    procfs_dir_add(dp, "unix", procfs_file_new(0, gen_unix));
    procfs_dir_add(dp, "tcp6", procfs_file_new(0, gen_tcp6));
    procfs_dir_add(dp, "udp6", procfs_file_new(0, gen_udp6));
    return dp;
}
