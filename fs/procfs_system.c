/* procfs_system.c: the /proc files about the whole machine that uptime, top,
 * vmstat, ps and mount read, in Linux's formats (man 5 proc):
 *
 *   /proc/stat         CPU time by kind, context switches, boot time, forks
 *   /proc/uptime       seconds since boot, and seconds the CPU was idle
 *   /proc/loadavg      load averages, running/total threads, the last pid
 *   /proc/filesystems  the kinds of file system the kernel has
 *   /proc/mounts       what is mounted where
 *   /proc/version      the kernel's name, release and build, as uname's
 *
 * bunshin has one CPU and keeps no load average: the "cpu" line and the
 * "cpu0" line are the same, and the averages are 0.00.
 */
#include "fs/procfs.h"
#include "fs/fstypes.h"
#include "fs/mount.h"
#include "kernel/sys_proc.h"
#include "kernel/cputime.h"
#include "kernel/proc.h"
#include "drivers/clock.h"
#include "lib/format.h"
#include "param.h"

#define USER_HZ 100                    /* the unit of clock_t for programs on i386 */

static uint64_t to_clock_t(uint64_t ticks)
{
    return ticks * USER_HZ / HZ;
}

/* Threads that are running or ready to (Linux's nr_running). */
static int threads_running(void)
{
    int n = 0;
    for (int i = 0; i < proc_table_end; i++)
        if (procs[i].state == PROC_RUNNING || procs[i].state == PROC_RUNNABLE)
            n++;
    return n;
}

/* /proc/stat: the "cpu" line has Linux's ten columns (user nice system idle
 * iowait irq softirq steal guest guest_nice) in clock ticks; bunshin counts
 * user, system and idle ticks (kernel/cputime.h) and has none of the other
 * kinds. bunshin counts no interrupts by number, so "intr" is 0. btime is
 * the time of day at boot, in seconds since 1970. */
int procfs_gen_stat_system(int pid, char *buf, uint32_t size)
{
    (void)pid;
    uint32_t n = 0;
    uint64_t user = to_clock_t(cpu_user_ticks), sys = to_clock_t(cpu_system_ticks),
             idle = to_clock_t(cpu_idle_ticks);
    procfs_put(buf, size, &n, "cpu  %llu 0 %llu %llu 0 0 0 0 0 0\n", user, sys, idle);
    procfs_put(buf, size, &n, "cpu0 %llu 0 %llu %llu 0 0 0 0 0 0\n", user, sys, idle);
    uint32_t btime = (uint32_t)((clock_realtime_ns() - clock_monotonic_ns()) / 1000000000u);
    procfs_put(buf, size, &n, "intr 0\nctxt %llu\nbtime %u\nprocesses %u\n", context_switches,
               btime, procs_created);
    procfs_put(buf, size, &n, "procs_running %d\nprocs_blocked 0\n", threads_running());
    procfs_put(buf, size, &n, "softirq 0 0 0 0 0 0 0 0 0 0 0\n");
    return (int)n;
}

/* /proc/uptime: "%lu.%02lu %lu.%02lu", the time since boot and the idle
 * time (summed over CPUs: bunshin's one), in seconds to the hundredth. */
int procfs_gen_uptime(int pid, char *buf, uint32_t size)
{
    (void)pid;
    uint64_t up = clock_monotonic_ns() / 10000000u;      /* hundredths */
    uint64_t idle = cpu_idle_ticks * 100 / HZ;
    return ksnprintf(buf, size, "%llu.%02llu %llu.%02llu\n", up / 100, up % 100, idle / 100,
                     idle % 100);
}

/* /proc/loadavg: the 1, 5 and 15 minute averages (bunshin keeps none),
 * running/total threads, and the pid given out last. */
int procfs_gen_loadavg(int pid, char *buf, uint32_t size)
{
    (void)pid;
    int total = 0;
    for (int i = 0; i < proc_table_end; i++)
        if (procs[i].state != PROC_UNUSED)
            total++;
    return ksnprintf(buf, size, "0.00 0.00 0.00 %d/%d %d\n", threads_running(), total, last_pid);
}

/* /proc/filesystems: one line per kind (fs/fstypes.c), "nodev" for those
 * on no device: all of them. */
int procfs_gen_filesystems(int pid, char *buf, uint32_t size)
{
    (void)pid;
    uint32_t n = 0;
    for (int i = 0; i < fs_type_count(); i++)
        procfs_put(buf, size, &n, "nodev\t%s\n", fs_type_name(i));
    return (int)n;
}

/* /proc/mounts: "device mount-point kind options 0 0", as Linux shows an
 * initramfs root with /proc and /dev mounted on it, then what mount(2)
 * added (fs/mount.c). */
int procfs_gen_mounts(int pid, char *buf, uint32_t size)
{
    (void)pid;
    uint32_t n = 0;
    procfs_put(buf, size, &n,
               "rootfs / rootfs rw 0 0\n"
               "proc /proc proc rw,relatime 0 0\n"
               "devtmpfs /dev devtmpfs rw,relatime 0 0\n");
    mount_list(buf, size, &n, false);
    return (int)n;
}

/* /proc/<pid>/mountinfo: the same mounts in man 5 proc's longer form. */
int procfs_gen_mountinfo(int pid, char *buf, uint32_t size)
{
    (void)pid;
    uint32_t n = 0;
    procfs_put(buf, size, &n,
               "1 1 0:1 / / rw - rootfs rootfs rw\n"
               "2 1 0:3 / /proc rw,relatime - proc proc rw\n"
               "3 1 0:5 / /dev rw,relatime - devtmpfs devtmpfs rw\n");
    mount_list(buf, size, &n, true);
    return (int)n;
}

/* /proc/version: Linux's layout ("Linux version RELEASE (builder)
 * (compiler) #1 ..."), with bunshin's name, as uname says it. */
int procfs_gen_version(int pid, char *buf, uint32_t size)
{
    (void)pid;
    return ksnprintf(buf, size, "%s version %s (bunshin@bunshin) (gcc) #1\n", UTS_SYSNAME,
                     UTS_RELEASE);
}
