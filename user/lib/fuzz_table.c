// fuzz_table.c: what the fuzzer knows of the Linux i386 system calls: a
// name for the log and the kind of each argument (letters explained in
// fuzz.h), so that a call gets arguments that get past its first checks
// often enough to reach the code behind them.
//
// The table holds every call bunshin has (kernel/syscall_table.c), the calls
// whose pid argument could reach another process (kill, tgkill, ptrace,
// prlimit64...: their pid is always the child's own, so a call the kernel
// adds one day cannot end the fuzzer's driver), and a few more that are
// common in Linux programs. Every other number from 0 to 450 is called too,
// with arguments of every kind.
#include <stddef.h>
#include <stdint.h>

#include "fuzz.h"

static const struct fuzz_call calls[FUZZ_MAX_NR + 1] = {
    // The ends of a process: rare, or few calls would be made before them
    // (fuzz_pick_nr keeps one draw in ten of these).
    [1]   = { "exit", "w-----", 1 },
    [252] = { "exit_group", "w-----", 1 },
    [88]  = { "reboot", "------", 0 },       // never: it would end the test

    // Processes.
    [2]   = { "fork", "------", 3 },
    [190] = { "vfork", "------", 3 },
    [120] = { "clone", "cabbb-", 6 },        // flags, stack, ptid, tls, ctid
    [435] = { "clone3", "Cn----", 2 },       // clone_args (fuzz_args.c), size
    [11]  = { "execve", "pVV---", 3 },
    [358] = { "execveat", "dpVVx-", 2 },
    [7]   = { "waitpid", "ibx---", 3 },
    [114] = { "wait4", "ibxb--", 4 },
    [284] = { "waitid", "wibxb-", 2 },
    [20]  = { "getpid", "------", 2 },
    [64]  = { "getppid", "------", 2 },
    [224] = { "gettid", "------", 2 },
    [24]  = { "getuid", "------", 1 },
    [47]  = { "getgid", "------", 1 },
    [49]  = { "geteuid", "------", 1 },
    [50]  = { "getegid", "------", 1 },
    [199] = { "getuid32", "------", 1 },
    [200] = { "getgid32", "------", 1 },
    [201] = { "geteuid32", "------", 1 },
    [202] = { "getegid32", "------", 1 },
    [258] = { "set_tid_address", "b-----", 3 },
    [243] = { "set_thread_area", "b-----", 3 },
    [244] = { "get_thread_area", "b-----", 2 },
    [123] = { "modify_ldt", "xbn---", 2 },
    [240] = { "futex", "bxwtbw", 5 },
    [422] = { "futex_time64", "bxwtbw", 1 },
    [311] = { "set_robust_list", "bn----", 2 },   // head, len (12)
    [312] = { "get_robust_list", "ibb---", 1 },
    [122] = { "uname", "b-----", 2 },
    [109] = { "olduname", "b-----", 1 },
    [59]  = { "oldolduname", "b-----", 1 },
    [191] = { "ugetrlimit", "xb----", 3 },
    [76]  = { "getrlimit", "xb----", 2 },
    [75]  = { "setrlimit", "xb----", 2 },
    [340] = { "prlimit64", "kxbb--", 4 },
    [60]  = { "umask", "o-----", 2 },
    [172] = { "prctl", "xwwww-", 2 },
    [116] = { "sysinfo", "b-----", 1 },
    [103] = { "syslog", "xbn---", 1 },
    [318] = { "getcpu", "bbb---", 1 },
    [355] = { "getrandom", "bnx---", 2 },
    [57]  = { "setpgid", "kk----", 1 },
    [132] = { "getpgid", "k-----", 1 },
    [147] = { "getsid", "k-----", 1 },
    [66]  = { "setsid", "------", 1 },
    [96]  = { "getpriority", "xk----", 1 },
    [97]  = { "setpriority", "xkw---", 1 },
    [34]  = { "nice", "w-----", 1 },
    [155] = { "sched_getparam", "kb----", 1 },
    [157] = { "sched_getscheduler", "k-----", 1 },
    [159] = { "sched_get_priority_max", "x-----", 1 },
    [160] = { "sched_get_priority_min", "x-----", 1 },
    [161] = { "sched_rr_get_interval", "kb----", 1 },
    [423] = { "sched_rr_get_interval_time64", "kb----", 1 },
    [135] = { "sysfs", "wwb---", 1 },
    [136] = { "personality", "x-----", 1 },
    [375] = { "membarrier", "xxw---", 1 },
    [384] = { "arch_prctl", "xb----", 1 },
    [184] = { "capget", "bb----", 1 },
    [185] = { "capset", "bb----", 1 },
    [310] = { "unshare", "x-----", 1 },
    // Root-only setters of the whole system: a root fuzz child never calls
    // them (fuzz_root_must_skip), an ordinary user's gets EPERM.
    [74]  = { "sethostname", "bn----", 0 },
    [121] = { "setdomainname", "bn----", 0 },
    [154] = { "sched_setparam", "kb----", 1 },
    [156] = { "sched_setscheduler", "kxb---", 1 },
    [241] = { "sched_setaffinity", "knb---", 1 },
    [242] = { "sched_getaffinity", "knb---", 1 },
    [351] = { "sched_setattr", "kbx---", 1 },
    [352] = { "sched_getattr", "kbnx--", 1 },
    [289] = { "ioprio_set", "xkw---", 1 },
    [290] = { "ioprio_get", "xk----", 1 },
    [26]  = { "ptrace", "xkbb--", 1 },
    [347] = { "process_vm_readv", "kvnvnx", 1 },
    [348] = { "process_vm_writev", "kvnvnx", 1 },
    [349] = { "kcmp", "kkxff-", 1 },
    [434] = { "pidfd_open", "kx----", 1 },
    [424] = { "pidfd_send_signal", "fsbx--", 1 },
    [438] = { "pidfd_getfd", "ffx---", 1 },
    [294] = { "migrate_pages", "knbb--", 1 },
    [317] = { "move_pages", "knbbbx", 1 },

    // Signals. Their pids are the child's own (kind k).
    [37]  = { "kill", "ks----", 4 },
    [238] = { "tkill", "ks----", 2 },
    [270] = { "tgkill", "kks---", 2 },
    [178] = { "rt_sigqueueinfo", "ksb---", 1 },
    [335] = { "rt_tgsigqueueinfo", "kksb--", 1 },
    [174] = { "rt_sigaction", "sbbn--", 2 },
    [175] = { "rt_sigprocmask", "xbbn--", 4 },
    [179] = { "rt_sigsuspend", "bn----", 1 },
    [186] = { "sigaltstack", "bb----", 1 },
    [27]  = { "alarm", "w-----", 1 },
    [29]  = { "pause", "------", 1 },

    // Time.
    [13]  = { "time", "b-----", 2 },
    [78]  = { "gettimeofday", "bb----", 2 },
    [162] = { "nanosleep", "tb----", 3 },
    [158] = { "sched_yield", "------", 2 },
    [265] = { "clock_gettime", "xb----", 3 },
    [266] = { "clock_getres", "xb----", 2 },
    [406] = { "clock_getres_time64", "xb----", 1 },
    [124] = { "adjtimex", "b-----", 1 },       // read only here: a change is EOPNOTSUPP
    [343] = { "clock_adjtime", "xb----", 1 },
    [25]  = { "stime", "b-----", 0 },        // the clock setters: fuzz_root_must_skip
    [79]  = { "settimeofday", "bb----", 0 },
    [264] = { "clock_settime", "xb----", 0 },
    [404] = { "clock_settime64", "xb----", 0 },
    [403] = { "clock_gettime64", "xb----", 3 },
    [267] = { "clock_nanosleep", "xxtb--", 1 },
    [407] = { "clock_nanosleep_time64", "xxbb--", 1 },
    [104] = { "setitimer", "xbb---", 2 },
    [105] = { "getitimer", "xb----", 2 },
    [259] = { "timer_create", "xbb---", 2 },
    [260] = { "timer_settime", "xxbb--", 2 },
    [409] = { "timer_settime64", "xxbb--", 2 },
    [261] = { "timer_gettime", "xb----", 2 },
    [408] = { "timer_gettime64", "xb----", 2 },
    [262] = { "timer_getoverrun", "x-----", 1 },
    [263] = { "timer_delete", "x-----", 1 },

    // Memory.
    [45]  = { "brk", "h-----", 4 },
    [192] = { "mmap2", "anxxfl", 6 },
    [90]  = { "mmap", "b-----", 2 },       // old_mmap: a pointer to six words
    [91]  = { "munmap", "an----", 5 },
    [125] = { "mprotect", "anx---", 5 },
    [219] = { "madvise", "anx---", 4 },
    [163] = { "mremap", "annxa-", 2 },
    [144] = { "msync", "anx---", 1 },
    [150] = { "mlock", "an----", 1 },
    [218] = { "mincore", "anb---", 1 },

    // Descriptors and files.
    [3]   = { "read", "fbn---", 6 },
    [4]   = { "write", "fbn---", 6 },
    [145] = { "readv", "fvn---", 4 },
    [146] = { "writev", "fvn---", 4 },
    [180] = { "pread64", "fbnll-", 4 },
    [181] = { "pwrite64", "fbnll-", 4 },
    [5]   = { "open", "pxo---", 6 },
    [8]   = { "creat", "po----", 2 },
    [106] = { "stat", "pb----", 1 },
    [107] = { "lstat", "pb----", 1 },
    [108] = { "fstat", "fb----", 1 },
    [18]  = { "oldstat", "pb----", 1 },
    [84]  = { "oldlstat", "pb----", 1 },
    [28]  = { "oldfstat", "fb----", 1 },
    [30]  = { "utime", "pb----", 1 },
    [271] = { "utimes", "pb----", 1 },
    [299] = { "futimesat", "dpb---", 1 },
    [333] = { "preadv", "fvnll-", 1 },       // fd, iov, count, offset (2 words)
    [334] = { "pwritev", "fvnll-", 1 },
    [378] = { "preadv2", "fvnllx", 1 },      // ..., RWF_ flags
    [379] = { "pwritev2", "fvnllx", 1 },
    [250] = { "fadvise64", "fllnw-", 1 },      // fd, offset (2 words), len, advice
    [272] = { "fadvise64_64", "fllllw", 1 },
    [225] = { "readahead", "flln--", 1 },       // fd, offset (2 words), count
    [226] = { "setxattr", "pbbnx-", 1 },        // path, name, value, size, flags
    [227] = { "lsetxattr", "pbbnx-", 1 },
    [228] = { "fsetxattr", "fbbnx-", 1 },
    [229] = { "getxattr", "pbbn--", 1 },        // path, name, buffer, size
    [230] = { "lgetxattr", "pbbn--", 1 },
    [231] = { "fgetxattr", "fbbn--", 1 },
    [232] = { "listxattr", "pbn---", 1 },
    [233] = { "llistxattr", "pbn---", 1 },
    [234] = { "flistxattr", "fbn---", 1 },
    [235] = { "removexattr", "pb----", 1 },
    [236] = { "lremovexattr", "pb----", 1 },
    [237] = { "fremovexattr", "fb----", 1 },
    [314] = { "sync_file_range", "fllllx", 1 },
    [295] = { "openat", "dpxo--", 6 },
    [6]   = { "close", "f-----", 5 },
    [436] = { "close_range", "ffx---", 1 },
    [41]  = { "dup", "f-----", 4 },
    [63]  = { "dup2", "ff----", 4 },
    [330] = { "dup3", "ffx---", 4 },
    [55]  = { "fcntl", "fxw---", 2 },
    [221] = { "fcntl64", "fxw---", 5 },
    [42]  = { "pipe", "b-----", 4 },
    [331] = { "pipe2", "bx----", 4 },
    [54]  = { "ioctl", "fxb---", 4 },
    [19]  = { "lseek", "flx---", 4 },
    [140] = { "_llseek", "fllbx-", 4 },
    [93]  = { "ftruncate", "fl----", 3 },
    [194] = { "ftruncate64", "fll---", 3 },
    [94]  = { "fchmod", "fo----", 2 },
    [197] = { "fstat64", "fb----", 4 },
    [220] = { "getdents64", "fbn---", 4 },
    [141] = { "getdents", "fbn---", 2 },
    [133] = { "fchdir", "f-----", 3 },
    [168] = { "poll", "bnw---", 2 },
    [142] = { "_newselect", "nbbbt-", 1 },
    [82]  = { "select", "b-----", 1 },       // the old form: its arguments in a struct
    [308] = { "pselect6", "nbbbtb", 1 },     // ..., timeout, { sigset *, size }
    [413] = { "pselect6_time64", "nbbbtb", 1 },
    [309] = { "ppoll", "bntbn-", 1 },        // fds, nfds, timeout, sigset, size
    [414] = { "ppoll_time64", "bntbn-", 1 },
    [254] = { "epoll_create", "w-----", 1 },
    [329] = { "epoll_create1", "x-----", 2 },
    [255] = { "epoll_ctl", "fxfb--", 3 },     // epfd, op, fd, event
    [256] = { "epoll_wait", "fbnw--", 1 },    // epfd, events, maxevents, timeout (ms)
    [319] = { "epoll_pwait", "fbnwbn", 1 },   // ..., sigset, size
    [441] = { "epoll_pwait2", "fbntbn", 1 },
    [291] = { "inotify_init", "------", 1 },
    [332] = { "inotify_init1", "x-----", 1 },
    [292] = { "inotify_add_watch", "fpx---", 1 },  // fd, path, mask
    [293] = { "inotify_rm_watch", "fw----", 1 },   // fd, wd
    [277] = { "mq_open", "Qxob--", 2 },            // name, oflag, mode, attr
    [278] = { "mq_unlink", "Q-----", 1 },
    [279] = { "mq_timedsend", "fbnwt-", 1 },       // mqd, msg, len, prio, abs timeout
    [280] = { "mq_timedreceive", "fbnbt-", 1 },    // mqd, msg, len, &prio, abs timeout
    [281] = { "mq_notify", "fb----", 1 },          // mqd, sigevent
    [282] = { "mq_getsetattr", "fbb---", 1 },      // mqd, new, old
    [418] = { "mq_timedsend_time64", "fbnwt-", 1 },
    [419] = { "mq_timedreceive_time64", "fbnbt-", 1 },
    [187] = { "sendfile", "ffbn--", 1 },
    [239] = { "sendfile64", "ffbn--", 1 },
    [377] = { "copy_file_range", "fbfbnx", 1 },   // fd_in, &off_in, fd_out, &off_out, len, flags
    [324] = { "fallocate", "fxllll", 1 },         // fd, mode, offset (2 words), len (2 words)
    // Descriptors for events (fs/eventfd.c, fs/timerfd.c, fs/signalfd.c).
    [323] = { "eventfd", "w-----", 1 },
    [328] = { "eventfd2", "wx----", 1 },
    [322] = { "timerfd_create", "wx----", 1 },       // clockid, flags
    [325] = { "timerfd_settime", "fxbb--", 1 },      // fd, flags, new, old
    [326] = { "timerfd_gettime", "fb----", 1 },
    [411] = { "timerfd_settime64", "fxbb--", 1 },
    [410] = { "timerfd_gettime64", "fb----", 1 },
    [321] = { "signalfd", "fbn---", 1 },             // fd (or -1), mask, size (8)
    [327] = { "signalfd4", "fbnx--", 1 },
    // Rare in programs, and new: weight 1.
    [313] = { "splice", "fbfbnx", 1 },            // fd_in, &off_in, fd_out, &off_out, len, flags
    [315] = { "tee", "ffnx--", 1 },
    [316] = { "vmsplice", "fvnx--", 1 },
    [118] = { "fsync", "f-----", 1 },
    [143] = { "flock", "fx----", 1 },

    // Sockets (AF_UNIX): both ways in, socketcall and the direct numbers.
    [102] = { "socketcall", "xb----", 3 },   // call, args array
    [359] = { "socket", "xxx---", 3 },
    [360] = { "socketpair", "xxxb--", 3 },
    [361] = { "bind", "fSn---", 2 },
    [362] = { "connect", "fSn---", 2 },
    [363] = { "listen", "fw----", 2 },
    [364] = { "accept4", "fbbx--", 1 },
    [365] = { "getsockopt", "fxxbb-", 2 },
    [366] = { "setsockopt", "fxxbn-", 2 },
    [367] = { "getsockname", "fbb---", 2 },
    [368] = { "getpeername", "fbb---", 2 },
    [369] = { "sendto", "fbnxSn", 2 },
    [370] = { "sendmsg", "fMx---", 3 },
    [371] = { "recvfrom", "fbnxbb", 1 },
    [372] = { "recvmsg", "fMx---", 2 },
    [373] = { "shutdown", "fw----", 2 },
    [337] = { "recvmmsg", "fmnxt-", 1 },
    [417] = { "recvmmsg_time64", "fmnxt-", 1 },
    [345] = { "sendmmsg", "fmnx--", 1 },
    // System V IPC: the ipc(2) multiplexer and the direct calls. The
    // driver removes what a child made (the objects outlive it).
    [117] = { "ipc", "xwwwbw", 1 },          // call, first, second, third, ptr, fifth
    [393] = { "semget", "wnx---", 1 },       // key, nsems, flags
    [394] = { "semctl", "Inxb--", 2 },       // id, semnum, cmd, arg
    [395] = { "shmget", "wnx---", 1 },       // key, size, flags
    [396] = { "shmctl", "Ixb---", 1 },
    [397] = { "shmat", "Iax---", 2 },        // id, address, flags
    [398] = { "shmdt", "a-----", 1 },
    [399] = { "msgget", "wx----", 1 },
    [400] = { "msgsnd", "Ibnx--", 2 },       // id, msgp, size, flags
    [401] = { "msgrcv", "Ibnwx-", 2 },       // id, msgp, size, type, flags
    [402] = { "msgctl", "Ixb---", 1 },
    [420] = { "semtimedop_time64", "IBnt--", 2 },

    // Paths.
    [9]   = { "link", "pp----", 3 },
    [10]  = { "unlink", "p-----", 4 },
    [12]  = { "chdir", "p-----", 3 },
    [14]  = { "mknod", "pow---", 1 },
    [15]  = { "chmod", "po----", 3 },
    [33]  = { "access", "px----", 3 },
    [38]  = { "rename", "pp----", 4 },
    [39]  = { "mkdir", "po----", 4 },
    [40]  = { "rmdir", "p-----", 4 },
    [83]  = { "symlink", "pp----", 3 },
    [85]  = { "readlink", "pbn---", 3 },
    [92]  = { "truncate", "pl----", 3 },
    [193] = { "truncate64", "pll---", 3 },
    [195] = { "stat64", "pb----", 4 },
    [196] = { "lstat64", "pb----", 3 },
    [183] = { "getcwd", "bn----", 3 },
    [296] = { "mkdirat", "dpo---", 3 },
    [300] = { "fstatat64", "dpbx--", 4 },
    [301] = { "unlinkat", "dpx---", 4 },
    [302] = { "renameat", "dpdp--", 3 },
    [303] = { "linkat", "dpdpx-", 3 },
    [304] = { "symlinkat", "pdp---", 3 },
    [305] = { "readlinkat", "dpbn--", 3 },
    [306] = { "fchmodat", "dpo---", 3 },
    [307] = { "faccessat", "dpx---", 3 },
    [439] = { "faccessat2", "dpxx--", 3 },
    [320] = { "utimensat", "dpbx--", 3 },
    [412] = { "utimensat_time64", "dpbx--", 3 },
    [353] = { "renameat2", "dpdpx-", 3 },
    [383] = { "statx", "dpxxb-", 4 },
    [297] = { "mknodat", "dpow--", 1 },
    [437] = { "openat2", "dpbn--", 1 },
    // Mounts and the root: weight 0 (the sweep and the uniform draws only).
    // A mount would outlive the child and cover the driver's world, so
    // fuzz_make_args takes MS_BIND, MS_REMOUNT and MS_MOVE out of mount's
    // flags: its type is a name of the scratch directory, a /proc path or
    // a bad pointer, never a file system's, and so no mount is ever made
    // (and no umount finds one). chroot changes only the child's root.
    [21]  = { "mount", "pppxb-", 0 },       // source, target, type, flags, data
    [22]  = { "umount", "p-----", 0 },
    [52]  = { "umount2", "px----", 0 },
    [61]  = { "chroot", "p-----", 0 },
    [217] = { "pivot_root", "pp----", 0 },
    // Ids, ownership and the rest the kernel has (a root child may give up
    // root with them: only for itself).
    [138] = { "setfsuid", "w-----", 1 },
    [139] = { "setfsgid", "w-----", 1 },
    [164] = { "setresuid", "www---", 1 },
    [165] = { "getresuid", "bbb---", 1 },
    [170] = { "setresgid", "www---", 1 },
    [171] = { "getresgid", "bbb---", 1 },
    [203] = { "setreuid32", "ww----", 1 },
    [204] = { "setregid32", "ww----", 1 },
    [205] = { "getgroups32", "nb----", 1 },
    [206] = { "setgroups32", "nb----", 1 },
    [207] = { "fchown32", "fww---", 1 },
    [208] = { "setresuid32", "www---", 1 },
    [209] = { "getresuid32", "bbb---", 1 },
    [210] = { "setresgid32", "www---", 1 },
    [211] = { "getresgid32", "bbb---", 1 },
    [212] = { "chown32", "pww---", 1 },
    [213] = { "setuid32", "w-----", 1 },
    [214] = { "setgid32", "w-----", 1 },
    [215] = { "setfsuid32", "w-----", 1 },
    [216] = { "setfsgid32", "w-----", 1 },
    [182] = { "chown", "pww---", 1 },
    [198] = { "lchown32", "pww---", 1 },
    [298] = { "fchownat", "dpwwx-", 1 },
    [100] = { "fstatfs", "fb----", 1 },
    [268] = { "statfs64", "pnb---", 1 },
    [269] = { "fstatfs64", "fnb---", 1 },
    [148] = { "fdatasync", "f-----", 1 },
    [344] = { "syncfs", "f-----", 1 },
    [356] = { "memfd_create", "px----", 2 },
    [151] = { "munlock", "an----", 1 },
    [152] = { "mlockall", "x-----", 1 },
    [153] = { "munlockall", "------", 1 },
    [376] = { "mlock2", "anx---", 1 },
    // A sigreturn with no signal frame kills the caller (SIGSEGV, as on
    // Linux): the sweep and the uniform draws only.
    [119] = { "sigreturn", "------", 0 },
    [173] = { "rt_sigreturn", "------", 0 },
    [126] = { "sigprocmask", "xbb---", 1 },
    [176] = { "rt_sigpending", "bn----", 1 },
    [177] = { "rt_sigtimedwait", "bbtn--", 1 },
    [421] = { "rt_sigtimedwait_time64", "bbtn--", 1 },
};

