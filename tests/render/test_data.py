"""The publication as open data (`build --only json`): the JSON and the CSV hold every figure the
XLSX has, table by table, with the table's label, title and unit."""

import csv
import io
import json
from collections import Counter
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from conftest import EXAMPLES

STEMS = sorted(p.stem for p in EXAMPLES.glob("*.yaml"))


def numbers(values) -> Counter:
    return Counter(Decimal(str(v)).quantize(Decimal("0.0001")) for v in values
                   if isinstance(v, (int, float, Decimal)) and not isinstance(v, bool))


@pytest.mark.parametrize("stem", STEMS)
def test_the_json_has_every_figure_of_the_workbook(built, stem):
    data = json.loads((built / f"{stem}.json").read_text(encoding="utf-8"))
    wb = load_workbook(built / f"{stem}.xlsx")
    by_label = {t["label"]: t for t in data["tables"]}
    compared = 0
    for name in wb.sheetnames:
        table = by_label.get(name)
        if table is None:                 # 目录, 情况说明
            continue
        in_xlsx = numbers(c for row in wb[name].iter_rows(values_only=True) for c in row)
        in_json = numbers(Decimal(c["value"]) for row in table["body"] for c in row
                          if c["value"] is not None and c["kind"] in ("amount", "count", "number", "percent"))
        assert in_xlsx - in_json == Counter(), name          # every figure of the sheet is in the JSON
        assert table["title"] in [c for row in wb[name].iter_rows(values_only=True) for c in row]
        compared += sum(in_xlsx.values())
    assert compared > 50
    assert all(t["unit"] in ("元", "万元") for t in data["tables"])


@pytest.mark.parametrize("stem", STEMS)
def test_the_csv_is_the_json_cell_for_cell(built, stem):
    data = json.loads((built / f"{stem}.json").read_text(encoding="utf-8"))
    rows = list(csv.DictReader(io.StringIO((built / f"{stem}.csv").read_text(encoding="utf-8-sig"))))
    body = [r for r in rows if r["部分"] == "表体"]
    assert len(body) == sum(len(row) for t in data["tables"] for row in t["body"])
    values = Counter((r["表号"], r["值"]) for r in body if r["值"])
    expected = Counter((t["label"], c["value"]) for t in data["tables"] for row in t["body"] for c in row if c["value"])
    assert values == expected


def test_a_seed_figure_in_the_open_data(built):
    # seed 000, 附件2: 2013101 行政运行 622.34 万元
    data = json.loads((built / "tongnan-quwei-2023.json").read_text(encoding="utf-8"))
    table = next(t for t in data["tables"] if t["label"] == "附件2")
    row = next(r for r in table["body"] if any(c["value"] == "2013101" for c in r))
    assert "622.34" in [c["value"] for c in row] and table["unit"] == "万元"
