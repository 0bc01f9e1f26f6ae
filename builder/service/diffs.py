"""Line-by-line comparison of two texts of a file, for the version pages (the meaning-level
comparison — 科目, projects, totals — is the kinds' own diff, run in a worker)."""

from __future__ import annotations

import difflib

CONTEXT = 3


def line_diff(old: str, new: str, context: int = CONTEXT) -> list[dict]:
    """Rows of a side-by-side comparison: {op: same/del/add/change/skip, old_no, old, new_no,
    new}; runs of unchanged lines beyond `context` lines of a change are one "skip" row."""
    a, b = old.splitlines(), new.splitlines()
    rows: list[dict] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            block = [{"op": "same", "old_no": i1 + k + 1, "old": a[i1 + k], "new_no": j1 + k + 1, "new": b[j1 + k]}
                     for k in range(i2 - i1)]
            first, last = not rows, i2 == len(a) and j2 == len(b)
            head = [] if first else block[:context]
            tail = [] if last else block[-context:]
            if len(block) <= len(head) + len(tail) + 1:
                rows += block
            else:
                rows += head + [{"op": "skip", "count": len(block) - len(head) - len(tail)}] + tail
            continue
        olds, news = a[i1:i2], b[j1:j2]
        for k in range(max(len(olds), len(news))):
            o = olds[k] if k < len(olds) else None
            n = news[k] if k < len(news) else None
            op = "change" if o is not None and n is not None else "del" if n is None else "add"
            rows.append({"op": op, "old_no": i1 + k + 1 if o is not None else None, "old": o or "",
                         "new_no": j1 + k + 1 if n is not None else None, "new": n or ""})
    return rows


def changed(rows: list[dict]) -> int:
    return sum(r["op"] in ("del", "add", "change") for r in rows)
