#!/usr/bin/env python3
# tests/real/busybox/console.py INITRD LOG: Debian's busybox sh -i as init,
# on bunshin's console, typed at over the serial line: the steps of
# user/tests/bb_session.c's pty session (checked against Linux there), this
# time through the console's own terminal, as a person at `make qemu` would
# type them; then vi, less and top, the full-screen applets the image
# offers. Prints "ok bunshin/bbconsole.NAME" or a FAIL with what the
# console showed. Run by tests/real/busybox.sh.
import os
import select
import subprocess
import sys
import time

initrd, log = sys.argv[1], sys.argv[2]
qemu = os.environ.get("QEMU", "qemu-system-i386")
cpu = os.environ.get("QEMU_CPU", "qemu32,+smep,+smap")
mem = os.environ.get("QEMU_MEM", "128M")
limit = int(os.environ.get("TEST_TIMEOUT", "120"))
proc = subprocess.Popen(
    [qemu, "-cpu", cpu, "-m", mem, "-no-reboot", "-display", "none", "-monitor", "none",
     "-serial", "stdio", "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
     "-kernel", "build/kernel.elf", "-initrd", initrd,
     "-append", "init=/usr/bin/sh panic=exit -- -i"],
    stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
start = time.time()
seen = b""      # what the console has shown
mark = 0        # where the next step looks


def take(seconds):
    """Add what the console shows within seconds to seen."""
    global seen
    end = time.time() + seconds
    while time.time() < end:
        ready, _, _ = select.select([proc.stdout], [], [], 0.05)
        if ready:
            data = os.read(proc.stdout.fileno(), 4096)
            if not data:
                return
            seen += data


def step(name, typed, *texts, pause=0.0):
    """Type typed (after pause s), then wait up to 10 s for texts in order."""
    global mark
    if typed:
        take(0.05)
        mark = len(seen)
        if pause:
            take(pause)
        proc.stdin.write(typed)
        proc.stdin.flush()
    end = time.time() + 10
    while True:
        at = mark
        for t in texts:
            at = seen.find(t, at)
            if at < 0:
                break
            at += len(t)
        if at >= 0:
            mark = at
            print("ok bunshin/bbconsole." + name)
            return
        if time.time() > end or time.time() - start > limit:
            shown = seen[mark:].decode(errors="replace").encode("unicode_escape").decode()
            print("FAIL bunshin/bbconsole.%s: after typing %r, the console showed \"%s\""
                  % (name, typed.decode(), shown[-300:]))
            return
        take(0.2)


PROMPT = b"/ # "
step("prompt", b"", PROMPT)
step("echo", b"echo hi $((1+2))\r", b"hi 3\r\n", PROMPT)
step("ctrl_c.start", b"sleep 100\r", b"sleep 100\r\n")
step("ctrl_c", b"\x03", b"^C", PROMPT, pause=1.0)
step("ctrl_c.status", b"echo rc=$?\r", b"rc=130\r\n", PROMPT)
step("ctrl_z.start", b"sleep 100\r", b"sleep 100\r\n")
step("ctrl_z", b"\x1a", b"Stopped", PROMPT, pause=1.0)
step("ctrl_z.jobs", b"jobs\r", b"Stopped", b"sleep 100", PROMPT)
step("fg", b"fg\r", b"sleep 100\r\n")
step("fg.ctrl_c", b"\x03", PROMPT, pause=1.0)
step("fg.status", b"echo rc=$?\r", b"rc=130\r\n", PROMPT)
step("read.start", b"read x\r", b"read x\r\n")
step("read", b"line typed\r", PROMPT, pause=0.5)
step("read.value", b"echo got:$x\r", b"got:line typed\r\n", PROMPT)
# The full-screen applets the image offers at `make qemu`: vi, less, top.
step("vi.start", b"vi /tmp/v\r", b"/tmp/v")
# One key at a time where it matters: an escape followed at once by more
# bytes is read as the start of an escape sequence (an arrow key...), here
# as on Linux, so the escape comes alone, as a person types it.
# (What vi echoes of the text comes in pieces, between its cursor moves:
# the escape's status line and the written file show that it got it.)
step("vi.insert", b"i", b"I /tmp/v", pause=0.5)
take(0.2)
proc.stdin.write(b"hello vi")
proc.stdin.flush()
step("vi.escape", b"\x1b", b"- /tmp/v [Modified]", pause=0.3)
step("vi.write", b":wq\r", PROMPT, pause=0.3)
step("vi.file", b"cat /tmp/v\r", b"hello vi\r\n", PROMPT)
step("less.start", b"less /etc/passwd\r", b"root:x:0:0")
step("less.quit", b"q", PROMPT, pause=0.5)
step("top.start", b"top\r", b"Mem:", b"PID")
step("top.quit", b"q", PROMPT, pause=0.5)
step("exit", b"exit 7\r", b"init exited with status 7")
try:
    proc.wait(timeout=20)
except subprocess.TimeoutExpired:
    proc.kill()
    print("FAIL bunshin/bbconsole.qemu_ends: QEMU still ran 20 s after the shell's exit")
take(0.5)
with open(log, "wb") as f:
    f.write(seen)
