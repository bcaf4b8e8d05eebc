#!/usr/bin/env python3
"""tools/gdb-doc.py: replay the gdb sessions of a doc and check its transcripts.

    tools/gdb-doc.py docs/boot.md              replay every session, one line per command
    tools/gdb-doc.py --update docs/boot.md     ...and rewrite the transcripts from real output
    tools/gdb-doc.py --session tick docs/boot.md   replay one session only

A gdb session in a doc is a fenced code block of "(gdb) COMMAND" lines, each
followed by what gdb printed, with an HTML comment on the line before the
fence (invisible on the rendered page) that says how to boot QEMU for it:

    <!-- gdb session=NAME append="KERNEL COMMAND LINE" qemu="OPTIONS" symbols="FILES" -->
    <!-- gdb continue=NAME -->                  the same QEMU and gdb, a later block
    <!-- gdb illustration="WHY" -->             shown only, never replayed

For each session the tool boots build/kernel.elf and build/initrd.cpio in QEMU,
halted, with its gdb stub on a free port; runs one gdb with the .gdbinit
that `make gdb` uses (tools/gdbinit.in) and the session's commands, with an
echoed marker after each so that each command's output can be cut out; and
compares every output with the doc. docs/README.md explains the rules for the
doc's side (what the comparison ignores, "...", where breakpoints may go).

Prints "ok docs.DOC.SESSION.N" or "FAIL docs.DOC.SESSION.N: why" per command
(N counts the session's commands from 1; 0 is the output of attaching) and
exits 1 if anything failed.
"""
import argparse
import concurrent.futures
import os
import re
import shlex
import socket
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
QEMU = os.environ.get("QEMU", "qemu-system-i386")
QEMU_MEM = os.environ.get("QEMU_MEM", "128M")
QEMU_CPU = os.environ.get("QEMU_CPU", "qemu32,+smep,+smap")    # as the Makefile's
GDB = os.environ.get("GDB", "gdb")
TIMEOUT = int(os.environ.get("TEST_TIMEOUT", "120"))
LOGDIR = os.environ.get("LOGDIR", "build/test-logs")
MARK = "@@gdb-doc@@"          # echoed by gdb after each command's output

# ---------------------------------------------------------------- reading a doc

FENCE = re.compile(r"^(\s*)(```+|~~~+)")
MARKER = re.compile(r"^\s*<!--\s*gdb\s(.*?)-->\s*$")


class Block:
    """One fenced block with "(gdb)" lines: its marker and its steps."""
    def __init__(self, indent, first, last):
        self.indent = indent        # the fence's indentation, stripped from each line
        self.first = first          # index in the doc's lines of the first content line
                                    # (= the fence's line number, counting from 1)
        self.last = last            # ...and one past the last one
        self.kind = None            # "session", "continue", "illustration" (or "broken")
        self.options = {}
        self.marker_line = None


class Step:
    """A command and the output the doc shows for it (lines first..last-1)."""
    def __init__(self, n, lineno, command, first, last, indent):
        self.n, self.lineno, self.command = n, lineno, command
        self.first, self.last, self.indent = first, last, indent
        self.expected = []


class Session:
    def __init__(self, path, doc, name, options, lineno):
        self.path, self.doc, self.name, self.options, self.lineno = path, doc, name, options, lineno
        self.steps = []             # step 0 is the attach output, if the doc shows it
        self.output = None          # {n: text} after running
        self.error = None


