"""The check stage: every rule of the document's kind, plus the rules every kind shares.

Each rule is a small named function taking a `Context` and returning findings with the YAML
line they are about; all of them run, so a clerk sees every problem at once. The context carries
what the earlier stages found once — the facts, what each table of the profile needs and the YAML
lacks, the 情况说明 with its figures — so no rule computes them again, and the publication is
built from the same values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import AbstractSet as Set
from typing import Callable, Iterator, Mapping

from .core.catalogue import LEVELS, expense_groups
from .core.document import Document
from .core.facts import Facts
from .core.fields import CHOICE_KEYS, CODE_KEYS
from .core.findings import Finding, error, warning
from .core.limits import PAGES
from .core.numbers import UNITS, ZERO, Display, as_typed, at_precision, decimals_of, from_yuan, rounded, to_yuan
from .core.resources import font_characters, narrative_dir
from .core.rewrite import text_paths
from .publication.build import spec_label
from .publication.model import Publication
from .publication.narrative import Narrative
from .publication.profile import Item, Profile, TableSpec, needs_of, printed_totals
from .render.pdf import page_counts


@dataclass(frozen=True)
class TableNeed:
    """What one table of the profile needs that the YAML does not carry."""
    id: str
    label: str                                  # the table as the profile numbers it (附件3)
    missing: tuple[tuple[str, tuple], ...]      # (what, YAML path to point at)


def table_needs(document: Document, profile: Profile, facts: Facts) -> tuple[TableNeed, ...]:
    """Each table's data needs (its `requires`, and those of the optional names it prints) that
    the document leaves unmet, found once for the rules and the publication."""
    needs = document.kind.needs
    return tuple(TableNeed(spec.id, spec_label(profile, n),
                           tuple(item for name in needs_of(profile, spec, facts.measures)
                                 for item in needs[name](document.model)))
                 for n, spec in enumerate(profile.tables, start=1))


@dataclass(frozen=True)
class Context:
    document: Document
    facts: Facts
    profile: Profile | None = None
    incomplete_ok: bool = False        # --allow-incomplete: missing table data is a 警告
    needs: tuple[TableNeed, ...] = ()
    narrative: Narrative | None = None  # the 情况说明 the profile prints, with its figures
    publication: Publication | None = None   # the document as it will be printed (its pages counted)

    @property
    def incomplete(self) -> frozenset[str]:
        """The tables left out for want of data."""
        return frozenset(need.id for need in self.needs if need.missing)

    @property
    def model(self):
        return self.document.model

    @property
    def file(self) -> str:
        return self.document.file

    @property
    def located(self):
        return self.document.located

    def line(self, *path) -> int | None:
        return self.document.line(*path)

    def typed(self, yuan: Decimal) -> Decimal:
        """An amount in 元 as the clerk would have typed it, in the file's unit (for messages)."""
        return from_yuan(yuan, self.model.unit)

    def amount(self, yuan: Decimal) -> str:
        """An amount in 元 written in a message as the clerk would have typed it (161.10)."""
        return as_typed(self.typed(yuan))

    @property
    def display(self) -> Display:
        """How the profile's tables show an amount (for quoted figures)."""
        profile = self.profile
        return Display(profile.unit if profile else self.model.unit, profile.decimals if profile else 2)

    @property
    def rounded(self) -> bool:
        """The file declares its figures were rounded from a finer unit (舍入前单位)."""
        return self.model.rounded_from is not None

    def tolerance(self, parts: int) -> Decimal:
        """How far (in 元) two sums may differ and still agree. Exact by default. When the file
        declares its figures were rounded (万元 to 2 decimals from 元), each of the `parts`
        non-zero typed figures on either side stands for ±0.005 万元, so two sums of the same
        true figures can differ by at most parts × 0.005 万元 (what rounding can produce)."""
        if not self.rounded:
            return Decimal(0)
        return Decimal("0.005") * UNITS[self.model.unit] * parts

    def rounding_note(self) -> str:
        return (f"，在舍入误差之内（本文件声明数字由{self.model.rounded_from}四舍五入）；"
                f"如有以{self.model.rounded_from}为单位的原始数字，请改按{self.model.rounded_from}填写")


Rule = Callable[[Context], list[Finding]]


