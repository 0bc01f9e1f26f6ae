"""Cross-checks (勾稽关系) of a 部门决算: the carry-overs close, the totals balance, the 06表 adds
up to the 基本支出, the 09表 "三公" cover their 经济分类 lines, the 自评表 agree with the spending.

Each rule is a small named function returning findings with the YAML line they are about; the
check stage runs them with the rules every kind shares. Amounts are compared in 元.
"""

from __future__ import annotations

from decimal import Decimal

from ..check import (
    UNKNOWN,
    Context,
    Rule,
    also_partial,
    basic_by_economic_agrees,
    printed_at,
    repeated,
    stated_figures_agree_with,
    unknown_code,
)
from ..core.catalogue import ECONOMIC, FUNCTION
from ..core.findings import Finding, error, warning
from ..core.numbers import ZERO, as_typed, at_precision, decimals_of, fixed, from_yuan, to_yuan
from .compute import THREE_PUBLIC_BUDGET_PARTS, deviation, function_names, linked_three_public_budget, project_spending
from .narrative import changed_without_reason

# -- codes and duplicates ---------------------------------------------------------------------

@also_partial
def known_function_codes(ctx: Context) -> list[Finding]:
    doc = ctx.model
    named, keys = function_names(doc), {7: "科目名称", 5: "款名称", 3: "类名称"}
    found: list[Finding] = []
    warned: set[str] = set()
    for section, lines in (("财政拨款", doc.funds), ("非财政拨款", doc.others)):
        for i, line in enumerate(lines):
            found += unknown_code(ctx, FUNCTION, "支出功能分类", (section, i, "科目编码"), line.code, named, keys, warned)
    for i, project in enumerate(doc.projects):
        if project.function_code:
            found += unknown_code(ctx, FUNCTION, "支出功能分类", ("项目自评", i, "科目编码"), project.function_code,
                                  named, keys, warned)
    return found


@also_partial
def known_economic_codes(ctx: Context) -> list[Finding]:
    named = {l.code: l.name for l in ctx.model.economics if l.name}
    named |= {l.code[:3]: l.class_name for l in ctx.model.economics if l.class_name}
    found: list[Finding] = []
    warned: set[str] = set()
    for i, line in enumerate(ctx.model.economics):
        found += unknown_code(ctx, ECONOMIC, "部门预算支出经济分类", ("经济分类基本支出", i, "科目编码"), line.code,
                              named, {5: "科目名称", 3: "类名称"}, warned)
    return found


@also_partial
def unique_lines(ctx: Context) -> list[Finding]:
    doc = ctx.model
    return (repeated(ctx, "财政拨款", doc.funds, lambda l: (l.code, l.fund),
                     lambda l: f"财政拨款中科目 {l.code}（{l.fund}）", "unique_lines")
            + repeated(ctx, "非财政拨款", doc.others, lambda l: l.code,
                       lambda l: f"非财政拨款中科目 {l.code} ", "unique_lines")
            + repeated(ctx, "经济分类基本支出", doc.economics, lambda l: l.code,
                       lambda l: f"经济分类基本支出中科目 {l.code} ", "unique_lines")
            + repeated(ctx, "项目自评", doc.projects, lambda p: (p.code, p.name),
                       lambda p: f"项目自评“{p.name}”", "unique_lines", "项目名称"))


# -- carry-overs and totals -------------------------------------------------------------------

