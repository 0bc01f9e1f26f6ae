"""A clerk's own workbook, bad input, and a published error the import carries to check."""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from builder.build import check
from builder.core.findings import BuildFailed, has_errors
from builder.importer import import_file
from builder.publication.model import Cell


def messy(source: Path, target: Path) -> None:
    """The 部门支出总表 as a clerk keeps it: sheet renamed, its two last columns swapped, a blank
    row under the header, the title merged over fewer cells, and every number typed as text with
    thousands separators."""
    wb = load_workbook(source)
    ws = wb["附件8"]
    ws.title = "支出"
    header = next(r for r in range(1, 10) if ws.cell(r, 1).value == "科目编码")
    last = ws.max_row
    for r in range(header, last + 1):                       # swap 基本支出 and 项目支出
        d, e = ws.cell(r, 4).value, ws.cell(r, 5).value
        ws.cell(r, 4).value, ws.cell(r, 5).value = e, d
    for r in range(last, header, -1):                       # a blank row under the header
        for c in range(1, 6):
            ws.cell(r + 1, c).value = ws.cell(r, c).value
    for c in range(1, 6):
        ws.cell(header + 1, c).value = None
    for r in range(header + 2, last + 2):
        for c in range(3, 6):
            value = ws.cell(r, c).value
            if value is not None and not isinstance(value, str):
                ws.cell(r, c).value = f"{Decimal(str(value)):,.2f}"
    title = next(m for m in ws.merged_cells.ranges if m.min_row == 2)
    ws.unmerge_cells(str(title))
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=3)
    wb.move_sheet("支出", offset=-(len(wb.sheetnames) - 2))
    wb.save(target)


def test_a_clerks_workbook_imports_to_the_same_figures(built, tmp_path):
    target = tmp_path / "clerk.xlsx"
    messy(built / "tongnan-quwei-2023.xlsx", target)
    clean = import_file(built / "tongnan-quwei-2023.xlsx", "潼南")
    mine = import_file(target, "潼南")
    assert not has_errors(mine.findings), [str(f) for f in mine.findings]
    import yaml
    a, b = yaml.safe_load(clean.text), yaml.safe_load(mine.text)
    assert a["功能分类支出"] == b["功能分类支出"] and a["项目"] == b["项目"]
    stated = lambda d: {(s.get("科目编码"), s["栏目"], str(s["金额"])) for s in d["核对数"]}
    assert stated(a) == stated(b)
    # the figures of the moved columns were read under their own header
    assert {"科目编码": "2013102", "栏目": "项目支出", "金额": Decimal("422.00")} in \
        [{**s, "金额": Decimal(str(s["金额"]))} for s in b["核对数"] if "出处" in s and s.pop("出处")]


def test_a_scanned_pdf_is_named(tmp_path):
    from PIL import Image
    scan = tmp_path / "scan.pdf"
    Image.new("RGB", (595, 842), "white").save(scan)
    with pytest.raises(BuildFailed) as failed:
        import_file(scan, "潼南")
    assert "没有文字层" in str(failed.value.findings[0])


def test_a_workbook_missing_a_table_and_a_header_the_profile_does_not_know(built, tmp_path):
    wb = load_workbook(built / "tongnan-quwei-2023.xlsx")
    del wb["附件9"]
    ws = wb["附件8"]
    header = next(r for r in range(1, 10) if ws.cell(r, 1).value == "科目编码")
    ws.cell(header, 5).value = "其他支出"
    target = tmp_path / "partial.xlsx"
    wb.save(target)
    result = import_file(target, "潼南")
    messages = [str(f) for f in result.findings]
    assert any("没有找到附件9“政府采购预算明细表”" in m for m in messages), messages
    assert any("附件8!E" in m and "表头“其他支出”不是本方案" in m for m in messages), messages
    assert any("缺少列“项目支出”" in m for m in messages), messages
    # what is sound is still written
    assert result.text is not None and "2013101" in result.text


def test_a_file_of_another_kind_is_refused(tmp_path):
    other = tmp_path / "table.csv"
    other.write_text("a,b\n", encoding="utf-8")
    with pytest.raises(BuildFailed) as failed:
        import_file(other, "潼南")
    assert "只能导入" in str(failed.value.findings[0])


def test_a_workbook_of_another_profile_finds_nothing(built):
    result = import_file(built / "yubei-zhengfu-2024.xlsx", "丰润")
    assert result.text is None and has_errors(result.findings)


def test_the_strict_cli_writes_nothing_on_an_error(built, tmp_path):
    from conftest import run_cli
    target = tmp_path / "x.yaml"
    done = run_cli("import", str(built / "yubei-zhengfu-2024.xlsx"), "--profile", "丰润", "-o", str(target), "--strict")
    assert done.returncode == 1 and not target.exists() and "没有找到方案“丰润”的任何一张表" in done.stdout


@pytest.mark.slow
def test_a_published_error_reaches_check(tmp_path, published):
    """Seed 001 (潼南区政府办 2022) prints 2010301 行政运行 as 619.54 in 附件7 and 669.54 in
    附件2 and 附件8. A PDF built to contain that error, imported: check names the disagreement."""
    from builder.render.pdf import pdf_and_pages
    document = copy.deepcopy(published("tongnan-zhengfu-2022")[1])       # the shared one stays as built
    table = next(t for t in document.tables if t.id == "部门收入总表")
    row = next(r for r in table.body if r[0].value == "2010301")
    assert row[2].value == Decimal("669.54")
    row[2] = Cell(Decimal("619.54"), kind="amount")
    pdf, _ = pdf_and_pages(document)
    source = tmp_path / "published.pdf"
    source.write_bytes(pdf)
    result = import_file(source, "潼南")
    target = tmp_path / "published.yaml"
    target.write_text(result.text, encoding="utf-8")
    checked = check(target, allow_incomplete=True)
    errors = [str(f) for f in checked.findings if f.severity.value == "错误"]
    assert any("附件7" in e and "2010301" in e and "619.54" in e and "669.54" in e for e in errors), errors