def read_doc(path, full):
    """Parse the doc PATH (FULL: the same, absolute).
    Returns (lines, sessions, problems, illustrations)."""
    with open(full) as f:
        lines = f.read().split("\n")
    doc = os.path.splitext(os.path.basename(path))[0]
    blocks, problems = [], []
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        indent, fence = m.group(1), m.group(2)
        j = i + 1
        while j < len(lines) and not re.match(r"^\s*" + re.escape(fence[0]) + "{%d,}\\s*$" % len(fence), lines[j]):
            j += 1
        body = [strip_indent(l, indent) for l in lines[i + 1:j]]
        # The marker: the last non-blank line before the fence.
        k = i - 1
        while k >= 0 and lines[k].strip() == "":
            k -= 1
        marker = MARKER.match(lines[k]) if k >= 0 else None
        if any(l.startswith("(gdb)") for l in body):
            b = Block(indent, i + 1, j)
            if marker:
                b.marker_line = k + 1
                try:
                    opts = dict(w.split("=", 1) for w in shlex.split(marker.group(1)))
                except ValueError:
                    opts = {}
                    problems.append((k + 1, "cannot read the marker (KEY=VALUE words expected)"))
                kinds = [kind for kind in ("session", "continue", "illustration") if kind in opts]
                if len(kinds) == 1:
                    b.kind = kinds[0]
                else:
                    problems.append((k + 1, "a marker needs one of session=, continue=, illustration="))
                    b.kind = "broken"
                b.options = opts
            blocks.append(b)
        elif marker:
            problems.append((k + 1, "a gdb marker on a block without (gdb) commands"))
        i = j + 1

    sessions, by_name, illustrations = [], {}, []
    for b in blocks:
        where = b.first  # 1-based number of the fence line
        if b.kind is None:
            problems.append((where, "a gdb block without a marker "
                             "(<!-- gdb session=NAME --> or continue=NAME or illustration=\"WHY\")"))
            continue
        if b.kind == "broken":
            continue
        if b.kind == "illustration":
            illustrations.append((where, b.options["illustration"]))
            continue
        if b.kind == "session":
            name = b.options["session"]
            unknown = set(b.options) - {"session", "append", "qemu", "symbols"}
            if not re.match(r"^[a-z0-9][a-z0-9-]*$", name):
                problems.append((b.marker_line, "session name '%s': use a-z, 0-9 and -" % name))
                continue
            if name in by_name:
                problems.append((b.marker_line, "a second session called '%s'" % name))
                continue
            if unknown:
                problems.append((b.marker_line, "unknown marker option(s): %s" % " ".join(sorted(unknown))))
            s = Session(path, doc, name, b.options, b.marker_line)
            by_name[name] = s
            sessions.append(s)
        else:
            s = by_name.get(b.options["continue"])
            if s is None:
                problems.append((b.marker_line, "continue=%s: no such session earlier in the doc"
                                 % b.options["continue"]))
                continue
        add_steps(s, b, lines, problems)
    return lines, sessions, problems, illustrations


def strip_indent(line, indent):
    return line[len(indent):] if line.startswith(indent) else line.lstrip()


def add_steps(s, b, lines, problems):
    """Cut a block into steps: a "(gdb) " line and the lines up to the next one."""
    step = None
    for i in range(b.first, b.last):
        text = strip_indent(lines[i], b.indent)
        if text.startswith("(gdb)"):
            if step:
                step.last = i
            command = text[len("(gdb)"):].strip()
            step = Step(len([t for t in s.steps if t.n > 0]) + 1, i + 1, command, i + 1, b.last, b.indent)
            s.steps.append(step)
            if not command:
                problems.append((i + 1, "an empty (gdb) line (gdb would repeat the last command)"))
        elif step:
            step.expected.append(text)
        elif b.kind == "session":
            # Lines before the first command of a session: what attaching printed.
            if not s.steps:
                s.steps.append(Step(0, i + 1, "(attach)", b.first, b.first, b.indent))
            s.steps[0].expected.append(text)
            s.steps[0].last = i + 1
        else:
            problems.append((i + 1, "output before the first (gdb) command of a continued block"))
    if step:
        step.last = b.last


# ------------------------------------------------ where breakpoints may go

BREAK_COMMANDS = {"b", "br", "bre", "brea", "break", "hb", "hbr", "hbre", "hbrea", "hbreak",
                  "tb", "tbr", "tbre", "tbrea", "tbreak", "thb", "thbr", "thbre", "thbrea",
                  "thbreak", "u", "until", "adv", "advance", "dprintf"}
LABEL = re.compile(r"\bgdb:\s*([A-Za-z0-9_.-]+)")