def carry_overs_close(ctx: Context) -> list[Finding]:
    """年初结转和结余 + 本年收入 − 本年支出 = 年末结转和结余, per fund and 项, 基本 and 项目 apart:
    never negative, and equal to what the YAML types for it."""
    doc, found = ctx.model, []
    money = lambda amount: to_yuan(amount, doc.unit)
    for i, line in enumerate(doc.funds):
        project_spent = line.spending.project if line.spending.project is not None else \
            project_spending(doc, line.code)
        basic = money(line.opening.basic + line.income.basic - line.spending.basic)
        project = money(line.opening.project + line.opening.surplus + line.income.project - project_spent)
        where = f"{line.code}（{line.fund}）"
        for part, left, typed in (("基本支出", basic, line.closing.basic),
                                  ("项目支出", project, None if line.closing.project is None
                                   else line.closing.project + line.closing.surplus)):
            if left < 0:
                found.append(error(ctx.file, ctx.line("财政拨款", i, "本年支出") or ctx.line("财政拨款", i),
                                   f"{where}的{part}：本年支出超过年初结转和结余与本年收入之和 {ctx.amount(-left)}，"
                                   f"年末结转和结余不能为负", "carry_overs_close"))
            elif typed is not None and money(typed) != left:
                found.append(error(ctx.file, ctx.line("财政拨款", i, "年末结转和结余"),
                                   f"{where}的{part}年末结转和结余填 {as_typed(typed)}，按年初 + 本年收入 − 本年支出"
                                   f"应为 {ctx.amount(left)}", "carry_overs_close"))
        if line.closing.surplus and money(line.closing.surplus) > max(project, ZERO):
            found.append(error(ctx.file, ctx.line("财政拨款", i, "年末结转和结余"),
                               f"{where}的项目支出结余 {as_typed(line.closing.surplus)} 超过项目支出年末结转和结余 "
                               f"{ctx.amount(project)}", "carry_overs_close"))
    s = ctx.facts.scalar
    other = doc.other_balances
    left = s("非财政拨款.年末结转和结余")
    if left < 0:
        found.append(error(ctx.file, ctx.line("非财政拨款结转结余") or ctx.line("非财政拨款"),
                           f"非财政拨款的支出超过其收入、年初结转和结余与使用结余之和 {ctx.amount(-left)}",
                           "carry_overs_close"))
    elif other.closing is not None and money(other.closing) != left:
        found.append(error(ctx.file, ctx.line("非财政拨款结转结余", "年末结转和结余"),
                           f"非财政拨款年末结转和结余填 {as_typed(other.closing)}，按年初 + 收入 + 使用结余 − 支出 − "
                           f"结余分配应为 {ctx.amount(left)}", "carry_overs_close"))
    return found


def totals_balance(ctx: Context) -> list[Finding]:
    """收入总计 = 支出总计 (01表) and the 财政拨款 总计 of both sides (04表), including 使用非财政
    拨款结余, 结余分配 and the carry-overs; where all income is 财政拨款, 01表 = 04表. The 年末
    结转和结余 are derived (a typed one is checked by carry_overs_close), so these hold by
    construction: the rule guards that derivation, as the budget's summary_tables_balance does."""
    s, found = ctx.facts.scalar, []
    pairs = [("收入支出决算表", s("收入.总计"), s("支出.总计")),
             ("财政拨款收入支出决算表", s("收入.财政拨款.合计") + s("年初.财政拨款.合计"),
              s("支出.财政拨款.合计") + s("年末.财政拨款.合计"))]
    if not ctx.model.others:
        pairs.append(("收入支出决算表与财政拨款收入支出决算表的本年收入", s("收入.合计"), s("收入.财政拨款.合计")))
    for table, left, right in pairs:
        if left != right:
            found.append(error(ctx.file, None, f"{table}：收入方 {ctx.amount(left)} 不等于支出方 "
                                               f"{ctx.amount(right)}", "totals_balance"))
    return found


def basic_equals_personnel_and_public(ctx: Context) -> list[Finding]:
    """06表 人员经费合计 + 公用经费合计 = the 一般公共预算财政拨款 基本支出 of 05表."""
    typed = sum(1 for l in ctx.model.funds if l.fund == "一般公共预算" and l.spending.basic)
    return basic_by_economic_agrees(
        ctx, "支出.一般公共预算.基本支出", typed,
        lambda economic, function, gap: (f"06表人员经费合计与公用经费合计之和 {economic} 不等于 05表一般公共预算"
                                         f"财政拨款基本支出 {function}（相差 {gap}）"),
        "basic_equals_personnel_and_public")


