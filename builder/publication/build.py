"""Build format-neutral tables from computed facts and a profile.

This module knows layouts, never a document kind: it reads the facts only through the names a
profile gives (row sets, fields, `$totals`, records, placeholders), each validated against the
kind's declaration when the profile loaded, so a misspelt name can never print a blank here.
Values are converted to the table's unit and rounded once; numbering is decided here, once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Set
from dataclasses import replace
from decimal import Decimal

from ..core.catalogue import LEVELS
from ..core.facts import COUNT, MONEY, NUMBER, PERCENT, TEXT, Facts, Record, Row
from ..core.numbers import ZERO, Display
from .model import VALUE_KIND_OF, VALUE_KINDS, Cell, Table, chinese_number
from .profile import PLACEHOLDER, ClassRows, CodeRows, Item, Profile, Side, TableSpec, form_cell, parse_cell


def fill(template: str, context: dict[str, str]) -> str:
    """Plain substitution, never str.format: user text is inserted, never interpreted. An unknown
    placeholder raises — profiles are validated, so it is a bug, never a blank."""
    return PLACEHOLDER.sub(lambda m: context[m.group(1)], template)


def _numbers(n: int, i: int | None = None) -> dict[str, str]:
    """The values of profile.NUMBERING (and ITEM_NUMBERING's {i})."""
    numbers = {"n": str(n), "n2": f"{n:02d}", "cn": chinese_number(n)}
    return numbers if i is None else {**numbers, "i": str(i)}


def spec_label(profile: Profile, n: int) -> str:
    """The label of the n-th table of a profile (附件3, 表三, 03表 …): numbering comes from here only."""
    spec = profile.tables[n - 1] if 0 < n <= len(profile.tables) else None
    return fill(spec.label if spec is not None and spec.label else profile.label, _numbers(n))


def repeat_label(profile: Profile, n: int, i: int) -> str:
    spec = profile.tables[n - 1]
    return fill(spec.repeat_label or profile.repeat_label, _numbers(n, i))


class Builder:
    def __init__(self, facts: Facts, profile: Profile):
        self.facts = facts
        self.profile = profile
        self.measures = facts.measures

    # -- cells -------------------------------------------------------------------------------
    def value(self, value: object, kind: str, show: Display, spec: TableSpec, cols: int = 1,
              rows: int = 1, decimals: int | None = None, measure: str = "") -> Cell:
        """A cell for a value of a declared type, in the table's unit."""
        zero = "0.00" if spec.zeros else ""
        if kind == MONEY:
            amount = value if isinstance(value, Decimal) else ZERO
            return Cell(show(amount, decimals), cols, rows, "amount", decimals, zero=zero, measure=measure)
        if kind in (COUNT, NUMBER, PERCENT):
            number = value if isinstance(value, Decimal) else None
            return Cell(number, cols, rows, VALUE_KIND_OF[kind], decimals, measure=measure)
        return Cell("" if value is None else str(value), cols, rows, "text")

    def scalar_cell(self, name: str, show: Display, spec: TableSpec, cols: int, rows: int,
                    record: Record | None = None) -> Cell:
        record_name = self._record_name(spec) if spec.layout == "form" else ""
        spec_values = self.measures.records[record_name].values if record_name else {}
        if name in spec_values:
            # a blank form (no record) shows its values blank
            value = record.values.get(name) if record else None
            measure = f"{record.key}.{name}" if record and record.key else ""
            return self.value(value, spec_values[name], show, spec, cols, rows, measure=measure)
        kind = self.measures.scalar_type(name)
        if not self.facts.known(name) and kind in VALUE_KIND_OF:
            # a figure no file gives (a partial linked file's): blank, never a zero
            return Cell(None, cols, rows, VALUE_KIND_OF[kind])
        return self.value(self.facts.scalar(name), kind, show, spec, cols, rows,
                          measure=self.measures.same.get(name, name))

    def literal(self, item: str, context: dict[str, str], show: Display, spec: TableSpec,
                kind: str = "text") -> Cell:
        """A literal cell, or `$key`: a computed total."""
        text, cols, rows = parse_cell(item)
        if text.startswith("$"):
            return self.scalar_cell(text[1:], show, spec, cols, rows)
        return Cell(fill(text, context), cols, rows, kind)

    # -- layouts -----------------------------------------------------------------------------
    def rows_body(self, spec: TableSpec, show: Display) -> tuple[list[list[Cell]], bool, bool]:
        """The rows of a row set, whether their rounded parts differ from their totals, and whether
        the last row is the 合计 (a bottom total)."""
        rowset = self.facts.rows(spec.rowset)
        types = {c.key: self.measures.field_type(spec.rowset, c.key) for c in spec.columns}
        keys = spec.include_if or [c.key for c in spec.columns if types[c.key] in (MONEY, COUNT)]
        for key in keys:
            self.measures.field_type(spec.rowset, key)
        shown = [i for i, row in enumerate(rowset)
                 if row.level in spec.keep_levels or spec.show_listed
                 or any(row.amount(k) for k in keys)]
        if spec.total == "bottom":
            shown = [i for i in shown if rowset[i].level != "合计"] + \
                    [i for i in shown if rowset[i].level == "合计"]
        centred = (spec.total_align or self.profile.total_align) == "center"
        body = []
        for i in shown:
            row = rowset[i]
            cells: list[Cell] = []
            for column in spec.columns:
                kind = types[column.key]
                measure = self.measures.quantity(spec.rowset, row, column.key)
                if column.split:
                    cells += _code_cells(row.text(column.key), column.split, column.parts)
                elif kind == TEXT:
                    cells.append(Cell(row.text(column.key), kind=column.kind))
                elif column.key in row.fields and row.fields[column.key] is None and kind in VALUE_KIND_OF:
                    # a figure no file gives (a partial last year's "三公" parts): blank, never a
                    # zero, whatever the table does with zeros
                    cells.append(Cell(None, kind=VALUE_KIND_OF[kind], decimals=column.decimals, measure=measure))
                else:
                    cells.append(self.value(row.fields.get(column.key), kind, show, spec,
                                            decimals=column.decimals, measure=measure))
            if row.level == "合计" and spec.total_label:
                cells = _span_label(cells, fill(spec.total_label, self.facts.context), centred)
            elif row.level == "合计" and centred:
                # no label of its own: the row's text cells (its 科目名称 “合计”) are centred
                cells = [c if c.kind in VALUE_KINDS else replace(c, kind="center") for c in cells]
            body.append(cells)
        total_last = spec.total == "bottom" and bool(shown) and rowset[shown[-1]].level == "合计"
        return body, self._rounding_differs(spec, [rowset[i] for i in shown], show), total_last

    def _rounding_differs(self, spec: TableSpec, rows: list[Row], show: Display) -> bool:
        """True if some shown total differs from the sum of its shown, rounded parts."""
        keys = [c.key for c in spec.columns
                if self.measures.field_type(spec.rowset, c.key) == MONEY and c.decimals is None]
        ids = {id(r) for r in rows}
        rowset = self.facts.rows(spec.rowset)
        for parent_index, parent in enumerate(rowset):
            children = [r for r in rows if r.parent == parent_index]
            if id(parent) not in ids or not children:
                continue
            for key in keys:
                parts = sum((show(c.amount(key)) for c in children), ZERO)
                if parts != show(parent.amount(key)):
                    return True
        return False

    def paired_body(self, spec: TableSpec, show: Display, context: dict[str, str]) -> list[list[Cell]]:
        sides = [self.side_rows(spec, side, show, context) for side in spec.sides]
        number = 0
        for side, rows in zip(spec.sides, sides):
            if side.line_numbers:
                for row in rows:
                    number += 1
                    row.insert(1, Cell(str(number), kind="center"))
        body = []
        for i in range(max((len(rows) for rows in sides), default=0)):
            line: list[Cell] = []
            for side, rows in zip(spec.sides, sides):
                row = rows[i] if i < len(rows) else []
                width = sum(c.colspan for c in row)
                line += row + [Cell(kind="amount" if k else "label") for k in range(width, side.columns)]
            body.append(line)
        return self.fixed_rows(spec, spec.top, show, context) + body + \
            self.fixed_rows(spec, spec.footer, show, context)

    def side_rows(self, spec: TableSpec, side: Side, show: Display, context: dict[str, str]) -> list[list[Cell]]:
        rows: list[list[Cell]] = []
        for item in side.rows:
            if isinstance(item, Item):
                rows += self.item_rows(item, spec, show)
            else:
                rows.append([self.literal(c, context, show, spec, "label" if i == 0 else "text")
                             for i, c in enumerate(item)])
        return rows

    def item_rows(self, item: Item, spec: TableSpec, show: Display) -> list[list[Cell]]:
        if item.class_rows is not None:
            return self.class_rows(item.class_rows, spec, show)
        assert item.code_rows is not None         # an item is one or the other (profile.Item)
        return self.code_rows(item.code_rows, spec, show)

    def fixed_rows(self, spec: TableSpec, lines: list[list[str]], show: Display,
                   context: dict[str, str]) -> list[list[Cell]]:
        """Rows declared cell by cell, padded with blank cells to the table's width."""
        rows = []
        for line in lines:
            row = [self.literal(c, context, show, spec, "label" if i == 0 else "text") for i, c in enumerate(line)]
            rows.append(row + [Cell() for _ in range(spec.ncols - sum(c.colspan for c in row))])
        return rows

    def class_rows(self, spec: ClassRows, table: TableSpec, show: Display) -> list[list[Cell]]:
        classes = {r.fields["科目编码"]: r for r in self.facts.rows("功能分类") if r.level == "类"}
        entries = ([(code, None) for code in sorted(classes)] if spec.only_with_data
                   else self.profile.code_list(spec.codes or self.profile.class_list))
        rows = []
        for n, (code, listed) in enumerate(entries, start=1):
            row = classes.get(code)
            # the list's own name is its edition's (a 2019 list prints 文化体育与传媒支出); an entry
            # that is not a code (丰润's 人行科目) is a row label of its own
            name = listed or (row.text("科目名称") if row else (self.facts.catalogue.name(code) or code))
            label = fill(spec.label, {**_numbers(n), "name": name})
            rows.append([Cell(label, kind="label")] +
                        [self.value(row.fields.get(k) if row else None, self.measures.field_type("功能分类", k), show,
                                    table, measure=f"功能分类.{code}.{k}") for k in spec.values])
        return rows

    def code_rows(self, spec: CodeRows, table: TableSpec, show: Display) -> list[list[Cell]]:
        by_code = {r.fields.get("科目编码"): r for r in self.facts.rows(spec.rowset)}
        rows = []
        for code, listed in self.profile.code_list(spec.codes):
            row = by_code.get(code)
            name = listed or (row.text("科目名称") if row else (self.facts.catalogue.name(code) or ""))
            bold = LEVELS.get(len(code)) in spec.bold
            cells = [Cell(code, kind="code", bold=bold), Cell(name, kind="text", bold=bold)]
            for key in spec.values:
                cell = self.value(row.fields.get(key) if row else None,
                                  self.measures.field_type(spec.rowset, key), show, table,
                                  measure=f"{spec.rowset}.{code}.{key}")
                cells.append(Cell(cell.value, kind=cell.kind, zero=cell.zero, bold=bold, measure=cell.measure))
            rows.append(cells)
        return rows

    def form_body(self, spec: TableSpec, context: dict[str, str], record: Record | None,
                  show: Display) -> list[list[Cell]]:
        body = []
        for line in spec.form:
            cells = []
            for i, item in enumerate(line):
                kind, text, cols, rows = form_cell(item, i)
                if text.startswith("$"):
                    cells.append(self.scalar_cell(text[1:], show, spec, cols, rows, record))
                else:
                    cells.append(Cell(fill(text, context), cols, rows, kind))
            body.append(cells)
        block = spec.indicators
        if block is None:
            return body
        types = self.measures.records[self._record_name(spec)].indicators
        indicators: list[dict[str, object]] = list(record.indicators) if record else []
        spans = block.spans or [1] * len(block.fields)
        items = indicators or [{}] * block.min_rows
        label = [Cell(block.label, 1, 1 + len(items), "label")] if block.label else []
        body.append(label + [Cell(h, s, 1, "head") for h, s in zip(block.header, spans)])
        for r, indicator in enumerate(items):
            row = []
            for f, s in zip(block.fields, spans):
                value = indicator.get(f)
                if f in block.merge:
                    # equal neighbours share one cell spanning their rows (一级指标 ↕4)
                    if r and items[r - 1].get(f) == value:
                        continue
                    run = 1
                    while r + run < len(items) and items[r + run].get(f) == value:
                        run += 1
                    row.append(Cell("" if value is None else str(value), s, run, "center"))
                elif isinstance(value, Decimal):
                    kind = "percent" if block.suffix.get(f) == "%" else VALUE_KIND_OF.get(types.get(f, NUMBER), "number")
                    row.append(Cell(value, s, 1, kind))
                else:
                    text = "" if value is None else str(value)
                    text += block.suffix.get(f, "") if text else ""
                    row.append(Cell(text, s, 1, "text" if f in block.text_fields else "center"))
            body.append(row)
        return body

    # -- tables ------------------------------------------------------------------------------
    def display(self, spec: TableSpec) -> Display:
        return Display(spec.unit or self.profile.unit, self.profile.decimals)

    def context(self, spec: TableSpec) -> dict[str, str]:
        return {**self.facts.context, "unit": spec.unit or self.profile.unit}

    def table(self, spec: TableSpec, label: str, context: dict[str, str], body: list[list[Cell]],
              rounding: bool = False, empty: bool = False, total_last: bool = False) -> Table:
        """The table around its body rows; `total_last`: the last of them is its 合计, which the
        filler rows may go above (`filler_at`)."""
        context = {**context, "label": label}
        notes = [fill(n, context) for n in spec.notes]
        if empty and spec.empty_note:
            notes.append(fill(spec.empty_note, context))
        if rounding and (spec.unit or self.profile.unit) != "元":
            notes.append(self.profile.rounding_note)
        lines = spec.lines_above if spec.lines_above is not None else self.profile.lines_above
        above = [[fill(cell, context) for cell in line] for line in lines]
        header = [[Cell(fill(text, context), cols, rows, "head") for text, cols, rows in map(parse_cell, line)]
                  for line in spec.header]
        widths = [w for c in spec.columns for w in [c.width] * c.span]
        filler = max(0, spec.min_rows - len(body))
        # a table that prints its zeros prints them in its blank rows too (潼南决算 07表's "no data" row)
        kinds = [c.kind for c in spec.columns for _ in range(c.span)]
        blank = [Cell(ZERO, kind="amount", zero="0.00") if spec.zeros and kind == "amount" else Cell(kind="text")
                 for kind in kinds]
        # the filler rows go after the last row, or above a bottom 合计 where the region prints them there
        after = 1 if spec.filler_at == "above_total" and total_last and filler else 0
        end = len(body) - after
        body = list(body[:end]) + [list(blank) for _ in range(filler)] + list(body[end:])
        if spec.serial:
            header, body, widths = _with_serial(header, body, widths)
        return Table(id=spec.id, label=label, title=fill(spec.title, context), above=above,
                     widths=widths, header=header, body=body, notes=notes,
                     landscape=spec.landscape, keep_landscape=spec.keep_landscape, decimals=self.profile.decimals,
                     thousands=self.profile.thousands, form=spec.layout == "form",
                     subtitle=fill(spec.subtitle, context), print_label=self.profile.print_label,
                     unit=spec.unit or self.profile.unit, filler=filler, after_filler=after)

    def build(self, skip: Set[str] = frozenset()) -> list[Table]:
        tables: list[Table] = []
        for n, spec in enumerate(self.profile.tables, start=1):
            if spec.id in skip:
                continue
            label = spec_label(self.profile, n)
            show, context = self.display(spec), self.context(spec)
            if spec.layout == "rows":
                body, rounding, total_last = self.rows_body(spec, show)
                tables.append(self.table(spec, label, context, body, rounding, empty=not _has_value(body),
                                         total_last=total_last))
            elif spec.layout in ("paired", "fixed"):
                body = (self.paired_body(spec, show, context) if spec.layout == "paired"
                        else self.fixed_rows(spec, spec.fixed, show, context))
                # a fixed or paired table's 合计 (总计) is its last row, as the profile writes it
                tables.append(self.table(spec, label, context, body, empty=not _has_value(body), total_last=True))
            elif spec.repeat:
                tables.extend(self.repeated_forms(spec, n, show, context))
            else:
                tables.append(self.single_form(spec, label, show, context))
        titles = Counter(t.title for t in tables)
        for table in tables:
            if titles[table.title] > 1 and table.subtitle:
                table.qualifier = table.subtitle
        return tables

    def _record_name(self, spec: TableSpec) -> str:
        return spec.repeat or spec.record

    def single_form(self, spec: TableSpec, label: str, show: Display, context: dict[str, str]) -> Table:
        records = self.facts.records.get(spec.record, []) if spec.record else []
        record = records[0] if records else None
        if record is not None:
            context = _with_defaults(spec, context, record)
        elif spec.record:
            context = {**context, **dict.fromkeys(self.measures.records[spec.record].text, "")}
        body = self.form_body(spec, context, record, show)
        empty = record is None or not (record.indicators or any(record.text.values()))
        return self._form(spec, self.table(spec, label, context, body, empty=empty))

    @staticmethod
    def _form(spec: TableSpec, table: Table) -> Table:
        # form_body puts the indicators' heading right after the form's own lines
        table.indicator_head = len(spec.form) if spec.indicators is not None else None
        # a blank form's empty indicator rows print at the height of a written one, not collapsed
        blank = 0
        while blank < len(table.body) - 1 and all(c.value in (None, "") for c in table.body[-1 - blank]):
            blank += 1
        table.filler = max(table.filler, blank)
        return table

    def repeated_forms(self, spec: TableSpec, n: int, show: Display, context: dict[str, str]) -> list[Table]:
        records = [r for r in self.facts.records.get(spec.repeat, [])
                   if not spec.select or spec.select in r.tags]
        if self.profile.project_order == "code":
            records.sort(key=lambda r: r.text.get("项目编码", ""))
        tables = []
        for i, record in enumerate(records, start=1):
            label = repeat_label(self.profile, n, i)
            local = _with_defaults(spec, {**context, "i": str(i)}, record)
            table = self._form(spec, self.table(spec, label, local, self.form_body(spec, local, record, show)))
            table.subject = record.subject
            tables.append(table)
        if not tables:
            # no record for this form: the blank form, with its note
            blank = {**context, "i": "1", **dict.fromkeys(self.measures.records[spec.repeat].text, "")}
            tables.append(self._form(spec, self.table(spec, spec_label(self.profile, n), blank,
                                                      self.form_body(spec, blank, None, show), empty=True)))
        return tables


def _with_defaults(spec: TableSpec, context: dict[str, str], record: Record) -> dict[str, str]:
    """The form's placeholders: the record's text, and the profile's default where it is empty."""
    local = {**context, **record.text}
    for name, text in spec.defaults.items():
        if not local.get(name):
            local[name] = fill(text, local)
    return local


def _code_cells(code: str, split: str, parts: int = 3) -> list[Cell]:
    """科目编码 over three columns 类 | 款 | 项 (201 | 31 | 01), or two 类 | 款 (301 | 01). The
    last column takes the rest of the code: a code longer than the columns loses no digit."""
    if split == "merged":
        return [Cell(code, parts, 1, "code")]
    cuts = [0, 3, 5][:parts] + [len(code)]
    return [Cell(code[a:b], kind="code") for a, b in zip(cuts, cuts[1:])]


def _span_label(cells: list[Cell], label: str, centred: bool = False) -> list[Cell]:
    """A 合计 row whose label spans the text cells before its first value (centred in them, where
    the region prints it so: a centred cell, not a label's)."""
    first = next((i for i, c in enumerate(cells) if c.kind in VALUE_KINDS), len(cells))
    span = sum(c.colspan for c in cells[:first]) or 1
    return [Cell(label, span, 1, "center" if centred else "label")] + cells[first:]


def _has_value(body: list[list[Cell]]) -> bool:
    return any(c.kind in ("amount", "count") and c.value for row in body for c in row)


def _with_serial(header, body, widths):
    """Prefix a 序号 column numbering the body rows, and add a 栏次 row numbering the columns
    after it — the Hebei layout. A row with nothing in it takes no number, so a bottom 合计
    under blank filler rows follows on from the rows above them."""
    ncols = len(widths)
    header = [list(row) for row in header]
    if header:
        header[0].insert(0, Cell("序号", 1, len(header), "head"))
    header.append([Cell("栏次", kind="head")] + [Cell(str(k), kind="head") for k in range(1, ncols + 1)])
    numbered, number = [], 0
    for row in body:
        shown = any(c.value not in (None, "") for c in row)
        number += shown
        numbered.append([Cell(str(number) if shown else "", kind="center")] + row)
    return header, numbered, [5.0] + list(widths)


def build_tables(facts: Facts, profile: Profile, skip: Set[str] = frozenset()) -> list[Table]:
    return Builder(facts, profile).build(skip)
