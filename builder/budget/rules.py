"""Cross-checks (勾稽关系) of a 部门预算: what the clerk typed and what was computed from it.

Each rule is a small named function returning findings with the YAML line they are about; the
check stage runs them all (with the rules every kind shares) so a clerk sees every problem at
once. Amounts are compared in 元 (the facts' unit) and reported in the file's unit.
"""

from __future__ import annotations

from decimal import Decimal

from ..check import (
    UNKNOWN,
    Context,
    Rule,
    Unknown,
    agree,
    also_partial,
    basic_by_economic_agrees,
    repeated,
    stated_figures_agree_with,
    unknown_code,
)
from ..core.catalogue import ECONOMIC, FUNCTION, GOV_ECONOMIC
from ..core.findings import Finding, error, warning
from ..core.numbers import ZERO, as_typed, at_precision, to_yuan
from .compute import THREE_PUBLIC_PARTS, function_names, previous_lines
from .model import Project, Source
from .narrative import changed_without_reason


def _yuan(ctx: Context, amount: Decimal) -> Decimal:
    return to_yuan(amount, ctx.model.unit)


# -- codes ------------------------------------------------------------------------------------

@also_partial
def known_function_codes(ctx: Context) -> list[Finding]:
    dept = ctx.model
    named = function_names(dept)
    keys = {7: "科目名称", 5: "款名称", 3: "类名称"}
    places: list[tuple[tuple, str]] = [(("功能分类支出", i, "科目编码"), l.code) for i, l in enumerate(dept.functions)]
    places += [(("项目", i, "科目编码"), p.function_code) for i, p in enumerate(dept.projects) if p.function_code]
    places += [(("上年", "功能分类支出", i, "科目编码"), l.code) for i, l in enumerate(dept.previous.functions)]
    found: list[Finding] = []
    warned: set[str] = set()
    for path, code in places:
        found += unknown_code(ctx, FUNCTION, "支出功能分类", path, code, named, keys, warned)
    return found


@also_partial
def known_economic_codes(ctx: Context) -> list[Finding]:
    dept = ctx.model
    keys = {5: "科目名称", 3: "类名称"}
    found: list[Finding] = []
    warned: set[str] = set()
    sections = [("经济分类基本支出", dept.economics), ("经济分类项目支出", dept.economics_project or ()),
                ("政府经济分类基本支出", dept.gov_economics_basic or ()),
                ("政府经济分类项目支出", dept.gov_economics_project or ())]
    for section, lines in sections:
        named: dict[str, str] = {}
        for line in lines:
            if line.name:
                named.setdefault(line.code, line.name)
            if line.class_name:
                named.setdefault(line.code[:3], line.class_name)
        for i, line in enumerate(lines):
            classification = GOV_ECONOMIC if line.code.startswith("5") else ECONOMIC
            what = "政府预算支出经济分类" if classification == GOV_ECONOMIC else "部门预算支出经济分类"
            found += unknown_code(ctx, classification, what, (section, i, "科目编码"), line.code, named, keys,
                                   warned)
    return found


# -- identities --------------------------------------------------------------------------------

def basic_by_function_equals_economic(ctx: Context) -> list[Finding]:
    typed = sum(1 for l in ctx.model.functions if l.source.value == "一般公共预算" and l.basic)
    return basic_by_economic_agrees(
        ctx, "一般公共预算.基本支出", typed,
        lambda economic, function, gap: (f"一般公共预算基本支出按经济分类合计 {economic}，按功能分类合计 "
                                         f"{function}，两者应相等（相差 {gap}）"),
        "basic_by_function_equals_economic", lambda function: f"；各表的基本支出均按功能分类的 {function} 列示")


