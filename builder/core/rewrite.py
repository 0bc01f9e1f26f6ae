"""Rewriting a clerk's YAML in place: next year's file is this year's file, edited.

`init` must keep everything a clerk wrote that carries over — every section, every name and
科目名称, every indicator with its empty fields, the 核对数 entries, the comments, the schema
line — and change only what belongs to the year. Editing the text at the positions the loader
recorded does exactly that; regenerating the YAML from the model would lose whatever the generator
does not know about. Nothing of the year is carried silently: a figure is left blank with its
value in a comment (上年 …), a text or a comment that quotes the year's figures or names the year
is marked 待更新, and the notes an earlier init wrote are refreshed, not piled up.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Callable, Iterator

from pydantic import BaseModel

from .facts import MONEY
from .fields import CHOICE_KEYS, CODE_KEYS, is_figure
from .loader import Located, comment_start
from .numbers import from_yuan, rounded


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
    # (1-based line, a comment's text after its #) → that text as it should now read ("" drops it)
    refresh: Callable[[int, str], str] | None = None

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
            hash_at = comment_start(line)
            own = line[hash_at + 1:] if hash_at is not None else None
            kept = self.refresh(number, own) if own is not None and self.refresh is not None else own
            note = "；".join(self.comments.get(number, []))
            if hash_at is None:
                if note:
                    edits.append((offset + len(line), offset + len(line), f"  # {note}"))
            elif kept == own:
                if note:                      # before the line's own comment, which stays
                    edits.append((offset + hash_at, offset + hash_at + 1, f"# {note}；"))
            elif kept or note:                # the line's own comment, refreshed
                body = f" {note}" + (f"；{kept.lstrip()}" if kept and kept.strip() else "") if note else kept
                edits.append((offset + hash_at, offset + len(line), f"#{body}"))
            else:                             # nothing left of it: the comment goes, and the blanks before it
                start = len(line[:hash_at].rstrip()) if line[:hash_at].strip() else hash_at
                edits.append((offset + start, offset + len(line), ""))
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
# a number as a clerk or a document writes one: 1,876,083.12, 826.96, 92.9, 300 (not part of a
# code or a line reference: L466, 2013102)
NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?![\w.,]|,\d)(\s*万元)?")
# the notes an earlier init wrote (上年 622.34 …): a file made by init and filled in still has them
REASONS_NOTE = "与上年（或年初预算）相比有增减的，逐项写明主要原因"
_INIT_NOTES = (re.compile(r"上年 (?:[^\s、；]+ )?\S+(?:、[^\s、；]+ \S+)*"), re.compile(r"待更新：含“\d{4}(?:、\d{4})*”"),
               re.compile(r"待更新：含上年的数字"), re.compile(r"待更新：\d{4} 年度对应文件的路径"),
               re.compile(re.escape(REASONS_NOTE)))
_MARKED = re.compile(r"〔\d{4} 年的注释，待更新〕")


def quotes_figures(text: str, figures: set[Decimal]) -> bool:
    """A text that quotes figures of a year: an amount in 万元, one written with cents or thousands
    separators (826.96, 1,876,083.12), or one with decimals that is a figure of the document
    (`figures`: 92.9, 0.9). A whole number alone (a count, a table's 行次, a seed line) is not."""
    for match in NUMBER.finditer(text):
        number, wan = match.group(1), match.group(2)
        if wan or "," in number or len(number.partition(".")[2]) >= 2:
            return True
        if "." in number:
            try:
                if Decimal(number) in figures:
                    return True
            except InvalidOperation:
                pass
    return False


def document_figures(document) -> set[Decimal]:
    """Every figure of a document as a clerk would write it in its unit: what it types and states,
    and what it adds up to (each total and row, exact and to two decimals)."""
    model, unit = document.model, document.model.unit
    figures: set[Decimal] = set()
    for path in figure_paths(model, document.data):
        value = document.data
        for key in path:
            value = value[key]
        try:
            figures.add(Decimal(str(value)))
        except InvalidOperation:
            pass
    facts = document.kind.compute(model, {}, document.catalogue)
    amounts = [v for k, v in facts.scalars.items() if facts.measures.scalars.get(k) == MONEY]
    for name, rows in facts.rowsets.items():
        types = facts.measures.rowsets[name]
        amounts += [v for row in rows for k, v in row.fields.items() if types.get(k) == MONEY and isinstance(v, Decimal)]
    for amount in amounts:
        shown = from_yuan(amount, unit)
        figures |= {shown, rounded(shown, 2)}
    return {f for f in figures if f}


def refreshed(comment: str, year: int, figures: set[Decimal]) -> str:
    """A comment of last year's file as next year's should read it: the notes an earlier init
    wrote dropped (they are written anew where they still hold), and a comment that quotes the
    year's figures or names the year (or the one before) marked 〔{year} 年的注释，待更新〕 (once:
    a mark from an earlier year stays)."""
    segments = comment.strip().split("；")
    kept = [s for s in segments if not any(p.fullmatch(s.strip()) for p in _INIT_NOTES)]
    text = "；".join(kept).strip()
    names_year = any(int(y) in (year, year - 1) for y in YEAR.findall(text))
    if text and not _MARKED.match(text) and (names_year or quotes_figures(text, figures)):
        text = f"〔{year} 年的注释，待更新〕{text}"
    if text == comment.strip():
        return comment
    return f" {text}" if text else ""


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

    blanked: dict[int, list[tuple[str, str]]] = {}
    for path in figure_paths(model, data):
        start, end = located.spans[path]
        edit.replace(path, "")
        line = text.count("\n", 0, start) + 1
        blanked.setdefault(line, []).append((str(path[-1]), text[start:end]))
    for line, items in blanked.items():
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
            edit.replace(path, f"{{}}  # {REASONS_NOTE}")

    figures = document_figures(document)
    figure_set = set(figure_paths(model, data))
    for path, value in text_paths(data):
        if (not path or path in figure_set or path[-1] in (*CODE_KEYS, *CHOICE_KEYS)
                or path[0] in ("年度", "上年文件", "预算文件", "科目表", *drop)):
            continue
        # a text naming this year or the one before (项目名称 "2023 …", 起始时间, "截止2022年12月"),
        # or quoting the year's figures (a 核对数's 出处 "187.61 − 增加 14.02")
        years = sorted({y for y in YEAR.findall(value) if int(y) in (model.year, model.year - 1)})
        block = located.styles.get(path) in ("|", ">")
        if years:
            edit.comment(path, f"待更新：含“{'、'.join(years)}”", on_key=block)
        if quotes_figures(value, figures):
            edit.comment(path, "待更新：含上年的数字", on_key=block)

    head = f"# {model.name} {year} 年{kind_name} — 由 {document.path.name} 生成（budget-builder init）：结构、科目、" \
           f"项目、指标、核对数和文字沿用上年；\n# 本年金额留空（行末注明上年数），须逐项重新填写（核对数填本年公开文件中的数字）；" \
           f"标“待更新”的文字和注释请按新年度修改。\n"
    lines = text.split("\n")
    first = 1 if lines and lines[0].startswith("# yaml-language-server") else 0
    last = first
    while last < len(lines) and lines[last].startswith("#"):
        last += 1                             # last year's header comments give way to this one
    # every other comment: an earlier init's notes refreshed, figures of the year marked
    edit.refresh = lambda number, comment: (comment if number <= last else refreshed(comment, model.year, figures))
    start = sum(len(l) + 1 for l in lines[:first])
    end = sum(len(l) + 1 for l in lines[:last])
    edit.replacements.append((start, end, head))
    return edit.result()
