#!/usr/bin/env python3
"""tools/handout.py (make handout LAB=NAME OUT=DIR): a lab's handout, made from
the kernel itself.

The code a lab asks for is marked in the kernel's sources:

    /* LAB cow share_region: begin */
    ...the working code...
    /* LAB cow share_region: end */

and labs/NAME/ holds the lab: lab.conf (its title and its graded checks,
read by tools/grade.sh) and one REGION.stub per region, the code the student
starts from. A stub's first lines say which file it belongs in:

    # file: mm/fork.c
    ...the stub's code, put between the two markers...

The handout is a copy of the tree as git sees it (tracked files and new ones
git does not ignore, as they are now), in which every region of this lab holds its stub
instead of its code; the markers stay, to show the student where to write.
The regions of the other labs keep their code. It gets the lab's text
(docs/labs/NAME.md) as LAB.md at the top, a file .lab naming the lab (so
that `make grade` there knows which), and is made a git repository with one
commit, ready to push to a class's server. Files that did not change keep
their times, so a build copied in beside them stays valid (tests/labs).

    tools/handout.py cow /tmp/cow-handout
    tools/handout.py --check         every lab's stubs and markers agree
"""
import os
import re
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MARK = re.compile(r"^\s*/\* LAB (\S+) (\S+): (begin|end) \*/\s*$")


def die(msg):
    print("handout: " + msg, file=sys.stderr)
    sys.exit(1)


def tracked_files():
    """The files of the tree: the files git tracks or would (not the ignored
    ones, such as build/), that exist."""
    out = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                         cwd=ROOT, capture_output=True, check=True).stdout.decode()
    return [f for f in out.split("\0") if f and os.path.isfile(os.path.join(ROOT, f))]


def labs():
    d = os.path.join(ROOT, "labs")
    return sorted(n for n in os.listdir(d) if os.path.isfile(os.path.join(d, n, "lab.conf")))


def read_stubs(lab):
    """{region: (file, stub lines)} for one lab."""
    stubs = {}
    d = os.path.join(ROOT, "labs", lab)
    for name in sorted(os.listdir(d)):
        if not name.endswith(".stub"):
            continue
        with open(os.path.join(d, name)) as f:
            lines = f.read().splitlines(keepends=True)
        m = re.match(r"^# file: (\S+)\s*$", lines[0]) if lines else None
        if not m:
            die("labs/%s/%s: the first line must be '# file: PATH'" % (lab, name))
        stubs[name[:-len(".stub")]] = (m.group(1), lines[1:])
    return stubs


def regions(path):
    """[(lab, region, begin_line, end_line)] of one file (0-based line numbers
    of the two markers), or an error message."""
    found, open_ = [], {}
    with open(os.path.join(ROOT, path), errors="replace") as f:
        for i, line in enumerate(f):
            m = MARK.match(line)
            if not m:
                continue
            key = (m.group(1), m.group(2))
            if m.group(3) == "begin":
                if key in open_:
                    return "%s:%d: LAB %s %s begins twice" % (path, i + 1, *key)
                open_[key] = i
            else:
                if key not in open_:
                    return "%s:%d: LAB %s %s ends without a begin" % (path, i + 1, *key)
                found.append((key[0], key[1], open_.pop(key), i))
    for key, i in open_.items():
        return "%s:%d: LAB %s %s never ends" % (path, i + 1, *key)
    return found


def all_regions(files):
    """{(lab, region): (file, begin, end)} over the whole tree."""
    out = {}
    for path in files:
        if not path.endswith((".c", ".h", ".asm", ".S")):
            continue
        r = regions(path)
        if isinstance(r, str):
            die(r)
        for lab, region, b, e in r:
            if (lab, region) in out:
                die("LAB %s %s is marked in %s and in %s" % (lab, region, out[(lab, region)][0], path))
            out[(lab, region)] = (path, b, e)
    return out


