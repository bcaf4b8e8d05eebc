#!/bin/bash
# tests/static/links.sh: the links between the docs lead somewhere.
#
# For README.md and docs/*.md, every Markdown link to a file of the tree
# ([text](path) or [text](path#anchor) or [text](#anchor)) names a file that
# exists, and an anchor that is one of the target page's headings, turned
# into an anchor the way GitHub does it (lower case, punctuation dropped,
# spaces as hyphens). One check per page.
. tests/lib.sh
python3 - README.md docs/*.md <<'EOF'
import os
import re
import sys

def anchors(path):
    """The anchors of a page's headings (GitHub's rule; repeats get -1, -2...)."""
    seen, out, fence = {}, set(), False
    for line in open(path, encoding="utf-8"):
        if line.startswith("```"):
            fence = not fence
        if fence or not line.startswith("#"):
            continue
        title = line.lstrip("#").strip()
        slug = re.sub(r"[^a-z0-9 _-]", "", title.lower()).replace(" ", "-")
        n = seen.get(slug, 0)
        seen[slug] = n + 1
        out.add(slug if n == 0 else f"{slug}-{n}")
    return out

link = re.compile(r"\]\(([^)\s]+)\)")
for page in sys.argv[1:]:
    bad, fence = [], False
    for lineno, line in enumerate(open(page, encoding="utf-8"), 1):
        if line.startswith("```"):
            fence = not fence
        if fence:
            continue
        for target in link.findall(line):
            if re.match(r"[a-z]+:", target):          # http:, mailto:...
                continue
            path, _, anchor = target.partition("#")
            full = os.path.normpath(os.path.join(os.path.dirname(page), path)) if path else page
            if not os.path.exists(full):
                bad.append(f"{page}:{lineno}: no file {path}")
            elif anchor and full.endswith(".md") and anchor not in anchors(full):
                bad.append(f"{page}:{lineno}: no heading #{anchor} in {full}")
    name = "links." + os.path.splitext(os.path.basename(page))[0] + (
        "_docs" if page.startswith("docs/") and page.endswith("README.md") else "")
    if bad:
        print(f"FAIL {name}: " + "; ".join(bad[:5]) + (" ..." if len(bad) > 5 else ""))
    else:
        print(f"ok {name}")
EOF
