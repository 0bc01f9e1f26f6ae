"""重庆市潼南区人民政府办公室 2022 (seed 001) built from input_yaml, read back: what its tables hold
besides the figures of golden/tongnan-zhengfu-2022.yaml (checked by test_golden.py, its totals
within the rounding interval of a publisher that kept 元 and printed 万元)."""

STEM = "tongnan-zhengfu-2022"


def test_general_budget_note(workbook):
    assert "备注：本表反映当年一般公共预算财政拨款支出情况。" in workbook(STEM, "附件2").text()


def test_project_table_numbers_its_projects(workbook):
    sheet = workbook(STEM, "附件10")
    numbered = [r[0] for r in sheet.rows if isinstance(r[0], str) and r[0].isdigit()]
    assert numbered == [str(i) for i in range(1, 13)]


def test_twelve_declaration_forms(workbook, built):
    from openpyxl import load_workbook
    names = load_workbook(built / f"{STEM}.xlsx").sheetnames
    assert names == (["目录", "情况说明"] + [f"附件{i}" for i in range(1, 12)]
                     + [f"附件12-{i}" for i in range(1, 13)])
    form = workbook(STEM, "附件12-1")
    assert form.row("50015222T000000125711-潼南区政府会议")
