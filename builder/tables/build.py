"""Build format-neutral tables from computed facts and a profile.

A `Table` is a grid of cells (text or an amount already in the display unit and rounded),
with its 附件 label, title, unit line, header rows and notes. Both the XLSX and the PDF renderer
draw exactly these tables, so the two outputs cannot disagree. Numbering is decided here, once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from ..budget.compute import ZERO, Facts, Row, unit_factor
from ..budget.model import Department, Project
from .profile import ClassRows, Profile, RightItem, TableSpec

_SPAN = re.compile(r"^(?P<text>.*?)(?:\s*↔(?P<cols>\d+))?(?:\s*↕(?P<rows>\d+))?$", re.S)
_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")

CN_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 28 → 二十八 (enough for table and row numbering)."""
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else CN_DIGITS[tens]
    return f"{head}十{CN_DIGITS[ones] if ones else ''}"


@dataclass(frozen=True)
class Cell:
    value: str | Decimal | None = None
    colspan: int = 1
    rowspan: int = 1
    kind: str = "text"          # text / code / amount / percent / center / label / head
    decimals: int | None = None  # amounts: decimals shown, when not the table's


@dataclass
class Table:
    id: str
    label: str
    title: str
    above: list[list[str]]      # lines above the table: [left, centre, right] cells
    widths: list[float]
    header: list[list[Cell]]
    body: list[list[Cell]]
    notes: list[str] = field(default_factory=list)
    landscape: bool = False
    decimals: int = 2
    thousands: bool = True
    form: bool = False
    subject: str = ""           # what a repeated table is about (the project), for the 目录
    subtitle: str = ""
    print_label: bool = True

    @property
    def ncols(self) -> int:
        return len(self.widths)

    @property
    def contents_title(self) -> str:
        return f"{self.title}（{self.subject}）" if self.subject else self.title

    @property
    def bookmark(self) -> str:
        return f"{self.label} {self.contents_title}".strip()


class Display:
    """Converts exact amounts in the YAML's unit to rounded amounts in the profile's unit."""

    def __init__(self, input_unit: str, profile: Profile):
        self.factor = unit_factor(input_unit, profile.unit)
        self.quantum = Decimal(1).scaleb(-profile.decimals)

    def __call__(self, amount: Decimal, decimals: int | None = None) -> Decimal:
        quantum = self.quantum if decimals is None else Decimal(1).scaleb(-decimals)
        return (amount * self.factor).quantize(quantum, rounding=ROUND_HALF_UP)


def _fill(template: str, context: dict[str, str]) -> str:
    # Plain substitution, never str.format: user text is inserted, never interpreted.
    return _PLACEHOLDER.sub(lambda m: context.get(m.group(1), m.group(0)), template)


def _parse_cell(spec: str) -> tuple[str, int, int]:
    match = _SPAN.match(spec)
    assert match is not None
    return match["text"], int(match["cols"] or 1), int(match["rows"] or 1)


def _header(spec: TableSpec, context: dict[str, str]) -> list[list[Cell]]:
    rows = []
    for line in spec.header:
        cells = []
        for item in line:
            text, cols, span_rows = _parse_cell(item)
            cells.append(Cell(_fill(text, context), cols, span_rows, "head"))
        rows.append(cells)
    return rows


def _context(dept: Department) -> dict[str, str]:
    return {"部门": dept.name, "部门简称": dept.short_name or dept.name, "部门编码": dept.code,
            "年度": str(dept.year), "上年": str(dept.year - 1)}