def also_partial(rule: Rule) -> Rule:
    """A rule that also holds for a partial file (部分数据: true: only some published figures, kept
    for another year's document to refer to); the others judge a complete document."""
    rule.partial = True  # type: ignore[attr-defined]    # a mark on the function, read by run_checks
    return rule



@also_partial
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


def tables_have_their_data(ctx: Context) -> list[Finding]:
    """Every table of the profile gets the data it needs; none is drawn empty as if complete."""
    if ctx.profile is None:
        return []
    make = warning if ctx.incomplete_ok else error
    tail = "，该表未生成" if ctx.incomplete_ok else "（可用 --allow-incomplete 先生成其余各表）"
    return [make(ctx.file, ctx.line(*path) if path else None,
                 f"方案“{ctx.profile.name}”的{need.label}（{need.id}）需要{what}，YAML 中没有{tail}",
                 "tables_have_their_data")
            for need in ctx.needs for what, path in need.missing]


def unknown_code(ctx: Context, classification: str, what: str, path: tuple, code: str,
                  named: dict[str, str], keys: dict[int, str], warned: set[str]) -> list[Finding]:
    """Levels of `code` (类, 款, 项) nobody names: one error that says which keys to add and
    suggests near codes. A level only the YAML names: one 警告 per code. A known level the YAML
    names by another edition's name (a 其他名称 of the catalogue): accepted, with one 警告."""
    catalogue = ctx.facts.catalogue
    found, missing = [], []
    for part in (code[:n] for n in (3, 5, 7) if n <= len(code)):
        if catalogue.name(part, classification):
            current = catalogue.other_edition(part, named[part], classification) if part in named else None
            if current and part not in warned:
                warned.add(part)
                found.append(warning(ctx.file, ctx.line(*path),
                                     f"{what}科目 {part}“{named[part]}”是其他版本科目表中的名称，科目表中的现行名称为"
                                     f"“{current}”；表中印本文件写的名称，请核对编码和名称是否为本年度的", "known_codes"))
            continue
        if part not in named:
            missing.append(part)
        elif part not in warned:
            warned.add(part)
            found.append(warning(ctx.file, ctx.line(*path), f"{what}科目 {part}“{named[part]}”不在科目表中，"
                                                            f"名称取自本文件", "known_codes"))
    if missing:
        levels = "、".join(f"{LEVELS[len(p)]}级科目 {p}" for p in missing)
        parent = f"（{code} 的上级科目）" if code not in missing else ""
        keys_to_add = "和".join(f"“{keys[len(p)]}: …”" for p in missing)
        near = catalogue.near(missing[0], classification)
        hint = f"；相近的已知编码：{'、'.join(f'{c} {n}' for c, n in near)}" if near else ""
        found.append(error(ctx.file, ctx.line(*path),
                           f"{what}科目表中没有{levels}{parent}：若编码无误，请在本行写上{keys_to_add}给出名称，"
                           f"或把本地科目表放进区里的“方案”文件夹（也可用 --catalogue 指定）{hint}", "known_codes"))
    return found


def agree(ctx: Context, difference: Decimal, parts: int, describe: str, rule: str, line: int | None,
           shown: str = "") -> list[Finding]:
    """Two derivations of one figure: equal, or (in a file declared rounded) within what rounding
    can produce — a 警告 naming both — or an error."""
    if difference == 0:
        return []
    if abs(difference) <= ctx.tolerance(parts):
        return [warning(ctx.file, line, f"{describe}{ctx.rounding_note()}{shown}", rule)]
    return [error(ctx.file, line, describe, rule)]


def basic_by_economic_agrees(ctx: Context, column: str, function_parts: int, describe, rule: str,
                             shown=None) -> list[Finding]:
    """The 基本支出 by 经济分类 (the sum of its 款) equals the 功能分类's `column`: the identity both
    kinds check. `function_parts` is how many typed figures make up the 功能分类 side (for the
    rounding tolerance); `describe(by_economic, by_function, difference)` and `shown(by_function)`
    word it for the kind, with amounts as typed."""
    if not ctx.model.economics:
        return []
    by_function = ctx.facts.rows("功能分类")[0].amount(column)
    by_economic = sum((r.amount("合计") for r in ctx.facts.rows("经济分类基本支出") if r.level == "款"), ZERO)
    parts = function_parts + sum((line.personnel != 0) + (line.public != 0) for line in ctx.model.economics)
    amounts = [ctx.amount(v) for v in (by_economic, by_function, by_economic - by_function)]
    return agree(ctx, by_economic - by_function, parts, describe(*amounts), rule, ctx.line("经济分类基本支出"),
                 shown(amounts[1]) if shown else "")