def location_problem(command):
    """Why a breakpoint command's location would drift, or None if it is fine.
    Allowed: a function (FILE:FUNCTION too), *EXPRESSION without a number
    above 255 and without an offset (so *&_start, *&label, *tf->eip), and
    FILE:LINE only where that line carries a "gdb: NAME" label in a comment."""
    words = command.split(None, 1)
    if not words or words[0] not in BREAK_COMMANDS:
        return None
    loc = words[1] if len(words) > 1 else ""
    if words[0] == "dprintf":
        loc = loc.split(",", 1)[0]
    loc = re.split(r"\s+(?:if|thread|task)(?:\s|$)", loc, maxsplit=1)[0].strip()
    if loc == "":
        return None                              # the current location
    if loc.startswith("*"):
        for num in re.findall(r"\b(0[xX][0-9a-fA-F]+|\d+)\b", loc):
            if int(num, 0) > 255:
                return "'%s' names a raw address; use *&SYMBOL or a function" % loc
        if re.search(r"[-+]\s*(0[xX][0-9a-fA-F]+|\d+)\b", loc):
            return "'%s' adds an offset, which moves with the code; put a label there" % loc
        return None
    if re.match(r"^[-+]?\d+$", loc):
        return "'%s' is a bare line number; use a function or a labelled line" % loc
    m = re.match(r"^(\S+):(\d+)$", loc)
    if m:
        return label_problem(m.group(1), int(m.group(2)))
    return None


def label_problem(path, line):
    full = os.path.join(ROOT, path)
    if not os.path.exists(full):
        return "%s:%d: no such file (give the path from the top of the tree)" % (path, line)
    src = open(full).read().split("\n")
    if 0 < line <= len(src) and LABEL.search(src[line - 1]):
        return None
    where = ", ".join("'%s' at line %d" % (m.group(1), n + 1)
                      for n, l in enumerate(src) for m in [LABEL.search(l)] if m)
    return ("%s:%d is not a labelled line (a 'gdb: NAME' comment on it); labels in %s: %s"
            % (path, line, path, where or "none"))


def labels_in(path):
    src = open(os.path.join(ROOT, path)).read().split("\n")
    return [n + 1 for n, l in enumerate(src) if LABEL.search(l)]


# ------------------------------------------------------------ running gdb

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def listening(port):
    """Is some process listening on TCP port PORT? (Read from /proc, so that
    no connection disturbs QEMU's gdb stub, which takes only one client.)"""
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = open(table).read().split("\n")[1:]
        except OSError:
            continue
        for row in rows:
            f = row.split()
            if len(f) > 3 and f[3] == "0A" and int(f[1].split(":")[1], 16) == port:
                return True
    return False


def run_session(s):
    """Boot QEMU for session s, replay its commands, fill s.output {n: text}."""
    s.output = {}
    s.error = None
    os.makedirs(LOGDIR, exist_ok=True)
    base = os.path.join(LOGDIR, "docs-%s-%s" % (s.doc, s.name))
    port = free_port()
    qemu = [QEMU, "-cpu", QEMU_CPU, "-m", QEMU_MEM, "-no-reboot", "-display", "none", "-monitor", "none",
            "-serial", "file:" + base + ".serial",
            "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
            "-kernel", "build/kernel.elf", "-initrd", "build/initrd.cpio",
            "-append", s.options.get("append", ""), "-S", "-gdb", "tcp::%d" % port,
            "-icount", "shift=0,sleep=off"]
    qemu += shlex.split(s.options.get("qemu", ""))
    # The .gdbinit of `make gdb`, for this port (named after the port: two
    # replays at once, say make test and a person, must not share one).
    gdbinit = "%s.%d.gdbinit" % (base, port)
    with open(os.path.join(ROOT, "tools/gdbinit.in")) as f:
        text = f.read().replace("@GDBPORT@", str(port))
    with open(gdbinit, "w") as f:
        f.write(text)
    # One -ex per command: a failing command does not stop the rest. After
    # each, a marker line; "echo" interprets the \n itself. Not -batch: a
    # batch gdb leaves out what it prints for a person at a terminal
    # ("Continuing.", "Run till exit from ..."). With its input at /dev/null,
    # gdb quits after the last -ex. Lines are not folded (width 0).
    args = [GDB, "-q", "-nx", "-iex", "set width 0", "-iex", "set height 0",
            "-x", gdbinit, "-ex", "echo \\n%s 0\\n" % MARK]
    for f in shlex.split(s.options.get("symbols", "")):
        args += ["-ex", "add-symbol-file " + f]
    args += ["-ex", "echo \\n%s symbols\\n" % MARK]
    for step in s.steps:
        if step.n > 0:
            args += ["-ex", step.command, "-ex", "echo \\n%s %d\\n" % (MARK, step.n)]
    args += ["-ex", "kill"]
    with open(base + ".qemu-stderr", "w") as err:
        q = subprocess.Popen(qemu, cwd=ROOT, stdin=subprocess.DEVNULL,
                             stdout=subprocess.DEVNULL, stderr=err)
    try:
        deadline = time.time() + 10
        while not listening(port) and q.poll() is None and time.time() < deadline:
            time.sleep(0.05)
        if not listening(port):
            s.error = "QEMU did not open its gdb port (see %s.qemu-stderr)" % base
            return s
        try:
            out = subprocess.run(args, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                 stderr=subprocess.STDOUT, timeout=TIMEOUT).stdout
        except subprocess.TimeoutExpired as e:
            out = e.stdout or b""
            s.error = "gdb did not finish within %ds" % TIMEOUT
        text = out.decode("utf-8", "replace").replace("\r", "")
        with open(base + ".gdb", "w") as f:
            f.write(text)
    finally:
        q.kill()
        q.wait()
        os.remove(gdbinit)
    # Cut the output at the markers: text, label, text, label, ...
    parts = re.split(r"\n%s (\w+)\n" % MARK, text)
    for k in range(1, len(parts), 2):
        label = parts[k]
        if label != "symbols":
            s.output[int(label)] = parts[k - 1]
    return s


