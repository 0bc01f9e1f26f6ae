"""The imported department as YAML text in the normal format: codes and texts quoted, amounts as
plain decimals (never through a float), short records on one line, a header comment saying what
it was imported from and listing what could not be placed.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal

PLAIN = re.compile(r"^[\w\u3000-\u9fff\uff00-\uffef（）《》“”、，。：；·\-. %≥≤>=<]+$")
INLINE_WIDTH = 110


def scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        text = format(value, "f")
        if "." in text:
            text = text.rstrip("0").rstrip(".") if len(text.split(".")[1]) > 2 else text
        return text
    if isinstance(value, int):
        return str(value)
    return json.dumps(str(value), ensure_ascii=False)


def _inline(value: dict) -> str | None:
    if not all(not isinstance(v, (dict, list)) for v in value.values()):
        return None
    text = "{" + ", ".join(f"{k}: {scalar(v)}" for k, v in value.items()) + "}"
    return text if len(text) <= INLINE_WIDTH or len(value) <= 12 else None


def lines(value: object, indent: int = 0) -> list[str]:
    pad = " " * indent
    out: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, dict):
                inline = _inline(item) if item else "{}"
                if inline is not None and (len(inline) + indent + len(key) <= INLINE_WIDTH or not item):
                    out.append(f"{pad}{key}: {inline}")
                else:
                    out.append(f"{pad}{key}:")
                    out += lines(item, indent + 2)
            elif isinstance(item, list):
                if not item:
                    out.append(f"{pad}{key}: []")
                else:
                    out.append(f"{pad}{key}:")
                    out += lines(item, indent + 2)
            else:
                out.append(f"{pad}{key}: {scalar(item)}")
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict):
                inline = _inline(item)
                if inline is not None and len(inline) + indent <= INLINE_WIDTH:
                    out.append(f"{pad}- {inline}")
                else:
                    inner = lines(item, indent + 2)
                    out.append(f"{pad}- {inner[0].lstrip()}")
                    out += inner[1:]
            else:
                out.append(f"{pad}- {scalar(item)}")
    return out


def document(data: dict, header: list[str]) -> str:
    comment = [f"# {line}" if line else "#" for line in header]
    return "\n".join(comment + [""] + lines(data)) + "\n"
