#!/usr/bin/env python3
# user/trace-syscalls.py: list the system calls the user programs really make.
#
# Runs every test (under init, as tests/user-host.sh does) and each /bin
# program with typical arguments under strace on the Linux host, twice: once
# as is, once with the calls musl tries first on i386 (statx, the 64-bit-time
# calls) failing with ENOSYS, as they will on a kernel without them, to show
# what musl falls back to. Writes a Markdown table to stdout:
#     user/trace-syscalls.py > user/SYSCALLS.md
# Needs build/host-root (tests/user-host.sh stages it) and strace.
import collections
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROOT = os.path.join(REPO, "build", "host-root")
HEADER = "/usr/include/i386-linux-musl/bits/syscall.h"
STRACE = shutil.which("strace") or "strace"
FALLBACK_INJECT = "statx,clock_gettime64,clock_nanosleep_time64,clock_getres_time64"

# Arguments worth listing, by call: index of the argument(s) to record.
DETAIL_ARGS = {
    "ioctl": [1], "clone": [0], "mmap2": [2, 3], "mprotect": [2], "open": [1],
    "openat": [2], "fcntl64": [1], "wait4": [2], "prctl": [0], "kill": [1],
    "_llseek": [4], "lseek": [2], "access": [1], "statx": [2, 3],
    "clock_gettime": [0], "clock_gettime64": [0], "clock_nanosleep_time64": [0, 1],
    "rt_sigprocmask": [0], "rt_sigaction": [0], "madvise": [2], "exit_group": [],
    "getdents64": [], "fstatat64": [3], "set_thread_area": [], "mremap": [3],
}


def syscall_numbers():
    """i386 numbers by the name strace prints, from musl's header."""
    nums = {}
    for line in open(HEADER):
        m = re.match(r"#define __NR_(\w+)\s+(.+?)\s*(/\*.*)?$", line)
        if not m:
            continue
        expr = re.sub(r"__NR_(\w+)", lambda x: str(nums.get(x.group(1), "None")), m.group(2))
        try:
            nums[m.group(1)] = int(eval(expr))
        except Exception:
            continue
    named = {}
    for name, n in nums.items():
        # musl names the 32-bit-time calls *_time32 or *time32; strace does not.
        if name.endswith("_time32"):
            name = name[: -len("_time32")]
        elif name.endswith("time32"):
            name = name[:-2]
        named.setdefault(name, n)
    return named


def split_args(s):
    """Split a strace argument list at top-level commas."""
    out, depth, cur, quote = [], 0, "", False
    i = 0
    while i < len(s):
        c = s[i]
        if quote:
            cur += c
            if c == "\\":
                cur += s[i + 1]
                i += 1
            elif c == '"':
                quote = False
        elif c == '"':
            quote, cur = True, cur + c
        elif c in "([{":
            depth, cur = depth + 1, cur + c
        elif c in ")]}":
            depth, cur = depth - 1, cur + c
        elif c == "," and depth == 0:
            out.append(cur.strip())
            cur = ""
        else:
            cur += c
        i += 1
    if cur.strip():
        out.append(cur.strip())
    return out


LINE = re.compile(r"^(\w+)\((.*)\)\s+= (.*)$")


def program_name(path):
    base = os.path.basename(path)
    if base.startswith("exec_bad."):
        return "(ELF made by t_exec_bad)"
    return base