def three_public_covers_basic(ctx: Context) -> list[Finding]:
    """A "三公" item is at least its 经济分类 counterpart in 基本支出 (projects spend on it too).
    "三公" typed in a unit of their own (金额单位: 万元 in a 元 file) are figures quoted at the
    precision typed: the 经济分类 side is compared rounded half up to it."""
    found = []
    tp = ctx.model.three_public
    quoted = tp.unit if tp.unit and tp.unit != ctx.model.unit else None
    basic = {r.fields["科目编码"]: r.amount("合计") for r in ctx.facts.rows("经济分类基本支出")}
    for name, codes in ctx.facts.catalogue.three_public_codes().items():
        stated = ctx.facts.scalar(f"本年.{name}")
        part = sum((basic.get(c, ZERO) for c in codes), ZERO)
        typed = getattr(tp, THREE_PUBLIC_PARTS[name]) if quoted and name in THREE_PUBLIC_PARTS else None
        if typed is not None and quoted is not None:
            over, shown = at_precision(part, quoted, typed) > typed, f"{as_typed(typed)} {quoted}"
            part_shown = f"{as_typed(at_precision(part, quoted, typed))} {quoted}"
        else:
            over, shown, part_shown = part > stated, ctx.amount(stated), ctx.amount(part)
        if over:
            found.append(error(ctx.file, ctx.line("三公经费", name) or ctx.line("三公经费"),
                               f"“三公”经费中{name} {shown} 小于基本支出经济分类 "
                               f"{'、'.join(codes)} 的 {part_shown}", "three_public_covers_basic"))
    return found


def project_weights_sum_to_100(ctx: Context) -> list[Finding]:
    found = []
    for i, project in enumerate(ctx.model.projects):
        weights = [x.weight for x in project.indicators if x.weight is not None]
        if weights and sum(weights, ZERO) != 100:
            found.append(warning(ctx.file, ctx.line("项目", i, "绩效指标"),
                                 f"项目“{project.name}”的绩效指标权重合计 {as_typed(sum(weights, ZERO))}，应为 100",
                                 "project_weights_sum_to_100"))
    return found


def department_weights_sum_to_100(ctx: Context) -> list[Finding]:
    weights = [x.weight for x in ctx.model.performance.indicators if x.weight is not None]
    if weights and sum(weights, ZERO) != 100:
        return [warning(ctx.file, ctx.line("整体绩效目标", "指标"),
                        f"整体绩效目标的指标权重合计 {as_typed(sum(weights, ZERO))}，应为 100",
                        "department_weights_sum_to_100")]
    return []


@also_partial
def unique_function_lines(ctx: Context) -> list[Finding]:
    return repeated(ctx, "功能分类支出", ctx.model.functions, lambda l: (l.code, l.source),
                     lambda l: f"功能分类支出中科目 {l.code}（{l.source.value}）", "unique_function_lines")


@also_partial
def unique_economic_lines(ctx: Context) -> list[Finding]:
    return repeated(ctx, "经济分类基本支出", ctx.model.economics, lambda l: l.code,
                     lambda l: f"经济分类基本支出中科目 {l.code} ", "unique_economic_lines")


@also_partial
def unique_projects(ctx: Context) -> list[Finding]:
    # One 项目编码 may carry several budget lines (e.g. 债券资金 and 一般资金 of one project),
    # so only a repeated code *and* name is refused.
    return repeated(ctx, "项目", ctx.model.projects, lambda p: (p.code, p.name),
                     lambda p: f"项目“{p.name}”（{p.code}）" if p.code else f"项目“{p.name}”", "unique_projects", "项目编码")


def project_total_matches_stated(ctx: Context) -> list[Finding]:
    """A 资金总额 typed on a project must equal the sum of its 项目支出明细表 columns."""
    found = []
    for i, project in enumerate(ctx.model.projects):
        if project.stated_total is None:
            continue
        stated = project.stated_total
        total = project.split.total if project.split is not None else None
        if total is None:
            found.append(error(ctx.file, ctx.line("项目", i, "资金总额"),
                               f"项目“{project.name}”写了资金总额，但没有金额（项目.金额）",
                               "project_total_matches_stated"))
        else:
            split = project.split
            parts = 1 + sum(1 for name in type(split).model_fields if getattr(split, name))
            found += agree(ctx, _yuan(ctx, stated - total), parts,
                            f"项目“{project.name}”的资金总额 {as_typed(stated)} 与项目支出明细表各列之和 "
                            f"{as_typed(total)} 不符", "project_total_matches_stated", ctx.line("项目", i, "资金总额"))
    return found