def output_lines(text):
    """The lines of one command's output, without trailing blanks. The
    marker's echo starts on a line of its own, so output that ended without a
    newline and output that ended with one look the same here."""
    if text.endswith("\n"):
        text = text[:-1]
    return [l.rstrip() for l in text.split("\n")] if text != "" else []


# ------------------------------------------------------------ comparing

# What may change from build to build without the doc being wrong. Each doc
# line becomes a regular expression: these tokens match loosely, "..." matches
# anything (visibly elided), every other character must be there.
LOOSE = re.compile(
    r"(?P<elide>\.\.\.)"
    r"|(?P<hex>\b0x[0-9a-fA-F]+\b)"                        # 0xc0102572 (if >= 0x100000)
    r"|(?P<mon>\b(?:[0-9a-f]{16}|[0-9a-f]{8})\b)"          # QEMU monitor: c0102572, 0010d000
    r"|(?P<offset><[\w.]+\+\d+>|\b[\w.]+ \+ \d+ in section)"  # <kmain+140>, kmain + 140 in section
    r"|(?P<pdbr>\bPDBR=\d+)"                               # cr3's page frame number, in decimal
    r"|(?P<srcline>\.(?:c|h|S|asm):\d+\b|\bline \d+\b|^Line \d+ of|^\d+(?=\t))"  # main.c:85, line 85
    r"|(?P<space>[ \t]+)")


def line_regex(line, loose=True):
    """The regular expression a doc line stands for. With loose=False only
    "..." and whitespace are flexible (used to keep the doc's own lines)."""
    out, pos = [], 0
    line = line.rstrip()
    for m in LOOSE.finditer(line):
        out.append(re.escape(line[pos:m.start()]))
        pos = m.end()
        tok, kind = m.group(), m.lastgroup
        if kind == "elide":
            out.append("(.*?)")
        elif kind == "space":
            out.append("[ \t]+")
        elif not loose:
            out.append(re.escape(tok))
        elif kind == "hex":
            out.append(r"0x[0-9a-f]+" if int(tok, 16) >= 0x100000 else re.escape(tok))
        elif kind == "mon":
            v = int(tok, 16)
            big = v >= 0x100000 and (tok[0] == "0" or re.search("[a-f]", tok))
            # A size in `monitor info mem` (16 digits, whole pages): the
            # kernel image's grows with every change to the kernel.
            big = big or (len(tok) == 16 and v >= 0x10000 and v % 0x1000 == 0)
            out.append("[0-9a-f]{%d}" % len(tok) if big else re.escape(tok))
        else:                                    # the last number in the token
            pre, _, post = re.match(r"^(.*?)(\d+)(\D*)$", tok).groups()
            out.append(re.escape(pre) + r"\d+" + re.escape(post))
    out.append(re.escape(line[pos:]))
    return "".join(out) + "[ \t]*"


