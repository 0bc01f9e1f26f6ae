"""Comparing two documents: the report every kind's comparison fills, and its four forms.

A kind's diff matches rows by key — 科目编码, 项目编码 (then 项目名称), indicator name — so
re-ordered lists are not changes and a new name under the same key is a rename. Money is kept in
元 by the compute stage, so two files typed in different units compare exactly; the report shows
money in one unit, which it names. Text fields, weights and indicator values are shown as what
they are, not as money.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import groupby

from .core.facts import MONEY, NUMBER, TEXT, Facts
from .core.numbers import as_typed, from_yuan, growth, rounded
from .render.workbook import Workbook, finish, list_sheet

ADDED, REMOVED, CHANGED, RENAMED = "新增", "删除", "变更", "更名"


@dataclass(frozen=True)
class Change:
    section: str
    key: str
    name: str
    kind: str
    old: Decimal | str | None = None
    new: Decimal | str | None = None
    field: str = ""
    value: str = MONEY               # what old and new are: money (in the report's unit), number, text
    of: str = ""                     # a part of the line's figure `of` (基本支出 of 合计), on its line

    @property
    def delta(self) -> Decimal | None:
        if self.value == TEXT:
            return None
        if isinstance(self.old, Decimal) and isinstance(self.new, Decimal):
            return self.new - self.old
        if self.kind == ADDED and isinstance(self.new, Decimal):
            return self.new
        if self.kind == REMOVED and isinstance(self.old, Decimal):
            return -self.old
        return None

    @property
    def percent(self) -> Decimal | None:
        if self.value == MONEY and isinstance(self.old, Decimal) and isinstance(self.new, Decimal):
            return growth(self.new, self.old)
        return None

    def as_json(self) -> dict:
        return {"类别": self.section, "编码": self.key, "名称": self.name, "栏目": self.field,
                "变化": self.kind, "原值": _plain(self.old), "新值": _plain(self.new),
                "增减": _plain(self.delta), "增减%": _plain(self.percent), "类型": self.value,
                "所属栏目": self.of}


@dataclass
class Report:
    old_file: str
    new_file: str
    unit: str                        # the unit money is shown in
    changes: list[Change] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _plain(value) -> str | None:
    return None if value is None else str(value)


# -- matching two documents' items (every kind's diff) ---------------------------------------

def keyed(section: str, old: dict, new: dict, names_old: dict, names_new: dict, field: str = "",
          value: str = MONEY) -> list[Change]:
    """Items matched by key (科目编码): added, removed, renamed and changed ones."""
    changes = []
    for key in sorted(set(old) | set(new)):
        name = names_new.get(key) or names_old.get(key, "")
        if key not in old:
            changes.append(Change(section, key, name, ADDED, None, new[key], field, value))
        elif key not in new:
            changes.append(Change(section, key, name, REMOVED, old[key], None, field, value))
        else:
            if names_old.get(key) and names_new.get(key) and names_old[key] != names_new[key]:
                changes.append(Change(section, key, name, RENAMED, names_old[key], names_new[key]))
            if old[key] != new[key]:
                changes.append(Change(section, key, name, CHANGED, old[key], new[key], field, value))
    return changes


def texts(section: str, key: str, name: str, old: dict[str, str], new: dict[str, str]) -> list[Change]:
    """Changed text fields of one matched item, each under its YAML name."""
    return [Change(section, key, name, CHANGED, old.get(f, ""), new.get(f, ""), f, TEXT)
            for f in sorted(set(old) | set(new)) if (old.get(f) or "") != (new.get(f) or "")]


def subject_amounts(facts: Facts, rowset: str, level: str, measure: str, unit: str):
    """(amounts in `unit`, names) by 科目编码 of a row set's rows of one level that have the measure:
    this year's only (the 功能分类 row set also holds last year's codes, for 上年 columns)."""
    rows = [r for r in facts.rowsets.get(rowset, []) if r.level == level and r.amount(measure)]
    amounts = {r.fields["科目编码"]: from_yuan(r.amount(measure), unit) for r in rows}
    names = {r.fields["科目编码"]: r.fields["科目名称"] for r in rows}
    return amounts, names


# A line's parts, in groups: the parts of one group add up to the line's figure (基本支出 and
# 项目支出 of a 合计), and a group whose one part is the whole line in both files says nothing
# the figure does not; a group of one is a figure of its own (a 决算 line's 收入), always compared.
Parts = tuple[tuple[tuple[str, str], ...], ...]          # groups of (field, label)


def line_parts(section: str, key: str, name: str, of: str, totals: tuple[Decimal, Decimal],
               amounts: tuple, groups: Parts, unit: str) -> list[Change]:
    """The changed parts of one line found in both files. `amounts`: (old, new) functions from a
    field to its amount in 元; `totals`: the line's figure in both, in `unit`."""
    changes = []
    for group in groups:
        values = [(label, from_yuan(amounts[0](f), unit), from_yuan(amounts[1](f), unit)) for f, label in group]
        present = [(a, b) for _, a, b in values if a or b]
        if len(group) > 1 and (not present or (len(present) == 1 and present[0] == totals)):
            continue
        changes += [Change(section, key, name, CHANGED, a, b, label, MONEY, of) for label, a, b in values if a != b]
    return changes


