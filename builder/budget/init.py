"""Start next year from this year: `init --from LAST.yaml --year N`.

The new file keeps the structure — 科目, projects with their texts and indicators, the
整体绩效目标, the descriptions — links last year's file as 上年文件, and leaves every figure of
the new year blank (with last year's value in a comment) so that nothing is carried over by
accident: the builder refuses a blank figure until the clerk re-enters it.
"""

from __future__ import annotations

import json
import os
from decimal import Decimal
from pathlib import Path

from .compute import PROJECT_COLUMNS, THREE_PUBLIC_PARTS
from .model import Department, Notes


def _q(text: str) -> str:
    """A YAML scalar for any text: JSON's double-quoted form is valid YAML."""
    return json.dumps(text, ensure_ascii=False)


def _text(key: str, text: str, indent: str) -> list[str]:
    if "\n" in text.strip() and not text[:1].isspace():
        body = [f"{indent}  {line}".rstrip() for line in text.rstrip("\n").split("\n")]
        return [f"{indent}{key}: |"] + body
    return [f"{indent}{key}: {_q(text)}"]


def _was(value: Decimal) -> str:
    return f"  # 上年 {format(value.normalize(), 'f')}" if value else ""


def next_year_yaml(last: Department, last_path: Path, year: int, out_path: Path) -> str:
    link = os.path.relpath(last_path.resolve(), out_path.resolve().parent)
    lines = [f"# {last.name} {year} 年部门预算 — 由 {last_path.name} 生成（budget-builder init）。",
             "# 结构、项目、绩效指标和文字说明沿用上年；本年各项金额留空，须逐项重新填写。",
             f"部门: {_q(last.name)}", f"部门简称: {_q(last.short_name)}"]
    if last.code:
        lines.append(f"部门编码: {_q(last.code)}")
    lines.append(f"年度: {year}")
    if last.profile:
        lines.append(f"方案: {_q(last.profile)}")
    lines += [f"金额单位: {last.unit}", f"上年文件: {_q(link)}", "", "说明:"]
    notes = last.notes
    for field_name, field in Notes.model_fields.items():
        value = getattr(notes, field_name)
        if field_name == "reasons":
            lines.append("  增减原因: {}   # 与上年相比有增减的，写明主要原因（收支、基本支出、项目支出 …）")
        elif value:
            lines += _text(field.alias, value, "  ")

    lines += ["", "功能分类支出:"]
    for line in last.functions:
        parts = [f"科目编码: {_q(line.code)}"]
        if line.basic or line.project is None:
            parts.append("基本支出: ")
        if line.project is not None:
            parts.append("项目支出: ")
        if line.source.value != "一般公共预算":
            parts.append(f"资金来源: {line.source.value}")
        lines.append(f"  - {{{', '.join(parts)}}}{_was(line.basic + (line.project or 0))}")

    if last.economics:
        lines += ["", "经济分类基本支出:"]
        for line in last.economics:
            parts = [f"科目编码: {_q(line.code)}"]
            parts += [f"{key}: " for key, value in (("人员经费", line.personnel), ("公用经费", line.public)) if value]
            lines.append(f"  - {{{', '.join(parts)}}}{_was(line.personnel + line.public)}")

    tp = last.three_public
    lines += ["", "三公经费:"]
    for key, attr in THREE_PUBLIC_PARTS.items():
        value = getattr(tp, attr)
        lines.append(f"  {key}: {_was(value).replace('  #', '   #') or ''}".rstrip())
    lines += ["", "政府采购: []   # 本年政府采购预算，逐项填写（类别、金额 …）"]

    if last.projects:
        lines += ["", "项目:"]
    for p in last.projects:
        lines += [f"  - 项目名称: {_q(p.name)}"]
        if p.code:
            lines.append(f"    项目编码: {_q(p.code)}")
        if p.function_code:
            lines.append(f"    科目编码: {_q(p.function_code)}")
        if p.unit:
            lines.append(f"    预算单位: {_q(p.unit)}")
        if p.source.value != "一般公共预算":
            lines.append(f"    资金来源: {p.source.value}")
        if p.split is not None:
            split = p.split
            keys = [column for column, attr in PROJECT_COLUMNS.items() if getattr(split, attr)]
            amount = ("{" + ", ".join(f"{k}: " for k in keys) + "}") if keys else ""
            lines.append(f"    金额: {amount}{_was(split.total)}")
        if p.key_project:
            lines.append("    重点项目: true")
        for alias, value in (("项目属性", p.attribute), ("起始时间", p.start), ("终止时间", p.end),
                             ("项目概况", p.overview), ("立项依据", p.basis), ("绩效目标", p.goal)):
            if value:
                lines += _text(alias, value, "    ")
        if p.indicators:
            lines.append("    绩效指标:")
            for x in p.indicators:
                lines.append("      - " + _flow(x))
    perf = last.performance
    if perf.goal or perf.indicators:
        lines += ["", "整体绩效目标:"]
        if perf.goal:
            lines += _text("目标", perf.goal, "  ")
        if perf.indicators:
            lines.append("  指标:")
            lines += ["    - " + _flow(x) for x in perf.indicators]
    return "\n".join(lines) + "\n"


def _flow(model) -> str:
    """One indicator as a flow mapping, by alias, leaving out empty fields."""
    parts = []
    for name, field in type(model).model_fields.items():
        value = getattr(model, name)
        if value in ("", None):
            continue
        shown = format(value.normalize(), "f") if isinstance(value, Decimal) else _q(value)
        parts.append(f"{field.alias}: {shown}")
    return "{" + ", ".join(parts) + "}"