def three_public_covers_basic(ctx: Context) -> list[Finding]:
    """A 09表 "三公" item is at least its 06表 经济分类 line (projects spend on it too)."""
    basic = {r.fields["科目编码"]: r.amount("合计") for r in ctx.facts.rows("经济分类基本支出")}
    found = []
    for name, codes in ctx.facts.catalogue.three_public_codes().items():
        stated, part = ctx.facts.scalar(f"三公.{name}"), sum((basic.get(c, ZERO) for c in codes), ZERO)
        code = "、".join(codes)
        if part > stated:
            found.append(error(ctx.file, ctx.line("机构运行信息", "三公经费") or ctx.line("机构运行信息"),
                               f"09表“三公”经费中{name} {ctx.amount(stated)} 小于 06表经济分类 {code} 的 "
                               f"{ctx.amount(part)}", "three_public_covers_basic"))
    return found


def cars_held_match_vehicles(ctx: Context) -> list[Finding]:
    s = ctx.facts.scalar
    held, vehicles = s("三公.公务用车保有量"), s("车辆.合计")
    if vehicles and held != vehicles:
        return [warning(ctx.file, ctx.line("机构运行信息", "三公实物量"),
                        f"公务用车保有量 {as_typed(held)} 辆与资产信息中车辆数合计 {as_typed(vehicles)} 辆不同，请核对",
                        "cars_held_match_vehicles")]
    return []


def running_costs_are_typed(ctx: Context) -> list[Finding]:
    """The 机关运行经费 a profile prints is typed, 0 included: left out, the model's 0 would print
    as if the clerk had said it (a budget that leaves it out prints its 公用经费, with the same 警告)."""
    where = printed_at(ctx.profile, "机关运行经费") if ctx.profile is not None else []
    if not where or "running" in ctx.model.operations.model_fields_set:
        return []
    return [warning(ctx.file, ctx.line("机构运行信息"),
                    f"{'、'.join(where)}印出“机关运行经费”，但本文件“机构运行信息”中没有写“机关运行经费”：印出的是 0。"
                    "请写上 机关运行经费: {行政单位: …, 参照公务员法管理事业单位: …}（没有时写 0）", "running_costs_are_typed")]


# -- the 自评表 ---------------------------------------------------------------------------------

def projects_make_up_project_spending(ctx: Context) -> list[Finding]:
    """The projects' 全年执行数 add up to the 财政拨款 项目支出: per 项 where they name it, else in all.
    A project's 科目编码 names a 项 whose one 财政拨款 line its 全年执行数 makes up (or, typed there,
    is compared with). A 项 with no such line would count it nowhere, one with several lines that
    leave 项目支出 to the projects would count it on each: both refused, at the project and the line."""
    doc = ctx.model
    if not doc.projects:
        return []
    money = lambda amount: to_yuan(amount, doc.unit)
    executed = [p for p in doc.projects if p.executed is not None and p.executed.fiscal is not None]
    lines: dict[str, list[int]] = {}
    for i, line in enumerate(doc.funds):
        lines.setdefault(line.code, []).append(i)
    found = []
    for code, listed in _projects_by_item(doc).items():
        total = sum((money(p.executed.fiscal) for _, p in listed if p.executed.fiscal is not None), ZERO)
        own = lines.get(code, [])
        untyped = [i for i in own if doc.funds[i].spending.project is None]
        if not own:
            first, project = listed[0]
            who = f"项目自评“{project.name}”" + (f"等 {len(listed)} 个项目" if len(listed) > 1 else "")
            found.append(error(ctx.file, ctx.line("项目自评", first, "科目编码"),
                               f"{who}的科目编码是 {code}，但财政拨款中没有这一项：全年执行数 {ctx.amount(total)} "
                               f"不计入任何表的项目支出。请在财政拨款中写上科目 {code}，或改正科目编码",
                               "projects_make_up_project_spending"))
        elif len(own) > 1 and untyped:
            funds = "、".join(doc.funds[i].fund for i in own)
            found.append(error(ctx.file, ctx.line("财政拨款", untyped[0], "本年支出") or ctx.line("财政拨款", untyped[0]),
                               f"科目 {code} 有 {len(own)} 行财政拨款（{funds}），项目自评计入该项的全年执行数 "
                               f"{ctx.amount(total)} 不知属于哪一行（没写项目支出的行都会计入全数）：请在该项每一行的"
                               f"本年支出中写明项目支出", "projects_make_up_project_spending"))
        elif not untyped:
            stated = sum((doc.funds[i].spending.project or ZERO for i in own), ZERO)
            if total != money(stated):
                found.append(error(ctx.file, ctx.line("财政拨款", own[0], "本年支出"),
                                   f"科目 {code} 的项目自评全年执行数合计 {ctx.amount(total)} 与本年项目支出 "
                                   f"{as_typed(stated)} 不等", "projects_make_up_project_spending"))
    if not any(p.function_code for p in executed):
        total = sum((money(p.executed.fiscal) for p in executed), ZERO)
        spent = ctx.facts.scalar("支出.财政拨款.项目支出")
        if total != spent:
            found.append(error(ctx.file, ctx.line("项目自评"),
                               f"项目自评全年执行数合计 {ctx.amount(total)} 与财政拨款项目支出 {ctx.amount(spent)} 不等",
                               "projects_make_up_project_spending"))
    return found


