"""A profile: one region's standard table set for one document kind, declared as data.

A profile file (a district's, in its 方案 folder, or one of templates/profiles/) lists the tables
in order with their numbering, titles, header grids, columns, units, notes and which computed row
set, totals or form records fill them. Renderers only ever see the tables built from it, so a new
region is a new file. What a profile names beside it — its 情况说明 template, its 类 lists — is
looked for in its own folder first, then among the built-in ones.

Layouts:
- `rows`: one row per row of a computed row set (功能分类, 经济分类基本支出, 项目支出 …);
- `paired`: lists side by side (the 收支总表's income beside its expenditure, 06表's three groups),
  with `top` and `footer` rows across;
- `fixed`: a fixed list of rows, each cell literal text or a computed total (`$key`);
- `form`: a label/value grid with an indicator block (绩效目标表, 自评表), optionally one per record.

A profile is checked when it loads: every name it uses — `$totals`, column keys, row sets,
`include_if`, `{placeholders}`, requirements — must be declared by its document kind's compute
stage; anything else is an error at the profile's file:line with the nearest valid name.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import AbstractSet as Set
from typing import Annotated, Iterator, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from ..core.catalogue import class_lists
from ..core.district import CLASS_LISTS
from ..core.facts import TEXT, Measures
from ..core.findings import BuildFailed, Finding, error
from ..core.loader import Located, load_yaml
from ..core.parse import parse_model
from ..core.resources import narrative_dir
from .model import CELL_KINDS, COLUMN_KINDS, VALUE_KIND_OF
from .narrative import compile_template

SPAN = re.compile(r"^(?P<text>.*?)(?:\s*↔(?P<cols>\d+))?(?:\s*↕(?P<rows>\d+))?$", re.S)
PLACEHOLDER = re.compile(r"\{([^{}]+)\}")
# a table's number in a label: 3, 03, 三 (tables.build._numbers fills them); a repeated table's
# labels add its item's number {i}; a class row's label its number and the class's {name}
NUMBERING = frozenset({"n", "n2", "cn"})
ITEM_NUMBERING = NUMBERING | {"i"}
ROW_NUMBERING = frozenset({"n", "cn", "name"})
VALUE_COLUMN_KINDS = {kind: measure for measure, kind in VALUE_KIND_OF.items()}


class Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Column(Strict):
    key: str = ""                       # row-set field; "" for paired/fixed/form layouts
    width: float = 12                   # in character widths (XLSX) and proportions (PDF)
    kind: Literal[COLUMN_KINDS] = "text"  # type: ignore[valid-type]   # the kinds named in publication.model
    decimals: int | None = None         # decimals when not the table's
    # 科目编码 in three columns 类 | 款 | 项: `parts` prints 201 | 03 | 01, `merged` prints the
    # whole code in one cell across the three (潼南决算); `width` is each column's width.
    split: Literal["", "parts", "merged"] = ""
    # how many columns a split code takes: 3 (类 | 款 | 项) or 2 (类 | 款: 301 | 01, an economic
    # code); the last column takes the rest of the code, so no digit is ever dropped
    parts: Annotated[int, Field(ge=2, le=3)] = 3

    @property
    def span(self) -> int:
        """The printed columns this column takes."""
        return self.parts if self.split else 1


class ClassRows(Strict):
    """One row per 类 of a code list (or only the 类 that have figures)."""
    label: str                          # e.g. "（{cn}）{name}"
    values: list[str]                   # measures of the 功能分类 类 row
    only_with_data: bool = False        # 渝北: only the 类 that have figures, unnumbered
    codes: str = ""                     # a code list (the profile's code_lists); default the profile's class_list


class CodeRows(Strict):
    """Rows for a fixed list of codes (06表's 款 lists), each with its name and values from a row set;
    rows whose level is in `bold` print bold (the 类 rows)."""
    rowset: str
    codes: str                          # a code list (the profile's code_lists)
    values: list[str]
    bold: list[str] = ["类"]


class Item(Strict):
    class_rows: ClassRows | None = None
    code_rows: CodeRows | None = None


class Side(Strict):
    columns: int                        # how many of the table's columns this list fills
    line_numbers: bool = False          # a 行次 column after the label, numbered across sides
    rows: list[list[str] | Item]


class Indicators(Strict):
    label: str = "绩效指标"               # "" for no row label column
    header: list[str]
    fields: list[str]
    spans: list[int] | None = None      # columns each indicator field spans
    suffix: dict[str, str] = {}         # e.g. {指标权重: "%"}
    merge: list[str] = []               # fields whose equal neighbours merge (一级指标 ↕)
    text_fields: list[str] = []         # long-text fields, left-aligned (others are centred)
    min_rows: int = 1                   # blank indicator rows a form without indicators shows


FormCell = str | dict[str, str]


class TableSpec(Strict):
    id: str
    title: str
    label: str | None = None            # this table's label when not the profile's numbering ({n}, {n2}, {cn})
    repeat_label: str | None = None     # a repeated form's labels when not the profile's ({i} …)
    layout: Literal["rows", "paired", "fixed", "form"]
    landscape: bool = False
    # a landscape table longer than a page stays landscape on every page (its header repeated);
    # by default the PDF turns it upright where it then fits one page
    keep_landscape: bool = False
    columns: list[Column]
    unit: Literal["", "元", "万元"] = ""   # this table's unit when not the profile's
    zeros: bool = False                 # print zero amounts (0.00) instead of leaving them blank
    lines_above: list[list[str]] | None = None  # overrides the profile's
    subtitle: str = ""                  # a second, smaller title line
    serial: bool = False                # 序号 column numbering the body rows, and a 栏次 row
    min_rows: int = 0                   # blank filler rows up to this many body rows (空表列示)
    # where the filler rows go: after the last row (even a bottom 合计), or above the 合计 — the
    # last row of a rows table with `total: bottom`, of a fixed or paired table
    filler_at: Literal["end", "above_total"] = "end"
    header: list[list[str]] = []
    notes: list[str] = []
    empty_note: str = ""
    requires: list[str] = []            # data the YAML must carry (the kind's needs)
    # rows layout
    rowset: str = ""
    include_if: list[str] = []          # a row is shown if any of these measures is non-zero
    keep_levels: list[str] = ["合计"]    # levels shown even when all zero
    show_listed: bool = False           # show rows the YAML lists even without amounts
    total: Literal["top", "bottom"] = "top"   # where the 合计 row goes
    total_label: str = ""               # bottom 合计: its label spans the text columns before the values
    total_align: Literal["", "left", "center"] = ""   # the 合计 row's label, when not the profile's
    # fixed layout: these rows exactly (literal cells and $totals)
    fixed: list[list[str]] = []
    # paired layout: top rows, then lists side by side, then footer rows
    top: list[list[str]] = []
    sides: list[Side] = []
    footer: list[list[str]] = []
    # form layout
    form: list[list[FormCell]] = []
    indicators: Indicators | None = None
    record: str = ""                    # the record a single form shows (整体)
    repeat: str = ""                    # one form per record of this set (项目)
    select: str = ""                    # with repeat: only records with this tag (重点 / 一般)
    # a form's text the data leaves empty, printed as the region's usual text instead (实施单位 of a
    # project the YAML gives no unit for: the department itself); placeholders as in the form
    defaults: dict[str, str] = {}

    @property
    def ncols(self) -> int:
        return sum(c.span for c in self.columns)


class Profile(Strict):
    name: str
    description: str
    kind: Literal["预算", "决算"] = "预算"
    unit: Literal["元", "万元"]
    decimals: int = 2
    thousands: bool = True
    label: str = "附件{n}"               # {n}: number, {cn}: number in Chinese (表一)
    repeat_label: str = "附件{n}-{i}"
    print_label: bool = True            # False: the label names sheets, 目录 and bookmarks only
    lines_above: list[list[str]] = [["", "", "单位：{unit}"]]   # (left, centre, right) lines
    document_title: str = "{部门}{年度}年部门预算"
    contents_heading: str = "目　录"
    narrative_title: str = "部门预算情况说明"    # the 情况说明's entry in the 目录
    cover_landscape: bool = False
    # the 合计 row's label in `rows` tables (a table may say its own): left, as a text, or centred
    total_align: Literal["left", "center"] = "left"
    class_list: str = ""
    rounding_note: str = "注：本表金额由元换算为万元并四舍五入，合计数与分项之和可能存在尾差。"
    project_order: Literal["yaml", "code"] = "code"
    narrative: str = ""                 # 情况说明 template beside the profile or under templates/narrative/
    narrative_unit: Literal["", "元", "万元"] = ""   # the 情况说明's unit when not the tables' (决算说明: 万元)
    narrative_item_reasons: bool = False  # the 情况说明 explains each 项's change (渝北)
    # how the region states a change (增加/减少 X，增长/下降 Y%): from the figures as shown, rounded
    # (shown), or from the exact figures, the change then rounded (exact); the 情况说明 computes
    # its changes so, and a wrong stated change is reported with this way's figure first
    changes: Literal["shown", "exact"] = "shown"
    # 经济分类 类/款 that may also carry 人员经费 or 公用经费 in this region, beyond the default
    # grouping (templates/catalogue/expense_groups.yaml), e.g. {人员经费: ["30207"]}
    expense_groups: dict[Literal["人员经费", "公用经费"], list[str]] = {}
    # the 类/款 lists its tables print, by name: each entry a code, a code and the name this
    # edition prints ("207 文化体育与传媒支出"), or a label that is no code (人行科目). Loaded, it
    # holds the built-in lists, then the 类列表.yaml beside it, then its own (later ones win).
    code_lists: dict[str, list[str]] = {}
    # spending categories this region prints beside 基本支出 and 项目支出 (单位预留机动经费 …): a
    # YAML types them per 功能分类 line (支出类别), and each is a measure like 基本支出
    spending_categories: list[str] = []
    # False: no 目录 page (the PDF keeps its bookmarks, the workbook its sheets)
    contents: bool = True
    tables: list[TableSpec]
    _folder: Path | None = PrivateAttr(default=None)     # where it was read from (its templates and lists)

    @property
    def folder(self) -> Path | None:
        return self._folder

    def code_list(self, name: str) -> list[tuple[str, str | None]]:
        return [list_entry(entry) for entry in self.code_lists[name]]


def list_entry(entry: str) -> tuple[str, str | None]:
    """A code list's entry as (code, the name it prints or None): `201`, `201 一般公共服务支出`,
    or a label that is no code (人行科目, printed as it is)."""
    code, _, name = entry.strip().partition(" ")
    if code.isascii() and code.isdigit():
        return code, name.strip() or None
    return entry.strip(), None


def parse_cell(spec: str) -> tuple[str, int, int]:
    match = SPAN.match(spec)
    assert match is not None
    return match["text"], int(match["cols"] or 1), int(match["rows"] or 1)


FORM_CELL_KINDS = CELL_KINDS


def form_cell(item: FormCell, position: int) -> tuple[str, str, int, int]:
    """(kind, text, colspan, rowspan) of a form cell: a string is a label in even positions and a
    value in odd ones (label, value, label, value …); `{head: 年初预算数}` names its kind."""
    if isinstance(item, dict):
        (kind, spec), = item.items()
    else:
        kind, spec = ("label" if position % 2 == 0 else "text"), item
    text, cols, rows = parse_cell(spec)
    return kind, text, cols, rows


# -- loading and validation ------------------------------------------------------------------

def parse_profile(path: Path, district_lists: Path | None = None) -> tuple[Profile, Located]:
    """A profile file, with the code lists it may name: the built-in ones, the 类列表.yaml beside
    it, the department's district's 类列表.yaml (a district extends a built-in profile's list for
    a 类 its departments have) and its own, later ones winning."""
    data, located = load_yaml(path, aliases=True, what="方案文件")
    profile = parse_model(Profile, data, located, str(path), "方案文件顶层应为键值映射（name: …、tables: …）")
    lists: dict[str, list[str]] = {name: list(codes) for name, codes in class_lists().items()}
    for file in dict.fromkeys([path.parent / CLASS_LISTS, district_lists]):
        if file is not None and file.is_file():
            lists |= read_lists(file)
    lists |= profile.code_lists
    profile = profile.model_copy(update={"code_lists": lists})
    profile._folder = path.parent
    return profile, located


def read_lists(path: Path) -> dict[str, list[str]]:
    """A district's 类列表.yaml: list name → codes (each may carry the name it prints)."""
    data, located = load_yaml(path, what="类列表文件")
    file = str(path)
    if not isinstance(data, dict):
        raise BuildFailed([error(file, 1, "类列表文件应为键值映射：每个列表一个名称，下面是它的编码（可带名称）")])
    problems = [error(file, located.line_of((name,)), f"类列表“{name}”应为编码的列表（如 [\"201 一般公共服务支出\", …]）")
                for name, codes in data.items()
                if not isinstance(codes, list) or not codes or not all(isinstance(c, str) and c.strip() for c in codes)]
    if problems:
        raise BuildFailed(problems)
    return {str(name): list(codes) for name, codes in data.items()}


def _near(name: str, known) -> str:
    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.4)
    return f"，是否应为“{close[0]}”？" if close else ""


