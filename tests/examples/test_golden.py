"""Golden figures of the five example departments, taken from their published documents: one data
file per example, golden/<example>.yaml, checked against the workbook (and the PDF) the session
builds from input_yaml/<example>.yaml. Each figure row is a test of its own; a failure names the
example, the sheet, the row and the line of the golden file.

A golden file has these sections, each a mapping sheet → rows:

amounts           label → the amounts `Sheet.amounts` reads from the first row that holds the
                  label (and every text of `with`) and at least one amount, to the cent. A list
                  is the amounts; a mapping gives them with options:
                    amounts: [...]     the figures, in the row's order
                    with: [...]        other texts the row holds (a 行次, the right-hand label)
                    columns: "a:b"     compare only these of the row's amounts (a Python slice)
                    within: n          a published total that adds up n printed parts, each
                                       rounded: every amount may differ by (n + 1) × 0.005
                    cells: {C: text}   the row's cell in column C holds this text
by_code           code → the amounts of a 决算 table's row whose first cell is the code (合计: the
                  total), from column E on, a blank cell as 0; the table lists these rows only
economic_columns  code → its 决算数 in a table of three lists side by side (code, name, figure)
growth            code → the growth shown in column G: the number with a % sign, formatted 0"%"
rows              sheet → a list of rows, each the texts one row holds (`Sheet.row`: a number as
                  the sheet writes it, 5 or 6.4)
indicators        sheet → the number of indicator rows under its 指标名称 header
pdf_text          a list of sentences the PDF's first six pages state (white space removed)

The files are read with the package's strict YAML loader: no plain scalar becomes a number, so
every figure reaches Decimal as the text typed, never through a float."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string
from pypdf import PdfReader

from builder.core.loader import load_yaml

from conftest import EXAMPLES, GOLDEN, D

SECTIONS = ("amounts", "by_code", "economic_columns", "growth", "rows", "indicators", "pdf_text")
OPTIONS = {"amounts", "with", "columns", "within", "cells"}
FIGURE = re.compile(r"-?\d+(\.\d+)?")
GROWTH_COLUMN = "G"


@dataclass(frozen=True, repr=False)
class Case:
    stem: str
    sheet: str
    label: str
    expected: object
    where: str                      # golden/<stem>.yaml:<line>, for the failure message

    def __repr__(self) -> str:           # what a failure prints
        return f"{self.stem} {self.sheet} {self.label} ({self.where})"


def _figures(values: list, where: str) -> list[str]:
    if not isinstance(values, list) or not all(isinstance(v, str) and FIGURE.fullmatch(v) for v in values):
        raise ValueError(f"{where}: figures should be a list of numbers, not {values!r}")
    return values


def _amounts(spec, where: str) -> dict:
    """An `amounts` row as a mapping with every option, checked: a misspelt option fails here
    instead of being ignored."""
    if isinstance(spec, list):
        spec = {"amounts": spec}
    if not isinstance(spec, dict) or "amounts" not in spec or set(spec) - OPTIONS:
        raise ValueError(f"{where}: a row is a list of figures or a mapping of {sorted(OPTIONS)}, not {spec!r}")
    columns = spec.get("columns")
    if columns is not None and not re.fullmatch(r"-?\d*:-?\d*", columns):
        raise ValueError(f"{where}: columns should be a slice such as \":2\" or \"-4:\", not {columns!r}")
    return {"amounts": _figures(spec["amounts"], where), "with": list(spec.get("with", [])),
            "columns": slice(*[int(p) if p else None for p in columns.split(":")]) if columns else slice(None),
            "within": int(spec["within"]) if "within" in spec else None,
            "cells": {column_index_from_string(k) - 1: v for k, v in spec.get("cells", {}).items()}}


def _load() -> dict[str, dict[str, list]]:
    """section → [Case] over every golden file."""
    cases: dict[str, list] = {section: [] for section in SECTIONS}
    for path in sorted(GOLDEN.glob("*.yaml")):
        stem = path.stem
        data, located = load_yaml(path)
        unknown = set(data) - set(SECTIONS)
        if unknown:
            raise ValueError(f"{path.name}: unknown sections {sorted(unknown)}; known: {SECTIONS}")
        at = lambda *keys, name=path.name, located=located: f"golden/{name}:{located.line_of(keys)}"
        for section, sheets in data.items():
            if section == "pdf_text":
                cases[section] += [Case(stem, "PDF", str(i + 1), sentence, at(section, i))
                                   for i, sentence in enumerate(sheets)]
                continue
            for sheet, rows in sheets.items():
                if section == "indicators":
                    cases[section].append(Case(stem, sheet, "指标名称", int(rows), at(section, sheet)))
                    continue
                if section == "rows":
                    cases[section] += [Case(stem, sheet, texts[0], texts, at(section, sheet, i))
                                       for i, texts in enumerate(rows)]
                    continue
                for label, spec in rows.items():
                    where = at(section, sheet, label)
                    if section == "amounts":
                        expected = _amounts(spec, where)
                    elif section == "by_code":
                        expected = _figures(spec, where)
                    elif section == "economic_columns":
                        expected = _figures([spec], where)[0]
                    else:
                        expected = spec
                    cases[section].append(Case(stem, sheet, label, expected, where))
    return cases


CASES = _load()


def params(section: str):
    return [pytest.param(c, id=f"{c.stem}-{c.sheet}-{c.label}") for c in CASES[section]]


def test_every_example_has_its_golden_figures():
    assert sorted(p.stem for p in GOLDEN.glob("*.yaml")) == sorted(p.stem for p in EXAMPLES.glob("*.yaml"))
    assert all(CASES[section] for section in SECTIONS)


# -- amounts ---------------------------------------------------------------------------------------

def within_rounding(ours: list[Decimal], printed: list[Decimal], parts: int) -> bool:
    limit = Decimal("0.005") * (parts + 1)
    return len(ours) == len(printed) and all(abs(a - b) <= limit for a, b in zip(ours, printed))


@pytest.mark.parametrize("case", params("amounts"))
def test_amounts(workbook, case):
    spec, sheet = case.expected, workbook(case.stem, case.sheet)
    keys = (case.label, *spec["with"])
    if spec["cells"]:
        row = sheet.row(*keys, numeric=True)
        assert {i: row[i] for i in spec["cells"]} == spec["cells"], case
    ours = sheet.amounts(*keys)[spec["columns"]]
    if spec["within"] is None:
        assert ours == D(*spec["amounts"]), case
    else:
        assert within_rounding(ours, D(*spec["amounts"]), spec["within"]), (case, ours)


# -- a 决算 table by 科目代码 -------------------------------------------------------------------------

@pytest.mark.parametrize("case", params("by_code"))
def test_by_code(workbook, case):
    assert workbook(case.stem, case.sheet).by_code()[case.label] == D(*case.expected), case


@pytest.mark.parametrize("stem, sheet", sorted({(c.stem, c.sheet) for c in CASES["by_code"]}))
def test_by_code_tables_list_these_rows_only(workbook, stem, sheet):
    expected = {c.label for c in CASES["by_code"] if (c.stem, c.sheet) == (stem, sheet)}
    assert set(workbook(stem, sheet).by_code()) == expected, (stem, sheet)


# -- three lists side by side ----------------------------------------------------------------------

@pytest.mark.parametrize("case", params("economic_columns"))
def test_economic_columns(workbook, case):
    assert D(workbook(case.stem, case.sheet).side_by_side()[case.label]) == D(case.expected), case


# -- growth ----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def books(built):
    cache = {}

    def book(stem):
        if stem not in cache:
            cache[stem] = load_workbook(built / f"{stem}.xlsx")
        return cache[stem]
    return book


@pytest.mark.parametrize("case", params("growth"))
def test_growth(books, case):
    ws = books(case.stem)[case.sheet]
    rows = {(r[0].value or r[1].value): r for r in ws.iter_rows() if r[0].value or r[1].value == "合计"}
    cell = rows[case.label][column_index_from_string(GROWTH_COLUMN) - 1]
    assert f"{cell.value}%" == case.expected and cell.number_format.startswith('0"%"'), (case, cell.value)


# -- rows of texts --------------------------------------------------------------------------------

@pytest.mark.parametrize("case", params("rows"))
def test_rows(workbook, case):
    assert workbook(case.stem, case.sheet).row(*case.expected), case


# -- indicators ------------------------------------------------------------------------------------

@pytest.mark.parametrize("case", params("indicators"))
def test_indicators(workbook, case):
    sheet = workbook(case.stem, case.sheet)
    header = next(i for i, r in enumerate(sheet.rows) if "指标名称" in r)
    assert len([r for r in sheet.rows[header + 1:] if r[0]]) == case.expected, case


# -- the PDF's text --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def narrative(built):
    cache = {}

    def text(stem):
        if stem not in cache:
            reader = PdfReader(built / f"{stem}.pdf")
            cache[stem] = "".join("".join(p.extract_text().split()) for p in reader.pages[:6])
        return cache[stem]
    return text


@pytest.mark.parametrize("case", params("pdf_text"))
def test_pdf_text(narrative, case):
    assert case.expected in narrative(case.stem), (case, case.expected)