class Unknown:
    """What a kind's `computed` gives for a figure the document names but does not know — a
    partial linked file (上年, 预算) that does not give it: a stated figure is then not compared
    at all, never with a zero."""

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN = Unknown()
Computed = Callable[[str | None, str], "Decimal | None | Unknown"]


def _subject(stated) -> str:
    return (f"{stated.where}中" if stated.where else "") + (f"{stated.code} " if stated.code else "")


def stated_figures_agree_with(ctx: Context, computed: Computed, typed_parts,
                              budgeted: Computed | None = None) -> list[Finding]:
    """Each 核对数 equals the computed figure: a figure in a unit of its own (the entry's 金额单位,
    not the file's) at the precision it is stated with — the computed figure in that unit rounded
    half up to the stated decimals, so a 元 file may quote 1202.95 万元; in the file's unit, as
    the table shows it for a quote (方式: 引用), within the rounding interval of its typed parts
    for a stated total (方式: 合计). The kind gives `computed(code, column)` — its figure, None where the column is none it computes,
    UNKNOWN where a linked file does not give it — `typed_parts(code, column)`, how many typed
    figures make that figure up, and (a 决算) `budgeted(code, column)`, the year's budget of a
    figure, for changes stated against the 年初预算."""
    found = []
    for i, stated in enumerate(ctx.model.stated):
        if stated.mode in ("增减", "占比", "增长率"):
            found += _stated_change(ctx, i, stated, computed, budgeted)
            continue
        line = ctx.line("核对数", i, "金额") or ctx.line("核对数", i)
        figure = computed(stated.code, stated.column)
        if isinstance(figure, Unknown):
            continue
        if figure is None:
            found.append(error(ctx.file, ctx.line("核对数", i, "栏目") or line,
                               f"核对数的栏目“{stated.column}”不是可核对的数字", "stated_figures_agree"))
            continue
        unit = stated.unit or ctx.model.unit
        amount = quoted = to_yuan(stated.amount, unit)
        if unit != ctx.model.unit:
            # quoted in a unit of its own (1202.95 万元 in a 元 file): the computed figure as that
            # unit shows it, rounded half up to the decimals written
            shown = to_yuan(at_precision(figure, unit, stated.amount), unit)
        elif stated.mode == "引用":
            show = ctx.display          # as the table shows it
            shown, quoted = to_yuan(show(figure), show.unit), to_yuan(show(amount), show.unit)
        else:
            shown = figure              # in the file's own unit: the exact figure (83 is 83.00)
        as_unit = lambda yuan, unit=unit: as_typed(yuan / UNITS[unit])
        describe = (f"{_subject(stated)}{stated.column} {as_typed(stated.amount)} 与表中计算值 {as_unit(shown)} 不符"
                    f"（相差 {as_unit(amount - shown)}）")
        if stated.mode == "引用":
            if quoted != shown:
                found.append(error(ctx.file, line, describe, "stated_figures_agree"))
        else:
            found += agree(ctx, amount - shown, typed_parts(stated.code or "", stated.column) + 1, describe,
                           "stated_figures_agree", line)
    return found


def _displays(ctx: Context) -> tuple[Display, ...]:
    """How the tables and the text show money: a change or a percent is stated from either."""
    narrative = ctx.profile.narrative_unit if ctx.profile is not None else ""
    return ctx.display, Display(narrative or ctx.display.unit, 2)


