"""One figure, one value: every quantity the tables name shows one value in every table of every
example; the XLSX and the PDF show exactly the tables' values; the 情况说明 states the tables'
figures."""

from collections import defaultdict
from decimal import Decimal

import pytest
from pypdf import PdfReader

from builder.core.numbers import plain
from builder.publication.model import cell_text
from builder.render.xlsx import _sheet_name

from conftest import EXAMPLES

STEMS = sorted(p.stem for p in EXAMPLES.glob("*.yaml"))


@pytest.fixture(scope="module")
def documents(published):
    return {stem: published(stem) for stem in STEMS}


def value_cells(table):
    return [c for row in table.header + table.body for c in row
            if c.kind in ("amount", "count", "number", "percent") and c.value is not None]


@pytest.mark.parametrize("stem", STEMS)
def test_each_quantity_has_one_value_in_all_tables(documents, stem):
    _, document = documents[stem]
    seen = defaultdict(set)
    for table in document.tables:
        for cell in value_cells(table):
            if cell.measure:
                seen[(cell.measure, table.unit)].add(cell.value)
    assert len(seen) > 100
    assert {k: v for k, v in seen.items() if len(v) > 1} == {}


def test_the_basic_total_is_one_quantity_under_two_names(documents):
    # 丰润 types 826.96 by 功能分类 and 826.97 by 经济分类 (rounded from 元): both tables show 826.96
    _, document = documents["fengrun-quwei-2023"]
    shown = {c.value for t in document.tables for c in value_cells(t) if c.measure == "支出.一般公共预算.基本支出"}
    assert shown == {Decimal("826.96")}
    tables = {t.id for t in document.tables
              for c in value_cells(t) if c.measure == "支出.一般公共预算.基本支出"}
    assert {"部门预算一般公共预算财政拨款支出表", "部门预算一般公共预算财政拨款基本支出表"} <= tables


@pytest.mark.parametrize("stem", STEMS)
def test_the_workbook_holds_the_tables_values(documents, built, stem, workbook):
    _, document = documents[stem]
    used = {"目录", "情况说明"}
    for table in document.tables:
        sheet = workbook(stem, _sheet_name(table.label or table.title, used))
        numbers = lambda row: [Decimal(str(v)).quantize(Decimal("0.0001")) for v in row
                               if isinstance(v, (int, float)) and not isinstance(v, bool)]
        sheet_rows = [numbers(r) for r in sheet.rows]
        for row in table.body:
            expected = [Decimal(c.value).quantize(Decimal("0.0001")) for c in row
                        if c.kind in ("amount", "count", "number", "percent") and isinstance(c.value, Decimal)]
            if expected:
                assert expected in sheet_rows, (table.label, expected)


@pytest.mark.parametrize("stem", STEMS)
def test_the_pdf_shows_the_tables_values(documents, built, stem):
    _, document = documents[stem]
    reader = PdfReader(built / f"{stem}.pdf")
    starts = {}
    for item in reader.outline:
        starts[item.title] = reader.get_destination_page_number(item)
    pages = ["".join(p.extract_text().split()) for p in reader.pages]
    bookmarks = [t.bookmark for t in document.tables]
    for i, table in enumerate(document.tables):
        first = starts[table.bookmark]
        last = starts[bookmarks[i + 1]] if i + 1 < len(bookmarks) else len(pages)
        text = "".join(pages[first:max(last, first + 1)])
        for cell in value_cells(table):
            shown = cell_text(cell, table)
            if shown:
                assert shown in text, (table.label, shown)


NARRATED = {  # kind → (quantity the tables name, where narrative_figures states it)
    "预算": [("支出.合计", lambda f: f["支出"]["总计"]),
             ("支出.一般公共预算.基本支出", lambda f: f["一般公共预算"]["基本支出"].now),
             ("支出.一般公共预算.项目支出", lambda f: f["一般公共预算"]["项目支出"].now),
             ("本年.总计", lambda f: f["三公"]["总计"].now),
             ("机关运行经费", lambda f: f["机关运行经费"].now)],
    "决算": [("收入.总计", lambda f: f["总计"].now), ("支出.合计", lambda f: f["支出"]["合计"].now),
             ("支出.一般公共预算.合计", lambda f: f["一般公共预算"]["支出"].now),
             ("支出.一般公共预算.基本支出", lambda f: f["一般公共预算"]["基本支出"]),
             ("经济分类.人员经费", lambda f: f["人员经费"].now), ("经济分类.公用经费", lambda f: f["公用经费"].now),
             ("三公.合计", lambda f: f["三公"]["合计"].now), ("会议费", lambda f: f["会议费"].now),
             ("机关运行经费", lambda f: f["机关运行经费"].now)],
}


@pytest.mark.parametrize("stem", STEMS)
def test_the_narrative_states_the_tables_figures(documents, stem):
    """Each figure the 情况说明 states is the tables' figure for that quantity, rounded to the
    narrative's unit when it is not the tables' (a 决算说明 in 万元 beside tables in 元)."""
    from builder.core.numbers import Display, to_yuan
    analysis, document = documents[stem]
    kind = analysis.document.kind
    figures = analysis.context.narrative.figures            # the figures the 情况说明 was written from
    unit = analysis.profile.narrative_unit or analysis.profile.unit
    in_narrative_unit = lambda value, table_unit: Display(unit, 2)(to_yuan(value, table_unit))
    shown = defaultdict(set)
    for table in document.tables:
        for cell in value_cells(table):
            if cell.kind == "amount":
                shown[cell.measure].add(in_narrative_unit(cell.value, table.unit))
    compared = 0
    for measure, where in NARRATED[kind.name]:
        if shown.get(measure):
            assert shown[measure] == {where(figures)}, measure
            compared += 1
    assert compared >= 2
    text = "".join(b.text for b in document.narrative)
    total = NARRATED[kind.name][0][1](figures)
    # the 预算 情况说明 writes 1708.68 or 422 (trailing zeros dropped), the 决算说明 always 2 decimals
    assert (plain(total, unit == "元") if kind.name == "预算" else format(total, ".2f")) in text
