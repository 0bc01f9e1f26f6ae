"""The 决算's rules on small inline files: each finding names its rule, line and figures. The
identities broken on purpose in whole files are in the bad-input corpus (tests/bad_inputs/final-*)."""

from helpers import FINAL, edit, findings, line_of


def test_generic_final_accounts_have_no_findings(tmp_path):
    assert findings(tmp_path, FINAL) == []


def test_cars_held_differ_from_the_vehicles_listed(tmp_path):
    text = edit(FINAL, "公务用车保有量: 1,", "公务用车保有量: 2,")
    assert findings(tmp_path, text, rule="cars_held_match_vehicles") == [
        ("cars_held_match_vehicles", line_of(text, "三公实物量"), "警告",
         "公务用车保有量 2 辆与资产信息中车辆数合计 1 辆不同，请核对")]


def test_weights_that_fit_neither_rule_are_named(tmp_path):
    text = edit(FINAL, '全年完成值: "10", 指标权重: 90', '全年完成值: "10", 指标权重: 80')
    (rule, line, severity, message), = findings(tmp_path, text, rule="review_weights_sum_to_100")
    assert (rule, severity) == ("review_weights_sum_to_100", "警告")
    assert line == line_of(text, "指标权重: 80") - 1          # the 指标 key of that project
    assert "“测试专项”的指标权重合计 80，应为 90（100 减执行率权重 10）或 100" in message


def test_project_spending_typed_and_listed_must_agree(tmp_path):
    text = edit(FINAL, '    本年收入: {项目支出: 300000.00}\n',
                '    本年收入: {项目支出: 300000.00}\n    本年支出: {项目支出: 250000.00}\n')
    found = findings(tmp_path, text, rule="projects_make_up_project_spending")
    assert ("projects_make_up_project_spending", line_of(text, "本年支出: {项目支出: 250000.00}"), "错误",
            "科目 2013102 的项目自评全年执行数合计 300000 与本年项目支出 250000 不等") in found


def test_a_stated_figure_is_checked_against_the_tables(tmp_path):
    text = edit(FINAL, "核对数:\n", "核对数:\n  - {栏目: 三公.合计, 金额: 10001, 出处: 决算说明}\n")
    (rule, line, severity, message), = findings(tmp_path, text, rule="stated_figures_agree")
    assert (rule, line, severity) == ("stated_figures_agree", line_of(text, "10001"), "错误")
    assert message.startswith("决算说明中三公.合计 10001 与表中计算值 10000 不符")


def test_a_surplus_larger_than_what_is_left(tmp_path):
    text = edit(FINAL, "年末结转和结余: {项目支出结余: 2000.00}", "年末结转和结余: {项目支出结余: 12000.00}")
    assert ("carry_overs_close", line_of(text, "项目支出结余: 12000.00"), "错误",
            "2080505（政府性基金）的项目支出结余 12000 超过项目支出年末结转和结余 10000") in findings(
                tmp_path, text, rule="carry_overs_close")


def test_a_project_reviewed_twice_is_named_at_its_name(tmp_path):
    item = FINAL[FINAL.index("  - 项目名称: 测试专项"):]        # the one project, to the end of the file
    text = FINAL.rstrip("\n") + "\n" + item
    first, second = [i for i, line in enumerate(text.splitlines(), start=1) if "项目名称: 测试专项" in line]
    assert ("unique_lines", second, "错误", f"项目自评“测试专项”重复（第 {first} 行已有）") in findings(tmp_path, text, rule="unique_lines")