def match(expected, actual, loose=True):
    """Does the output ACTUAL (lines) fit the doc's lines EXPECTED? A line
    "..." stands for any number of lines. Returns the match or None."""
    pattern = []
    for k, line in enumerate(expected):
        if line.strip() == "...":
            pattern.append(r"(?:[^\n]*\n)*?")
        else:
            pattern.append("(?P<l%d>%s)\n" % (k, line_regex(line, loose)))
    text = "".join(l + "\n" for l in actual)
    return re.fullmatch("".join(pattern), text)


def first_difference(expected, actual):
    """A short account of where EXPECTED and ACTUAL part (for FAIL lines)."""
    a = 0
    for k, line in enumerate(expected):
        if line.strip() == "...":
            rest = [e for e in expected[k + 1:] if e.strip() != "..."]
            if not rest:
                return "the output differs"
            while a < len(actual) and not re.fullmatch(line_regex(rest[0]), actual[a]):
                a += 1
            continue
        if a >= len(actual):
            return "expected %r, got no more output" % line
        if not re.fullmatch(line_regex(line), actual[a]):
            return "expected %r, got %r" % (line, actual[a])
        a += 1
    if a < len(actual):
        return "expected no more output, got %r" % actual[a]
    return "the output differs"


def check(s, lines, update):
    """Print one check line per step; return {step: new doc lines} for --update."""
    results, changes = [], {}
    for step in s.steps:
        name = "docs.%s.%s.%d" % (s.doc, s.name, step.n)
        where = "%s:%d" % (s.path, step.lineno)
        problem = location_problem(step.command) if step.n else None
        if step.n not in s.output:
            results.append("FAIL %s: %s: (gdb) %s: no output: %s" % (name, where, step.command,
                           s.error or "gdb stopped before it (see %s/docs-%s-%s.gdb)" % (LOGDIR, s.doc, s.name)))
            continue
        actual = output_lines(s.output[step.n])
        if problem:
            results.append("FAIL %s: %s: (gdb) %s: %s" % (name, where, step.command, problem))
        elif match(step.expected, actual):
            results.append("ok %s" % name)
        else:
            results.append("FAIL %s: %s: (gdb) %s: %s" % (name, where, step.command,
                                                           first_difference(step.expected, actual)))
        if update:
            new = updated_lines(step.expected, actual)
            if new != step.expected:
                changes[step] = new
    return results, changes


def session_matches(s):
    """True if every step of s printed what the doc shows."""
    return all(step.n in s.output and match(step.expected, output_lines(s.output[step.n]))
               for step in s.steps)


def first_mismatch(s):
    """Where session s first differs from its doc, for a message."""
    for step in s.steps:
        if step.n not in s.output:
            return "no output for (gdb) %s" % step.command
        actual = output_lines(s.output[step.n])
        if not match(step.expected, actual):
            return "(gdb) %s: %s" % (step.command, first_difference(step.expected, actual))
    return "?"


# ------------------------------------------------------------ --update

def updated_lines(expected, actual):
    """The doc's lines for a command after --update: the real output, but the
    doc's own line wherever it already fits, and its "..." where they still fit."""
    m = match(expected, actual)
    if m:
        new, a = [], 0
        for k, line in enumerate(expected):
            if line.strip() == "...":
                new.append(line)
                continue
            start = m.start("l%d" % k)
            a = m.string.count("\n", 0, start)
            new.append(relined(line, actual[a]))
        return new
    # No fit: keep the lines at the head and the tail that still fit around
    # one "..." line; otherwise take the output whole.
    if [l.strip() for l in expected].count("...") == 1:
        cut = [l.strip() for l in expected].index("...")
        head, tail = expected[:cut], expected[cut + 1:]
        if len(head) + len(tail) <= len(actual):
            a_tail = actual[len(actual) - len(tail):]
            return ([relined(e, x) for e, x in zip(head, actual)] + [expected[cut]] +
                    [relined(e, x) for e, x in zip(tail, a_tail)])
    return [relined(expected[k], x) if k < len(expected) else x for k, x in enumerate(actual)]


