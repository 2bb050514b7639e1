#!/usr/bin/env python3
"""cast_check.py FILE.cast RAW-OUT [COLSxROWS]

Checks an asciicast v2 file line by line with a JSON parser and writes the
bytes of its "o" events, in order, to RAW-OUT (for a replay).  Prints one
problem per line and exits 1 if there is any; otherwise prints a summary:
"events N resizes R1,R2 bytes B".  With COLSxROWS, the header must give
that size.

The format (what asciinema plays): the first line a JSON object with
version 2, width, height, timestamp and env; then one JSON array per line,
[seconds, "o", data] or [seconds, "r", "COLSxROWS"], seconds never going
back.  Every line is valid UTF-8 and strict JSON (no raw control
characters in strings).
"""
import json
import re
import sys


def main():
    path, raw_out = sys.argv[1], sys.argv[2]
    size = sys.argv[3] if len(sys.argv) > 3 else None
    problems = []
    with open(path, "rb") as f:
        lines = f.read().split(b"\n")
    if not lines or lines[-1] != b"":
        problems.append("the file does not end with a newline")
    else:
        lines.pop()
    if not lines:
        print("the file is empty")
        return 1

    def parse(n, raw):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            problems.append(f"line {n}: not UTF-8: {e}")
            return None
        try:
            return json.loads(text, strict=True)
        except ValueError as e:
            problems.append(f"line {n}: not JSON: {e}: {text[:80]!r}")
            return None

    head = parse(1, lines[0])
    if not isinstance(head, dict):
        problems.append("line 1: the header is not a JSON object")
    else:
        if head.get("version") != 2:
            problems.append(f"line 1: version is {head.get('version')!r}, not 2")
        for key in ("width", "height", "timestamp"):
            if not isinstance(head.get(key), int) or head.get(key) <= 0:
                problems.append(f"line 1: {key} is {head.get(key)!r}, not a positive integer")
        env = head.get("env")
        if not isinstance(env, dict) or not isinstance(env.get("TERM"), str):
            problems.append(f"line 1: env has no TERM string: {env!r}")
        if size and f"{head.get('width')}x{head.get('height')}" != size:
            problems.append(f"line 1: size {head.get('width')}x{head.get('height')}, not {size}")

    out = bytearray()
    last = 0.0
    events = 0
    resizes = []
    for n, raw in enumerate(lines[1:], start=2):
        ev = parse(n, raw)
        if ev is None:
            continue
        if not (isinstance(ev, list) and len(ev) == 3):
            problems.append(f"line {n}: not a 3-element array: {ev!r:.80}")
            continue
        t, kind, data = ev
        if not isinstance(t, (int, float)) or isinstance(t, bool) or t < last:
            problems.append(f"line {n}: time {t!r} is not a number at or after {last}")
        else:
            last = t
        if not isinstance(data, str):
            problems.append(f"line {n}: data is not a string")
            continue
        if kind == "o":
            if data == "":
                problems.append(f"line {n}: an empty output event")
            out += data.encode("utf-8")
        elif kind == "r":
            if not re.fullmatch(r"[1-9][0-9]*x[1-9][0-9]*", data):
                problems.append(f"line {n}: resize {data!r} is not COLSxROWS")
            resizes.append(data)
        else:
            problems.append(f"line {n}: event type {kind!r} is neither o nor r")
        events += 1

    with open(raw_out, "wb") as f:
        f.write(out)
    for p in problems[:10]:
        print(p)
    if problems:
        return 1
    print(f"events {events} resizes {','.join(resizes) or '-'} bytes {len(out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