def check(files):
    """Every stub has its region, in the file it names, and the other way round."""
    marked = all_regions(files)
    problems = []
    known = labs()
    for lab in known:
        for region, (path, _) in read_stubs(lab).items():
            where = marked.get((lab, region))
            if not where:
                problems.append("labs/%s/%s.stub: no region LAB %s %s in the sources" % (lab, region, lab, region))
            elif where[0] != path:
                problems.append("labs/%s/%s.stub: says %s, the region is in %s" % (lab, region, path, where[0]))
        if not os.path.isfile(os.path.join(ROOT, "docs", "labs", lab + ".md")):
            problems.append("labs/%s: no lab text docs/labs/%s.md" % (lab, lab))
    # A region lies inside a function (its markers are indented), so a
    # function's contract comment always stays with the function the
    # student completes.
    for (lab, region), (path, b, e) in sorted(marked.items()):
        with open(os.path.join(ROOT, path), errors="replace") as f:
            lines = f.readlines()
        for i in (b, e):
            if not lines[i][:1].isspace():
                problems.append("%s:%d: LAB %s %s: a marker at the left margin; regions go "
                                "inside a function's body" % (path, i + 1, lab, region))
    for (lab, region), (path, _, _) in sorted(marked.items()):
        if lab not in known:
            problems.append("%s: LAB %s %s: there is no labs/%s/lab.conf" % (path, lab, region, lab))
        elif region not in read_stubs(lab):
            problems.append("%s: LAB %s %s: there is no labs/%s/%s.stub" % (path, lab, region, lab, region))
    return problems


def make_handout(lab, out):
    files = tracked_files()
    problems = check(files)
    if problems:
        die("the labs and the sources disagree:\n  " + "\n  ".join(problems))
    if lab not in labs():
        die("no lab %s (there are: %s)" % (lab, " ".join(labs())))
    if os.path.exists(out) and os.listdir(out):
        die("%s exists and is not empty" % out)
    stubs = read_stubs(lab)
    marked = all_regions(files)
    by_file = {}
    for region, (path, body) in stubs.items():
        _, b, e = marked[(lab, region)]
        by_file.setdefault(path, []).append((b, e, body))

    for path in files:
        dst = os.path.join(out, path)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        src = os.path.join(ROOT, path)
        if path not in by_file:
            shutil.copy2(src, dst)           # keeps the time: see the top
            continue
        with open(src) as f:
            lines = f.read().splitlines(keepends=True)
        # From the bottom up, so that earlier line numbers stay right.
        for b, e, body in sorted(by_file[path], reverse=True):
            lines[b + 1:e] = body
        with open(dst, "w") as f:
            f.writelines(lines)
        shutil.copymode(src, dst)
    shutil.copy2(os.path.join(ROOT, "docs", "labs", lab + ".md"), os.path.join(out, "LAB.md"))
    with open(os.path.join(out, ".lab"), "w") as f:
        f.write(lab + "\n")
    git = ["git", "-c", "user.name=bunshin", "-c", "user.email=bunshin@localhost"]
    subprocess.run(git + ["init", "-q"], cwd=out, check=True)
    subprocess.run(git + ["add", "-A"], cwd=out, check=True)
    subprocess.run(git + ["commit", "-q", "-m", "bunshin: the %s lab (see LAB.md)" % lab], cwd=out, check=True)
    print("handout: lab %s in %s (%d region(s) replaced by their stubs; read LAB.md)" % (lab, out, len(stubs)))


def main():
    args = sys.argv[1:]
    if args == ["--check"]:
        problems = check(tracked_files())
        for p in problems:
            print("FAIL labs.markers: " + p)
        if not problems:
            print("ok labs.markers")
        sys.exit(1 if problems else 0)
    if args == ["--list"]:
        print(" ".join(labs()))
        return
    if len(args) != 2:
        die("usage: tools/handout.py LAB OUT   (labs: %s)" % " ".join(labs()))
    make_handout(args[0], os.path.abspath(args[1]))


if __name__ == "__main__":
    main()
