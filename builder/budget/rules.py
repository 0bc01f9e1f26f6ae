"""Cross-checks (勾稽关系) on what the clerk typed and what was computed from it.

Each rule is a small named function returning findings with the YAML line they are about.
`RULES` lists them; `run_checks` runs them all so a clerk sees every problem at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Callable

from ..core import catalogue
from .compute import THREE_PUBLIC_PARTS, ZERO, Facts, previous_lines
from ..core.findings import Finding, error, warning
from ..core.loader import Located
from .model import Source
from ..core.numbers import as_typed
from .needs import missing
from ..tables.profile import Profile


@dataclass(frozen=True)
class Context:
    facts: Facts
    located: Located
    file: str
    display: Callable[[Decimal], Decimal] = lambda amount: amount
    profile: Profile | None = None
    incomplete_ok: bool = False        # --allow-incomplete: missing table data is a 警告

    @property
    def dept(self):
        return self.facts.dept

    def line(self, *path) -> int | None:
        return self.located.line_of(tuple(path))


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
                  f"一般公共预算基本支出按经济分类合计 {as_typed(by_economic)}，按功能分类合计 "
                  f"{as_typed(by_function)}，两者应相等（相差 {as_typed(by_economic - by_function)}）",
                  "basic_by_function_equals_economic")]


THREE_PUBLIC_ECONOMIC = {"因公出国": ("30212",), "公务接待": ("30217",),
                         "公务用车运行维护": ("30231",), "公务用车购置": ("31013",)}


def three_public_covers_basic(ctx: Context) -> list[Finding]:
    """A "三公" item is at least its 经济分类 counterpart in 基本支出 (projects spend on it too)."""
    found = []
    basic = {l.code: l.personnel + l.public for l in ctx.dept.economics}
    for name, codes in THREE_PUBLIC_ECONOMIC.items():
        stated = getattr(ctx.dept.three_public, THREE_PUBLIC_PARTS[name])
        part = sum((basic.get(c, ZERO) for c in codes), ZERO)
        if part > stated:
            found.append(error(ctx.file, ctx.line("三公经费", name) or ctx.line("三公经费"),
                               f"“三公”经费中{name} {as_typed(stated)} 小于基本支出经济分类 "
                               f"{'、'.join(codes)} 的 {as_typed(part)}", "three_public_covers_basic"))
    return found


def project_weights_sum_to_100(ctx: Context) -> list[Finding]:
    found = []
    for i, project in enumerate(ctx.dept.projects):
        weights = [x.weight for x in project.indicators if x.weight is not None]
        if weights and sum(weights, ZERO) != 100:
            found.append(warning(ctx.file, ctx.line("项目", i, "绩效指标"),
                                 f"项目“{project.name}”的绩效指标权重合计 {as_typed(sum(weights, ZERO))}，应为 100",
                                 "project_weights_sum_to_100"))
    return found


def department_weights_sum_to_100(ctx: Context) -> list[Finding]:
    weights = [x.weight for x in ctx.dept.performance.indicators if x.weight is not None]
    if weights and sum(weights, ZERO) != 100:
        return [warning(ctx.file, ctx.line("整体绩效目标", "指标"),
                        f"整体绩效目标的指标权重合计 {as_typed(sum(weights, ZERO))}，应为 100",
                        "department_weights_sum_to_100")]
    return []


CODE_KEYS = ("科目编码", "部门编码", "项目编码", "单位代码", "目录序号")


def codes_are_quoted(ctx: Context) -> list[Finding]:
    """A code written without quotes is a number to YAML tools (010 becomes 8, 001001 becomes
    513): our loader keeps it as typed, but the file would not survive another tool, so codes
    must be quoted."""
    found = []
    for path in sorted(ctx.located.numeric_plain, key=lambda p: ctx.line(*p) or 0):
        if path and path[-1] in CODE_KEYS:
            value = ctx.located.numeric_plain[path]
            found.append(error(ctx.file, ctx.line(*path),
                               f"{path[-1]} {value} 须加引号写成 \"{value}\"：不加引号时 YAML 会把它读成数字"
                               f"（前导 0 会丢失）", "codes_are_quoted"))
    return found


def _repeated(ctx: Context, section: str, items, key, describe, rule: str) -> list[Finding]:
    """An error at every item of `section` whose key an earlier item already had."""
    found, first = [], {}
    for i, item in enumerate(items):
        k = key(item)
        if k in first:
            field = "项目编码" if section == "项目" else "科目编码"
            found.append(error(ctx.file, ctx.line(section, i, field),
                               f"{describe(item)}重复（第 {ctx.line(section, first[k], field)} 行已有）", rule))
        first.setdefault(k, i)
    return found


def unique_function_lines(ctx: Context) -> list[Finding]:
    return _repeated(ctx, "功能分类支出", ctx.dept.functions, lambda l: (l.code, l.source),
                     lambda l: f"功能分类支出中科目 {l.code}（{l.source.value}）", "unique_function_lines")


def unique_economic_lines(ctx: Context) -> list[Finding]:
    return _repeated(ctx, "经济分类基本支出", ctx.dept.economics, lambda l: l.code,
                     lambda l: f"经济分类基本支出中科目 {l.code} ", "unique_economic_lines")


def unique_projects(ctx: Context) -> list[Finding]:
    # One 项目编码 may carry several budget lines (e.g. 债券资金 and 一般资金 of one project),
    # so only a repeated code *and* name is refused.
    return _repeated(ctx, "项目", ctx.dept.projects, lambda p: (p.code, p.name),
                     lambda p: f"项目“{p.name}”（{p.code}）", "unique_projects")


def project_total_matches_stated(ctx: Context) -> list[Finding]:
    """A 资金总额 typed on a project must equal the sum of its 项目支出明细表 columns."""
    found = []
    for i, project in enumerate(ctx.dept.projects):
        if project.stated_total is None:
            continue
        stated = project.stated_total
        total = project.split.total if project.split is not None else None
        if total is None:
            found.append(error(ctx.file, ctx.line("项目", i, "资金总额"),
                               f"项目“{project.name}”写了资金总额，但没有金额（项目.金额）",
                               "project_total_matches_stated"))
        elif abs(stated - total) > tolerance(ctx, 6):
            found.append(error(ctx.file, ctx.line("项目", i, "资金总额"),
                               f"项目“{project.name}”的资金总额 {as_typed(stated)} 与项目支出明细表各列之和 "
                               f"{as_typed(total)} 不符", "project_total_matches_stated"))
    return found


def summary_tables_balance(ctx: Context) -> list[Finding]:
    """收入总计 = 支出总计 in the 部门收支总表 and the 财政拨款收支总表 (the income side is
    derived from the expenditure's sources; this guards that derivation)."""
    s = ctx.facts.scalar
    pairs = [("部门收支总表", s("收入.总计"), s("支出.合计")),
             ("财政拨款收支总表", s("财政拨款收入.总计"), s("支出.财政拨款.合计")),
             ("财政拨款收支总表（本年）",
              s("财政拨款收入.一般公共预算") + s("财政拨款收入.政府性基金") + s("财政拨款收入.国有资本经营"),
              s("财政拨款收入.本年合计"))]
    return [error(ctx.file, None, f"{table}收入总计 {as_typed(income)} 不等于支出总计 {as_typed(spending)}",
                  "summary_tables_balance")
            for table, income, spending in pairs if income != spending]


def _typed_parts(ctx: Context, prefix: str, column: str) -> int:
    """How many typed figures feed a computed figure (for the rounding interval)."""
    dept = ctx.dept
    if column == "上年":       # from the linked previous-year file, or the inline 上年 block
        return sum(1 for code, _ in previous_lines(dept, ctx.facts.previous) if code.startswith(prefix))
    if prefix.startswith("3"):
        return sum(1 for l in dept.economics if l.code.startswith(prefix)) * 2
    return (sum(1 for l in dept.functions if l.code.startswith(prefix))
            + sum(6 for p in dept.projects if p.function_code.startswith(prefix))
            + (4 if not prefix else 0))


def _computed(ctx: Context, code: str | None, column: str) -> Decimal | None:
    if code is None:
        for key in (column, f"支出.{column}"):
            if key in ctx.facts.scalars:
                return ctx.facts.scalars[key]
        return None
    rowset = "经济分类基本支出" if code.startswith("3") else "功能分类"
    for row in ctx.facts.rowsets[rowset]:
        if row.fields.get("科目编码") == code:
            return row.amount(column)
    return ZERO


def stated_figures_agree(ctx: Context) -> list[Finding]:
    """Each 核对数 equals the computed figure: exactly as shown for a quote (方式: 引用), within
    the rounding interval of its typed parts for a stated total (方式: 合计)."""
    found = []
    for i, stated in enumerate(ctx.dept.stated):
        line = ctx.line("核对数", i, "金额") or ctx.line("核对数", i)
        computed = _computed(ctx, stated.code, stated.column)
        subject = f"{stated.code} " if stated.code else ""
        where = f"{stated.where}中" if stated.where else ""
        if computed is None:
            found.append(error(ctx.file, ctx.line("核对数", i, "栏目") or line,
                               f"核对数的栏目“{stated.column}”不是可核对的数字", "stated_figures_agree"))
            continue
        if stated.mode == "引用":
            ok = ctx.display(stated.amount) == ctx.display(computed)
            shown = ctx.display(computed)
        else:
            parts = _typed_parts(ctx, stated.code or "", stated.column)
            ok = abs(stated.amount - computed) <= tolerance(ctx, parts + 1)
            shown = computed
        if not ok:
            found.append(error(ctx.file, line,
                               f"{where}{subject}{stated.column} {as_typed(stated.amount)} 与表中计算值 "
                               f"{as_typed(shown)} 不符（相差 {as_typed(stated.amount - shown)}）",
                               "stated_figures_agree"))
    return found


def projects_within_typed_expenditure(ctx: Context) -> list[Finding]:
    """Where a 项's 项目支出 is typed on its line, its listed projects add up to at most that."""
    found = []
    for i, line in enumerate(ctx.dept.functions):
        if line.project is None:
            continue
        listed = [p.split.total for p in ctx.dept.projects
                  if p.function_code == line.code and p.split is not None]
        if sum(listed, ZERO) > line.project + tolerance(ctx, len(listed) + 1):
            found.append(error(ctx.file, ctx.line("功能分类支出", i, "项目支出"),
                               f"科目 {line.code} 下各项目金额合计 {as_typed(sum(listed, ZERO))} 超过填写的项目支出 "
                               f"{as_typed(line.project)}", "projects_within_typed_expenditure"))
    return found


def tables_have_their_data(ctx: Context) -> list[Finding]:
    """Every table of the profile gets the data it needs; none is drawn empty as if complete."""
    if ctx.profile is None:
        return []
    from ..tables.build import spec_label
    found = []
    make = warning if ctx.incomplete_ok else error
    tail = "，该表未生成" if ctx.incomplete_ok else "（可用 --allow-incomplete 先生成其余各表）"
    for n, spec in enumerate(ctx.profile.tables, start=1):
        for what, path in missing(ctx.dept, spec.requires):
            found.append(make(ctx.file, ctx.line(*path) if path else None,
                              f"方案“{ctx.profile.name}”的{spec_label(ctx.profile, n)}（{spec.id}）需要{what}，"
                              f"YAML 中没有{tail}", "tables_have_their_data"))
    return found


def reasons_for_changes(ctx: Context) -> list[Finding]:
    """The 情况说明 states every change against last year; the clerk must give its reason."""
    if ctx.profile is None or not ctx.profile.narrative:
        return []
    from .narrative import changed_without_reason
    # like missing table data, a missing reason is a 警告 under --allow-incomplete
    make = warning if ctx.incomplete_ok else error
    return [make(ctx.file, ctx.line("说明", "增减原因") or ctx.line("说明") or ctx.line("上年文件"),
                 f"{what}，请在 说明 → 增减原因 → {key} 中写明主要原因", "reasons_for_changes")
            for key, what in changed_without_reason(ctx.facts, ctx.profile)]


RULES: list[Callable[[Context], list[Finding]]] = [
    codes_are_quoted,
    unique_function_lines,
    unique_economic_lines,
    unique_projects,
    projects_within_typed_expenditure,
    known_function_codes,
    known_economic_codes,
    basic_by_function_equals_economic,
    three_public_covers_basic,
    project_weights_sum_to_100,
    department_weights_sum_to_100,
    project_total_matches_stated,
    summary_tables_balance,
    stated_figures_agree,
    tables_have_their_data,
    reasons_for_changes,
]


def run_checks(facts: Facts, located: Located, file: str,
               display: Callable[[Decimal], Decimal] | None = None,
               profile: Profile | None = None, incomplete_ok: bool = False) -> list[Finding]:
    ctx = Context(facts, located, file, display or (lambda amount: amount), profile, incomplete_ok)
    return [finding for rule in RULES for finding in rule(ctx)]