def subject_lines(section: str, old: Facts, new: Facts, rowset: str, level: str, measure: str, label: str,
                  groups: Parts, unit: str) -> list[Change]:
    """The lines of one level of a row set matched by 科目编码 (`keyed` on `measure`), each
    followed by its changed parts (`groups`, labelled as the report names them)."""
    a, names_a = subject_amounts(old, rowset, level, measure, unit)
    b, names_b = subject_amounts(new, rowset, level, measure, unit)
    rows = [{r.fields["科目编码"]: r for r in facts.rowsets.get(rowset, []) if r.level == level} for facts in (old, new)]
    changes = keyed(section, a, b, names_a, names_b, label)
    for key in sorted(set(a) & set(b)):
        changes += line_parts(section, key, names_b.get(key) or names_a.get(key, ""), label, (a[key], b[key]),
                              (rows[0][key].amount, rows[1][key].amount), groups, unit)
    return sorted(changes, key=lambda c: c.key)            # stable: a line's own changes, then its parts


def match_projects(old: list, new: list) -> tuple[list, list, list]:
    """Pairs matched by 项目编码 (first unused with the same code), then by 项目名称; returns
    (pairs, removed, added)."""
    pairs, rest_old, rest_new = [], list(old), list(new)
    for same in (lambda a, b: a.code and a.code == b.code, lambda a, b: a.name == b.name):
        unmatched = []
        for project in rest_new:
            match = next((p for p in rest_old if same(p, project)), None)
            if match is None:
                unmatched.append(project)
            else:
                rest_old.remove(match)
                pairs.append((match, project))
        rest_new = unmatched
    return pairs, rest_old, rest_new


def indicators(section: str, old: dict, new: dict, key: str | None = None, label: str = "绩效指标") -> list[Change]:
    """Indicators matched by name; every changed field is reported under its YAML name, weights
    as numbers and the rest as text."""
    changes = []
    for name in sorted(set(old) | set(new)):
        where = key or name
        if name not in old:
            changes.append(Change(section, where, name, ADDED, None, new[name].value, label, TEXT))
        elif name not in new:
            changes.append(Change(section, where, name, REMOVED, old[name].value, None, label, TEXT))
        else:
            model = type(new[name])
            for attr, info in model.model_fields.items():
                a, b = getattr(old[name], attr), getattr(new[name], attr)
                if a != b:
                    kind = NUMBER if isinstance(a or b, Decimal) else TEXT
                    changes.append(Change(section, where, name, CHANGED, a, b, info.alias, kind))
    return changes


# -- the report's forms: text, JSON, Markdown, XLSX ---------------------------------------------

def shown(value, kind: str = MONEY) -> str:
    """A value as the text and Markdown reports show it: money with 2 decimals and thousands
    separators, numbers as typed (a weight of 20 is 20), text in quotes."""
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        # money rounded half up, as the tables round it (12,250 元 is 1.23 万元 in both)
        return format(rounded(value, 2), ",f") if kind == MONEY else as_typed(value)
    return f"“{value}”" if kind == TEXT else str(value)


def signed(value: Decimal | None, kind: str = MONEY, suffix: str = "") -> str:
    if value is None:
        return ""
    return f"{'+' if value > 0 else ''}{shown(value, kind)}{suffix}"


def signed_percent(value: Decimal | None) -> str:
    """A change in percent, always with its one decimal (the text and Markdown forms agree)."""
    return "" if value is None else f"{'+' if value > 0 else ''}{format(value, '.1f')}%"


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def as_text(report: Report, colour: bool) -> str:
    paint = (lambda text, code: f"\033[{code}m{text}\033[0m") if colour else (lambda text, code: text)
    lines = [f"比较 {report.old_file} → {report.new_file}（金额单位：{report.unit}）"]
    if not report.changes:
        lines.append("没有变化")
    for section, changes in groupby(report.changes, key=lambda c: c.section):
        lines.append(paint(f"\n{section}", "1"))
        for head, parts in _lines(list(changes)):
            text, code = _text_line(head) if head is not None else _unchanged_head(parts[0])
            joined = "；".join(_part_text(p) for p in parts)
            lines.append(paint(text + ("；" if head is not None and parts else "") + joined, code))
    for note in report.notes:
        lines.append(f"\n注：{note}")
    return "\n".join(lines) + "\n"