def _projects_by_item(doc) -> dict[str, list]:
    """(index, project) of the projects with a 财政拨款 全年执行数, by the 项 they are charged to."""
    by_code: dict[str, list] = {}
    for j, p in enumerate(doc.projects):
        if p.function_code and p.executed is not None and p.executed.fiscal is not None:
            by_code.setdefault(p.function_code, []).append((j, p))
    return by_code


def _reviews(doc):
    return ([("整体自评", None, doc.review)] if doc.review else []) + \
        [("项目自评", i, p) for i, p in enumerate(doc.projects)]


def execution_within_budget(ctx: Context) -> list[Finding]:
    """全年执行数 never above the 全年（调整）预算数: 执行率 stays within 0–100%."""
    found = []
    for section, i, review in _reviews(ctx.model):
        path = (section,) if i is None else (section, i)
        executed, adjusted = review.executed, review.adjusted
        if executed is None or adjusted is None:
            continue
        # one figure typed for all three rows is one mistake, reported once
        over: dict[tuple, list[str]] = {}
        for row, attr in (("年度总金额", "total"), ("财政拨款", "fiscal"), ("一般公共预算", "general")):
            a, b = getattr(executed, attr), getattr(adjusted, attr)
            if a is not None and b is not None and a > b:
                over.setdefault((a, b), []).append(row)
        for (a, b), rows in over.items():
            which = "" if len(rows) == 3 else "、".join(rows)
            found.append(error(ctx.file, ctx.line(*path, "全年执行数"),
                               f"“{review.name}”{which}全年执行数 {as_typed(a)} 超过全年（调整）预算数 {as_typed(b)}，"
                               f"执行率超过 100%", "execution_within_budget"))
    return found


def review_figures_follow_the_rules(ctx: Context) -> list[Finding]:
    """What the 自评表 derive is not typed differently: the 整体 全年执行数 is this 决算's spending,
    a typed 偏离度 is the one its 指标值 and 全年完成值 give."""
    doc, found = ctx.model, []
    if doc.review is not None and doc.review.executed is not None:
        s = ctx.facts.scalar
        wrong = []
        for row, attr, name in (("年度总金额", "total", "支出.合计"), ("财政拨款", "fiscal", "支出.财政拨款.合计"),
                                ("一般公共预算", "general", "支出.一般公共预算.合计")):
            typed = getattr(doc.review.executed, attr)
            if typed is not None and to_yuan(typed, doc.unit) != s(name):
                wrong.append((row, typed, s(name)))
        if wrong:
            typed = {as_typed(t) for _, t, _ in wrong}
            found.append(error(ctx.file, ctx.line("整体自评", "全年执行数"),
                               f"整体自评全年执行数 {'、'.join(sorted(typed))} 与本决算的支出不等："
                               + "、".join(f"{row}应为 {ctx.amount(right)}" for row, _, right in wrong)
                               + "（可不写，由计算得出）", "review_figures_follow_the_rules"))
    for section, i, review in _reviews(doc):
        for j, x in enumerate(review.indicators):
            rule = deviation(x)
            if x.deviation is not None and rule is not None and x.deviation != rule:
                path = (section, "指标", j) if i is None else (section, i, "指标", j)
                found.append(error(ctx.file, ctx.line(*path, "偏离度") or ctx.line(*path),
                                   f"指标“{x.name}”偏离度填 {as_typed(x.deviation)}，按指标值 {x.value} 与全年完成值 "
                                   f"{x.actual} 应为 {as_typed(rule)}", "review_figures_follow_the_rules"))
    return found