const struct fuzz_call *fuzz_call_info(uint32_t nr)
{
    if (nr > FUZZ_MAX_NR || !calls[nr].name)
        return NULL;
    return &calls[nr];
}

int fuzz_is_forklike(uint32_t nr)
{
    return nr == 2 || nr == 120 || nr == 190 || nr == 435;
}

// The sum of the weights, counted once.
static uint32_t total_weight(void)
{
    static uint32_t total;
    if (!total)
        for (uint32_t nr = 0; nr <= FUZZ_MAX_NR; nr++)
            total += calls[nr].weight;
    return total;
}

// Three draws in four from the table, by weight; the rest from all of
// 0..450 alike, so that every number is called, the ones bunshin does not
// have included (they must answer ENOSYS and nothing else).
int fuzz_root_must_skip(uint32_t nr)
{
    if (fuzz_drop_uid != 0)
        return 0;
    return nr == 25 || nr == 79 || nr == 264 || nr == 404 || nr == 74 || nr == 121;
}

uint32_t fuzz_pick_nr(struct rng *r)
{
    for (;;) {
        uint32_t nr;
        if (rng_percent(r, 75)) {
            uint32_t w = rng_below(r, total_weight());
            for (nr = 0; w >= calls[nr].weight; nr++)
                w -= calls[nr].weight;
        } else {
            nr = rng_below(r, FUZZ_MAX_NR + 1);
        }
        if (nr == FUZZ_NR_REBOOT || fuzz_root_must_skip(nr))
            continue;
        // exit and exit_group end the child: keep one draw in ten.
        if ((nr == 1 || nr == 252) && !rng_percent(r, 10))
            continue;
        return nr;
    }
}