class Builder:
    def __init__(self, facts: Facts, profile: Profile):
        self.facts = facts
        self.profile = profile
        self.dept = facts.dept
        self.display = Display(self.dept.unit, profile)
        self.context = _context(self.dept)
        self.context["unit"] = profile.unit

    # -- cells -------------------------------------------------------------------------------
    def amount(self, value: Decimal | None) -> Cell:
        return Cell(self.display(value if value is not None else ZERO), kind="amount")

    def ref_or_text(self, item: str, kind: str = "text") -> Cell:
        """A literal cell, or `$key`: a computed total, as an amount."""
        text, cols, rows = _parse_cell(item)
        if text.startswith("$"):
            return Cell(self.display(self.facts.scalar(text[1:])), cols, rows, "amount")
        return Cell(_fill(text, self.context), cols, rows, kind)

    # -- layouts -----------------------------------------------------------------------------
    def rows_body(self, spec: TableSpec) -> tuple[list[list[Cell]], bool]:
        rowset = self.facts.rowsets[spec.rowset]
        keys = spec.include_if or [c.key for c in spec.columns if c.kind == "amount"]
        shown = [i for i, row in enumerate(rowset)
                 if row.level in spec.keep_levels or spec.show_listed
                 or any(row.amount(k) for k in keys)]
        body = []
        for i in shown:
            row = rowset[i]
            cells = []
            for column in spec.columns:
                value = row.fields.get(column.key)
                if column.kind == "amount":
                    amount = value if isinstance(value, Decimal) else ZERO
                    cells.append(Cell(self.display(amount, column.decimals), kind="amount",
                                      decimals=column.decimals))
                elif column.kind == "percent":
                    cells.append(Cell(value if isinstance(value, Decimal) else None, kind="percent"))
                else:
                    cells.append(Cell("" if value is None else str(value), kind=column.kind))
            body.append(cells)
        return body, self._rounding_differs(spec, [rowset[i] for i in shown])

    def _rounding_differs(self, spec: TableSpec, rows: list[Row]) -> bool:
        """True if some shown total differs from the sum of its shown, rounded parts."""
        keys = [c.key for c in spec.columns if c.kind == "amount"]
        ids = {id(r): r for r in rows}
        rowset = self.facts.rowsets[spec.rowset]
        for parent_index, parent in enumerate(rowset):
            children = [r for r in rows if r.parent == parent_index]
            if id(parent) not in ids or not children:
                continue
            for key in keys:
                parts = sum((self.display(c.amount(key)) for c in children), ZERO)
                if parts != self.display(parent.amount(key)):
                    return True
        return False

    def paired_body(self, spec: TableSpec) -> list[list[Cell]]:
        left = [[self.ref_or_text(c, kind="label" if i == 0 else "text")
                 for i, c in enumerate(line)] for line in spec.left]
        right: list[list[Cell]] = []
        for item in spec.right:
            if isinstance(item, RightItem):
                right.extend(self.class_rows(item.class_rows))
            else:
                right.append([self.ref_or_text(c, kind="label" if i == 0 else "text")
                              for i, c in enumerate(item)])
        left_width = 2
        right_width = len(spec.columns) - left_width
        body = []
        for i in range(max(len(left), len(right))):
            l = left[i] if i < len(left) else []
            r = right[i] if i < len(right) else []
            l = l + [Cell(kind="amount" if j else "label") for j in range(len(l), left_width)]
            r = r + [Cell(kind="amount" if j else "label") for j in range(len(r), right_width)]
            body.append(l + r)
        return self.fixed_rows(spec, spec.top) + body + self.fixed_rows(spec, spec.footer)

    def fixed_rows(self, spec: TableSpec, lines: list[list[str]]) -> list[list[Cell]]:
        """Rows declared cell by cell, padded with blank cells to the table's width."""
        rows = []
        for line in lines:
            row = [self.ref_or_text(c, kind="label" if i == 0 else "text") for i, c in enumerate(line)]
            rows.append(row + [Cell() for _ in range(len(spec.columns) - sum(c.colspan for c in row))])
        return rows

    def class_rows(self, spec: ClassRows) -> list[list[Cell]]:
        from ..core import catalogue
        classes = {r.fields["科目编码"]: r for r in self.facts.rowsets["功能分类"] if r.level == "类"}
        rows = []
        codes = (sorted(classes) if spec.only_with_data
                 else catalogue.class_lists()[self.profile.class_list])
        for n, code in enumerate(codes, start=1):
            row = classes.get(code)
            # a list entry that is not a code (丰润's 人行科目) is a row label of its own
            name = catalogue.function_names().get(code, code)
            label = _fill(spec.label, {"cn": chinese_number(n), "n": str(n), "name": name})
            rows.append([Cell(label, kind="label")] +
                        [self.amount(row.amount(k) if row else ZERO) for k in spec.values])
        return rows

    def form_body(self, spec: TableSpec, context: dict[str, str],
                  values: dict[str, Decimal], indicators: list[dict[str, str]]) -> list[list[Cell]]:
        body = []
        for line in spec.form:
            cells = []
            for i, item in enumerate(line):
                text, cols, rows = _parse_cell(item)
                if text.startswith("$"):
                    cells.append(Cell(self.display(values.get(text[1:], ZERO)), cols, rows, "amount"))
                else:
                    kind = "label" if i % 2 == 0 else "text"
                    cells.append(Cell(_fill(text, context), cols, rows, kind))
            body.append(cells)
        block = spec.indicators
        if block is None:
            return body
        spans = block.spans or [1] * len(block.fields)
        label = [Cell(block.label, 1, 1 + max(len(indicators), 1), "label")] if block.label else []
        body.append(label + [Cell(h, s, 1, "head") for h, s in zip(block.header, spans)])
        items = indicators or [{}]
        for r, item in enumerate(items):
            row = []
            for f, s in zip(block.fields, spans):
                text = item.get(f, "") + (block.suffix.get(f, "") if item.get(f) else "")
                if f in block.merge:
                    # equal neighbours share one cell spanning their rows (一级指标 ↕4)
                    if r and items[r - 1].get(f) == item.get(f):
                        continue
                    run = 1
                    while r + run < len(items) and items[r + run].get(f) == item.get(f):
                        run += 1
                    row.append(Cell(text, s, run, "center"))
                    continue
                row.append(Cell(text, s, 1, "text" if f in block.text_fields else "center"))
            body.append(row)
        return body

    # -- tables ------------------------------------------------------------------------------
    def table(self, spec: TableSpec, label: str, context: dict[str, str] | None = None,
              body: list[list[Cell]] | None = None, rounding: bool = False,
              empty: bool = False) -> Table:
        context = context or self.context
        notes = [_fill(n, context) for n in spec.notes]
        if empty and spec.empty_note:
            notes.append(_fill(spec.empty_note, context))
        if rounding:
            notes.append(self.profile.rounding_note)
        lines = spec.lines_above if spec.lines_above is not None else self.profile.lines_above
        above = [[_fill(cell, context) for cell in line] for line in lines]
        header, body, widths = _header(spec, context), list(body or []), [c.width for c in spec.columns]
        body += [[Cell(kind="text") for _ in spec.columns] for _ in range(spec.min_rows - len(body))]
        if spec.serial:
            header, body, widths = _with_serial(header, body, widths)
        return Table(id=spec.id, label=label, title=_fill(spec.title, context), above=above,
                     widths=widths, header=header, body=body, notes=notes,
                     landscape=spec.landscape, decimals=self.profile.decimals,
                     thousands=self.profile.thousands, form=spec.layout == "form",
                     subtitle=_fill(spec.subtitle, context), print_label=self.profile.print_label)

    def build(self, skip: set[str] = frozenset()) -> list[Table]:
        tables: list[Table] = []
        for n, spec in enumerate(self.profile.tables, start=1):
            if spec.id in skip:
                continue
            label = spec_label(self.profile, n)
            if spec.layout == "rows":
                body, rounding = self.rows_body(spec)
                tables.append(self.table(spec, label, body=body, rounding=rounding,
                                         empty=not _has_amount(body)))
            elif spec.layout in ("paired", "fixed"):
                body = (self.paired_body(spec) if spec.layout == "paired"
                        else self.fixed_rows(spec, spec.fixed))
                tables.append(self.table(spec, label, body=body, empty=not _has_amount(body)))
            elif spec.repeat == "projects":
                tables.extend(self.project_forms(spec, n))
            else:
                tables.append(self.department_form(spec, label))
        return tables

    def department_form(self, spec: TableSpec, label: str) -> Table:
        perf = self.dept.performance
        context = {**self.context, "整体绩效目标": perf.goal}
        indicators = [_by_alias(i) for i in perf.indicators]
        body = self.form_body(spec, context, self.facts.scalars, indicators)
        return self.table(spec, label, context, body, empty=not perf.indicators and not perf.goal)

    def project_forms(self, spec: TableSpec, n: int) -> list[Table]:
        # Each project with its computed row (amounts), in the profile's order.
        pairs = list(zip(self.dept.projects, self.facts.rowsets["项目支出"][1:]))
        if self.profile.project_order == "code":
            pairs.sort(key=lambda pair: pair[0].code)
        pairs = [(p, row) for p, row in pairs if _selected(spec, p)]
        tables = []
        for i, (project, row) in enumerate(pairs, start=1):
            label = _fill(self.profile.repeat_label, {"n": str(n), "cn": chinese_number(n), "i": str(i)})
            context = {**self.context, "i": str(i), **self.project_fields(project)}
            indicators = [_by_alias(x) for x in project.indicators]
            body = self.form_body(spec, context, row.fields, indicators)
            table = self.table(spec, label, context, body)
            table.subject = project.name
            tables.append(table)
        if not tables:
            # no project for this form: the blank form, with its note
            label = spec_label(self.profile, n)
            context = {**self.context, "i": "1", **{k: "" for k in self.project_fields(None)}}
            body = self.form_body(spec, context, {}, [])
            tables.append(self.table(spec, label, context, body, empty=True))
        return tables

    def project_fields(self, project: Project | None) -> dict[str, str]:
        """The text fields a project form may place ({项目名称} …); all blank for no project."""
        if project is None:
            return dict.fromkeys(("项目编码", "项目名称", "项目属性", "起始时间", "终止时间", "项目概况",
                                  "立项依据", "绩效目标", "预算单位"), "")
        return {"项目编码": project.code, "项目名称": project.name, "项目属性": project.attribute,
                "起始时间": project.start, "终止时间": project.end, "项目概况": project.overview,
                "立项依据": project.basis, "绩效目标": project.goal,
                "预算单位": project.unit or self.dept.name}