def _stated_change(ctx: Context, i: int, stated, computed: Computed, budgeted: Computed | None) -> list[Finding]:
    """A change (增减, in money; 增长率, in percent) against last year's figure — from the linked
    上年文件, or the year's 上年 column — or (比较: 年初预算) against the year's budget, or a share
    (占比) of its column's total: equal at the stated decimals (in the stated unit), computed from
    the exact figures or from the figures as the tables or the text show them. Both are accepted
    (regions differ); a wrong figure is reported with the region's way (the profile's `changes`)
    first. A figure a linked file does not give is not compared."""
    key = "金额" if stated.mode == "增减" else "百分比"
    line = ctx.line("核对数", i, key) or ctx.line("核对数", i)
    against = "较年初预算" if stated.against == "年初预算" else ""
    what = f"{_subject(stated)}{stated.column}{against}{stated.mode}"
    figure = computed(stated.code, stated.column)
    if figure is None:
        return [error(ctx.file, ctx.line("核对数", i, "栏目") or line,
                      f"核对数的栏目“{stated.column}”不是可核对的数字", "stated_figures_agree")]
    base: Decimal | None | Unknown
    if stated.mode == "占比":
        base, missing = computed(None, stated.column), "合计数"
    elif stated.against == "年初预算":
        if budgeted is None:
            return [error(ctx.file, ctx.line("核对数", i, "比较") or line,
                          f"部门{ctx.document.kind.name}没有年初预算数可比较（“比较: 年初预算”用于部门决算）",
                          "stated_figures_agree")]
        base, missing = budgeted(stated.code, stated.column), f"{stated.column}的年初预算数（请写预算文件）"
    else:
        linked = ctx.facts.linked.get("上年")
        base = linked.figure(stated.column, stated.code) if linked is not None else computed(stated.code, "上年")
        if linked is not None and base is None and not linked.lines_known:
            base = UNKNOWN                      # a partial last year that does not give it
        missing = "上年数（请写上年文件）"
    if isinstance(figure, Unknown) or isinstance(base, Unknown):
        return []
    if base is None or (stated.mode != "增减" and not base):
        return [error(ctx.file, line, f"{what}无法核对：没有{missing if base is None else '不为 0 的基数'}",
                      "stated_figures_agree")]
    practice = ctx.profile.changes if ctx.profile is not None else "shown"
    if stated.mode == "增减":
        unit = stated.unit or ctx.model.unit
        typed = stated.amount
        value = lambda now, before: at_precision(now - before, unit, typed)
        suffix = f" {unit}"
    else:
        decimals = decimals_of(stated.percent)
        ratio = (lambda a, b: a * 100 / b) if stated.mode == "占比" else (lambda a, b: (a - b) * 100 / b)
        typed = stated.percent
        value = lambda now, before: rounded(ratio(now, before), decimals)
        suffix = "%"
    exact = value(figure, base)
    shown = [value(to_yuan(show(figure), show.unit), to_yuan(show(base), show.unit)) for show in _displays(ctx)
             if stated.mode == "增减" or to_yuan(show(base), show.unit)]
    if typed == exact or typed in shown:
        return []
    first = exact if practice == "exact" or not shown else shown[-1]
    other = shown[-1] if practice == "exact" and shown else exact
    both = (f"（由显示的数字算得 {as_typed(shown[-1])}{suffix}，由精确数字算得 {as_typed(exact)}{suffix}）"
            if other != first else "")
    return [error(ctx.file, line, f"{what} {as_typed(typed)}{suffix} 与计算值 {as_typed(first)}{suffix} 不符{both}",
                  "stated_figures_agree")]


def repeated(ctx: Context, section: str, items, key, describe, rule: str, field: str = "科目编码") -> list[Finding]:
    """An error at every item of `section` whose key an earlier item already had, on the line of
    its `field`."""
    found: list[Finding] = []
    first: dict[object, int] = {}
    for i, item in enumerate(items):
        k = key(item)
        if k in first:
            found.append(error(ctx.file, ctx.line(section, i, field),
                               f"{describe(item)}重复（第 {ctx.line(section, first[k], field)} 行已有）", rule))
        first.setdefault(k, i)
    return found


