"""What a table needs from the YAML beyond the base data, and whether the YAML has it.

A profile lists a table's needs (`requires:`) by name. A table whose needs are not met is never
drawn empty as if complete: the build stops with an error naming the table and the missing data
(or, with --allow-incomplete, leaves that table out and says so).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Callable, Iterator

from ..core.numbers import as_typed
from .model import Department

# name → function yielding (what is missing, YAML path to point at)
Need = Callable[[Department], Iterator[tuple[str, tuple]]]


def _projects_have_amounts(dept: Department):
    for i, p in enumerate(dept.projects):
        if p.split is None:
            yield f"项目“{p.name}”的金额（项目.金额）", ("项目", i)


def _projects_split(dept: Department):
    for i, p in enumerate(dept.projects):
        if p.split is not None and p.split.unsplit:
            yield (f"项目“{p.name}”金额在人员性项目、一般性项目、民生配套项目、提前下达专项、结转项目、"
                   f"市级专项各列的分列（只给了总数）", ("项目", i, "金额"))


def _projects_complete(dept: Department):
    """Every 项's 项目支出 is made up by its listed projects (no unitemised remainder)."""
    for i, line in enumerate(dept.functions):
        if line.project is None:
            continue
        listed = sum((p.split.total for p in dept.projects
                      if p.function_code == line.code and p.split is not None), Decimal(0))
        if listed != line.project:
            yield (f"科目 {line.code} 的全部项目及金额（已列项目合计 {as_typed(listed)}，项目支出 {as_typed(line.project)}）",
                   ("功能分类支出", i, "项目支出"))


def _key(attr: str, alias: str) -> Need:
    def need(dept: Department):
        if getattr(dept, attr) is None:
            yield f"“{alias}”", ()
    return need


def _project_codes(dept: Department):
    for i, p in enumerate(dept.projects):
        if not p.code:
            yield f"项目“{p.name}”的项目编码", ("项目", i)


def _project_function_codes(dept: Department):
    for i, p in enumerate(dept.projects):
        if not p.function_code:
            yield f"项目“{p.name}”的科目编码", ("项目", i)


def _department_code(dept: Department):
    if not dept.code:
        yield "“部门编码”", ()


def _meetings_training(dept: Department):
    if dept.three_public.meetings is None or dept.three_public.training is None:
        yield "“三公经费”中的“会议费”和“培训费”", ("三公经费",)


NEEDS: dict[str, Need] = {
    "项目金额": _projects_have_amounts,
    "项目金额分列": _projects_split,
    "项目完整": _projects_complete,
    "经济分类项目支出": _key("economics_project", "经济分类项目支出"),
    "政府经济分类基本支出": _key("gov_economics_basic", "政府经济分类基本支出"),
    "政府经济分类项目支出": _key("gov_economics_project", "政府经济分类项目支出"),
    "会议费培训费": _meetings_training,
    "项目编码": _project_codes,
    "项目科目编码": _project_function_codes,
    "部门编码": _department_code,
    "固定资产": _key("fixed_assets", "固定资产"),
}


def missing(dept: Department, requires: list[str]) -> list[tuple[str, tuple]]:
    return [item for name in requires for item in NEEDS[name](dept)]