def projects_are_placed(ctx: Context) -> list[Finding]:
    """A project's money is counted in the 功能分类 through its 科目编码, unless the 项's 项目支出
    is typed on the line; a project with neither would be lost from every table. Where the lines
    type 项目支出, a project without a 科目编码 is counted by them but compared with none of them:
    a 警告, since its amount then shows only where a project list prints it."""
    typed_lines = any(line.project is not None for line in ctx.model.functions)
    found = []
    for i, p in enumerate(ctx.model.projects):
        if p.split is None or p.function_code:
            continue
        if not typed_lines:
            found.append(error(ctx.file, ctx.line("项目", i), f"项目“{p.name}”没有科目编码，金额无法计入功能分类：请写上"
                                                              f"“科目编码”，或在功能分类支出中填写各项的“项目支出”",
                               "projects_are_placed"))
        else:
            found.append(warning(ctx.file, ctx.line("项目", i, "金额") or ctx.line("项目", i),
                                 f"项目“{p.name}”写了金额 {as_typed(p.split.total)}，却没有科目编码：无法与功能分类支出中"
                                 f"填写的项目支出核对，只在列出项目的表中出现；请写上“科目编码”",
                                 "projects_are_placed"))
    return found


def project_units_coded(ctx: Context) -> list[Finding]:
    """A form that prints a project's 实施单位 prints the department's own unit unless the project
    gives its 预算单位编码. Where the projects name more than one 预算单位, one without a code
    would print as the department's own: a 警告 at its line."""
    prints_unit = ctx.profile is not None and any("实施单位" in spec.defaults or any(
        "{实施单位}" in str(cell) for line in spec.form for cell in line) for spec in ctx.profile.tables)
    units = {p.unit for p in ctx.model.projects if p.unit}
    if not prints_unit or len(units) < 2:
        return []
    return [warning(ctx.file, ctx.line("项目", i, "预算单位"),
                    f"项目“{p.name}”的预算单位“{p.unit}”没有预算单位编码：申报表的实施单位将按本部门（本级）打印；"
                    f"若是下属单位，请写“预算单位编码”", "project_units_coded")
            for i, p in enumerate(ctx.model.projects) if p.unit and not p.unit_code]


def summary_tables_balance(ctx: Context) -> list[Finding]:
    """收入总计 = 支出总计 in the 部门收支总表 and the 财政拨款收支总表 (the income side is
    derived from the expenditure's sources; this guards that derivation)."""
    s = ctx.facts.scalar
    pairs = [("部门收支总表", s("收入.总计"), s("支出.合计")),
             ("财政拨款收支总表", s("财政拨款收入.总计"), s("支出.财政拨款.合计")),
             ("财政拨款收支总表（本年）",
              s("财政拨款收入.一般公共预算") + s("财政拨款收入.政府性基金") + s("财政拨款收入.国有资本经营"),
              s("财政拨款收入.本年合计"))]
    return [error(ctx.file, None, f"{table}收入总计 {ctx.amount(income)} 不等于支出总计 {ctx.amount(spending)}",
                  "summary_tables_balance")
            for table, income, spending in pairs if income != spending]


def _typed_parts(ctx: Context, prefix: str, column: str) -> int:
    """How many typed figures feed a computed figure (for the rounding interval)."""
    dept = ctx.model
    if column == "上年":       # from the linked previous-year file, or the inline 上年 block
        previous = ctx.facts.linked.get("上年")
        return sum(1 for code, _ in previous_lines(dept, previous) if code.startswith(prefix))
    if prefix.startswith("3"):
        return sum(1 for l in dept.economics if l.code.startswith(prefix)) * 2
    return (sum(1 for l in dept.functions if l.code.startswith(prefix))
            + sum(6 for p in dept.projects if (p.function_code or "").startswith(prefix))
            + (4 if not prefix else 0))