def economic_lines_in_their_group(ctx: Context) -> list[Finding]:
    """人员经费 only on the 经济分类 that carry personnel spending (301, 303 by default), 公用经费 only
    on the others: 30101 基本工资 under 公用经费 is an error; a 302 line under 人员经费 is a 警告
    unless the profile allows it (a region whose published tables split it)."""
    groups = expense_groups()
    extra: Mapping[str, list[str]] = {str(k): v for k, v in ctx.profile.expense_groups.items()} if ctx.profile else {}
    allowed = {k: set(groups[k]) | set(extra.get(k, ())) for k in groups}
    names = {r.fields["科目编码"]: r.fields["科目名称"] for r in ctx.facts.rows("经济分类基本支出")}
    belongs = lambda code, group: code in allowed[group] or code[:3] in allowed[group]
    found = []
    for i, line in enumerate(ctx.model.economics):
        what = f"{line.code} {names.get(line.code, '')}"
        if line.public and not belongs(line.code, "公用经费") and belongs(line.code, "人员经费"):
            found.append(error(ctx.file, ctx.line("经济分类基本支出", i, "公用经费") or ctx.line("经济分类基本支出", i),
                               f"{what}是人员经费科目，不能列在公用经费中", "economic_lines_in_their_group"))
        if line.personnel and not belongs(line.code, "人员经费") and belongs(line.code, "公用经费"):
            found.append(warning(ctx.file, ctx.line("经济分类基本支出", i, "人员经费") or ctx.line("经济分类基本支出", i),
                                 f"{what}是公用经费科目，却列在人员经费中；若本地区公开表确实如此，"
                                 f"请在方案的 expense_groups 中注明", "economic_lines_in_their_group"))
    return found


def _unprintable(text: str) -> list[str]:
    shown = font_characters()
    return sorted({ch for ch in text if ord(ch) not in shown and not ch.isspace()})


def _describe(text: str, chars: list[str]) -> str:
    where = text if len(text) <= 24 else text[:24] + "…"
    listed = "、".join(f"“{ch}”（U+{ord(ch):04X}）" for ch in chars)
    return f"“{where}”中的{listed}无法在 PDF 中显示（字体中没有这个字符），请删去或改用文字"


def texts(ctx: Context) -> Iterator[tuple[tuple, str]]:
    """(path, text) of every string the YAML holds."""
    yield from text_paths(ctx.document.data)


def prose(ctx: Context) -> Iterator[tuple[tuple, str]]:
    """(path, text) of the words a clerk wrote that a document prints as text: not codes, links,
    choices from a list, or a project's period (which names other years by nature)."""
    skip = {*CODE_KEYS, *CHOICE_KEYS, *ctx.document.kind.link_keys(), "科目表", "出处", "起始时间", "终止时间"}
    for path, text in texts(ctx):
        if not (set(str(p) for p in path) & skip):
            yield path, text


@also_partial
def text_is_printable(ctx: Context) -> list[Finding]:
    """Every character of the YAML's text (and of a district catalogue's names) is in the PDF's
    font: a character the font lacks would print as an empty box, silently."""
    found = []
    for path, value in texts(ctx):
        chars = _unprintable(value)
        if chars:
            found.append(error(ctx.file, ctx.line(*path), _describe(value, chars), "text_is_printable"))
    for entries in ctx.document.catalogue.codes.values():
        for entry in entries.values():
            if ":" in entry.source and _unprintable(entry.name):
                file, _, line = entry.source.rpartition(":")
                found.append(error(file, int(line), _describe(entry.name, _unprintable(entry.name)),
                                   "text_is_printable"))
    return found


@also_partial
def published_figures_are_known(ctx: Context) -> list[Finding]:
    """已公布数 stand in for a partial year's figures: only in a partial file, only under names the
    document kind computes (a misspelt 栏目 would silently never be found)."""
    import difflib
    model, measures = ctx.model, ctx.facts.measures
    found = []
    if model.published and not model.partial:
        found.append(error(ctx.file, ctx.line("已公布数"), "“已公布数”只用于部分数据文件（部分数据: true）；"
                                                        "要与计算结果核对的已公布数字请写在“核对数”中", "published"))
    for i, figure in enumerate(model.published):
        if figure.amount is None or figure.mode not in ("合计", "引用"):
            found.append(error(ctx.file, ctx.line("已公布数", i), "已公布数只写金额（增减、占比、增长率请写在“核对数”中）",
                               "published"))
            continue
        known = (measures.scalars if figure.code is None else
                 measures.rowsets.get("经济分类基本支出" if figure.code.startswith("3") else "功能分类", {}))
        if figure.column not in known:
            near = difflib.get_close_matches(figure.column, list(known), n=1, cutoff=0.4)
            hint = f"，是否应为“{near[0]}”？" if near else ""
            found.append(error(ctx.file, ctx.line("已公布数", i, "栏目") or ctx.line("已公布数", i),
                               f"已公布数的栏目“{figure.column}”不是部门{ctx.document.kind.name}的数字{hint}", "published"))
    return found


