"""The 决算's compute stage: carry-overs close per fund and 项, the 01表/04表 totals include the
money that is not a 财政拨款 and its balances, and the 自评表 scores follow the seed's rules."""

from decimal import Decimal

from helpers import FINAL, edit, facts


def test_closing_balances_are_derived_per_fund_and_part(tmp_path):
    f = facts(tmp_path, FINAL)
    funds = {(r.fields["科目编码"]): r for r in f.rows("功能分类") if r.level == "项"}
    basic = funds["2013101"]
    # 年初 1000 + 本年收入 800000 − 本年支出 800500 = 500, all 基本支出结转
    assert basic.amount("年末.一般公共预算.基本支出结转") == Decimal("500.00")
    fund = funds["2080505"]
    # 政府性基金 50000 − 40000 = 10000 of which 2000 typed as 结余 → 8000 结转
    assert fund.amount("年末.政府性基金.项目支出结转和结余") == Decimal("10000.00")
    assert fund.amount("年末.政府性基金.项目支出结余") == Decimal("2000.00")
    assert fund.amount("年末.政府性基金.项目支出结转") == Decimal("8000.00")


def test_project_spending_comes_from_the_projects_naming_the_code(tmp_path):
    f = facts(tmp_path, FINAL)
    row = next(r for r in f.rows("功能分类") if r.fields["科目编码"] == "2013102")
    assert row.amount("支出.一般公共预算.项目支出") == Decimal("300000.00")   # the 测试专项's 全年执行数


def test_the_totals_of_both_sides_balance_with_the_other_money(tmp_path):
    s = facts(tmp_path, FINAL).scalar
    # 财政拨款 1160000 + 事业/其他 25000 = 1185000; 使用结余 500; 年初 1000 + 1000
    assert s("收入.合计") == Decimal("1185000.00")
    assert s("收入.总计") == Decimal("1187500.00")
    assert s("支出.总计") == s("收入.总计")
    # 非财政拨款 1000 + 25000 + 500 − 25000 − 200 = 1300 left
    assert s("非财政拨款.年末结转和结余") == Decimal("1300.00")
    assert s("三公.合计") == Decimal("10000.00") and s("三公.公务接待") == Decimal("6000.00")


def review(tmp_path, text, key="项目自评"):
    return facts(tmp_path, text).records[key][0]


def test_execution_rate_and_its_score(tmp_path):
    text = edit(FINAL, "全年执行数: 300000.00", "全年执行数: 289050.00")
    text = edit(text, '本年收入: {项目支出: 300000.00}', '本年收入: {项目支出: 289050.00}')
    r = review(tmp_path, text)
    assert r.values["执行率.财政拨款"] == Decimal("96.35")             # 289050 ÷ 300000, 2 decimals
    assert r.values["执行率得分"] == Decimal("9.64")                    # 10 × 96.35 ÷ 100, rounded half up
    # 指标得分 = 权重 90 × 得分系数 100% ; 自评总分 = 执行率得分 + 指标得分 (the weights use the 90 points)
    assert r.indicators[0]["指标得分"] == Decimal("90")
    assert r.values["自评总分"] == Decimal("99.64")


def test_a_full_execution_scores_the_whole_weight(tmp_path):
    r = review(tmp_path, FINAL)
    assert (r.values["执行率.财政拨款"], r.values["执行率得分"], r.values["自评总分"]) == \
        (Decimal("100"), Decimal("10.00"), Decimal("100.00"))


def test_department_weights_out_of_100_are_scaled_to_the_90_points(tmp_path):
    text = edit(FINAL, '指标值: "95", 全年完成值: "96", 指标权重: 100, 是否核心指标: 是}',
                '指标值: "95", 全年完成值: "96", 指标权重: 60, 是否核心指标: 是}\n'
                '    - {指标名称: 满意度, 指标性质: 定性, 指标值: 满意, 全年完成值: 基本满意, 得分系数: 80, 指标权重: 40}')
    r = review(tmp_path, text, "整体自评")
    assert [x["指标得分"] for x in r.indicators] == [Decimal("60"), Decimal("32")]
    # 财政拨款 1150500 spent of 1160000 → 执行率 99.18 %, 执行率得分 9.92 (一般公共预算 1100500: 94.87 %);
    # the indicators' 92 of 100 → 82.8 of the 90 points
    assert (r.values["执行率.财政拨款"], r.values["执行率.一般公共预算"]) == (Decimal("99.18"), Decimal("94.87"))
    assert r.values["执行率得分"] == Decimal("9.92")
    assert r.values["自评总分"] == Decimal("92.72")


def test_deviation_of_quantitative_and_qualitative_indicators(tmp_path):
    text = edit(FINAL, '指标值: "10", 全年完成值: "10"', '指标值: "10", 全年完成值: "8"')
    text = edit(text, "    指标:\n      - ", "    指标:\n      - {指标名称: 评价, 指标性质: 定性, 指标值: 优, 全年完成值: 良}\n      - ")
    r = review(tmp_path, text)
    assert [x["偏离度"] for x in r.indicators] == [Decimal(0), Decimal(20)]    # ≥ 10, got 8: 20 % short