def _computed(ctx: Context, code: str | None, column: str) -> Decimal | Unknown | None:
    facts = ctx.facts
    previous = facts.linked.get("上年")
    if column == "上年" and previous is not None:
        # last year's figure as its file gives it (a partial file: its 已公布数), unknown where it
        # gives none — never a zero
        value = previous.figure("一般公共预算.合计", code) if code else previous.figure("支出.一般公共预算.合计")
        if value is not None or not previous.lines_known:
            return UNKNOWN if value is None else value
    if code is None:
        for key in (column, f"支出.{column}"):
            if key in facts.measures.scalars:
                return facts.scalar(key) if facts.known(key) else UNKNOWN
        return None
    rowset = "经济分类基本支出" if code.startswith("3") else "功能分类"
    if column not in facts.measures.rowsets[rowset]:
        return None
    for row in facts.rows(rowset):
        if row.fields.get("科目编码") == code:
            return row.amount(column)
    return ZERO


@also_partial
def stated_figures_agree(ctx: Context) -> list[Finding]:
    return stated_figures_agree_with(ctx, lambda code, column: _computed(ctx, code, column),
                                     lambda code, column: _typed_parts(ctx, code, column))


def typed_project_spending_matches_projects(ctx: Context) -> list[Finding]:
    """A 项's 项目支出 typed on its line and projects charged to it with amounts are one figure
    given twice: the projects add up to the line's figure — or, where the line says its projects
    are not all listed (项目未全部列出: true), to at most that. A line is one 项 of one 资金来源,
    so the projects are compared source by source; a project of a source the 项 types no 项目支出
    for could be neither counted nor compared, and is refused. A project's amount is never left
    uncounted and unchecked."""
    dept, found = ctx.model, []
    typed: dict[tuple[str, str], list[int]] = {}
    for i, line in enumerate(dept.functions):
        if line.project is not None:
            typed.setdefault((line.code, line.source.value), []).append(i)
        elif line.projects_partial:
            found.append(error(ctx.file, ctx.line("功能分类支出", i, "项目未全部列出"),
                               f"科目 {line.code} 没有填写项目支出：“项目未全部列出”只用于填写了项目支出的行",
                               "typed_project_spending_matches_projects"))
    by_code: dict[str, list[tuple[str, list[int]]]] = {}
    for (code, source), lines in typed.items():
        by_code.setdefault(code, []).append((source, lines))
    listed: dict[tuple[str, str], list[tuple[int, Project]]] = {}
    for j, p in enumerate(dept.projects):
        if p.split is None or p.function_code not in by_code:
            continue
        if (p.function_code, p.source.value) in typed:
            listed.setdefault((p.function_code, p.source.value), []).append((j, p))
            continue
        stated = "、".join(f"{source}的 {as_typed(_typed_total(dept, lines))}" for source, lines in by_code[p.function_code])
        found.append(error(ctx.file, ctx.line("项目", j, "资金来源") or ctx.line("项目", j, "金额") or ctx.line("项目", j),
                           f"项目“{p.name}”（{p.source.value}）计入科目 {p.function_code} 的金额 {as_typed(p.split.total)} "
                           f"既未计入功能分类，也无从核对：该项在功能分类支出中填写的项目支出只有{stated}，没有"
                           f"{p.source.value}的。请在该项“资金来源: {p.source.value}”的行上填写项目支出，或改正项目的资金来源",
                           "typed_project_spending_matches_projects"))
    for (code, source), lines in typed.items():
        if (code, source) in listed:
            found += _projects_against_line(ctx, code, source, lines, listed[(code, source)])
    return found


def _typed_total(dept, lines: list[int]) -> Decimal:
    return sum((dept.functions[i].project or ZERO for i in lines), ZERO)