def pages_are_bounded(ctx: Context) -> list[Finding]:
    """The PDF has at most limits.PAGES pages, as the height model plans them before anything is
    laid out: a file within every other limit could still fill thousands of pages (long texts
    in narrow columns), and every page costs layout time. The finding names the parts that take
    the most pages, at the line of the biggest: the projects (their forms together), 说明 (the
    情况说明), or a table."""
    if ctx.publication is None:
        return []
    parts = page_counts(ctx.publication)
    total = sum(pages for _, _, pages in parts)
    if total <= PAGES:
        return []
    field = ctx.document.kind.model.model_fields.get("projects")
    projects_key = field.alias if field is not None and field.alias else "项目"
    names = {p.name for p in getattr(ctx.model, "projects", ())}
    forms = [(subject, pages) for _, subject, pages in parts if subject in names]
    groups: list[tuple[str, int, tuple[str, ...]]] = [
        (f"{what}约 {pages} 页", pages, ("说明",) if what == "情况说明" else ())
              for what, subject, pages in parts if subject not in names]
    if forms:
        most, count = max(forms, key=lambda form: form[1])
        pages = sum(pages for _, pages in forms)
        groups.append((f"{len(forms)} 个项目的表约 {pages} 页（最多的“{most}”约 {count} 页）", pages,
                       (projects_key,)))
    groups.sort(key=lambda group: -group[1])
    named = "、".join(what for what, _, _ in groups[:3])
    path = groups[0][2]
    return [error(ctx.file, ctx.line(*path) if path else None,
                  f"按本文件生成的 PDF 约 {total} 页，超过上限 {PAGES} 页。页数最多的是：{named}。"
                  f"请精简文字，或减少项目、指标", "pages_are_bounded")]


# -- what a reviewer of a published document looks for in its text ------------------------------

# Template words left in: XX/××, 待填写, 【…】, or both words of a choice (“增加（减少）”).
PLACEHOLDERS = re.compile(r"[XxＸｘ×＊*]{2,}|待填写|待补充|请填写|此处填写|【[^】]*】|增加（减少）|增长（下降）|增加/减少|增长/下降")
# the texts written anew each year (the 说明, the year's goals and results)
YEARLY_TEXTS = {"绩效目标", "年初绩效目标", "全年绩效目标", "完成情况", "目标"}
YEARS = re.compile(r"(?<![\d.])((?:19|20)\d\d)(?=\s*年)")


def _quote(text: str, start: int, end: int) -> str:
    left, right = max(0, start - 8), min(len(text), end + 8)
    return f"{'…' if left else ''}{text[left:right]}{'…' if right < len(text) else ''}"


@also_partial
def text_is_finished(ctx: Context) -> list[Finding]:
    """No template words left in the text (XX, ××, 待填写, 【…】, 增加（减少）): a document is never
    published with a blank to fill."""
    found = []
    for path, text in prose(ctx):
        for match in PLACEHOLDERS.finditer(text):
            found.append(error(ctx.file, ctx.line(*path), f"文字中有未填写的模板字样“{match.group(0)}”："
                                                          f"{_quote(text, match.start(), match.end())}", "text_is_finished"))
    return found


def years_are_this_or_last(ctx: Context) -> list[Finding]:
    """A year in the text written for the year (the 说明, goals and results) is the document's year
    or the year before; another (“2021年” in a 2023 document) is usually last year's text left in —
    a 警告."""
    year = ctx.model.year
    found = []
    for path, text in prose(ctx):
        if path[0] != "说明" and path[-1] not in YEARLY_TEXTS:
            continue                        # a project's 概况 and 立项依据 tell its history
        others = sorted({m.group(1) for m in YEARS.finditer(text) if int(m.group(1)) not in (year, year - 1)})
        if others:
            where = next(m for m in YEARS.finditer(text) if m.group(1) == others[0])
            found.append(warning(ctx.file, ctx.line(*path),
                                 f"文字中的年份{'、'.join(others)}既不是本年度（{year}）也不是上年：“"
                                 f"{_quote(text, where.start(), where.end())}”，请核对是否沿用了往年的文字",
                                 "years_are_this_or_last"))
    return found


