"""`diff` for the 决算: two 决算 files, and a 决算 against its year's 预算 (budget against actual)."""

import json

from conftest import EXAMPLES, run_cli
from helpers import FINAL, edit, write

ACTUAL = EXAMPLES / "tongnan-zhengfu-2024-juesuan.yaml"
BUDGET = EXAMPLES / "previous" / "tongnan-zhengfu-2024.yaml"
LAST_YEAR = EXAMPLES / "previous" / "tongnan-zhengfu-2023-juesuan.yaml"


def test_budget_against_actual_by_subject_and_project():
    result = run_cli("diff", str(BUDGET), str(ACTUAL))
    assert result.returncode == 1, result.stderr
    out = result.stdout
    # the seed's 决算说明: 较年初预算数增加 197.37 万元 on 201, 支出 17,573,249.31 → 19,890,539.51
    assert "201 一般公共服务支出［一般公共预算］：13,876,400.00 → 15,850,096.60（+1,973,696.60，+14.2%）" in out
    assert "支出合计：17,573,249.31 → 19,890,539.51（+2,317,290.20，+13.2%）" in out
    assert "公务接待：200,000.00 → 105,326.00（-94,674.00，-47.3%）" in out
    assert ("50015224T000004234172 区政府办督查议案专项（常年性项目）［全年执行数］："
            "680,000.00 → 598,117.00（-81,883.00，-12.0%）") in out
    assert "注：左为年初预算数，右为决算数" in out
    assert "注：预算文件未列项级科目的数字，未按项比较" in out      # the 预算 file is partial


def test_budget_must_come_first():
    result = run_cli("diff", str(ACTUAL), str(BUDGET))
    assert result.returncode == 2
    assert "不能比较部门决算与部门预算（预算与决算比较时，预算在前）" in result.stderr


def test_against_a_partial_last_year_only_its_published_totals():
    result = run_cli("diff", str(LAST_YEAR), str(ACTUAL))
    assert result.returncode == 1
    assert "人员经费：11,727,700.00 → 12,424,566.81（+696,866.81，+5.9%）" in result.stdout
    assert "注：旧文件只含部分已公布数，只比较了这些合计数" in result.stdout


def test_two_final_accounts(tmp_path):
    old = write(tmp_path, FINAL, "old.yaml")
    new = FINAL
    new = edit(new, "本年支出: {基本支出: 800500.00}", "本年支出: {基本支出: 800000.00}")
    new = edit(new, "  - {科目编码: \"30201\", 公用经费: 190500.00}", "  - {科目编码: \"30201\", 公用经费: 190000.00}")
    new = edit(new, '全年完成值: "10", 指标权重: 90', '全年完成值: "12", 指标权重: 90')
    new = edit(new, "  会议费: 1500.00", "  会议费: 1800.00")
    data = json.loads(run_cli("diff", "--format", "json", str(old), str(write(tmp_path, new, "new.yaml"))).stdout)
    changes = {(c["类别"], c["编码"], c["栏目"]): (c["原值"], c["新值"], c["增减%"]) for c in data["变化"]}
    # 基本支出 includes the 22000 that is not a 财政拨款; the 500 not spent is carried over
    assert changes[("合计", "基本支出", "")] == ("822500.00", "822000.00", "-0.1")
    assert changes[("合计", "本年支出合计", "")] == ("1175500.00", "1175000.00", "0.0")     # never -0.0
    assert changes[("合计", "年末结转和结余", "")] == ("11800.00", "12300.00", "4.2")
    assert changes[("功能分类科目", "2013101", "本年支出合计")] == ("825500.00", "825000.00", "-0.1")
    assert changes[("经济分类科目", "30201", "基本支出")] == ("190500.00", "190000.00", "-0.3")
    assert changes[("合计", "会议费", "")] == ("1500.00", "1800.00", "20.0")
    assert changes[("项目绩效指标", "9010000002", "全年完成值")] == ("10", "12", None)
    # the line's parts that changed with it: the 基本支出, the fund it is spent from, what is carried over
    assert changes[("功能分类科目", "2013101", "基本支出")] == ("822500.00", "822000.00", "-0.1")
    assert changes[("功能分类科目", "2013101", "一般公共预算财政拨款支出")] == ("800500.00", "800000.00", "-0.1")
    assert changes[("功能分类科目", "2013101", "年末财政拨款结转和结余")] == ("500.00", "1000.00", "100.0")
    assert len(changes) == 12


def test_the_same_final_accounts_are_unchanged():
    result = run_cli("diff", str(ACTUAL), str(ACTUAL))
    assert result.returncode == 0 and "没有变化" in result.stdout


def test_a_final_accounts_line_names_its_changed_parts(tmp_path):
    # 2013101 spends 10,000 of its 财政拨款 on a project instead of 基本支出: 本年支出合计 unchanged
    old = write(tmp_path, FINAL, "a.yaml")
    new = write(tmp_path, edit(FINAL, "    本年收入: {基本支出: 800000.00}\n    本年支出: {基本支出: 800500.00}",
                               "    本年收入: {基本支出: 790000.00, 项目支出: 10000.00}\n"
                               "    本年支出: {基本支出: 790500.00, 项目支出: 10000.00}"), "b.yaml")
    out = run_cli("diff", str(old), str(new)).stdout
    line = next(line for line in out.splitlines() if "2013101" in line)
    assert line == ("~   2013101 行政运行［本年支出合计不变］：基本支出 822,500.00 → 812,500.00（-10,000.00，-1.2%）；"
                    "项目支出 0.00 → 10,000.00（+10,000.00）")
    # a line's 收入 by source and its 年末 结转和结余 are figures of its own
    more = write(tmp_path, edit(FINAL, "    收入: {事业收入: 20000.00, 其他收入: 5000.00}",
                                "    收入: {事业收入: 21000.00, 其他收入: 4000.00}"), "c.yaml")
    line = next(line for line in run_cli("diff", str(old), str(more)).stdout.splitlines() if "2013101" in line)
    assert line == ("~   2013101 行政运行［本年支出合计不变］：事业收入 20,000.00 → 21,000.00（+1,000.00，+5.0%）；"
                    "其他收入 5,000.00 → 4,000.00（-1,000.00，-20.0%）")
