"""Compare two 部门预算 (two years, or two drafts) by meaning, not by text line.

Rows are matched by key — 科目编码, 项目编码 (then 项目名称), indicator name — so re-ordered lists
and moved keys are not changes; a changed name under the same key is a rename. Every figure a line
holds is compared, as a part of the line (builder/compare.py): a 项's 基本支出, 项目支出 and the
收入 columns that fund it, an 经济分类 款's 人员经费 and 公用经费, a project's split. Money is compared
exactly (both files' figures are in 元 after compute) and shown in the new file's unit. The
clerk's texts (项目概况, 终止时间, 增减原因 …) are compared too. Sections the old file does not
carry at all (a partial previous-year file) are skipped with a note instead of listing every row
as new.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Callable

from ..compare import ADDED, CHANGED, REMOVED, RENAMED, Change, Parts, Report, indicators, line_parts, match_projects, subject_lines, texts
from ..core.document import Computed
from ..core.facts import TEXT
from ..core.fields import aliases
from ..core.numbers import ZERO, from_yuan, to_yuan
from .compute import EXPENDITURE_KINDS, INCOME_COLUMNS, THREE_PUBLIC_PARTS
from .model import Department, Project, ProjectSplit

TOTALS = {"收入.总计": "收入总计", "支出.合计": "支出合计", "支出.基本支出": "基本支出",
          "支出.项目支出": "项目支出", "支出.一般公共预算.合计": "一般公共预算财政拨款支出",
          "经济分类.人员经费": "人员经费", "经济分类.公用经费": "公用经费", "机关运行经费": "机关运行经费",
          "支出.政府性基金.合计": "政府性基金预算财政拨款支出", "支出.国有资本经营.合计": "国有资本经营预算财政拨款支出",
          "本年.总计": "“三公”经费", "政府采购.总计": "政府采购"}
# the parts of a 功能分类 项's 合计: by kind of spending, and by the 收入 column that funds it
FUNCTION_PARTS: Parts = (tuple((k, k) for k in EXPENDITURE_KINDS if k != "合计"),
                         tuple((f"收入.{c}", c) for c in INCOME_COLUMNS))
ECONOMIC_PARTS: Parts = ((("人员经费", "人员经费"), ("公用经费", "公用经费")),)
SPLIT = aliases(ProjectSplit)             # a project's 项目支出明细表 columns, 金额's parts
PROJECT_TEXTS = aliases(Project, "项目属性", "起始时间", "终止时间", "项目概况", "立项依据", "绩效目标", "预算单位")


def _project_total(project: Project, typed: str, unit: str) -> Decimal | None:
    return None if project.split is None else from_yuan(to_yuan(project.split.total, typed), unit)


def _split_amounts(split: ProjectSplit, typed: str) -> Callable[[str], Decimal]:
    """A project's split column (by its YAML name) in 元."""
    return lambda column: to_yuan(getattr(split, SPLIT[column]), typed)


def _notes(old: Department, new: Department) -> list[Change]:
    changes = []
    for alias, attr in aliases(type(new.notes)).items():
        a, b = getattr(old.notes, attr), getattr(new.notes, attr)
        if isinstance(a, dict):
            changes += texts("说明", alias, alias, a, b)
        elif a != b:
            changes.append(Change("说明", alias, alias, CHANGED, a, b, "", TEXT))
    return changes


