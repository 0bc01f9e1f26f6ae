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


def test_running_costs_left_out_are_a_warning_not_a_silent_zero(tmp_path):
    typed_zero = edit(FINAL, "机关运行经费: {行政单位: 200500.00}", "机关运行经费: {行政单位: 0}")
    assert findings(tmp_path, typed_zero, rule="running_costs_are_typed") == []      # a 0 typed is said
    left_out = edit(FINAL, "  机关运行经费: {行政单位: 200500.00}\n", "")
    [(rule, line, severity, message)] = findings(tmp_path, left_out, rule="running_costs_are_typed")
    assert (rule, line, severity) == ("running_costs_are_typed", line_of(left_out, "机构运行信息:"), "警告")
    assert message == ("09表、部门决算说明印出“机关运行经费”，但本文件“机构运行信息”中没有写“机关运行经费”：印出的是 0。"
                       "请写上 机关运行经费: {行政单位: …, 参照公务员法管理事业单位: …}（没有时写 0）")


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


def test_a_project_charged_to_an_item_without_a_line(tmp_path):
    # no 财政拨款 line of the project's 项: its 全年执行数 would count in no table
    text = edit(FINAL, '    科目编码: "2013102"\n    年初预算数', '    科目编码: "2013199"\n    年初预算数')
    assert findings(tmp_path, text, rule="projects_make_up_project_spending") == [
        ("projects_make_up_project_spending", line_of(text, '科目编码: "2013199"'), "错误",
         "项目自评“测试专项”的科目编码是 2013199，但财政拨款中没有这一项：全年执行数 300000 不计入任何表的项目支出。"
         "请在财政拨款中写上科目 2013199，或改正科目编码")]


def test_a_project_on_an_item_of_several_funds(tmp_path):
    # two lines of the 项 leaving 项目支出 to the projects would each count the whole 300000
    second = '  - 科目编码: "2013102"\n    资金: 政府性基金\n    本年收入: {项目支出: 100000.00}\n'
    text = edit(FINAL, '    本年收入: {项目支出: 300000.00}\n', '    本年收入: {项目支出: 300000.00}\n' + second)
    assert findings(tmp_path, text, rule="projects_make_up_project_spending") == [
        ("projects_make_up_project_spending", line_of(text, '本年收入: {项目支出: 300000.00}') - 1, "错误",
         "科目 2013102 有 2 行财政拨款（一般公共预算、政府性基金），项目自评计入该项的全年执行数 300000 不知属于哪一行"
         "（没写项目支出的行都会计入全数）：请在该项每一行的本年支出中写明项目支出")]
    # each line typed: the projects add up to the lines together
    typed = edit(text, '本年收入: {项目支出: 300000.00}\n', '本年收入: {项目支出: 300000.00}\n    本年支出: {项目支出: 220000.00}\n')
    typed = edit(typed, '本年收入: {项目支出: 100000.00}\n', '本年收入: {项目支出: 100000.00}\n    本年支出: {项目支出: 80000.00}\n')
    assert findings(tmp_path, typed, rule="projects_make_up_project_spending") == []
    short = edit(typed, "本年支出: {项目支出: 80000.00}", "本年支出: {项目支出: 70000.00}")
    assert findings(tmp_path, short, rule="projects_make_up_project_spending") == [
        ("projects_make_up_project_spending", line_of(short, "本年支出: {项目支出: 220000.00}"), "错误",
         "科目 2013102 的项目自评全年执行数合计 300000 与本年项目支出 290000 不等")]