def _lines(changes: list[Change]) -> list[tuple[Change | None, list[Change]]]:
    """Changes as a clerk reads them: each with the parts of its figure that follow it (a line's
    figure unchanged: its parts alone, on one line)."""
    out: list[tuple[Change | None, list[Change]]] = []
    for c in changes:
        last = out[-1] if out else None
        if c.of and last is not None and (last[0] or last[1][0]).key == c.key and \
                (last[0] is None or (last[0].field == c.of and last[0].kind == CHANGED)):
            last[1].append(c)
        elif c.of:
            out.append((None, [c]))
        else:
            out.append((c, []))
    return out


def _part_text(c: Change) -> str:
    pct = f"，{signed_percent(c.percent)}" if c.percent is not None else ""
    tail = f"（{signed(c.delta, c.value)}{pct}）" if c.delta is not None else ""
    return f"{c.field} {shown(c.old, c.value)} → {shown(c.new, c.value)}{tail}"


def _unchanged_head(c: Change) -> tuple[str, str]:
    label = f"  {c.key} {c.name}".rstrip() if c.key != c.name else f"  {c.name}"
    return f"~ {label}［{c.of}不变］：", "33"


def _text_line(c: Change) -> tuple[str, str]:
    """One change as a line of the text report, and its colour code."""
    label = f"  {c.key} {c.name}".rstrip() if c.key != c.name else f"  {c.name}"
    where = f"［{c.field}］" if c.field else ""
    old = shown(_short(c.old) if isinstance(c.old, str) else c.old, c.value)
    new = shown(_short(c.new) if isinstance(c.new, str) else c.new, c.value)
    if c.kind == ADDED:
        return f"+ {label}{where}：新增 {new}", "32"
    if c.kind == REMOVED:
        return f"- {label}{where}：删除（原 {old}）", "31"
    if c.kind == RENAMED:
        return f"~ {label}：名称 “{c.old}” → “{c.new}”", "33"
    delta, tail = c.delta, ""
    if delta is not None:
        pct = f"，{signed_percent(c.percent)}" if c.percent is not None else ""
        tail = f"（{signed(delta, c.value)}{pct}）"
    return f"~ {label}{where}：{old} → {new}{tail}", "33" if delta is None else ("32" if delta > 0 else "31")


def as_json(report: Report) -> str:
    return json.dumps({"旧文件": report.old_file, "新文件": report.new_file, "金额单位": report.unit,
                       "变化": [c.as_json() for c in report.changes], "注": report.notes},
                      ensure_ascii=False, indent=2) + "\n"


def as_markdown(report: Report) -> str:
    out = [f"# 比较 {report.old_file} → {report.new_file}", "", f"金额单位：{report.unit}", ""]
    if not report.changes:
        out.append("没有变化。")
    for section, changes in groupby(report.changes, key=lambda c: c.section):
        out += ["", f"## {section}", "", "| 编码 | 名称 | 栏目 | 变化 | 原值 | 新值 | 增减 | 增减% | 其中 |",
                "|---|---|---|---|---:|---:|---:|---:|---|"]
        for head, parts in _lines(list(changes)):
            within = "；".join(_part_text(p) for p in parts)
            if head is None:
                cells = [parts[0].key, parts[0].name, f"{parts[0].of}不变", CHANGED, "", "", "", "", within]
            else:
                cells = [head.key, head.name, head.field, head.kind, shown(head.old, head.value),
                         shown(head.new, head.value), signed(head.delta, head.value), signed_percent(head.percent), within]
            out.append("| " + " | ".join(str(x).replace("|", "\\|").replace("\n", " ") for x in cells) + " |")
    out += [""] + [f"注：{n}" for n in report.notes]
    return "\n".join(out) + "\n"


def as_xlsx(report: Report) -> bytes:
    """A reviewer's workbook: one row per change, numbers as numbers, printable, reproducible."""
    wb = Workbook()
    ws = wb.active
    ws.title = "差异"
    money = "#,##0.00;-#,##0.00;0.00"
    # one row a figure (numbers stay numbers); a part of a line's figure named as such, under it
    rows = [[(c.section, None), (c.key, None), (c.name, None), (f"其中：{c.field}" if c.of else c.field, None), (c.kind, None),
             (c.old, money if c.value == MONEY else "General"), (c.new, money if c.value == MONEY else "General"),
             (c.delta, money if c.value == MONEY else "General"), (c.percent, '0.0"%"')] for c in report.changes]
    list_sheet(ws, f"比较 {report.old_file} → {report.new_file}（金额单位：{report.unit}）",
               ["类别", "编码", "名称", "栏目", "变化", "原值", "新值", "增减", "增减%"], rows,
               [14, 24, 36, 18, 8, 16, 16, 16, 10], "A3")
    for note in report.notes:
        ws.append([f"注：{note}"])
    return finish(wb, f"比较 {report.old_file} → {report.new_file}")


def default_xlsx_name(old_file: str, new_file: str) -> str:
    from pathlib import Path
    return f"{Path(old_file).stem}-{Path(new_file).stem}.xlsx"
