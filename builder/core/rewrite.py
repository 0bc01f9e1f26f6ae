"""Rewriting a clerk's YAML in place: next year's file is this year's file, edited.

`init` must keep everything a clerk wrote that carries over — every section, every name and
科目名称, every indicator with its empty fields, the comments, the schema line — and change only
what belongs to the year. Editing the text at the positions the loader recorded does exactly that;
regenerating the YAML from the model would lose whatever the generator does not know about.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from pydantic import BaseModel

from .fields import CHOICE_KEYS, CODE_KEYS, is_figure
from .loader import Located, comment_start


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
        elif isinstance(value, dict) and isinstance(sub, dict) and is_figure(info):
            # figures by name (支出类别: {单位预留机动经费: 100})
            yield from (where + (key,) for key, item in sub.items() if isinstance(item, (str, int)) and not isinstance(item, bool))
        elif isinstance(value, tuple) and isinstance(sub, list):
            for i, (item, item_data) in enumerate(zip(value, sub)):
                if isinstance(item, BaseModel):
                    yield from figure_paths(item, item_data, where + (i,))


def text_paths(data: Any, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """(path, text) of every string scalar of a loaded document."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from text_paths(value, path + (str(key),))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from text_paths(value, path + (i,))
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
                hash_at = comment_start(line)
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


YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")


def quoted(text: str) -> str:
    """A YAML scalar for any text: JSON's double-quoted form is valid YAML."""
    return json.dumps(text, ensure_ascii=False)


def next_year(document, year: int, out_path: Path, drop: tuple[str, ...], reset: tuple[tuple, ...],
              unlink: tuple[str, ...] = ()) -> str:
    """Next year's file: this year's, edited in place. `drop`: top-level blocks about this year
    only (last year's figures, published checks); `reset`: mappings of reasons that start empty;
    `unlink`: links to files of this year that next year's file must name anew (预算文件)."""
    model, located, data = document.model, document.located, document.data
    kind_name = document.kind.document
    text = located.text                 # as loaded: the spans point into it, not into today's file
    edit = Rewrite(text, located)

    figures: dict[int, list[tuple[str, str]]] = {}
    for path in figure_paths(model, data):
        start, end = located.spans[path]
        edit.replace(path, "")
        line = text.count("\n", 0, start) + 1
        figures.setdefault(line, []).append((str(path[-1]), text[start:end]))
    for line, items in figures.items():
        shown = items[0][1] if len(items) == 1 else "、".join(f"{k} {v}" for k, v in items)
        edit.comments.setdefault(line, []).append(f"上年 {shown}")

    edit.replace(("年度",), str(year))
    link = quoted(os.path.relpath(document.path.resolve(), out_path.resolve().parent))
    if ("上年文件",) in located.spans:
        edit.replace(("上年文件",), link)
    else:
        edit.replacements.append((len(text), len(text), f"{'' if text.endswith(chr(10)) else chr(10)}上年文件: {link}\n"))
    for key in drop:
        if (key,) in located.key_starts:
            edit.remove_key((key,))
    for key in unlink:
        if (key,) in located.spans:
            edit.replace((key,), f'""  # 待更新：{year} 年度对应文件的路径')
    for path in reset:
        if path in located.spans:
            edit.replace(path, "{}  # 与上年（或年初预算）相比有增减的，逐项写明主要原因")

    figure_set = set(figure_paths(model, data))
    for path, value in text_paths(data):
        if (not path or path in figure_set or path[-1] in (*CODE_KEYS, *CHOICE_KEYS)
                or path[0] in ("年度", "上年文件", "预算文件", "科目表", *drop)):
            continue
        # a text naming this year or the one before (项目名称 "2023 …", 起始时间, "截止2022年12月")
        years = sorted({y for y in YEAR.findall(value) if int(y) in (model.year, model.year - 1)})
        if years:
            block = located.styles.get(path) in ("|", ">")
            edit.comment(path, f"待更新：含“{'、'.join(years)}”", on_key=block)

    head = f"# {model.name} {year} 年{kind_name} — 由 {document.path.name} 生成（budget-builder init）：结构、科目、" \
           f"项目、指标和文字沿用上年；\n# 本年金额留空（行末注明上年数），须逐项重新填写；标“待更新”的文字请按新年度修改。\n"
    lines = text.split("\n")
    first = 1 if lines and lines[0].startswith("# yaml-language-server") else 0
    last = first
    while last < len(lines) and lines[last].startswith("#"):
        last += 1                             # last year's header comments give way to this one
    start = sum(len(l) + 1 for l in lines[:first])
    end = sum(len(l) + 1 for l in lines[:last])
    edit.replacements.append((start, end, head))
    return edit.result()
