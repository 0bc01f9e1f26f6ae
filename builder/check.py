"""Cross-checks (勾稽关系) on what the clerk typed and what was computed from it.

Each rule is a small named function returning findings with the YAML line they are about.
`RULES` lists them; `run_checks` runs them all so a clerk sees every problem at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Callable

from . import catalogue
from .compute import ZERO, Facts
from .findings import Finding, error, warning
from .loader import Located
from .model import Source


@dataclass(frozen=True)
class Context:
    facts: Facts
    located: Located
    file: str

    @property
    def dept(self):
        return self.facts.dept

    def line(self, *path) -> int | None:
        return self.located.line_of(tuple(path))


def _fmt(value: Decimal) -> str:
    return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")


def tolerance(ctx: Context, parts: int) -> Decimal:
    """How far two sums of `parts` typed figures may differ and still agree.

    Figures typed in 万元 to 2 decimals each stand for an interval of ±0.005 (they were rounded
    from 元); sums of n such figures are consistent when within n × 0.005 (XBRL Calculations 1.1).
    Figures typed in 元 are exact to the fen.
    """
    return Decimal("0.005") * parts if ctx.dept.unit == "万元" else ZERO


def known_function_codes(ctx: Context) -> list[Finding]:
    names = catalogue.function_names()
    found = []
    places = [(("功能分类支出", i, "科目编码"), l.code, l.name) for i, l in enumerate(ctx.dept.functions)]
    places += [(("项目", i, "科目编码"), p.function_code, None) for i, p in enumerate(ctx.dept.projects)]
    places += [(("上年", "功能分类支出", i, "科目编码"), l.code, None)
               for i, l in enumerate(ctx.dept.previous.functions)]
    for path, code, override in places:
        for part in (code[:3], code[:5], code):
            if part not in names and not (part == code and override):
                level = {7: "项", 5: "款", 3: "类"}[len(part)]
                parent = f"（{code} 的上级科目）" if part != code else ""
                found.append(error(ctx.file, ctx.line(*path),
                                   f"支出功能分类科目表中没有{level}级科目 {part}{parent}；"
                                   f"请核对编码，或在 templates/catalogue/function_codes.csv 中补充",
                                   "known_function_codes"))
                break
    return found


def known_economic_codes(ctx: Context) -> list[Finding]:
    names = catalogue.economic_names()
    found = []
    for i, line in enumerate(ctx.dept.economics):
        for part in (line.code[:3], line.code):
            if part not in names and not (part == line.code and line.name):
                found.append(error(ctx.file, ctx.line("经济分类基本支出", i, "科目编码"),
                                   f"部门预算支出经济分类科目表中没有科目 {part}", "known_economic_codes"))
                break
    return found


def basic_by_function_equals_economic(ctx: Context) -> list[Finding]:
    by_function = sum((l.basic for l in ctx.dept.functions if l.source is Source.GENERAL), ZERO)
    by_economic = sum((l.personnel + l.public for l in ctx.dept.economics), ZERO)
    parts = len(ctx.dept.functions) + len(ctx.dept.economics)
    if not ctx.dept.economics or abs(by_function - by_economic) <= tolerance(ctx, parts):
        return []
    return [error(ctx.file, ctx.line("经济分类基本支出"),
                  f"一般公共预算基本支出按经济分类合计 {_fmt(by_economic)}，按功能分类合计 "
                  f"{_fmt(by_function)}，两者应相等（相差 {_fmt(by_economic - by_function)}）",
                  "basic_by_function_equals_economic")]


THREE_PUBLIC_ECONOMIC = {"因公出国": ("30212",), "公务接待": ("30217",),
                         "公务用车运行维护": ("30231",), "公务用车购置": ("31013",)}


def three_public_covers_basic(ctx: Context) -> list[Finding]:
    """A "三公" item is at least its 经济分类 counterpart in 基本支出 (projects spend on it too)."""
    found = []
    basic = {l.code: l.personnel + l.public for l in ctx.dept.economics}
    for name, codes in THREE_PUBLIC_ECONOMIC.items():
        attr = {"因公出国": "abroad", "公务接待": "reception", "公务用车运行维护": "car_running",
                "公务用车购置": "car_purchase"}[name]
        stated = getattr(ctx.dept.three_public, attr)
        part = sum((basic.get(c, ZERO) for c in codes), ZERO)
        if part > stated:
            found.append(error(ctx.file, ctx.line("三公经费", name) or ctx.line("三公经费"),
                               f"“三公”经费中{name} {_fmt(stated)} 小于基本支出经济分类 "
                               f"{'、'.join(codes)} 的 {_fmt(part)}", "three_public_covers_basic"))
    return found


def project_weights_sum_to_100(ctx: Context) -> list[Finding]:
    found = []
    for i, project in enumerate(ctx.dept.projects):
        weights = [x.weight for x in project.indicators if x.weight is not None]
        if weights and sum(weights, ZERO) != 100:
            found.append(warning(ctx.file, ctx.line("项目", i, "绩效指标"),
                                 f"项目“{project.name}”的绩效指标权重合计 {_fmt(sum(weights, ZERO))}，应为 100",
                                 "project_weights_sum_to_100"))
    return found


def department_weights_sum_to_100(ctx: Context) -> list[Finding]:
    weights = [x.weight for x in ctx.dept.performance.indicators if x.weight is not None]
    if weights and sum(weights, ZERO) != 100:
        return [warning(ctx.file, ctx.line("整体绩效目标", "指标"),
                        f"整体绩效目标的指标权重合计 {_fmt(sum(weights, ZERO))}，应为 100",
                        "department_weights_sum_to_100")]
    return []


RULES: list[Callable[[Context], list[Finding]]] = [
    known_function_codes,
    known_economic_codes,
    basic_by_function_equals_economic,
    three_public_covers_basic,
    project_weights_sum_to_100,
    department_weights_sum_to_100,
]


def run_checks(facts: Facts, located: Located, file: str) -> list[Finding]:
    ctx = Context(facts, located, file)
    return [finding for rule in RULES for finding in rule(ctx)]
