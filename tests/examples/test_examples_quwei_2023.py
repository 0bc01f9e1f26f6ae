"""Golden figures: 中共重庆市潼南区委办公室 2023 (seed 000) built from input_yaml, read back.

Every 项/款-level figure must equal the seed exactly. This seed's totals are all consistent, so
totals are exact too. One published figure is deliberately not followed (see the YAML comment):
2013102's 2022 figure is 1788.59, not the printed 422.00, because the 类 row 2775.59 and the
narrative need it.
"""

import pytest

from conftest import D

STEM = "tongnan-quwei-2023"

# 附件2 一般公共预算财政拨款支出预算表: code → 2022年预算数, 2023 总计, 基本支出, 项目支出
T2 = {
    "合计": (3033.78, 1708.68, 1286.68, 422.00),
    "201": (2775.59, 1387.32, 965.32, 422.00),
    "20131": (2775.59, 1387.32, 965.32, 422.00),
    "2013101": (631.15, 622.34, 622.34, 0),
    "2013102": (1788.59, 422.00, 0, 422.00),
    "2013150": (307.85, 342.98, 342.98, 0),
    "2013199": (48.00, 0, 0, 0),
    "208": (153.31, 190.14, 190.14, 0),
    "20805": (153.31, 190.14, 190.14, 0),
    "2080501": (3.59, 0, 0, 0),
    "2080505": (61.15, 84.01, 84.01, 0),
    "2080506": (30.57, 31.65, 31.65, 0),
    "2080599": (58.00, 74.48, 74.48, 0),
    "210": (59.02, 60.43, 60.43, 0),
    "21011": (59.02, 60.43, 60.43, 0),
    "2101101": (30.81, 29.44, 29.44, 0),
    "2101102": (15.05, 18.03, 18.03, 0),
    "2101103": (0, 4.32, 4.32, 0),
    "2101199": (13.16, 8.64, 8.64, 0),
    "221": (45.86, 70.79, 70.79, 0),
    "22102": (45.86, 70.79, 70.79, 0),
    "2210201": (45.86, 70.79, 70.79, 0),
}

# 附件3 基本支出: code → 总计, 人员经费, 公用经费
T3 = {
    "合计": (1286.68, 1028.10, 258.58), "301": (942.98, 942.98, 0), "302": (258.58, 0, 258.58),
    "303": (85.12, 85.12, 0),
    "30101": (208.93, 208.93, 0), "30102": (106.82, 106.82, 0), "30103": (206.65, 206.65, 0),
    "30107": (177.35, 177.35, 0), "30108": (84.01, 84.01, 0), "30109": (31.65, 31.65, 0),
    "30110": (33.63, 33.63, 0), "30111": (4.91, 4.91, 0), "30112": (10.88, 10.88, 0),
    "30113": (70.79, 70.79, 0), "30114": (7.36, 7.36, 0),
    "30201": (30.62, 0, 30.62), "30202": (13.00, 0, 13.00), "30203": (8.00, 0, 8.00),
    "30206": (14.50, 0, 14.50), "30207": (12.00, 0, 12.00), "30209": (0.60, 0, 0.60),
    "30211": (6.00, 0, 6.00), "30213": (11.00, 0, 11.00), "30214": (7.00, 0, 7.00),
    "30215": (9.00, 0, 9.00), "30216": (12.96, 0, 12.96), "30217": (11.00, 0, 11.00),
    "30218": (7.00, 0, 7.00), "30226": (7.30, 0, 7.30), "30227": (2.80, 0, 2.80),
    "30228": (4.75, 0, 4.75), "30229": (13.85, 0, 13.85), "30231": (36.00, 0, 36.00),
    "30239": (23.20, 0, 23.20), "30299": (28.00, 0, 28.00),
    "30305": (5.04, 5.04, 0), "30307": (5.60, 5.60, 0), "30399": (74.48, 74.48, 0),
}

PROJECTS = {  # 附件10: name → 合计 (all 年初特定目标 / 一般性项目)
    "2023 目标考核及督查专项": 58, "2023 区委深化改革专项": 38, "2023 区委重点工作专项": 45,
    "2023 政策研究和专题调研专项": 73, "2023 档案数字化专项": 200, "2023 招商引资专项": 8,
}


@pytest.mark.parametrize("code", T2)
def test_general_budget_expenditure(workbook, code):
    assert workbook(STEM, "附件2").amounts(code) == D(*T2[code])


@pytest.mark.parametrize("code", T3)
def test_basic_expenditure_by_economic_class(workbook, code):
    assert workbook(STEM, "附件3").amounts(code) == D(*T3[code])


def test_basic_expenditure_lists_only_typed_rows(workbook):
    codes = [r[0] for r in workbook(STEM, "附件3").rows if isinstance(r[0], str) and r[0].isdigit()]
    assert len(codes) == len(T3) - 1


def test_three_public(workbook):
    sheet = workbook(STEM, "附件4")
    expected = D(57, 0, 40, 0, 40, 17, 53, 0, 36, 0, 36, 17)
    assert sheet.amounts("合计") == expected
    assert sheet.amounts("302", "中共重庆市潼南区委办公室") == expected