def review_weights_sum_to_100(ctx: Context) -> list[Finding]:
    """Indicator weights add up to the points left after the 执行率权重 (90 beside 10), or to 100
    (then scaled to those points, as the department's 整体自评 is)."""
    found = []
    for section, i, review in _reviews(ctx.model):
        weights = sum((x.weight for x in review.indicators if x.weight is not None), ZERO)
        if weights and weights not in (100 - review.rate_weight, 100):
            path = (section, "指标") if i is None else (section, i, "指标")
            found.append(warning(ctx.file, ctx.line(*path),
                                 f"“{review.name}”的指标权重合计 {as_typed(weights)}，应为 {as_typed(100 - review.rate_weight)}"
                                 f"（100 减执行率权重 {as_typed(review.rate_weight)}）或 100", "review_weights_sum_to_100"))
    return found


def review_results_written(ctx: Context) -> list[Finding]:
    """A 自评表 reports what was achieved: a blank 完成情况 or 全年完成值 (as init leaves them) prints
    an empty cell in a published form — a 警告 at its line until the clerk writes it."""
    found = []
    for section, i, review in _reviews(ctx.model):
        path = (section,) if i is None else (section, i)
        if not review.result:
            found.append(warning(ctx.file, ctx.line(*path, "完成情况") or ctx.line(*path),
                                 f"“{review.name}”的完成情况尚未填写", "review_results_written"))
        for j, x in enumerate(review.indicators):
            if not x.actual:
                found.append(warning(ctx.file, ctx.line(*path, "指标", j, "全年完成值") or ctx.line(*path, "指标", j),
                                     f"“{review.name}”指标“{x.name}”的全年完成值尚未填写", "review_results_written"))
    return found


def three_public_budget_agrees(ctx: Context) -> list[Finding]:
    """A "三公" 预算数 typed in the 决算 and given by the linked 预算文件 too is one figure given
    twice: each typed part equals the linked one rounded half up to the decimals typed, in the
    block's unit; a total the typed parts add up to is within their rounding of the linked
    total. A figure a partial 预算文件 does not give is not compared."""
    block, budget = ctx.model.operations.three_public.budget, ctx.facts.linked.get("预算")
    if block is None or budget is None:
        return []
    unit = block.unit or ctx.model.unit
    linked = linked_three_public_budget(budget)
    typed = {name: getattr(block, attr) for name, attr in THREE_PUBLIC_BUDGET_PARTS.items()}
    place = ("机构运行信息", "三公经费", "预算数")
    found, wrong = [], set()
    for name, ours in typed.items():
        theirs = linked[name]
        if theirs is not None and at_precision(theirs, unit, ours) != ours:
            wrong.add(name)
            found.append(error(ctx.file, ctx.line(*place, name) or ctx.line(*place),
                               f"“三公”经费预算数中{name} {fixed(ours, decimals_of(ours))} {unit} 与预算文件的 "
                               f"{fixed(from_yuan(theirs, unit), decimals_of(ours))} {unit} 不符", "three_public_budget_agrees"))
    for total, parts in (("公务用车购置及运行维护", ("公务用车购置", "公务用车运行维护")), ("合计", tuple(typed))):
        theirs = linked[total]
        if theirs is None or wrong & set(parts):
            continue
        ours = sum((typed[p] for p in parts), ZERO)
        # each non-zero part typed to d decimals stands for ±half a unit of its last decimal
        slack = sum((Decimal(5).scaleb(-decimals_of(typed[p]) - 1) for p in parts if typed[p]), ZERO)
        if abs(to_yuan(ours, unit) - theirs) > to_yuan(slack, unit):
            found.append(error(ctx.file, ctx.line(*place),
                               f"“三公”经费预算数的{total}（各项之和）{fixed(ours, decimals_of(ours))} {unit} 与预算文件的 "
                               f"{fixed(from_yuan(theirs, unit), decimals_of(ours))} {unit} 不符", "three_public_budget_agrees"))
    return found


