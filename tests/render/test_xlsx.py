import io
from decimal import Decimal

from openpyxl import load_workbook

from builder.publication.model import Cell, Publication, Table
from builder.render.xlsx import render_xlsx


def sample(**kw) -> Table:
    header = [[Cell("科目编码", rowspan=2, kind="head"), Cell("金额", colspan=2, kind="head")],
              [Cell("本年", kind="head"), Cell("上年", kind="head")]]
    body = [[Cell("=HYPERLINK(\"http://x\")"), Cell(Decimal("1234.5"), kind="amount"),
             Cell(Decimal(0), kind="amount")],
            [Cell("#N/A"), Cell(Decimal("0.01"), kind="amount"), Cell(Decimal("2"), kind="amount")]]
    base = dict(id="t", label="附件1", title="测试表", above=[["", "", "单位：万元"]], widths=[12, 14, 14],
                header=header, body=body, notes=["备注：测试。"], landscape=True)
    base.update(kw)
    return Table(**base)


def read(table: Table):
    return load_workbook(io.BytesIO(render_xlsx(Publication("测试文件", "目　录", "情况说明", [table]))))


def test_contents_sheet_and_sheet_names():
    wb = read(sample())
    assert wb.sheetnames == ["目录", "附件1"]
    assert [c.value for c in wb["目录"][3]] == ["附件1", "测试表"]
    assert wb["目录"]["B3"].hyperlink.location == "'附件1'!A1" or "附件1" in wb["目录"]["B3"].hyperlink.target


def test_text_is_never_a_formula_or_error():
    ws = read(sample())["附件1"]
    assert ws["A6"].value == "=HYPERLINK(\"http://x\")" and ws["A6"].data_type == "s"
    assert ws["A7"].value == "#N/A" and ws["A7"].data_type == "s"


def test_values_formats_and_merges():
    ws = read(sample())["附件1"]
    assert ws["B6"].value == 1234.5 and ws["B6"].number_format == "#,##0.00;-#,##0.00;;@"
    assert ws["C6"].value == 0                  # zero is a value, shown blank by the format
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A2:C2", "A4:A5", "B4:C4", "A8:C8"} <= merged
    assert ws["C3"].value == "单位：万元" and ws["C3"].alignment.horizontal == "right"
    assert ws["A1"].value == "附件1" and ws["A2"].value == "测试表" and ws["A8"].value == "备注：测试。"


def test_print_setup():
    ws = read(sample())["附件1"]
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9          # A4
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$4:$5"
    assert ws.freeze_panes == "A6"
    assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text
    assert read(sample(landscape=False))["附件1"].page_setup.orientation == "portrait"


def test_merge_writes_the_bytes_openpyxl_merge_cells_writes():
    # builder.render.workbook.merge makes each style step once per workbook: the same ranges over
    # cells with and without borders and text give the same workbook, byte for byte
    from openpyxl import Workbook

    from builder.render.workbook import border_only, finish, merge, write_cell
    ranges = [(1, 1, 1, 4), (2, 1, 3, 1), (2, 2, 2, 3), (4, 1, 6, 4), (7, 2, 7, 2 + 1), (8, 1, 9, 2)]

    def made(merging) -> bytes:
        wb = Workbook()
        ws = wb.active
        for n, (top, left, bottom, right) in enumerate(ranges):
            if n % 2:                                           # bordered, as a table's cells
                for y in range(top, bottom + 1):
                    for x in range(left, right + 1):
                        border_only(ws.cell(y, x))
            merging(ws, top, left, bottom, right)
            write_cell(ws.cell(top, left), f"格{n}", border=bool(n % 2))
        return finish(wb, "试")

    ours = made(merge)
    theirs = made(lambda ws, a, b, c, d: ws.merge_cells(start_row=a, start_column=b, end_row=c, end_column=d))
    assert ours == theirs
    assert load_workbook(io.BytesIO(ours)).active.merged_cells.ranges