def test_fiscal_summary(workbook):
    sheet = workbook(STEM, "附件1")
    assert sheet.amounts("一、本年收入", "一、本年支出") == D(1708.68, 1708.68, 1708.68, 0, 0)
    assert sheet.amounts("（一）一般公共服务支出")[-4:] == D(1387.32, 1387.32, 0, 0)
    assert sheet.amounts("（八）社会保障和就业支出")[-4:] == D(190.14, 190.14, 0, 0)
    assert sheet.amounts("（十）卫生健康支出")[-4:] == D(60.43, 60.43, 0, 0)
    assert sheet.amounts("（二十）住房保障支出")[-4:] == D(70.79, 70.79, 0, 0)
    assert sheet.amounts("收入总计", "支出总计") == D(1708.68, 1708.68, 1708.68, 0, 0)
    # the full 28-row 类 list of the 潼南 template, in order
    labels = [r[2] for r in sheet.rows if isinstance(r[2], str) and r[2].startswith("（")]
    assert labels[0] == "（一）一般公共服务支出" and labels[-1] == "（二十八）抗疫特别国债安排的支出"
    assert len(labels) == 28


def test_department_summary(workbook):
    sheet = workbook(STEM, "附件6")
    assert sheet.amounts("一般公共预算拨款收入", "一、一般公共服务支出") == D(1708.68, 1387.32)
    assert sheet.amounts("二十、住房保障支出") == D(70.79)
    assert sheet.amounts("本年收入合计", "本年支出合计") == D(1708.68, 1708.68)
    assert sheet.amounts("收入总计", "支出总计") == D(1708.68, 1708.68)


def test_income_and_expenditure_totals(workbook):
    income = workbook(STEM, "附件7")
    assert income.amounts("合计")[:3] == D(1708.68, 0, 1708.68)
    assert income.amounts("2101103")[:3] == D(4.32, 0, 4.32)
    spending = workbook(STEM, "附件8")
    assert spending.amounts("合计") == D(1708.68, 1286.68, 422.00)
    assert spending.amounts("2013102") == D(422.00, 0, 422.00)
    # 部门支出总表 shows only this year's codes: no 2022-only rows
    assert "2013199" not in spending.text() and "2080501" not in spending.text()


def test_purchase_table_is_empty_with_note(workbook):
    sheet = workbook(STEM, "附件9")
    for label in ("合计", "货物类", "工程类", "服务类"):
        assert set(sheet.amounts(label)) == {0}
    assert "本部门2023年无政府采购预算，故此表无数据。" in sheet.text()


def test_fund_table_is_empty_with_note(workbook):
    assert "本部门2023年无政府性基金预算财政拨款安排的支出，故此表无数据。" in workbook(STEM, "附件5").text()


@pytest.mark.parametrize("name", PROJECTS)
def test_project_rows(workbook, name):
    row = workbook(STEM, "附件10").row(name)
    assert row[2:4] == ["2013102", "一般行政管理事务"]
    amount = PROJECTS[name]
    assert workbook(STEM, "附件10").amounts(name) == D(amount, amount, 0, amount, 0, 0, 0, 0, 0)


def test_project_total(workbook):
    assert workbook(STEM, "附件10").amounts("合计") == D(422, 422, 0, 422, 0, 0, 0, 0, 0)


def test_department_performance_table(workbook):
    sheet = workbook(STEM, "附件11")
    assert sheet.amounts("支出预算总量") == D(1708.68)
    assert sheet.row("档案数字化数量", "5", "件", "≥", "2000")
    assert sheet.row("干部群众满意度", "10", "%", "≥", "98")
    indicator_rows = [r for r in sheet.rows if isinstance(r[2], (int, float))]   # weights are numbers
    assert len(indicator_rows) == 12


def test_one_declaration_form_per_project_in_code_order(workbook):
    first = workbook(STEM, "附件12-1")
    assert first.row("50015223T000003449069-2023 招商引资专项")
    assert first.amounts("资金总额") == D(8)
    assert first.row("成本指标", "经济成本指标", "外出考察招商所需交通费", "6.4", "≤", "万", "10")
    last = workbook(STEM, "附件12-6")
    assert last.row("50015223T000003451312-2023 档案数字化专项")
    assert last.amounts("资金总额") == D(200)


def test_workbook_carries_the_narrative(built):
    from openpyxl import load_workbook
    wb = load_workbook(built / f"{STEM}.xlsx")
    assert wb.sheetnames[:3] == ["目录", "情况说明", "附件1"]
    text = "\n".join(str(r[0]) for r in wb["情况说明"].iter_rows(values_only=True))
    assert "比2022年减少 1325.1 万元，下降 43.7%" in text
    assert "一般公共服务支出 1387.32 万元" in text and "1387.31" not in text


@pytest.mark.parametrize("old, new, message", [
    ('  - 科目编码: "2210201"\n    基本支出: 70.79', '  - 科目编码: "2210201"\n    基本支出: 70.97',
     "一般公共预算基本支出按经济分类合计 1286.68，按功能分类合计 1286.86，两者应相等（相差 -0.18）"),
    ('{科目编码: "30202", 公用经费: 13.00}', '{科目编码: "30202", 公用经费: 13.09}',
     "一般公共预算基本支出按经济分类合计 1286.77，按功能分类合计 1286.68，两者应相等（相差 0.09）"),
    ('{科目编码: "30101", 人员经费: 208.93}', '{科目编码: "30101", 公用经费: 208.93}',
     "30101 基本工资是人员经费科目，不能列在公用经费中"),
])
def test_typos_a_rounding_tolerance_once_hid_are_errors(tmp_path, old, new, message):
    from conftest import EXAMPLES, example_copy, run_cli
    text = (EXAMPLES / f"{STEM}.yaml").read_text(encoding="utf-8")
    assert old in text
    path = example_copy(tmp_path, "typo.yaml", text.replace(old, new))
    result = run_cli("check", str(path))
    assert result.returncode == 1
    assert any(": 错误: " in line and message in line for line in result.stdout.splitlines()), result.stdout
