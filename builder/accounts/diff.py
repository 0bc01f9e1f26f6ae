"""Compare 部门决算: two years (or two drafts), and a 决算 with its 预算 — budget against actual by
科目, the question every reviewer asks.

Rows are matched by key (科目编码, 项目编码 then 项目名称, indicator name), so re-ordered lists are
not changes; money is compared in 元 and shown in the new file's unit. Every figure a line holds is
compared, as a part of the line (builder/compare.py): a 项's 基本支出 and 项目支出, the funds it is
spent from, its 收入 by source and its 财政拨款 结转和结余; an 经济分类 款's 人员经费 and 公用经费.
"""

from __future__ import annotations

from ..compare import ADDED, CHANGED, REMOVED, RENAMED, Change, Parts, Report, indicators, keyed, match_projects, subject_lines, texts
from ..core.catalogue import FUNDS
from ..core.document import Computed
from ..core.fields import aliases
from ..core.numbers import from_yuan, to_yuan
from .compute import INCOME, SPENDING, planned_projects
from .model import SelfReview

TOTALS = {"收入.总计": "收入总计", "支出.总计": "支出总计", "支出.合计": "本年支出合计", "支出.基本支出": "基本支出",
          "支出.项目支出": "项目支出", "支出.一般公共预算.合计": "一般公共预算财政拨款支出",
          "经济分类.人员经费": "人员经费", "经济分类.公用经费": "公用经费", "三公.合计": "“三公”经费",
          "会议费": "会议费", "培训费": "培训费", "差旅费": "差旅费", "机关运行经费": "机关运行经费",
          "支出.年末结转和结余": "年末结转和结余", "政府采购.合计": "政府采购"}
THREE_PUBLIC = ("因公出国", "公务用车购置", "公务用车运行维护", "公务接待")
# the parts of a 功能分类 项's 本年支出合计: by kind of spending, by the fund it is spent from; its
# 收入 by source; and its 财政拨款 结转和结余 at the start and the end of the year (figures of their own)
FUNCTION_PARTS: Parts = (tuple((f"支出.{k}", k) for k in SPENDING),
                         tuple((f"支出.{fund}.合计", f"{fund}财政拨款支出") for fund in FUNDS),
                         (("收入.财政拨款", "财政拨款收入"), *((f"收入.{k}", k) for k in INCOME)),
                         (("年初.财政拨款.合计", "年初财政拨款结转和结余"),),
                         (("年末.财政拨款.合计", "年末财政拨款结转和结余"),))
ECONOMIC_PARTS: Parts = ((("人员经费", "人员经费"), ("公用经费", "公用经费")),)
REVIEW_TEXTS = aliases(SelfReview, "年初绩效目标", "全年绩效目标", "完成情况")


def diff(older: Computed, newer: Computed) -> Report:
    """Two 部门决算."""
    old, new = older.facts, newer.facts
    old_file, new_file = older.file, newer.file
    unit = newer.model.unit
    show = lambda yuan: None if yuan is None else from_yuan(yuan, unit)
    changes: list[Change] = []
    notes: list[str] = []
    for key, label in TOTALS.items():
        a, b = show(old.figure(key)), show(new.figure(key))
        if a is not None and b is not None and a != b:
            changes.append(Change("合计", label, label, CHANGED, a, b))
    if older.model.partial:
        notes.append("旧文件只含部分已公布数，只比较了这些合计数")
        return Report(old_file, new_file, unit, changes, notes)
    changes += subject_lines("功能分类科目", old, new, "功能分类", "项", "支出.合计", "本年支出合计", FUNCTION_PARTS, unit)
    changes += subject_lines("经济分类科目", old, new, "经济分类基本支出", "款", "合计", "基本支出", ECONOMIC_PARTS, unit)
    for part in THREE_PUBLIC:
        x, y = show(old.scalar(f"三公.{part}")), show(new.scalar(f"三公.{part}"))
        if x != y:
            changes.append(Change("“三公”经费", part, part, CHANGED, x, y))
    pairs, removed, added = match_projects(list(older.model.projects), list(newer.model.projects))
    executed = lambda document, p: (show(to_yuan(p.executed.fiscal, document.model.unit))
                                    if p.executed and p.executed.fiscal is not None else None)
    for p in added:
        changes.append(Change("项目自评", p.code or "", p.name, ADDED, None, executed(newer, p), "全年执行数"))
    for p in removed:
        changes.append(Change("项目自评", p.code or "", p.name, REMOVED, executed(older, p), None, "全年执行数"))
    for p, q in pairs:
        key = q.code or ""
        if p.name != q.name:
            changes.append(Change("项目自评", key, q.name, RENAMED, p.name, q.name))
        x, y = executed(older, p), executed(newer, q)
        if x != y:
            changes.append(Change("项目自评", key, q.name, CHANGED, x, y, "全年执行数"))
        changes += texts("项目自评", key, q.name, {k: getattr(p, a) for k, a in REVIEW_TEXTS.items()},
                         {k: getattr(q, a) for k, a in REVIEW_TEXTS.items()})
        changes += indicators("项目绩效指标", {i.name: i for i in p.indicators}, {i.name: i for i in q.indicators},
                              key=key or q.name)
    if older.model.review and newer.model.review:
        changes += indicators("整体绩效指标", {i.name: i for i in older.model.review.indicators},
                              {i.name: i for i in newer.model.review.indicators})
    return Report(old_file, new_file, unit, changes, notes)