def _projects_against_line(ctx: Context, code: str, source: str, lines: list[int],
                           listed: list[tuple[int, Project]]) -> list[Finding]:
    dept = ctx.model
    total = _typed_total(dept, lines)
    partial = any(dept.functions[i].projects_partial for i in lines)
    amount = sum((p.split.total for _, p in listed if p.split is not None), ZERO)
    gap = _yuan(ctx, amount - total)
    tolerance = ctx.tolerance(len(listed) + len(lines))
    # the source is named where it is not the default one (a space only after a figure)
    item = f"{code} " if source == Source.GENERAL.value else f"{code}（{source}）"
    if partial and gap > tolerance:
        return [error(ctx.file, ctx.line("功能分类支出", lines[0], "项目支出"),
                      f"科目 {item}下各项目金额合计 {as_typed(amount)} 超过填写的项目支出 {as_typed(total)}",
                      "typed_project_spending_matches_projects")]
    if not partial and abs(gap) > tolerance:
        first, project = listed[0]
        who = f"项目“{project.name}”" + (f"等 {len(listed)} 个项目" if len(listed) > 1 else "")
        return [error(ctx.file, ctx.line("项目", first, "金额") or ctx.line("项目", first),
                      f"{who}计入科目 {item}的金额合计 {as_typed(amount)}，与功能分类支出中该项填写的项目支出 "
                      f"{as_typed(total)} 不等：同一数字只能有一个值。若该项的项目未全部列出，请在该行写"
                      f"“项目未全部列出: true”；否则只在一处填写（删去该行的项目支出，或项目的金额）",
                      "typed_project_spending_matches_projects")]
    return []


def previous_given_once(ctx: Context) -> list[Finding]:
    """Last year's figures come from the linked file or from the inline 上年 block, never both."""
    dept = ctx.model
    inline = dept.previous.functions or dept.previous.three_public != type(dept.previous.three_public)()
    if dept.previous_file and inline:
        return [error(ctx.file, ctx.line("上年文件"), "已用“上年文件”指向上年的 YAML，不要再填写“上年”数字",
                      "previous_given_once")]
    return []


@also_partial
def spending_categories_declared(ctx: Context) -> list[Finding]:
    """A 支出类别 the YAML types is one its profile prints (spending_categories): otherwise it counts
    into every total and no table shows it."""
    declared = ctx.profile.spending_categories if ctx.profile is not None else []
    found = []
    for i, line in enumerate(ctx.model.functions):
        for name in line.categories:
            if name not in declared:
                shown = "、".join(declared) if declared else "（无）"
                found.append(error(ctx.file, ctx.line("功能分类支出", i, "支出类别", name) or ctx.line("功能分类支出", i),
                                   f"支出类别“{name}”不是方案“{ctx.profile.name if ctx.profile else ''}”印出的类别"
                                   f"（方案的 spending_categories：{shown}）", "spending_categories_declared"))
    return found


def reasons_for_changes(ctx: Context) -> list[Finding]:
    """The 情况说明 states every change against last year; the clerk must give its reason."""
    if ctx.narrative is None or ctx.profile is None:
        return []
    # like missing table data, a missing reason is a 警告 under --allow-incomplete
    make = warning if ctx.incomplete_ok else error
    return [make(ctx.file, ctx.line("说明", "增减原因") or ctx.line("说明") or ctx.line("上年文件"),
                 f"{what}，请在 说明 → 增减原因 → {key} 中写明主要原因", "reasons_for_changes")
            for key, what in changed_without_reason(ctx.narrative.figures, ctx.profile.narrative_item_reasons)]


RULES: list[Rule] = [
    previous_given_once,
    unique_function_lines,
    unique_economic_lines,
    unique_projects,
    typed_project_spending_matches_projects,
    projects_are_placed,
    project_units_coded,
    known_function_codes,
    known_economic_codes,
    basic_by_function_equals_economic,
    three_public_covers_basic,
    project_weights_sum_to_100,
    department_weights_sum_to_100,
    project_total_matches_stated,
    summary_tables_balance,
    stated_figures_agree,
    reasons_for_changes,
    spending_categories_declared,
]
