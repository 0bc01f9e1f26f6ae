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


def test_running_costs_are_the_published_figure_not_the_sum_of_rounded_rows(workbook):
    """情况说明 四、1 states 326.17 万元 (seed line 144), the printed 公用经费 合计; the 款 rows as
    printed add up to 326.19, so the figure is typed (机关运行经费), not taken from them."""
    text = workbook(STEM, "情况说明").text()
    assert "2022年一般公共预算财政拨款运行经费 326.17 万元" in text
    assert "326.19" not in text
