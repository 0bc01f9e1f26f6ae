"""The sizes the PDF's stylesheet sets, read from it: the one place they are written.

The height model (paging.py) plans pages with the stylesheet's page margins, font sizes, line
heights, padding and borders. Rather than copy those numbers into Python, it asks this module for
them, so changing a size in templates/pdf/style.css changes the plan with it. Only what the
stylesheet itself writes is read — plain rules of `property: value;` with mm, pt, em or unitless
numbers — so a reader of a few lines does, and a size it cannot find is an error at import, not
a page planned from a stale number.
"""

from __future__ import annotations

import re
from functools import cache

from ..core.resources import pdf_dir

PT_MM = 25.4 / 72
_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_NESTED = re.compile(r"@[\w-]+\s*\{[^{}]*\}")        # @page's @bottom-center { … } margin boxes


@cache
def rules(sheet: str = "style.css") -> dict[str, dict[str, str]]:
    """Each top-level rule's declarations, by its selector as written (`th, td`, `@page wide`);
    rules of one selector written twice (ua.css's `h2`) merged."""
    text = _COMMENT.sub("", (pdf_dir() / sheet).read_text(encoding="utf-8"))
    found: dict[str, dict[str, str]] = {}
    depth, start, selector = 0, 0, ""
    for i, char in enumerate(text):
        if char == "{":
            if depth == 0:
                selector, start = " ".join(text[start:i].split()), i + 1
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                body = _NESTED.sub("", text[start:i])
                declarations = (d.split(":", 1) for d in body.split(";") if ":" in d)
                found.setdefault(selector, {}).update({k.strip(): " ".join(v.split()) for k, v in declarations})
                start = i + 1
    return found


def value(selector: str, prop: str, sheet: str = "style.css") -> str:
    try:
        return rules(sheet)[selector][prop]
    except KeyError:
        raise LookupError(f"{sheet} sets no {prop} in {selector!r}: the height model needs it") from None


def number(selector: str, prop: str, unit: str = "", sheet: str = "style.css") -> float:
    """A single length or number: `9.5pt` → 9.5, `1.35` → 1.35, `.83em` → 0.83."""
    text = value(selector, prop, sheet)
    if not text.endswith(unit) or not re.fullmatch(r"-?[\d.]+", text.removesuffix(unit) if unit else text):
        raise LookupError(f"style.css: {selector} {{ {prop}: {text} }} is not a number in {unit or 'no unit'}")
    return float(text.removesuffix(unit) if unit else text)


def box_mm(selector: str, prop: str) -> tuple[float, float, float, float]:
    """A margin or padding shorthand in mm as (top, right, bottom, left); a bare 0 is 0."""
    parts = [0.0 if p == "0" else float(p.removesuffix("mm")) for p in value(selector, prop).split()]
    top, right, bottom, left = {1: parts * 4, 2: parts * 2, 3: [*parts, parts[1]], 4: parts}[len(parts)]
    return top, right, bottom, left


def border_mm(selector: str) -> float:
    """The width of a rule's `border: 0.6pt solid #000`, in mm."""
    width = value(selector, "border").split()[0]
    return float(width.removesuffix("pt")) * PT_MM