class _Validator:
    def __init__(self, profile: Profile, located: Located, file: str, measures: Measures,
                 needs: set[str]):
        self.profile, self.located, self.file = profile, located, file
        self.measures, self.needs = measures, needs
        self.findings: list[Finding] = []
        self.context = set(measures.context) | {"unit"}

    def fail(self, path: tuple, message: str) -> None:
        self.findings.append(error(self.file, self.located.line_of(path), message, "profile"))

    def placeholders(self, path: tuple, text: str, allowed: Set[str]) -> None:
        for name in PLACEHOLDER.findall(text):
            if name not in allowed:
                near = _near(name, allowed)
                self.fail(path, f"占位符“{{{name}}}”未定义{near or '（可用：' + '、'.join(sorted(allowed)) + '）'}")

    def scalar(self, path: tuple, text: str, extra: dict[str, str] | None = None) -> None:
        if text.startswith("$"):
            name = text[1:]
            known = {**self.measures.scalars, **(extra or {})}
            if name not in known:
                self.fail(path, f"合计数“${name}”未定义{_near(name, known)}")
        else:
            self.placeholders(path, text, self.context)

    def run(self) -> list[Finding]:
        p = self.profile
        for key in ("document_title", "narrative_title"):
            self.placeholders((key,), getattr(p, key), self.context)
        self.placeholders(("label",), p.label, NUMBERING)
        self.placeholders(("repeat_label",), p.repeat_label, ITEM_NUMBERING)
        for i, line in enumerate(p.lines_above):
            for j, cell in enumerate(line):
                self.placeholders(("lines_above", i, j), cell, self.context | {"label"})
        if p.class_list and p.class_list not in p.code_lists:
            self.fail(("class_list",), f"没有名为“{p.class_list}”的类列表{_near(p.class_list, p.code_lists)}")
        for name, entries in p.code_lists.items():
            if not entries or not all(isinstance(e, str) and e.strip() for e in entries):
                self.fail(("code_lists", name), f"类列表“{name}”应为编码的列表（如 [\"201 一般公共服务支出\", …]）")
        if p.narrative:
            self.narrative(p.narrative)
        for t, spec in enumerate(p.tables):
            self.table(("tables", t), spec)
        return self.findings

    def narrative(self, template: str) -> None:
        folder = self.profile.folder
        places = [p for p in dict.fromkeys([folder, narrative_dir()]) if p is not None]
        if not any((place / template).is_file() for place in places):
            self.fail(("narrative",), f"找不到情况说明模板“{template}”（应放在方案文件旁：{places[0]}）")
            return
        try:
            compile_template(template, folder)
        except BuildFailed as failed:
            self.findings += failed.findings

    def table(self, path: tuple, spec: TableSpec) -> None:
        context = set(self.context) | {"label"}
        for key, allowed in (("label", NUMBERING), ("repeat_label", ITEM_NUMBERING)):
            if getattr(spec, key):
                self.placeholders(path + (key,), getattr(spec, key), allowed)
        record = spec.repeat or spec.record
        values: dict[str, str] = {}
        if spec.layout == "form" and record:
            rspec = self.measures.records.get(record)
            if rspec is None:
                self.fail(path + (("repeat",) if spec.repeat else ("record",)),
                          f"没有名为“{record}”的表单数据{_near(record, self.measures.records)}")
                return
            context |= set(rspec.text) | ({"i"} if spec.repeat else set())
            values = rspec.values
            if spec.select and spec.select not in rspec.tags:
                self.fail(path + ("select",), f"“{record}”没有标记“{spec.select}”{_near(spec.select, rspec.tags)}")
            self.indicators(path + ("indicators",), spec, rspec.indicators)
        elif spec.layout == "form" and spec.indicators is not None:
            self.fail(path + ("indicators",), "指标块需要 record 或 repeat 指明表单数据")
        for name, text in spec.defaults.items():
            if not record or name not in self.measures.records[record].text:
                self.fail(path + ("defaults",), f"defaults 的“{name}”不是表单“{record or '（无）'}”的文字"
                                                f"{_near(name, self.measures.records[record].text) if record else ''}")
            self.placeholders(path + ("defaults", name), text, context)
        for key in ("title", "subtitle", "empty_note"):
            self.placeholders(path + (key,), getattr(spec, key), context)
        for i, note in enumerate(spec.notes):
            self.placeholders(path + ("notes", i), note, context)
        for i, line in enumerate(spec.lines_above or []):
            for j, cell in enumerate(line):
                self.placeholders(path + ("lines_above", i, j), cell, context)
        for i, line in enumerate(spec.header):
            for j, cell in enumerate(line):
                self.placeholders(path + ("header", i, j), parse_cell(cell)[0], context)
        unknown = [n for n in spec.requires if n not in self.needs]
        for n in unknown:
            self.fail(path + ("requires",), f"未知的数据要求“{n}”{_near(n, self.needs)}")
        if spec.layout == "rows":
            self.rows(path, spec)
        self.layout_settings(path, spec)
        for section in ("fixed", "top", "footer"):
            for i, line in enumerate(getattr(spec, section)):
                for j, cell in enumerate(line):
                    self.scalar(path + (section, i, j), parse_cell(cell)[0])
        for s, side in enumerate(spec.sides):
            for i, item in enumerate(side.rows):
                where = path + ("sides", s, "rows", i)
                if isinstance(item, list):
                    for j, cell in enumerate(item):
                        self.scalar(where + (j,), parse_cell(cell)[0])
                else:
                    self.item(where, item)
        if spec.layout == "paired" and sum(side.columns for side in spec.sides) != spec.ncols:
            self.fail(path + ("sides",), f"各列表的列数之和 {sum(s.columns for s in spec.sides)} "
                                        f"应等于表的列数 {spec.ncols}")
        for i, form_row in enumerate(spec.form):
            for j, form_item in enumerate(form_row):
                where = path + ("form", i, j)
                if isinstance(form_item, dict) and (len(form_item) != 1 or next(iter(form_item)) not in FORM_CELL_KINDS):
                    self.fail(where, f"表单单元格应为文字，或 {{类型: 文字}}，类型为 {'、'.join(FORM_CELL_KINDS)}")
                    continue
                kind, text, _, _ = form_cell(form_item, j)
                if text.startswith("$"):
                    self.scalar(where, text, values)
                else:
                    self.placeholders(where, text, context)

    def layout_settings(self, path: tuple, spec: TableSpec) -> None:
        """Settings that would do nothing where they are written: said, never silently ignored."""
        if spec.filler_at == "above_total":
            where = path + ("filler_at",)
            if spec.layout == "form":
                self.fail(where, "表单没有合计行，不能写 filler_at: above_total")
            elif spec.layout == "rows" and spec.total != "bottom":
                self.fail(where, "filler_at: above_total 把空白行放在底部的合计行之上，这张表还须写 total: bottom")
            elif not spec.min_rows:
                self.fail(where, "filler_at 说明 min_rows 补足的空白行放在哪里，这张表没有写 min_rows")
        if spec.keep_landscape and not spec.landscape:
            self.fail(path + ("keep_landscape",), "keep_landscape 只用于横向的表，这张表还须写 landscape: true")
        if spec.total_align and spec.layout != "rows":
            self.fail(path + ("total_align",), "total_align 只用于 layout: rows 的合计行；"
                                                "fixed、paired 表的各行按所写的文字印出")
        for c, column in enumerate(spec.columns):
            if "parts" in column.model_fields_set and not column.split:
                self.fail(path + ("columns", c, "parts"), "parts 只用于分列印出的编码列（split: parts 或 merged）")

    def rows(self, path: tuple, spec: TableSpec) -> None:
        fields = self.measures.rowsets.get(spec.rowset)
        if fields is None:
            self.fail(path + ("rowset",), f"没有名为“{spec.rowset}”的行集{_near(spec.rowset, self.measures.rowsets)}")
            return
        for c, column in enumerate(spec.columns):
            if column.key not in fields:
                self.fail(path + ("columns", c, "key"),
                          f"列“{column.key}”不是行集“{spec.rowset}”的字段{_near(column.key, fields)}")
            elif column.kind in VALUE_COLUMN_KINDS and fields[column.key] == TEXT:
                self.fail(path + ("columns", c, "kind"), f"列“{column.key}”是文字，不能按 {column.kind} 显示")
        for i, key in enumerate(spec.include_if):
            if key not in fields:
                self.fail(path + ("include_if", i), f"include_if 的“{key}”不是行集“{spec.rowset}”的字段{_near(key, fields)}")

    def item(self, path: tuple, item: Item) -> None:
        if item.class_rows is not None:
            rows = item.class_rows
            fields = self.measures.rowsets.get("功能分类", {})
            for i, key in enumerate(rows.values):
                if key not in fields:
                    self.fail(path + ("class_rows", "values", i), f"“{key}”不是行集“功能分类”的字段{_near(key, fields)}")
            self.placeholders(path + ("class_rows", "label"), rows.label, ROW_NUMBERING)
            name = rows.codes or self.profile.class_list
            if not rows.only_with_data and name not in self.profile.code_lists:
                self.fail(path + ("class_rows",), f"没有名为“{name}”的类列表（codes 或方案的 class_list）")
        if item.code_rows is not None:
            codes = item.code_rows
            known = self.measures.rowsets.get(codes.rowset)
            if known is None:
                self.fail(path + ("code_rows", "rowset"), f"没有名为“{codes.rowset}”的行集{_near(codes.rowset, self.measures.rowsets)}")
                return
            for i, key in enumerate(codes.values):
                if key not in known:
                    self.fail(path + ("code_rows", "values", i), f"“{key}”不是行集“{codes.rowset}”的字段{_near(key, known)}")
            if codes.codes not in self.profile.code_lists:
                self.fail(path + ("code_rows", "codes"), f"没有名为“{codes.codes}”的编码列表{_near(codes.codes, self.profile.code_lists)}")

    def indicators(self, path: tuple, spec: TableSpec, known: dict[str, str]) -> None:
        block = spec.indicators
        if block is None:
            return
        for key in ("fields", "merge", "text_fields"):
            for i, name in enumerate(getattr(block, key)):
                if name not in known:
                    self.fail(path + (key, i), f"指标字段“{name}”未定义{_near(name, known)}")
        for name in block.suffix:
            if name not in known:
                self.fail(path + ("suffix",), f"指标字段“{name}”未定义{_near(name, known)}")
        if len(block.header) != len(block.fields):
            self.fail(path + ("header",), "指标块的 header 与 fields 个数应相同")