def limits():
    """The limits tests/user-host.sh sets: an 8 MiB stack, no core files."""
    hard = resource.getrlimit(resource.RLIMIT_STACK)[1]
    resource.setrlimit(resource.RLIMIT_STACK, (8 << 20, hard))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def trace(argv, env, inject, stdin_data, workdir):
    """Run argv under strace -ff; return {pid: [lines]}."""
    tmp = tempfile.mkdtemp(prefix="trace.")
    cmd = [STRACE, "-ff", "-qq", "-s", "0", "-o", os.path.join(tmp, "t")]
    if inject:
        cmd += ["-e", "inject=%s:error=ENOSYS" % inject]
    cmd += argv
    subprocess.run(cmd, env=env, input=stdin_data, cwd=workdir, preexec_fn=limits,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
    files = {}
    for f in os.listdir(tmp):
        pid = int(f.split(".")[-1])
        files[pid] = open(os.path.join(tmp, f), errors="replace").read().splitlines()
    shutil.rmtree(tmp)
    return files


def collect(files, first_program, table, fallback):
    """Add one traced run to table[name] = {programs, details, fallback}."""
    start_prog = {min(files): first_program}
    for pid in sorted(files):
        prog = start_prog.get(pid, first_program)
        for line in files[pid]:
            m = LINE.match(line)
            if not m:
                continue
            name, args, result = m.group(1), split_args(m.group(2)), m.group(3)
            if name.startswith("syscall_"):
                name = "(no such call: %s)" % name[len("syscall_"):]
            entry = table[name]
            entry["fallback" if fallback else "normal"].add(prog)
            for i in DETAIL_ARGS.get(name, []):
                if i < len(args):
                    a = re.sub(r"0x[0-9a-f]{5,}", "ADDR", args[i])
                    entry["details"].add(a)
            if name in ("fork", "vfork", "clone") and re.match(r"^\d+", result):
                start_prog[int(re.match(r"^\d+", result).group(0))] = prog
            if name == "execve" and result.startswith("0"):
                prog = program_name(args[0].strip('"'))


def main():
    if not os.path.isdir(ROOT):
        sys.exit("no %s: run tests/user-host.sh first" % ROOT)
    nums = syscall_numbers()
    table = collections.defaultdict(lambda: {"normal": set(), "fallback": set(),
                                             "details": set()})
    scratch = tempfile.mkdtemp(prefix="syscalls.")
    env = dict(os.environ, TEST_ROOT=ROOT, TMPDIR=scratch, PATH=os.path.join(ROOT, "bin"))
    b = lambda p: os.path.join(ROOT, "bin", p)
    motd = os.path.join(ROOT, "etc", "motd")
    runs = []
    for t in sorted(os.listdir(os.path.join(ROOT, "tests"))):
        if t.startswith("t_"):
            runs.append(([b("init"), os.path.join(ROOT, "tests", t)], "init", b""))
    runs += [
        ([b("init"), b("true")], "init", b""),
        ([b("sh"), "-c", "echo 'a b' c"], "sh", b""),
        ([b("sh")], "sh", b"echo a\ncd /\nls\nfalse\nnosuch\n"),
        ([b("echo"), "-n", "hi"], "echo", b""),
        ([b("cat"), motd, "-"], "cat", b"stdin\n"),
        ([b("ls"), "-a", ROOT, motd], "ls", b""),
        ([b("true")], "true", b""),
        ([b("false")], "false", b""),
        ([b("env")], "env", b""),
        ([b("env"), "-i", "A=1", b("true")], "env", b""),
        ([b("uname"), "-a"], "uname", b""),
        ([b("sleep"), "0.05"], "sleep", b""),
    ]
    for fallback in (False, True):
        for argv, prog, stdin_data in runs:
            files = trace(argv, env, FALLBACK_INJECT if fallback else None, stdin_data,
                          scratch)
            # Under init the first pid is init; the program is named by execve.
            collect(files, prog, table, fallback)
    shutil.rmtree(scratch, ignore_errors=True)

    print("# System calls made by bunshin's user programs\n")
    print("Generated by `user/trace-syscalls.py > user/SYSCALLS.md` (after "
          "`tests/user-host.sh`), which runs every test (under init) and every /bin "
          "program on the Linux host under `strace -ff`. Names and numbers are the i386 "
          "ones (musl's `bits/syscall.h`). See the notes at the end for what the host "
          "cannot show.\n")
    print("*seen*: **yes** = made in a normal run; **fallback** = made only when the "
          "call musl tries first (`%s`) fails with ENOSYS, as on a kernel without it. "
          "Programs marked *(fallback)* make the call only then.\n"
          % FALLBACK_INJECT.replace(",", "`, `"))
    print("| syscall | i386 nr | seen | programs | arguments/flags seen |")
    print("|---|---|---|---|---|")

    def key(item):
        return (nums.get(item[0], 99999), item[0])

    def ordered(progs):
        return sorted(p for p in progs if not p.startswith("t_")) + \
            sorted(p for p in progs if p.startswith("t_"))

    for name, e in sorted(table.items(), key=key):
        plist = ", ".join(ordered(e["normal"]))
        extra = ordered(e["fallback"] - e["normal"])
        if extra:
            plist += ("; " if plist else "") + ", ".join(p + " *(fallback)*" for p in extra)
        seen = "yes" if e["normal"] else "fallback"
        det = "; ".join(sorted(e["details"]))[:400].replace("|", "\\|")
        print("| %s | %s | %s | %s | %s |" % (name, nums.get(name, "-"), seen, plist, det))
    print(NOTES)


NOTES = """
## What the host cannot show, and what the kernel must know

- **No vDSO on bunshin.** On Linux, musl reads the clocks through the vDSO
  (`AT_SYSINFO_EHDR`), so `clock_gettime` calls from C do not appear above
  (only t_syscall's and t_efault's raw ones). On bunshin there is no vDSO:
  musl's `clock_gettime` makes `clock_gettime64` (403) first and, if that
  is ENOSYS, `clock_gettime` (265); for `CLOCK_REALTIME` a further ENOSYS
  leads to `gettimeofday` (78). The C calls are `CLOCK_MONOTONIC`, in
  t_syscall, t_bin and t_efault. Answering 403 with ENOSYS is enough.
- **Time calls.** musl's `nanosleep` makes `nanosleep` (162) directly when the
  time fits in 32 bits (always, here); `clock_nanosleep_time64` (407) only
  for times past 2038.
- **stat.** musl's `stat`, `fstat`, `lstat` and `fstatat` try `statx` (383)
  first; on ENOSYS they use `stat64` (195), `fstat64` (197), `lstat64` (196)
  or `fstatat64` (300). Answering `statx` with ENOSYS is enough; the tests
  check the `struct stat64` layout through the raw calls.
- **Start-up of every program**: `set_thread_area` (243) with
  `entry_number = -1`: the kernel picks a TLS entry of the GDT, writes its
  index back into the `user_desc`, and musl then loads `%gs` with
  `index * 8 + 3` (if the call fails, musl tries `modify_ldt`, 123). Then
  `set_tid_address` (258). Nothing else before `main`.
- **fork** is the `fork` system call (2), not `clone`; musl's `fork()`
  surrounds it with `rt_sigprocmask` (175, `SIG_BLOCK` all, then
  `SIG_SETMASK` back) and the child asks `gettid` (224). Until signals
  exist, `rt_sigprocmask` must still succeed (returning 0 is enough).
- **stdio** writes with `writev` (146), and asks `ioctl(fd, TIOCGWINSZ)` (54)
  on stdout to decide on line buffering; `isatty` is the same ioctl. On the
  console it must succeed (rows and columns); on a file it must fail with
  ENOTTY (t_syscall checks that). musl 1.2.3 does not use `TCGETS`.
- **malloc** (mallocng) starts with `brk(0)`, `brk(+2 pages)`, then
  `mmap2(first heap page, 4096, PROT_NONE, MAP_PRIVATE|MAP_FIXED|MAP_ANONYMOUS)`
  as a guard page; it ignores that call's result, so refusing `MAP_FIXED` is
  survivable, but accepting it must really make the page inaccessible. Larger
  blocks are `mmap2`/`munmap` of anonymous private memory.
- **opendir** opens with `O_RDONLY|O_LARGEFILE|O_CLOEXEC|O_DIRECTORY` and then
  sets `fcntl64(fd, F_SETFD, FD_CLOEXEC)` (221). musl adds `O_LARGEFILE`
  (0100000 on i386) to every `open`; the kernel must accept it.
- **lseek** is `_llseek` (140); the ids are the 32-bit calls `getuid32` etc.
  (199-202); `_exit` is `exit_group` (252); t_wait also makes the one-thread
  `exit` (1) directly.
- **Only on the Linux host**: `prctl(PR_SET_CHILD_SUBREAPER)` (172) by init
  when it is not pid 1, and `prlimit64` (340) by t_stack to read
  RLIMIT_STACK; neither runs on bunshin.
- **Tests' own needs**: `unlink` (10) only to clean up (results ignored);
  `kill(pid, 0)` (37) in t_orphan to see whether a pid still exists
  (ESRCH once reaped; `/proc/PID` is the fallback when kill is ENOSYS);
  `/proc/meminfo` with a `MemFree:  N kB` line for t_memory.
- The three "no such call" rows are t_syscall's ENOSYS checks (numbers
  9999, 0x7fffffff and -1; strace shows -1 as a 64-bit value).
"""


if __name__ == "__main__":
    main()
