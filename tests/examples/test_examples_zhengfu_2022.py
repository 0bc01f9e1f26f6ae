"""Golden figures: 重庆市潼南区人民政府办公室 2022 (seed 001) built from input_yaml, read back.

项/款-level figures must equal the seed exactly. This publisher kept amounts in 元 and printed
万元, so several printed totals differ by 0.01–0.02 from the sum of the printed parts; our
totals are exact sums of the typed parts, so totals are compared within the rounding interval:
a total of n parts, each ±0.005, may differ by at most (n + 1) × 0.005.
"""

from decimal import Decimal

import pytest

from conftest import D

STEM = "tongnan-zhengfu-2022"

T2_ITEMS = {  # 项: 2021年预算数, 2022 总计, 基本支出, 项目支出
    "2010301": (723.85, 669.54, 669.54, 0),
    "2010302": (400.00, 1983.43, 0, 1983.43),
    "2010350": (251.52, 309.46, 309.46, 0),
    "2080505": (63.62, 64.34, 64.34, 0),
    "2080506": (31.81, 32.17, 32.17, 0),
    "2080599": (0, 50.00, 50.00, 0),
    "2101101": (35.23, 33.48, 33.48, 0),
    "2101102": (12.49, 14.77, 14.77, 0),
    "2101199": (10.12, 12.68, 12.68, 0),
    "2210201": (47.72, 48.25, 48.25, 0),
}
# Published totals and the number of printed parts each one adds up.
T2_TOTALS = {"合计": ((1578.60, 3218.11, 1234.69, 1983.43), 4),
             "201": ((1375.37, 2962.42, 979.00, 1983.43), 3),
             "208": ((95.44, 146.51, 146.51, 0), 3),
             "210": ((60.08, 60.93, 60.93, 0), 4),
             "221": ((47.72, 48.25, 48.25, 0), 1)}
T3_ITEMS = {"30101": (204.19, 204.19, 0), "30102": (115.98, 115.98, 0), "30103": (171.60, 171.60, 0),
            "30107": (147.32, 147.32, 0), "30108": (64.34, 64.34, 0), "30109": (32.17, 32.17, 0),
            "30110": (34.18, 34.18, 0), "30112": (7.85, 7.85, 0), "30113": (48.25, 48.25, 0),
            "30114": (8.04, 8.04, 0), "30201": (30.00, 0, 30.00), "30207": (22.10, 7.10, 15.00),
            "30211": (71.18, 0, 71.18), "30217": (20.00, 0, 20.00), "30231": (40.00, 0, 40.00),
            "30239": (26.50, 0, 26.50), "30305": (4.81, 4.81, 0), "30399": (50.00, 50.00, 0),
            "30204": (0, 0, 0), "30299": (0, 0, 0)}


def within_rounding(ours: list[Decimal], printed: list[Decimal], parts: int) -> bool:
    limit = Decimal("0.005") * (parts + 1)
    return len(ours) == len(printed) and all(abs(a - b) <= limit for a, b in zip(ours, printed))


@pytest.mark.parametrize("code", T2_ITEMS)
def test_general_budget_items_exact(workbook, code):
    assert workbook(STEM, "附件2").amounts(code) == D(*T2_ITEMS[code])


@pytest.mark.parametrize("code", T2_TOTALS)
def test_general_budget_totals_within_rounding(workbook, code):
    printed, parts = T2_TOTALS[code]
    assert within_rounding(workbook(STEM, "附件2").amounts(code), D(*printed), parts)


def test_general_budget_note(workbook):
    assert "备注：本表反映当年一般公共预算财政拨款支出情况。" in workbook(STEM, "附件2").text()


@pytest.mark.parametrize("code", T3_ITEMS)
def test_basic_expenditure_items_exact(workbook, code):
    assert workbook(STEM, "附件3").amounts(code) == D(*T3_ITEMS[code])


def test_basic_expenditure_total_within_rounding(workbook):
    assert within_rounding(workbook(STEM, "附件3").amounts("合计"), D(1234.69, 908.52, 326.17), 28)


def test_three_public(workbook):
    assert workbook(STEM, "附件4").amounts("合计") == D(55, 0, 35, 0, 35, 20, 83, 0, 40, 0, 40, 43)


def test_project_table(workbook):
    sheet = workbook(STEM, "附件10")
    assert sheet.amounts("合计") == D(1983.43, 1698, 119, 1579, 0, 285.43, 0, 98.99, 186.44)
    assert sheet.amounts("视频会议系统扩容建设专项") == D(1298, 1298, 0, 1298, 0, 0, 0, 0, 0)
    assert sheet.amounts("值班、应急调度、投诉处理专项") == D(70, 70, 19, 51, 0, 0, 0, 0, 0)
    numbered = [r[0] for r in sheet.rows if isinstance(r[0], str) and r[0].isdigit()]
    assert numbered == [str(i) for i in range(1, 13)]


def test_department_performance(workbook):
    sheet = workbook(STEM, "附件11")
    assert sheet.row("基本支出", "29", "万元", "=", "1234.69")
    assert sheet.row("开展督查次数", "9", "次", "≥", "65")


def test_twelve_declaration_forms(workbook, built):
    from openpyxl import load_workbook
    names = load_workbook(built / f"{STEM}.xlsx").sheetnames
    assert names == (["目录", "情况说明"] + [f"附件{i}" for i in range(1, 12)]
                     + [f"附件12-{i}" for i in range(1, 13)])
    form = workbook(STEM, "附件12-1")
    assert form.row("50015222T000000125711-潼南区政府会议")
    assert form.row("产出指标", "成本指标", "印制会议资料", "215000", "＝", "元", "30")