def validate(profile: Profile, located: Located, file: str, measures: Measures,
             needs: set[str]) -> None:
    findings = _Validator(profile, located, file, measures, needs).run()
    if findings:
        raise BuildFailed(findings)


def needs_of(profile: Profile, spec: TableSpec, measures: Measures) -> list[str]:
    """What a table needs: its `requires`, and the need of every optional name it prints
    (a table that prints {部门编码} needs the 部门编码), so nothing prints blank for missing data."""
    found = list(spec.requires)
    used: set[str] = set()
    lines = spec.lines_above if spec.lines_above is not None else profile.lines_above
    texts = [spec.title, spec.subtitle, *(c for line in lines for c in line)]
    texts += [parse_cell(c)[0] for line in spec.header for c in line]
    texts += [form_cell(c, j)[1] for line in spec.form for j, c in enumerate(line)]
    texts += spec.defaults.values()
    for text in texts:
        used |= set(PLACEHOLDER.findall(text))
    if spec.layout == "rows":
        used |= {f"{spec.rowset}.{c.key}" for c in spec.columns}
    record = spec.repeat or spec.record
    if record:
        used = {f"{record}.{name}" if f"{record}.{name}" in measures.optional else name for name in used}
    for name in sorted(used):
        need = measures.optional.get(name)
        if need and need not in found:
            found.append(need)
    return found


def printed_totals(spec: TableSpec) -> set[str]:
    """The totals ($name) a table prints: the cells of its fixed, top and footer lines, of its
    sides' lines and of its form that are a `$name` (the validator checks the same cells)."""
    cells = [c for section in (spec.fixed, spec.top, spec.footer) for line in section for c in line]
    cells += [c for side in spec.sides for item in side.rows if isinstance(item, list) for c in item]
    texts = [parse_cell(c)[0] for c in cells] + [form_cell(c, j)[1] for line in spec.form for j, c in enumerate(line)]
    return {text[1:] for text in texts if text.startswith("$")}


def texts(profile: Profile) -> Iterator[str]:
    """Every literal text a profile prints (for the font check)."""
    yield from (profile.document_title, profile.contents_heading, profile.narrative_title)
    for spec in profile.tables:
        yield from (spec.title, spec.subtitle, spec.empty_note, *spec.notes)
        for lines in (spec.header, spec.fixed, spec.top, spec.footer):
            for line in lines:
                yield from line
