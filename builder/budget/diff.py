"""Compare two department years by meaning, not by text line.

Rows are matched by key — 科目编码, 项目编码 (then 项目名称), indicator name — so re-ordered lists
and moved keys are not changes; a changed name under the same key is a rename. Amounts are
compared exactly, in the new file's unit. Sections that the old file does not carry at all (a
partial previous-year file) are skipped with a note instead of listing every row as new.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from ..core.facts import Facts
from ..core.numbers import from_yuan, to_yuan
from .compute import THREE_PUBLIC_PARTS
from .model import Project

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

    @property
    def delta(self) -> Decimal | None:
        if isinstance(self.old, Decimal) and isinstance(self.new, Decimal):
            return self.new - self.old
        if self.kind == ADDED and isinstance(self.new, Decimal):
            return self.new
        if self.kind == REMOVED and isinstance(self.old, Decimal):
            return -self.old
        return None

    @property
    def percent(self) -> Decimal | None:
        if isinstance(self.old, Decimal) and self.old and self.delta is not None:
            return (self.delta * 100 / self.old).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        return None

    def as_json(self) -> dict:
        text = lambda v: None if v is None else str(v)
        return {"类别": self.section, "编码": self.key, "名称": self.name, "栏目": self.field,
                "变化": self.kind, "原值": text(self.old), "新值": text(self.new),
                "增减": text(self.delta), "增减%": text(self.percent)}


@dataclass
class Report:
    old_file: str
    new_file: str
    changes: list[Change]
    notes: list[str]


def _keyed_amounts(section, old: dict, new: dict, names_old: dict, names_new: dict,
                   field: str = "") -> list[Change]:
    changes = []
    for key in sorted(set(old) | set(new)):
        name = names_new.get(key) or names_old.get(key, "")
        if key not in old:
            changes.append(Change(section, key, name, ADDED, None, new[key], field))
        elif key not in new:
            changes.append(Change(section, key, name, REMOVED, old[key], None, field))
        else:
            if names_old.get(key) and names_new.get(key) and names_old[key] != names_new[key]:
                changes.append(Change(section, key, name, RENAMED, names_old[key], names_new[key]))
            if old[key] != new[key]:
                changes.append(Change(section, key, name, CHANGED, old[key], new[key], field))
    return changes


def _rows(facts: Facts, rowset: str, level: str, measure: str, unit: str):
    # rows of this year only: the 功能分类 row set also holds last year's codes for 上年 columns
    rows = [r for r in facts.rowsets.get(rowset, []) if r.level == level and r.amount(measure)]
    amounts = {r.fields["科目编码"]: from_yuan(r.amount(measure), unit) for r in rows}
    names = {r.fields["科目编码"]: r.fields["科目名称"] for r in rows}
    return amounts, names


def _match_projects(old: list[Project], new: list[Project]) -> tuple[list, list, list]:
    """Pairs matched by 项目编码 (first unused with the same code), then by 项目名称; returns
    (pairs, removed, added)."""
    pairs, rest_old, rest_new = [], list(old), list(new)
    for same in (lambda a, b: a.code == b.code, lambda a, b: a.name == b.name):
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


def _project_total(project: Project, typed: str, unit: str) -> Decimal | None:
    return None if project.split is None else from_yuan(to_yuan(project.split.total, typed), unit)


def _indicators(section: str, old: dict, new: dict, key: str | None = None,
                field: str = "绩效指标") -> list[Change]:
    """Indicators matched by name; a changed 指标值/性质/单位/权重 is reported under its YAML name.
    `key` is the project the indicators belong to (None: the indicator name itself)."""
    changes = []
    for name in sorted(set(old) | set(new)):
        where = key or name
        if name not in old:
            changes.append(Change(section, where, name, ADDED, None, new[name].value, field))
        elif name not in new:
            changes.append(Change(section, where, name, REMOVED, old[name].value, None, field))
        else:
            for attr in ("value", "nature", "unit", "weight"):
                a, b = getattr(old[name], attr), getattr(new[name], attr)
                if a != b:
                    label = type(new[name]).model_fields[attr].alias
                    changes.append(Change(section, where, name, CHANGED, a, b, label))
    return changes


def diff(old: Facts, new: Facts, old_file: str = "", new_file: str = "") -> Report:
    unit = new.doc.unit                       # both compared in the new file's unit
    show = lambda yuan: from_yuan(yuan, unit)
    changes: list[Change] = []
    notes: list[str] = []

    # per-table totals
    totals = {"收入.总计": "收入总计", "支出.合计": "支出合计", "支出.基本支出": "基本支出",
              "支出.项目支出": "项目支出", "支出.一般公共预算.合计": "一般公共预算财政拨款支出",
              "经济分类.人员经费": "人员经费", "经济分类.公用经费": "公用经费（机关运行经费）",
              "本年.总计": "“三公”经费", "政府采购.总计": "政府采购"}
    for key, label in totals.items():
        a, b = show(old.scalar(key)), show(new.scalar(key))
        if key.startswith("经济分类.") and not (old.doc.economics and new.doc.economics):
            continue
        if a != b:
            changes.append(Change("合计", label, label, CHANGED, a, b))

    # 功能分类 项
    a, names_a = _rows(old, "功能分类", "项", "合计", unit)
    b, names_b = _rows(new, "功能分类", "项", "合计", unit)
    changes += _keyed_amounts("功能分类科目", a, b, names_a, names_b, "合计")

    # 经济分类 款 of the 基本支出
    if old.doc.economics and new.doc.economics:
        a, names_a = _rows(old, "经济分类基本支出", "款", "合计", unit)
        b, names_b = _rows(new, "经济分类基本支出", "款", "合计", unit)
        changes += _keyed_amounts("经济分类科目", a, b, names_a, names_b, "基本支出")
    elif new.doc.economics:
        notes.append("旧文件未列经济分类基本支出，未比较经济分类")

    # "三公"
    row_a, row_b = old.rows("三公经费")[0], new.rows("三公经费")[0]
    for part in THREE_PUBLIC_PARTS:
        x, y = show(row_a.amount(f"本年.{part}")), show(row_b.amount(f"本年.{part}"))
        if x != y:
            changes.append(Change("“三公”经费", part, part, CHANGED, x, y))

    # 政府采购 by category
    for row_x, row_y in zip(old.rows("政府采购")[1:], new.rows("政府采购")[1:]):
        x, y = show(row_x.amount("总计")), show(row_y.amount("总计"))
        if x != y:
            changes.append(Change("政府采购", row_y.fields["项目"], row_y.fields["项目"], CHANGED, x, y))

    # projects
    if not old.doc.projects and new.doc.projects:
        notes.append("旧文件未列项目，未比较项目")
        pairs, removed, added = [], [], []
    else:
        pairs, removed, added = _match_projects(list(old.doc.projects), list(new.doc.projects))
    for p in added:
        changes.append(Change("项目", p.code, p.name, ADDED, None, _project_total(p, new.doc.unit, unit), "金额"))
    for p in removed:
        changes.append(Change("项目", p.code, p.name, REMOVED, _project_total(p, old.doc.unit, unit), None, "金额"))
    for p, q in pairs:
        if p.name != q.name:
            changes.append(Change("项目", q.code, q.name, RENAMED, p.name, q.name))
        if p.function_code != q.function_code:
            changes.append(Change("项目", q.code, q.name, CHANGED, p.function_code, q.function_code, "科目编码"))
        x, y = _project_total(p, old.doc.unit, unit), _project_total(q, new.doc.unit, unit)
        if x != y:
            changes.append(Change("项目", q.code, q.name, CHANGED, x, y, "金额"))
        changes += _indicators("项目绩效指标", {i.level3: i for i in p.indicators},
                               {i.level3: i for i in q.indicators}, key=q.code)

    # 整体绩效目标 indicators
    ind_a = {i.name: i for i in old.doc.performance.indicators}
    ind_b = {i.name: i for i in new.doc.performance.indicators}
    if not ind_a and ind_b:
        notes.append("旧文件未列整体绩效指标，未比较整体绩效指标")
        ind_b = {}
    changes += _indicators("整体绩效指标", ind_a, ind_b, field="指标值")
    return Report(old_file, new_file, changes, notes)


# -- formats ---------------------------------------------------------------------------------

def _num(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        return format(value, ",.2f")
    return str(value)


def _signed(value: Decimal | None, suffix: str = "") -> str:
    return "" if value is None else f"{'+' if value > 0 else ''}{value:,}{suffix}"


def as_text(report: Report, colour: bool) -> str:
    paint = (lambda text, code: f"\033[{code}m{text}\033[0m") if colour else (lambda text, code: text)
    lines = [f"比较 {report.old_file} → {report.new_file}"]
    if not report.changes:
        lines.append("没有变化")
    section = None
    for c in report.changes:
        if c.section != section:
            section = c.section
            lines.append(paint(f"\n{section}", "1"))
        label = f"  {c.key} {c.name}".rstrip() if c.key != c.name else f"  {c.name}"
        field = f"［{c.field}］" if c.field else ""
        if c.kind == ADDED:
            lines.append(paint(f"+ {label}{field}：新增 {_num(c.new)}", "32"))
        elif c.kind == REMOVED:
            lines.append(paint(f"- {label}{field}：删除（原 {_num(c.old)}）", "31"))
        elif c.kind == RENAMED:
            lines.append(paint(f"~ {label}：名称 “{c.old}” → “{c.new}”", "33"))
        else:
            delta = c.delta
            tail = ""
            if delta is not None:
                pct = f"，{_signed(c.percent, '%')}" if c.percent is not None else ""
                tail = f"（{_signed(delta.quantize(Decimal('0.01')))}{pct}）"
            code = "33" if delta is None else ("32" if delta > 0 else "31")
            lines.append(paint(f"~ {label}{field}：{_num(c.old)} → {_num(c.new)}{tail}", code))
    for note in report.notes:
        lines.append(f"\n注：{note}")
    return "\n".join(lines) + "\n"


def as_json(report: Report) -> str:
    return json.dumps({"旧文件": report.old_file, "新文件": report.new_file,
                       "变化": [c.as_json() for c in report.changes], "注": report.notes},
                      ensure_ascii=False, indent=2) + "\n"


def as_markdown(report: Report) -> str:
    out = [f"# 比较 {report.old_file} → {report.new_file}", ""]
    if not report.changes:
        out.append("没有变化。")
    section = None
    for c in report.changes:
        if c.section != section:
            section = c.section
            out += ["", f"## {section}", "", "| 编码 | 名称 | 栏目 | 变化 | 原值 | 新值 | 增减 | 增减% |",
                    "|---|---|---|---|---:|---:|---:|---:|"]
        cells = [c.key, c.name, c.field, c.kind, _num(c.old), _num(c.new), _signed(c.delta),
                 _signed(c.percent, "%")]
        out.append("| " + " | ".join(str(x).replace("|", "\\|") for x in cells) + " |")
    out += [""] + [f"注：{n}" for n in report.notes]
    return "\n".join(out) + "\n"


def as_xlsx(report: Report) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from ..render.xlsx import _set
    wb = Workbook()
    ws = wb.active
    ws.title = "差异"
    header = ["类别", "编码", "名称", "栏目", "变化", "原值", "新值", "增减", "增减%"]
    _set(ws.cell(1, 1), f"比较 {report.old_file} → {report.new_file}", bold=True, border=False)
    for j, text in enumerate(header, start=1):
        _set(ws.cell(2, j), text, bold=True, horizontal="center")
    for i, c in enumerate(report.changes, start=3):
        values = [c.section, c.key, c.name, c.field, c.kind, c.old, c.new, c.delta, c.percent]
        for j, value in enumerate(values, start=1):
            _set(ws.cell(i, j), "" if value is None else value,
                 horizontal="right" if isinstance(value, Decimal) else "left",
                 number_format='0.0"%"' if j == 9 else "#,##0.00")
    for j, width in enumerate([14, 24, 36, 10, 8, 16, 16, 16, 10], start=1):
        ws.column_dimensions[chr(64 + j)].width = width
    ws.freeze_panes = "A3"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