def diff(older: Computed, newer: Computed) -> Report:
    old, new = older.facts, newer.facts
    old_file, new_file = older.file, newer.file
    a_doc, b_doc = older.model, newer.model
    unit = b_doc.unit                         # both compared in the new file's unit
    show = lambda yuan: from_yuan(yuan, unit)
    changes: list[Change] = []
    notes: list[str] = []

    has_economics = lambda d: bool(d.economics) or d.running_costs is not None
    for key, label in TOTALS.items():
        if key.startswith("经济分类.") and not (a_doc.economics and b_doc.economics):
            continue
        if key == "机关运行经费" and not (has_economics(a_doc) and has_economics(b_doc)):
            continue
        if key in old.fallbacks or key in new.fallbacks:
            # a figure one file does not give (its 机关运行经费 would be its 公用经费): not compared
            which = "、".join(w for w, f in (("旧文件", old), ("新文件", new)) if key in f.fallbacks)
            typed = (old.fallbacks.get(key) or new.fallbacks[key]).key
            notes.append(f"{which}没有写“{typed}”，未比较{label}")
            continue
        a, b = show(old.scalar(key)), show(new.scalar(key))
        if a != b:
            changes.append(Change("合计", label, label, CHANGED, a, b))
    # the further spending categories (单位预留机动经费 …) either file types, like 基本支出
    for category in dict.fromkeys((*a_doc.categories(), *b_doc.categories())):
        key = f"支出.{category}"
        a, b = show(old.scalars.get(key, ZERO)), show(new.scalars.get(key, ZERO))
        if a != b:
            changes.append(Change("合计", category, category, CHANGED, a, b))

    # a 项's further categories are parts of its line beside 基本/项目支出
    kinds, income = FUNCTION_PARTS
    categories = tuple((c, c) for c in dict.fromkeys((*a_doc.categories(), *b_doc.categories())))
    changes += subject_lines("功能分类科目", old, new, "功能分类", "项", "合计", "合计", (kinds + categories, income), unit)

    if a_doc.economics and b_doc.economics:
        changes += subject_lines("经济分类科目", old, new, "经济分类基本支出", "款", "合计", "基本支出", ECONOMIC_PARTS, unit)
    elif b_doc.economics:
        notes.append("旧文件未列经济分类基本支出，未比较经济分类")

    row_a, row_b = old.rows("三公经费")[0], new.rows("三公经费")[0]
    for part in THREE_PUBLIC_PARTS:
        x, y = show(row_a.amount(f"本年.{part}")), show(row_b.amount(f"本年.{part}"))
        if x != y:
            changes.append(Change("“三公”经费", part, part, CHANGED, x, y))

    for row_x, row_y in zip(old.rows("政府采购")[1:], new.rows("政府采购")[1:]):
        x, y = show(row_x.amount("总计")), show(row_y.amount("总计"))
        if x != y:
            changes.append(Change("政府采购", row_y.fields["项目"], row_y.fields["项目"], CHANGED, x, y))

    pairs: list[tuple[Project, Project]] = []
    removed: list[Project] = []
    added: list[Project] = []
    if not a_doc.projects and b_doc.projects:
        notes.append("旧文件未列项目，未比较项目")
    else:
        pairs, removed, added = match_projects(list(a_doc.projects), list(b_doc.projects))
    for p in added:
        changes.append(Change("项目", p.code or "", p.name, ADDED, None, _project_total(p, b_doc.unit, unit), "金额"))
    for p in removed:
        changes.append(Change("项目", p.code or "", p.name, REMOVED, _project_total(p, a_doc.unit, unit), None, "金额"))
    for p, q in pairs:
        key = q.code or ""
        if p.name != q.name:
            changes.append(Change("项目", key, q.name, RENAMED, p.name, q.name))
        if p.function_code != q.function_code:
            changes.append(Change("项目", key, q.name, CHANGED, p.function_code, q.function_code, "科目编码", TEXT))
        total_x, total_y = _project_total(p, a_doc.unit, unit), _project_total(q, b_doc.unit, unit)
        if total_x != total_y:
            changes.append(Change("项目", key, q.name, CHANGED, total_x, total_y, "金额"))
        if p.split is not None and q.split is not None and total_x is not None and total_y is not None:
            changes += line_parts("项目", key, q.name, "金额", (total_x, total_y),
                                  (_split_amounts(p.split, a_doc.unit), _split_amounts(q.split, b_doc.unit)),
                                  (tuple((f, f) for f in SPLIT),), unit)
        changes += texts("项目", key, q.name, {k: getattr(p, a) or "" for k, a in PROJECT_TEXTS.items()},
                         {k: getattr(q, a) or "" for k, a in PROJECT_TEXTS.items()})
        changes += indicators("项目绩效指标", {i.level3: i for i in p.indicators},
                              {i.level3: i for i in q.indicators}, key=key or q.name)

    ind_a = {i.name: i for i in a_doc.performance.indicators}
    ind_b = {i.name: i for i in b_doc.performance.indicators}
    if not ind_a and ind_b:
        notes.append("旧文件未列整体绩效指标，未比较整体绩效指标")
        ind_b = {}
    changes += indicators("整体绩效指标", ind_a, ind_b, label="指标值")
    if a_doc.performance.goal and a_doc.performance.goal != b_doc.performance.goal:
        changes.append(Change("整体绩效目标", "目标", "目标", CHANGED, a_doc.performance.goal,
                              b_doc.performance.goal, "", TEXT))
    if a_doc.notes != type(a_doc.notes)():
        changes += _notes(a_doc, b_doc)
    return Report(old_file, new_file, unit, changes, notes)