def relined(doc_line, real):
    """One line for --update: the doc's line if it fits as written, else the
    real line with the doc's in-line "..." put back where they still fit."""
    if re.fullmatch(line_regex(doc_line, loose=False), real):
        return doc_line
    m = re.fullmatch(line_regex(doc_line), real)
    if not m or "..." not in doc_line:
        return real
    out, pos = [], 0
    for g in range(1, len(m.groups()) + 1):
        out.append(real[pos:m.start(g)] + "...")
        pos = m.end(g)
    return "".join(out) + real[pos:]


def rewrite(path, lines, changes):
    """Write CHANGES {step: new lines} into the doc, bottom up so that the
    earlier steps' line numbers stay right."""
    for step in sorted(changes, key=lambda t: t.first, reverse=True):
        new = [step.indent + l if l else l for l in changes[step]]
        lines[step.first:step.last] = new
    with open(path, "w") as f:
        f.write("\n".join(lines))


def update_labels(lines, sessions):
    """--update moves a FILE:LINE breakpoint to its file's label when the file
    has exactly one (with several, the FAIL line lists them; fix it by hand)."""
    for s in sessions:
        for step in s.steps:
            words = step.command.split(None, 1)
            if step.n == 0 or not words or words[0] not in BREAK_COMMANDS or len(words) < 2:
                continue
            m = re.match(r"^(\S+):(\d+)\b", words[1])
            if not m or not os.path.exists(os.path.join(ROOT, m.group(1))):
                continue
            found = labels_in(m.group(1))
            if int(m.group(2)) not in found and len(found) == 1:
                new = "%s %s:%d%s" % (words[0], m.group(1), found[0], words[1][m.end():])
                i = step.lineno - 1
                lines[i] = lines[i].replace(step.command, new)
                step.command = new


# ------------------------------------------------------------ main

def main():
    ap = argparse.ArgumentParser(description="Replay the gdb sessions of docs and check them.")
    ap.add_argument("--update", action="store_true", help="rewrite the transcripts from real output")
    ap.add_argument("--session", help="replay only the session of this name")
    ap.add_argument("--jobs", type=int, default=2, help="sessions run at once (default 2)")
    ap.add_argument("docs", nargs="+")
    opt = ap.parse_args()
    docs = [(path, os.path.abspath(path)) for path in opt.docs]
    os.chdir(ROOT)
    for f in ("build/kernel.elf", "build/initrd.cpio"):
        if not os.path.exists(f):
            sys.exit("%s: %s is missing: run make first" % (sys.argv[0], f))

    parsed, todo, failed = [], [], False
    for path, full in docs:
        lines, sessions, problems, illustrations = read_doc(path, full)
        if opt.update:
            update_labels(lines, sessions)
        if opt.session:
            sessions = [s for s in sessions if s.name == opt.session]
        parsed.append((path, full, lines, sessions, problems, illustrations))
        todo += sessions
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, opt.jobs)) as pool:
        list(pool.map(run_session, todo))
        # QEMU's gdb stub now and then fails to step off a breakpoint under
        # load ("finish" stops again where it started). A transcript that is
        # really wrong is wrong twice, so a session that failed is replayed
        # once more, and only its second run counts; the first is reported.
        again = [s for s in todo if not opt.update and not session_matches(s)]
        for s in again:
            base = os.path.join(LOGDIR, "docs-%s-%s" % (s.doc, s.name))
            if os.path.exists(base + ".gdb"):
                os.replace(base + ".gdb", base + ".first.gdb")
            print("%s: session %s did not match (%s); replaying it once more" %
                  (s.path, s.name, first_mismatch(s)), file=sys.stderr)
        list(pool.map(run_session, again))

    for path, full, lines, sessions, problems, illustrations in parsed:
        doc = os.path.splitext(os.path.basename(path))[0]
        for lineno, why in problems:
            print("FAIL docs.%s.line%d: %s:%d: %s" % (doc, lineno, path, lineno, why))
            failed = True
        for k, (lineno, why) in enumerate(illustrations, 1):
            print("skip docs.%s.illustration%d: %s:%d, not replayed: %s" % (doc, k, path, lineno, why))
        changes = {}
        for s in sessions:
            results, c = check(s, lines, opt.update)
            changes.update(c)
            for r in results:
                print(r)
                failed = failed or r.startswith("FAIL")
        if opt.update:
            rewrite(full, lines, changes)
            print("%s: %d transcript(s) rewritten; review them with git diff %s"
                  % (path, len(changes), path), file=sys.stderr)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