@also_partial
def stated_figures_agree(ctx: Context) -> list[Finding]:
    facts, doc = ctx.facts, ctx.model
    budget = facts.linked.get("预算")

    def computed(code: str | None, column: str):
        if code is not None and code.startswith("3"):
            if column not in facts.measures.rowsets["经济分类基本支出"]:
                return None
            return next((r.amount(column) for r in facts.rows("经济分类基本支出") if r.fields["科目编码"] == code), None)
        if column in ("上年", "年初预算"):         # a linked file's figures: unknown where it gives none
            if {"上年": "上年", "年初预算": "预算"}[column] not in facts.linked:
                return None
            row = next((r for r in facts.rows("功能分类") if (r.fields.get("科目编码") or "") == (code or "")), None)
            value = row.fields.get(column) if row is not None else None
            return UNKNOWN if value is None else value
        if code is None and column in facts.measures.scalars and not facts.known(column):
            return UNKNOWN
        return facts.figure(column, code)

    def budgeted(code: str | None, column: str):
        """The year's budget of a figure: the "三公" 预算数 (linked or typed), or the linked
        预算's figure under its own name (支出.一般公共预算.合计; 一般公共预算.合计 of a 科目; a
        fund's 财政拨款收入 against its budgeted spending, as the 决算说明 compares them)."""
        if column.startswith("三公."):
            name = "三公.预算." + column.removeprefix("三公.")
            if code is not None or name not in facts.measures.scalars:
                return None
            known = facts.figure(name)
            return known if known is not None else UNKNOWN if budget is not None else None
        if budget is None:
            return None
        theirs = column
        if column.startswith("收入.") and column.endswith(".合计") and column.count(".") == 2:
            theirs = "支出." + column.removeprefix("收入.")
        if not theirs.startswith("支出."):
            return None
        value = budget.figure(theirs.removeprefix("支出.") if code else theirs, code)
        return value if value is not None else UNKNOWN if not budget.lines_known else None

    typed = len(doc.funds) + len(doc.others) + len(doc.economics)
    return stated_figures_agree_with(ctx, computed, lambda code, column: typed, budgeted)


def reasons_for_changes(ctx: Context) -> list[Finding]:
    """The 决算说明 states every change against last year and against the 年初预算; the clerk
    must give its reason."""
    if ctx.narrative is None:
        return []
    make = warning if ctx.incomplete_ok else error
    return [make(ctx.file, ctx.line("说明", section) or ctx.line("说明") or ctx.line("上年文件"),
                 f"{what}，请在 说明 → {section} → {key} 中写明主要原因", "reasons_for_changes")
            for section, key, what in changed_without_reason(ctx.narrative.figures)]


RULES: list[Rule] = [
    unique_lines,
    known_function_codes,
    known_economic_codes,
    carry_overs_close,
    totals_balance,
    basic_equals_personnel_and_public,
    three_public_covers_basic,
    three_public_budget_agrees,
    cars_held_match_vehicles,
    running_costs_are_typed,
    projects_make_up_project_spending,
    execution_within_budget,
    review_figures_follow_the_rules,
    review_weights_sum_to_100,
    review_results_written,
    stated_figures_agree,
    reasons_for_changes,
]