def budget_against_actual(budgeted: Computed, actual_year: Computed) -> Report:
    """A 决算 against its year's 预算: each 科目's 年初预算数 (一般公共预算) against its 决算数, the
    totals, the "三公" and each project's budget against its 全年执行数. The 预算 is another kind:
    it is read by its facts (measures and records), never by its model."""
    budget, actual = budgeted.facts, actual_year.facts
    budget_file, actual_file = budgeted.file, actual_year.file
    unit = actual_year.model.unit
    show = lambda yuan: None if yuan is None else from_yuan(yuan, unit)
    changes: list[Change] = []
    notes = ["左为年初预算数，右为决算数"]
    for budget_key, actual_key, label in (("支出.合计", "支出.合计", "支出合计"),
                                          ("支出.一般公共预算.合计", "支出.一般公共预算.合计", "一般公共预算财政拨款支出"),
                                          ("支出.基本支出", "支出.基本支出", "基本支出"),
                                          ("支出.项目支出", "支出.项目支出", "项目支出"),
                                          ("本年.总计", "三公.合计", "“三公”经费")):
        a, b = show(budget.figure(budget_key)), show(actual.figure(actual_key))
        if a is not None and b is not None and a != b:
            changes.append(Change("合计", label, label, CHANGED, a, b))
    for level in ("类", "款", "项"):
        planned = {r.fields["科目编码"]: r for r in budget.rows("功能分类") if r.level == level}
        spent = {r.fields["科目编码"]: r for r in actual.rows("功能分类") if r.level == level}
        figures = {code: show(budget.figure("一般公共预算.合计", code)) for code in set(planned) | set(spent)}
        in_budget = {code: value for code, value in figures.items() if value}
        if not in_budget:
            notes.append(f"预算文件未列{level}级科目的数字，未按{level}比较")
            continue
        executed = {code: show(r.amount("支出.一般公共预算.合计"))
                    for code, r in spent.items() if r.amount("支出.一般公共预算.合计")}
        names = {code: r.fields["科目名称"] for code, r in {**planned, **spent}.items()}
        changes += keyed(f"功能分类科目（{level}）", in_budget, executed, names, names, "一般公共预算")
    for part in THREE_PUBLIC:
        a, b = show(budget.figure(f"本年.{part}")), show(actual.scalar(f"三公.{part}"))
        if a is not None and a != b:
            changes.append(Change("“三公”经费", part, part, CHANGED, a, b))
    pairs, removed, added = match_projects(planned_projects(budget), list(actual_year.model.projects))
    for p, q in pairs:
        a = show(p.total)
        b = show(to_yuan(q.executed.fiscal, actual_year.model.unit)) if q.executed and q.executed.fiscal is not None else None
        if a != b:
            changes.append(Change("项目", q.code or "", q.name, CHANGED, a, b, "全年执行数"))
    for p in added:
        changes.append(Change("项目", p.code or "", p.name, ADDED, None, None, "预算中没有"))
    for p in removed:
        changes.append(Change("项目", p.code or "", p.name, REMOVED, show(p.total), None,
                              "决算中没有"))
    return Report(budget_file, actual_file, unit, changes, notes)