def subject_names_as_in_tables(ctx: Context) -> list[Finding]:
    """A 科目 the text names by its code (“2010301 行政运行”) has the name the tables print."""
    names = {r.fields["科目编码"]: r.fields["科目名称"] for rowset in ("功能分类", "经济分类基本支出")
             if rowset in ctx.facts.measures.rowsets for r in ctx.facts.rows(rowset) if r.fields.get("科目编码")}
    codes = re.compile(r"(?<!\d)(\d{7}|\d{5}|\d{3})(?!\d)\s*")
    found = []
    for path, text in prose(ctx):
        if path[0] != "说明":
            continue
        for match in codes.finditer(text):
            code, rest = match.group(1), text[match.end():]
            name = names.get(code)
            written = re.match(r"[\u4e00-\u9fff（）()]+", rest)
            if not name or not written or rest.startswith(name) or written.group(0).startswith(("万元", "元")):
                continue
            said = re.split(r"[（(](?:类|款|项)[）)]", written.group(0))[0]
            if said and not name.startswith(said):
                found.append(warning(ctx.file, ctx.line(*path), f"文字中科目 {code} 写作“{said}”，表中为“{name}”",
                                     "subject_names_as_in_tables"))
    return found


def narrative_sections_written(ctx: Context) -> list[Finding]:
    """A passage the profile's 情况说明 prints from the clerk's words (职能职责, 联系方式, a 用途 …)
    that would come out empty: a 警告 naming the key to fill."""
    if ctx.narrative is None or ctx.profile is None:
        return []
    return [warning(ctx.file, ctx.line("说明", *key.split(".")) or ctx.line("说明"),
                    f"{ctx.profile.narrative_title}中“说明 → {key.replace('.', ' → ')}”尚未填写，印出来将是空的",
                    "narrative_sections_written") for key in ctx.narrative.unwritten]


def _code_lists_printed(profile: Profile, skip: Set[str]) -> Iterator[tuple[TableSpec, str, str, list[str]]]:
    """(table, code list, row set, values) of each fixed list of codes a printed table shows."""
    for spec in profile.tables:
        if spec.id in skip:
            continue
        for item in (row for side in spec.sides for row in side.rows if isinstance(row, Item)):
            if item.class_rows is not None and not item.class_rows.only_with_data:
                yield spec, item.class_rows.codes or profile.class_list, "功能分类", item.class_rows.values
            if item.code_rows is not None:
                yield spec, item.code_rows.codes, item.code_rows.rowset, item.code_rows.values


def _line_of_code(ctx: Context, prefix: str) -> int | None:
    """The YAML line of the first 科目编码 under `prefix` (a 类's first 项)."""
    for path, line in sorted(ctx.located.lines.items(), key=lambda item: item[1]):
        if path and path[-1] == "科目编码":
            value: object = ctx.document.data
            for key in path:
                value = value[key] if isinstance(value, (dict, list)) else None
            if isinstance(value, str) and value.startswith(prefix):
                return line
    return None


def figures_are_in_code_lists(ctx: Context) -> list[Finding]:
    """A 类 (or 款) with figures that a table's fixed list leaves out would silently be missing
    from that table, whose rows would then not add up to its total."""
    if ctx.profile is None or ctx.publication is None:
        return []
    listed: dict[tuple[str, str], tuple[TableSpec, set[str], set[str]]] = {}
    for spec, name, rowset, values in _code_lists_printed(ctx.profile, ctx.incomplete):
        if rowset not in ctx.facts.measures.rowsets:
            continue
        _, codes, keys = listed.setdefault((spec.id, rowset), (spec, set(), set()))
        codes |= {code for code, _ in ctx.profile.code_list(name)}
        keys |= set(values)
    found = []
    for (_, rowset), (spec, codes, keys) in listed.items():
        lengths = {len(code) for code in codes}
        for row in ctx.facts.rows(rowset):
            code = row.text("科目编码")
            if len(code) in lengths and code not in codes and any(row.amount(k) for k in keys):
                list_names = "、".join(dict.fromkeys(n for t, n, r, _ in _code_lists_printed(ctx.profile, ctx.incomplete)
                                                    if t.id == spec.id and r == rowset))
                found.append(error(ctx.file, _line_of_code(ctx, code), f"{code} {row.text('科目名称')} 有数字，"
                                   f"但方案“{ctx.profile.name}”的{spec_label(ctx.profile, ctx.profile.tables.index(spec) + 1)}"
                                   f"按编码列表“{list_names}”逐行印出，列表中没有它，表中会漏印；请在方案的列表中加上"
                                   f"“{code}”（区里的列表在“方案”文件夹的 类列表.yaml）", "figures_are_in_code_lists"))
    return found