def _selected(spec: TableSpec, project: Project) -> bool:
    """Which projects a repeated form is for: all, or only 重点 / 一般 projects."""
    return {"": True, "重点": project.key_project, "一般": not project.key_project}[spec.select]


def _by_alias(model) -> dict[str, str]:
    """A model's fields as text under every name the YAML accepts for them (三级指标 and
    指标名称 …), so a profile's indicator columns can name either."""
    fields: dict[str, str] = {}
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        text = _number(value) if value is None or isinstance(value, Decimal) else str(value)
        choices = getattr(info.validation_alias, "choices", [])
        for alias in [info.alias, *choices]:
            fields[alias] = text
    return fields


def _number(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return text


def _has_amount(body: list[list[Cell]]) -> bool:
    return any(c.kind == "amount" and c.value for row in body for c in row)


def _with_serial(header, body, widths):
    """Prefix a 序号 column numbering the body rows, and add a 栏次 row numbering the columns
    after it — the Hebei layout."""
    ncols = len(widths)
    header = [list(row) for row in header]
    if header:
        header[0].insert(0, Cell("序号", 1, len(header), "head"))
    header.append([Cell("栏次", kind="head")] + [Cell(str(k), kind="head") for k in range(1, ncols + 1)])
    body = [[Cell(str(i) if any(c.value not in (None, "") for c in row) else "", kind="center")] + row
            for i, row in enumerate(body, start=1)]
    return header, body, [5.0] + list(widths)


def spec_label(profile: Profile, n: int) -> str:
    """The label of the n-th table of a profile (附件3, 表三 …): numbering comes from here only."""
    return _fill(profile.label, {"n": str(n), "cn": chinese_number(n)})


def build_tables(facts: Facts, profile: Profile, skip: set[str] = frozenset()) -> list[Table]:
    return Builder(facts, profile).build(skip)


def place(rows: list[list[Cell]], ncols: int) -> list[tuple[int, int, Cell]]:
    """Grid positions (row, column, cell) of HTML-style rows, where a cell spanning rows
    occupies the same columns of the rows below it. Used by renderers that need coordinates."""
    taken: set[tuple[int, int]] = set()
    placed = []
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            placed.append((r, c, cell))
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, c + dc))
            c += cell.colspan
    return [p for p in placed if p[1] < ncols]
