"""Rewriting a clerk's YAML in place: next year's file is this year's file, edited.

`init` must keep everything a clerk wrote that carries over — every section, every name and
科目名称, every indicator with its empty fields, the comments, the schema line — and change only
what belongs to the year. Editing the text at the positions the loader recorded does exactly that;
regenerating the YAML from the model would lose whatever the generator does not know about.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator

from pydantic import BaseModel

from .fields import is_figure
from .loader import Located


def figure_paths(model: BaseModel, data: Any, path: tuple = ()) -> Iterator[tuple]:
    """YAML paths of every figure of the year a model holds (amounts and counts, not weights)."""
    if not isinstance(data, dict):
        return
    for name, info in type(model).model_fields.items():
        if info.alias not in data:
            continue
        value, sub, where = getattr(model, name), data[info.alias], path + (info.alias,)
        if isinstance(sub, (str, int)) and not isinstance(sub, bool) and (is_figure(info) or isinstance(value, BaseModel)):
            yield where                       # a figure, or a section given as one figure (金额: 250000)
        elif isinstance(value, BaseModel):
            yield from figure_paths(value, sub, where)
        elif isinstance(value, tuple) and isinstance(sub, list):
            for i, (item, item_data) in enumerate(zip(value, sub)):
                if isinstance(item, BaseModel):
                    yield from figure_paths(item, item_data, where + (i,))


def text_paths(data: Any, located: Located, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """(path, text) of every string scalar of a loaded document."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from text_paths(value, located, path + (str(key),))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from text_paths(value, located, path + (i,))
    elif isinstance(data, str):
        yield path, data


@dataclass
class Rewrite:
    """Edits of one text: replaced spans, removed blocks and comments at line ends."""
    text: str
    located: Located
    replacements: list[tuple[int, int, str]] = field(default_factory=list)
    comments: dict[int, list[str]] = field(default_factory=dict)    # 1-based line → comments

    def replace(self, path: tuple, new: str) -> None:
        start, end = self.located.spans[path]
        value = self.text[start:end]
        if "\n" in value.rstrip() and self.located.styles.get(path) is None:
            # a block mapping or list: replace everything after the key's colon, up to its last line
            start = self.text.index(":", self.located.key_ends[path]) + 1
            end = self.located.spans[path][0] + len(value.rstrip())
            new = " " + new
        self.replacements.append((start, end, new))

    def remove_key(self, path: tuple) -> None:
        """A top-level key and its whole value, with the line break after it."""
        start = self.located.key_starts[path]
        _, end = self.located.spans[path]
        end = self.text.find("\n", end - 1 if self.text[end - 1:end] == "\n" else end)
        self.replacements.append((start, len(self.text) if end < 0 else end + 1, ""))

    def comment(self, path: tuple, text: str, on_key: bool = False) -> None:
        """A comment at the end of the value's line (or of its key's line, for block text)."""
        line = self.located.lines[path] if on_key else self.text.count("\n", 0, self.located.spans[path][0]) + 1
        self.comments.setdefault(line, []).append(text)

    def result(self) -> str:
        """The text with every edit applied in one pass over the original (positions stay valid)."""
        edits = list(self.replacements)
        offset = 0
        for number, line in enumerate(self.text.split("\n"), start=1):
            if number in self.comments:
                note = "；".join(self.comments[number])
                hash_at = _comment_start(line)
                if hash_at is None:
                    edits.append((offset + len(line), offset + len(line), f"  # {note}"))
                else:                         # before the line's own comment, which stays
                    edits.append((offset + hash_at, offset + hash_at + 1, f"# {note}；"))
            offset += len(line) + 1
        pieces, cursor = [], 0
        for start, end, new in sorted(edits, key=lambda e: (e[0], e[1])):
            if start < cursor:
                continue                      # inside a removed block
            pieces += [self.text[cursor:start], new]
            cursor = end
        pieces.append(self.text[cursor:])
        return "".join(pieces)


def _comment_start(line: str) -> int | None:
    """Where a YAML line's comment starts (a # after white space, outside quotes), if it has one."""
    quote = ""
    for i, ch in enumerate(line):
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "\"'":
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
            return i
    return None