def _narrative_names(profile: Profile) -> frozenset[str]:
    """The figures a profile's 情况说明 template prints: every `n.<name>` (or `n["<name>"]`) it
    reads. The template is the profile's own (a district's, beside it) or the built-in one."""
    places = [p for p in dict.fromkeys([profile.folder, narrative_dir()]) if p is not None]
    path = next((place / profile.narrative for place in places if (place / profile.narrative).is_file()), None)
    if path is None:                          # the profile's own check names the missing template
        return frozenset()
    return _names_in(str(path), path.stat().st_mtime_ns)


@cache
def _names_in(path: str, stamp: int) -> frozenset[str]:
    import jinja2
    from jinja2 import nodes

    tree = jinja2.Environment().parse(Path(path).read_text(encoding="utf-8"))
    names = {node.attr for node in tree.find_all(nodes.Getattr)
             if isinstance(node.node, nodes.Name) and node.node.name == "n"}
    names |= {node.arg.value for node in tree.find_all(nodes.Getitem)
              if isinstance(node.node, nodes.Name) and node.node.name == "n" and isinstance(node.arg, nodes.Const)}
    return frozenset(names)


def printed_at(profile: Profile, name: str) -> list[str]:
    """Where a profile prints a total by name: its tables' labels ($name in a cell) and its
    情况说明 (the figure of that name in the template)."""
    where = [spec_label(profile, n) for n, spec in enumerate(profile.tables, start=1)
             if name in printed_totals(spec)]
    if profile.narrative and name in _narrative_names(profile):
        where.append(profile.narrative_title)
    return where


def figures_are_given(ctx: Context) -> list[Finding]:
    """A figure the profile prints that the document does not give, printed as another figure's
    value (a budget's 机关运行经费 as its 公用经费): a 警告 naming the key to type, so no printed
    figure comes from a silent default. Last year's file too, where this year's 情况说明 prints
    the change against it."""
    if ctx.profile is None:
        return []
    found = []
    for name, fallback in ctx.facts.fallbacks.items():
        where = printed_at(ctx.profile, name)
        if where:
            found.append(warning(ctx.file, None,
                                 f"{'、'.join(where)}印出“{name}”，但本文件没有写“{fallback.key}”：印出的是"
                                 f"{fallback.described} {ctx.amount(ctx.facts.scalar(fallback.instead))}，可能与公开文件的"
                                 f"{name}不同。请在文件中写上 {fallback.key}: …（两者相同时也请写明）", "figures_are_given"))
    previous = ctx.facts.linked.get("上年")
    if previous is not None and ctx.profile.narrative:
        for name, fallback in previous.fallbacks.items():
            if name in _narrative_names(ctx.profile):
                found.append(warning(ctx.file, ctx.line("上年文件"),
                                     f"上年文件没有写“{fallback.key}”：{ctx.profile.narrative_title}中{name}与上年的比较按上年的"
                                     f"{fallback.described}计算。请在上年文件中写上 {fallback.key}: …", "figures_are_given"))
    return found


SHARED_RULES: list[Rule] = [codes_are_quoted, text_is_printable, published_figures_are_known,
                            economic_lines_in_their_group, tables_have_their_data, narrative_sections_written,
                            figures_are_given,
                            text_is_finished, years_are_this_or_last, subject_names_as_in_tables,
                            pages_are_bounded, figures_are_in_code_lists]


def run_checks(ctx: Context) -> list[Finding]:
    rules = (*ctx.document.kind.rules, *SHARED_RULES)
    if ctx.model.partial:
        rules = tuple(rule for rule in rules if getattr(rule, "partial", False))
    return [finding for rule in rules for finding in rule(ctx)]
