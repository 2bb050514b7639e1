#!/usr/bin/env python3
"""handout_check.py AST.xml STEPS ROWS [SCREENS.txt]

Checks a handout (--handout) as a CommonMark parser read it: AST.xml is
`cmark -t xml` of the Markdown.  Prints one problem per line and exits 1
if there is any.

What must hold:
- one level-1 heading (the title), first;
- the level-2 headings "How to run it live", then "Step 1 of STEPS" to
  "Step STEPS of STEPS" in order, then "The rule", last;
- each step has its screen: after each "Screen:" paragraph (or "Screen,
  narration page N of M:") a code block
  with info "text" of exactly ROWS lines, and every step at least one;
- nothing unparsed: no raw HTML, and no text outside a code block that
  still looks like Markdown that did not parse (a fence, a heading mark)
  or like a screen that leaked out of its block (box-drawing characters);
- with SCREENS.txt (`--screens COLSxROWS` of the same lesson), the code
  blocks are those screens, in order, but for the port.
"""
import re
import sys
import xml.etree.ElementTree as ET

NS = "{http://commonmark.org/xml/1.0}"
SCREEN_CHARS = re.compile("[─│┬┴┼░▶▼▲]")
SCREEN_HEAD = re.compile(r"Screen(, narration page [0-9]+ of [0-9]+)?:")
PORT = re.compile(r"(127\.0\.0\.1|\[::1\]):[0-9]+")


def tag(node):
    return node.tag[len(NS):] if node.tag.startswith(NS) else node.tag


def text_of(node):
    """The inline text of a block, as a reader sees it."""
    return "".join(t.text or "" for t in node.iter() if tag(t) in ("text", "code"))


def main():
    ast, steps, rows = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    screens_file = sys.argv[4] if len(sys.argv) > 4 else None
    problems = []
    try:
        doc = ET.parse(ast).getroot()
    except ET.ParseError as e:
        print(f"the parser's XML does not read: {e}")
        return 1
    blocks = list(doc)
    if not blocks or tag(blocks[0]) != "heading" or blocks[0].get("level") != "1":
        problems.append("the first block is not the level-1 title")
    titles = [b for b in blocks if tag(b) == "heading" and b.get("level") == "1"]
    if len(titles) != 1:
        problems.append(f"{len(titles)} level-1 headings, not 1")

    want = ["How to run it live"] + [f"Step {i} of {steps}" for i in range(1, steps + 1)]
    want.append("The rule")
    got = [text_of(b) for b in blocks if tag(b) == "heading" and b.get("level") == "2"]
    if got != want:
        problems.append(f"level-2 headings {got!r}, not {want!r}")

    section = None
    shots = {}
    codes = []
    for i, b in enumerate(blocks):
        kind = tag(b)
        if kind == "heading":
            section = text_of(b)
            continue
        if kind == "html_block" or any(True for _ in b.iter(NS + "html_inline")):
            problems.append(f"{section}: raw HTML: {ET.tostring(b, encoding='unicode')[:80]}")
        if kind == "code_block":
            if b.get("info") == "text":
                codes.append(b.text or "")
            continue
        for t in b.iter():
            if tag(t) != "text" or not t.text:
                continue
            s = t.text
            if "```" in s or "~~~" in s or s.lstrip().startswith("#"):
                problems.append(f"{section}: Markdown left unparsed: {s[:60]!r}")
            if SCREEN_CHARS.search(s):
                problems.append(f"{section}: a screen outside a code block: {s[:60]!r}")
        if kind == "paragraph" and SCREEN_HEAD.fullmatch(text_of(b)):
            nxt = blocks[i + 1] if i + 1 < len(blocks) else None
            if nxt is None or tag(nxt) != "code_block" or nxt.get("info") != "text":
                problems.append(f"{section}: '{text_of(b)}' is not followed by a text code block")
                continue
            lines = (nxt.text or "").split("\n")
            if lines and lines[-1] == "":
                lines.pop()
            if len(lines) != rows:
                problems.append(f"{section}: a screen of {len(lines)} lines, not {rows}")
            shots[section] = shots.get(section, 0) + 1
    for n in range(1, steps + 1):
        if not shots.get(f"Step {n} of {steps}"):
            problems.append(f"Step {n} of {steps} has no screen")

    if screens_file:
        with open(screens_file, encoding="utf-8") as f:
            parts = re.split(r"^=== .* ===\n", f.read(), flags=re.M)[1:]
        norm = [PORT.sub("ADDR", p) for p in parts]
        mine = [PORT.sub("ADDR", c) for c in codes]
        if norm != mine:
            problems.append(f"the {len(mine)} screens are not the {len(norm)} of --screens")
            for a, b in zip(mine, norm):
                if a != b:
                    problems.append("first differing screen starts: " + a[:70].replace("\n", "|"))
                    break

    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
