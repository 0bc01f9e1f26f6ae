"""The budget's rules, each on a small inline department."""

from helpers import MINIMAL, analysis, facts, findings, line_of, write, yuan


def test_minimal_is_clean(tmp_path):
    assert findings(tmp_path) == []


def test_unknown_item_code_names_the_key_and_near_codes(tmp_path):
    text = MINIMAL.replace('"2080505"', '"2080550"')          # a typo of 2080505
    [(rule, line, severity, message)] = findings(tmp_path, text, rule="known_codes")
    assert (rule, line, severity) == ("known_codes", 8, "错误")
    assert message.startswith("支出功能分类科目表中没有项级科目 2080550：若编码无误，请在本行写上“科目名称: …”"
                              "给出名称，或把本地科目表放进区里的“方案”文件夹（也可用 --catalogue 指定）；"
                              "相近的已知编码：2080505 机关事业单位基本养老保险缴费支出")
    assert "templates/" not in message


def test_unknown_group_and_item_are_named_together(tmp_path):
    text = MINIMAL.replace('"2080505"', '"2012604"')
    [(_, line, _, message)] = findings(tmp_path, text, rule="known_codes")
    assert line == 8 and message.startswith(
        "支出功能分类科目表中没有款级科目 20126、项级科目 2012604：若编码无误，请在本行写上“款名称: …”和“科目名称: …”")


def test_unknown_item_code_with_a_name_is_a_warning(tmp_path):
    text = MINIMAL.replace('{科目编码: "2013101", 基本支出: 100.10}',
                           '{科目编码: "2013177", 基本支出: 100.10, 科目名称: 新设科目}')
    assert findings(tmp_path, text, rule="known_codes") == [("known_codes", 7, "警告",
                                         "支出功能分类科目 2013177“新设科目”不在科目表中，名称取自本文件")]


def test_unknown_economic_code(tmp_path):
    text = MINIMAL.replace('"30201"', '"30298"')
    [(rule, line, _, message)] = findings(tmp_path, text, rule="known_codes")
    assert (rule, line) == ("known_codes", 11)
    assert message.startswith("部门预算支出经济分类科目表中没有款级科目 30298：若编码无误，请在本行写上“科目名称: …”")
    assert "相近的已知编码：30299 其他商品和服务支出" in message


def test_basic_by_function_must_equal_economic(tmp_path):
    text = MINIMAL.replace("公用经费: 20}", "公用经费: 21}")
    [(rule, line, severity, message)] = findings(tmp_path, text, rule="basic_by_function_equals_economic")
    assert (rule, line, severity) == ("basic_by_function_equals_economic", 9, "错误")
    assert message == "一般公共预算基本支出按经济分类合计 121.15，按功能分类合计 120.15，两者应相等（相差 1）"


ROUNDED = MINIMAL.replace("金额单位: 万元", "金额单位: 万元\n舍入前单位: 元")


def test_identities_are_exact_by_default(tmp_path):
    text = MINIMAL.replace("人员经费: 100.15}", "人员经费: 100.16}")
    found = findings(tmp_path, text, rule="basic_by_function_equals_economic")
    assert [f[:3] for f in found] == [("basic_by_function_equals_economic", 9, "错误")]


def test_declared_rounding_accepts_what_rounding_can_produce_with_a_warning(tmp_path):
    # 4 non-zero figures typed in 万元, each ±0.005 of the 元 it was rounded from: at most 0.02 apart
    text = ROUNDED.replace("人员经费: 100.15}", "人员经费: 100.17}")
    [(rule, line, severity, message)] = findings(tmp_path, text, rule="basic_by_function_equals_economic")
    assert (rule, line, severity) == ("basic_by_function_equals_economic", 10, "警告")
    assert message == ("一般公共预算基本支出按经济分类合计 120.17，按功能分类合计 120.15，两者应相等（相差 0.02），"
                       "在舍入误差之内（本文件声明数字由元四舍五入）；如有以元为单位的原始数字，请改按元填写；"
                       "各表的基本支出均按功能分类的 120.15 列示")
    text = ROUNDED.replace("人员经费: 100.15}", "人员经费: 100.18}")
    found = findings(tmp_path, text, rule="basic_by_function_equals_economic")
    assert [f[:3] for f in found] == [("basic_by_function_equals_economic", 10, "错误")]


def test_the_rounded_total_shows_one_value_in_every_table(tmp_path):
    from builder.build import publication
    a = analysis(tmp_path, ROUNDED.replace("人员经费: 100.15}", "人员经费: 100.16}"))
    tables = {t.label: t for t in publication(a).tables}
    economic_total = tables["附件3"].body[0][2].value
    function_basic = next(r for r in tables["附件8"].body if r[1].value == "合计")[3].value
    assert economic_total == function_basic == __import__("decimal").Decimal("120.15")
    # its parts (100.16 + 20) show 120.16: the table says why its total differs
    assert tables["附件3"].notes[-1] == "注：本表金额由元换算为万元并四舍五入，合计数与分项之和可能存在尾差。"


def test_rounding_needs_a_finer_unit(tmp_path):
    import pytest

    from builder.core.findings import BuildFailed
    with pytest.raises(BuildFailed) as failed:
        analysis(tmp_path, MINIMAL.replace("金额单位: 万元", "金额单位: 元\n舍入前单位: 万元"))
    assert "舍入前单位应比金额单位（元）更细" in failed.value.findings[0].message


def test_rounding_is_not_tolerated_in_yuan(tmp_path):
    text = MINIMAL.replace("金额单位: 万元", "金额单位: 元").replace("人员经费: 100.15}", "人员经费: 100.16}")
    assert [f[0] for f in findings(tmp_path, text, rule="basic_by_function_equals_economic")] == ["basic_by_function_equals_economic"]


def test_three_public_at_least_basic_counterpart(tmp_path):
    text = MINIMAL.replace('  - {科目编码: "30201", 公用经费: 20}',
                           '  - {科目编码: "30201", 公用经费: 16}\n  - {科目编码: "30217", 公用经费: 4}')
    [(rule, line, _, message)] = findings(tmp_path, text, rule="three_public_covers_basic")
    assert (rule, line) == ("three_public_covers_basic", 14)
    assert message == "“三公”经费中公务接待 3 小于基本支出经济分类 30217 的 4"


def test_project_weights_warning(tmp_path):
    text = MINIMAL + ("    绩效指标:\n"
                      "      - {一级指标: 产出指标, 二级指标: 数量指标, 三级指标: 次数, 权重: 60}\n"
                      "      - {一级指标: 效益指标, 二级指标: 社会效益指标, 三级指标: 效果, 权重: 30}\n")
    assert findings(tmp_path, text, rule="project_weights_sum_to_100") == [("project_weights_sum_to_100", 20, "警告",
                                         "项目“专项一”的绩效指标权重合计 90，应为 100")]


def test_department_weights_warning(tmp_path):
    text = MINIMAL + "整体绩效目标:\n  指标:\n    - {指标名称: 满意度, 指标权重: 50}\n"
    found = findings(tmp_path, text, rule="department_weights_sum_to_100")
    assert [f[:3] for f in found] == [("department_weights_sum_to_100", 21, "警告")]


def test_same_code_and_source_twice_names_both_lines(tmp_path):
    text = MINIMAL.replace('  - {科目编码: "2080505", 基本支出: 20.05}',
                           '  - {科目编码: "2013101", 基本支出: 20.05}')
    assert findings(tmp_path, text, rule="unique_function_lines")[0] == ("unique_function_lines", 8, "错误",
                                           "功能分类支出中科目 2013101（一般公共预算）重复（第 7 行已有）")


def test_same_code_other_source_is_fine(tmp_path):
    text = MINIMAL.replace('  - {科目编码: "2080505", 基本支出: 20.05}',
                           '  - {科目编码: "2013101", 基本支出: 20.05, 资金来源: 事业收入}')
    # the economic split covers 一般公共预算 only
    text = text.replace("人员经费: 100.15", "人员经费: 80.10")
    assert findings(tmp_path, text, rule="unique_function_lines") == []


def test_duplicate_economic_code(tmp_path):
    text = MINIMAL.replace('"30201"', '"30101"')
    assert findings(tmp_path, text, rule="unique_economic_lines")[0][:2] == ("unique_economic_lines", 11)


def test_duplicate_project(tmp_path):
    text = MINIMAL + ('  - 项目编码: "P001"\n    项目名称: 专项一\n    科目编码: "2013102"\n'
                      '    金额: {一般性项目: 1}\n')
    assert ("unique_projects", 20, "错误", "项目“专项一”（P001）重复（第 16 行已有）") in findings(tmp_path, text, rule="unique_projects")


def test_project_stated_total(tmp_path):
    text = MINIMAL + "    资金总额: 61\n"
    assert findings(tmp_path, text, rule="project_total_matches_stated") == [("project_total_matches_stated", 20, "错误",
                                         "项目“专项一”的资金总额 61 与项目支出明细表各列之和 60 不符")]
    assert findings(tmp_path, MINIMAL + "    资金总额: 60.00\n", rule="project_total_matches_stated") == []


def stated(*entries):
    return MINIMAL + "核对数:\n" + "".join(f"  - {e}\n" for e in entries)


def test_stated_totals_within_rounding_are_warnings_in_a_rounded_file(tmp_path):
    # 合计 = 100.10 + 20.05 + 60 = 180.15; stated 180.16 differs by one rounding step
    entries = ("{栏目: 合计, 金额: 180.16}", "{科目编码: \"201\", 金额: 160.11}")
    assert [f[2] for f in findings(tmp_path, stated(*entries), rule="stated_figures_agree")] == ["错误", "错误"]
    rounded = stated(*entries).replace("金额单位: 万元", "金额单位: 万元\n舍入前单位: 元")
    assert [f[2] for f in findings(tmp_path, rounded, rule="stated_figures_agree")] == ["警告", "警告"]


def test_stated_total_outside_rounding_is_an_error(tmp_path):
    assert findings(tmp_path, stated("{科目编码: \"201\", 金额: 161.10, 出处: 附件2}"), rule="stated_figures_agree") == [
        ("stated_figures_agree", 21, "错误", "附件2中201 合计 161.10 与表中计算值 160.10 不符（相差 1）")]


def test_quoted_figure_must_equal_the_shown_figure(tmp_path):
    [finding] = findings(tmp_path, stated("{科目编码: \"201\", 金额: 160.11, 出处: 情况说明, 方式: 引用}"), rule="stated_figures_agree")
    assert finding[3] == "情况说明中201 合计 160.11 与表中计算值 160.10 不符（相差 0.01）"


def test_stated_columns(tmp_path):
    ok = stated("{科目编码: \"2013102\", 栏目: 项目支出, 金额: 60}", "{栏目: 本年.总计, 金额: 3}",
                "{科目编码: \"301\", 栏目: 人员经费, 金额: 100.15}", "{栏目: 收入.总计, 金额: 180.15}",
                "{栏目: 政府采购.总计, 金额: 0}", "{栏目: 财政拨款收入.一般公共预算, 金额: 180.15}")
    assert findings(tmp_path, ok, rule="stated_figures_agree") == []
    [(rule, line, _, message)] = findings(tmp_path, stated("{栏目: 本年.总计, 金额: 4}"), rule="stated_figures_agree")
    assert (line, message) == (21, "本年.总计 4 与表中计算值 3 不符（相差 1）")
    [(_, _, _, message)] = findings(tmp_path, stated("{栏目: 不存在, 金额: 4}"), rule="stated_figures_agree")
    assert message == "核对数的栏目“不存在”不是可核对的数字"


def test_summary_tables_balance_guards_the_derivation(tmp_path):
    from builder.budget.rules import summary_tables_balance
    ctx = analysis(tmp_path).context
    assert summary_tables_balance(ctx) == []
    ctx.facts.scalars["收入.总计"] += 10000
    [finding] = summary_tables_balance(ctx)
    assert finding.message == "部门收支总表收入总计 181.15 不等于支出总计 180.15"


def test_changed_figures_need_a_reason(tmp_path):
    from builder.budget.rules import reasons_for_changes
    text = MINIMAL + ("上年:\n  功能分类支出:\n    - {科目编码: \"2013101\", 金额: 150}\n"
                      "  三公经费: {公务接待: 3}\n")
    assert [f.message for f in reasons_for_changes(analysis(tmp_path, text).context)] == [
        "收支总额比上年增加 30.15 万元，请在 说明 → 增减原因 → 收支 中写明主要原因"]
    text = text.replace("说明: {", "说明: {增减原因: {收支: 新增专项}, ")
    assert reasons_for_changes(analysis(tmp_path, text).context) == []


def test_unknown_reason_key(tmp_path):
    import pytest

    from builder.core.findings import BuildFailed
    with pytest.raises(BuildFailed) as failed:
        analysis(tmp_path, MINIMAL.replace("说明: {", "说明: {增减原因: {收入: x}, "))
    assert "增减原因中没有“收入”" in failed.value.findings[0].message


def test_unquoted_codes_are_refused(tmp_path):
    text = MINIMAL.replace('部门编码: "401"', "部门编码: 0401").replace('项目编码: "P001"', "项目编码: P001")
    assert findings(tmp_path, text, rule="codes_are_quoted") == [("codes_are_quoted", 3, "错误",
        '部门编码 0401 须加引号写成 "0401"：不加引号时 YAML 会把它读成数字（前导 0 会丢失）')]


def test_stated_previous_total_uses_the_linked_file_for_its_rounding_interval(tmp_path):
    from helpers import write
    write(tmp_path, MINIMAL.replace("年度: 2024", "年度: 2023"), "last.yaml")
    text = ROUNDED + "上年文件: last.yaml\n核对数:\n  - {栏目: 上年, 金额: 180.16}\n"
    # 上年 = 100.10 + 20.05 + 60 (three typed 项 in the linked file): 180.16 is within rounding
    found = analysis(tmp_path, text).findings
    assert [f.severity.value for f in found if f.rule == "stated_figures_agree"] == ["警告"]


def test_a_stated_figure_may_carry_its_own_unit(tmp_path):
    text = MINIMAL.replace("金额单位: 万元", "金额单位: 元") + (
        "核对数:\n  - {栏目: 本年.公务接待, 金额: 0.0003, 金额单位: 万元, 出处: 三公表}\n"
        "  - {栏目: 本年.公务接待, 金额: 0.0004, 金额单位: 万元, 出处: 三公表}\n")
    assert [(f[1], f[3]) for f in findings(tmp_path, text, rule="stated_figures_agree") if f[0] == "stated_figures_agree"] == [
        (22, "三公表中本年.公务接待 0.0004 与表中计算值 0.0003 不符（相差 0.0001）")]


def test_personnel_and_public_costs_stay_in_their_classification(tmp_path):
    text = MINIMAL.replace('{科目编码: "30101", 人员经费: 100.15}', '{科目编码: "30101", 人员经费: 90.15, 公用经费: 10}')
    assert findings(tmp_path, text, rule="economic_lines_in_their_group") == [("economic_lines_in_their_group", 10, "错误",
                                         "30101 基本工资是人员经费科目，不能列在公用经费中")]
    text = MINIMAL.replace('{科目编码: "30201", 公用经费: 20}', '{科目编码: "30201", 人员经费: 5, 公用经费: 15}')
    assert findings(tmp_path, text, rule="economic_lines_in_their_group") == [("economic_lines_in_their_group", 11, "警告",
        "30201 办公费是公用经费科目，却列在人员经费中；若本地区公开表确实如此，请在方案的 expense_groups 中注明")]


def test_a_profile_may_allow_what_its_region_publishes(tmp_path):
    # 潼南's 附件3 splits 30207 邮电费 into 人员经费 and 公用经费 (seed 001); 渝北 does not
    text = MINIMAL.replace('{科目编码: "30201", 公用经费: 20}', '{科目编码: "30207", 人员经费: 5, 公用经费: 15}')
    assert findings(tmp_path, text, "潼南", rule="economic_lines_in_their_group") == []
    found = findings(tmp_path, text, "渝北", rule="economic_lines_in_their_group")
    assert [f[:3] for f in found if f[0] == "economic_lines_in_their_group"] == [
        ("economic_lines_in_their_group", 11, "警告")]


TYPED_PROJECTS = MINIMAL.replace('  - {科目编码: "2080505", 基本支出: 20.05}\n',
                                 '  - {科目编码: "2080505", 基本支出: 20.05}\n  - {科目编码: "2013102", 项目支出: 60}\n')


def test_a_project_on_a_typed_item_counts_or_is_refused(tmp_path):
    # the 项's 项目支出 typed on its line (60) and a project charged to it with 999: one figure
    # given twice with two values — refused at the project's line, naming both
    text = TYPED_PROJECTS.replace("    金额: {一般性项目: 50, 市级专项: 10}\n", "    金额: 999\n")
    found = findings(tmp_path, text, rule="typed_project_spending_matches_projects")
    assert found == [("typed_project_spending_matches_projects", line_of(text, "金额: 999"), "错误",
                      "项目“专项一”计入科目 2013102 的金额合计 999，与功能分类支出中该项填写的项目支出 60 不等：同一数字"
                      "只能有一个值。若该项的项目未全部列出，请在该行写“项目未全部列出: true”；否则只在一处填写"
                      "（删去该行的项目支出，或项目的金额）")]
    # the projects adding up to the line: one value, nothing to say
    assert findings(tmp_path, TYPED_PROJECTS, rule="typed_project_spending_matches_projects") == []
    assert [f for f in findings(tmp_path, TYPED_PROJECTS) if f[2] == "错误"] == []


def test_a_line_whose_projects_are_not_all_listed(tmp_path):
    partial = TYPED_PROJECTS.replace('项目支出: 60}', '项目支出: 80, 项目未全部列出: true}')
    assert findings(tmp_path, partial, rule="typed_project_spending_matches_projects") == []
    over = TYPED_PROJECTS.replace('项目支出: 60}', '项目支出: 50, 项目未全部列出: true}')
    assert findings(tmp_path, over, rule="typed_project_spending_matches_projects") == [
        ("typed_project_spending_matches_projects", line_of(over, "项目未全部列出"), "错误",
         "科目 2013102 下各项目金额合计 60 超过填写的项目支出 50")]
    alone = MINIMAL.replace('基本支出: 20.05}', '基本支出: 20.05, 项目未全部列出: true}')
    assert findings(tmp_path, alone, rule="typed_project_spending_matches_projects") == [
        ("typed_project_spending_matches_projects", line_of(alone, "项目未全部列出"), "错误",
         "科目 2080505 没有填写项目支出：“项目未全部列出”只用于填写了项目支出的行")]


def test_a_project_of_a_source_its_item_does_not_type(tmp_path):
    # a line is one 项 of one 资金来源: a 政府性基金 project on a 项 whose 项目支出 is typed only for
    # 一般公共预算 is counted nowhere (the 项 takes its figure from its lines) and compared with
    # nothing — refused at the project's 资金来源, naming both figures
    text = TYPED_PROJECTS.replace("    金额: {一般性项目: 50, 市级专项: 10}\n", "    资金来源: 政府性基金\n    金额: 60\n")
    assert findings(tmp_path, text, rule="typed_project_spending_matches_projects") == [
        ("typed_project_spending_matches_projects", line_of(text, "资金来源: 政府性基金"), "错误",
         "项目“专项一”（政府性基金）计入科目 2013102 的金额 60 既未计入功能分类，也无从核对：该项在功能分类支出中填写的"
         "项目支出只有一般公共预算的 60，没有政府性基金的。请在该项“资金来源: 政府性基金”的行上填写项目支出，"
         "或改正项目的资金来源")]
    # with a line of its own source the project is compared with that line, not the other one
    fund = text.replace('  - {科目编码: "2013102", 项目支出: 60}\n',
                        '  - {科目编码: "2013102", 项目支出: 60}\n  - {科目编码: "2013102", 资金来源: 政府性基金, 项目支出: 60}\n')
    assert findings(tmp_path, fund, rule="typed_project_spending_matches_projects") == []
    short = fund.replace("政府性基金, 项目支出: 60}", "政府性基金, 项目支出: 45}")
    assert findings(tmp_path, short, rule="typed_project_spending_matches_projects") == [
        ("typed_project_spending_matches_projects", line_of(short, "金额: 60"), "错误",
         "项目“专项一”计入科目 2013102（政府性基金）的金额合计 60，与功能分类支出中该项填写的项目支出 45 不等：同一数字"
         "只能有一个值。若该项的项目未全部列出，请在该行写“项目未全部列出: true”；否则只在一处填写"
         "（删去该行的项目支出，或项目的金额）")]


def test_a_project_with_an_amount_is_placed(tmp_path):
    # without a 科目编码 a project's amount reaches no 项: refused where no line types 项目支出
    text = MINIMAL.replace('    科目编码: "2013102"\n', "")
    assert findings(tmp_path, text, rule="projects_are_placed") == [
        ("projects_are_placed", line_of(text, "项目编码"), "错误",
         "项目“专项一”没有科目编码，金额无法计入功能分类：请写上“科目编码”，或在功能分类支出中填写各项的“项目支出”")]
    assert findings(tmp_path, MINIMAL, rule="projects_are_placed") == []
    # where the lines type 项目支出 it is counted by them but compared with none: a 警告
    typed = TYPED_PROJECTS.replace('    科目编码: "2013102"\n', "")
    assert findings(tmp_path, typed, rule="projects_are_placed") == [
        ("projects_are_placed", line_of(typed, "金额: {"), "警告",
         "项目“专项一”写了金额 60，却没有科目编码：无法与功能分类支出中填写的项目支出核对，只在列出项目的表中出现；"
         "请写上“科目编码”")]


# -- no printed figure from a silent default ----------------------------------------------------

def test_a_printed_running_cost_not_typed_is_a_warning_naming_the_key(tmp_path):
    # 潼南's 情况说明 prints 机关运行经费; without the key it would print the 公用经费 (20 万元)
    untyped = MINIMAL.replace("机关运行经费: 20\n", "")
    found = findings(tmp_path, untyped, profile="潼南", rule="figures_are_given")
    assert found == [("figures_are_given", None, "警告",
                      "部门预算情况说明印出“机关运行经费”，但本文件没有写“机关运行经费”：印出的是一般公共预算基本支出中的"
                      "公用经费 20，可能与公开文件的机关运行经费不同。请在文件中写上 机关运行经费: …（两者相同时也请写明）")]
    typed = MINIMAL.replace("机关运行经费: 20", "机关运行经费: 12.5")
    assert findings(tmp_path, typed, profile="潼南", rule="figures_are_given") == []
    assert facts(tmp_path, typed).scalar("机关运行经费") == yuan("12.5")


def test_a_profile_that_does_not_print_it_needs_no_key(tmp_path):
    # 丰润 prints the 日常公用经费 (its 公用经费), not a 机关运行经费
    assert findings(tmp_path, MINIMAL.replace("机关运行经费: 20\n", ""), profile="丰润", rule="figures_are_given") == []


def test_last_years_running_cost_not_typed_is_named_where_the_change_is_printed(tmp_path):
    write(tmp_path, MINIMAL.replace("年度: 2024", "年度: 2023").replace("机关运行经费: 20\n", ""), "last.yaml")
    text = MINIMAL.replace("机关运行经费: 20", "机关运行经费: 12.5\n上年文件: last.yaml")
    found = findings(tmp_path, text, profile="潼南", rule="figures_are_given")
    assert found == [("figures_are_given", line_of(text, "上年文件"), "警告",
                      "上年文件没有写“机关运行经费”：部门预算情况说明中机关运行经费与上年的比较按上年的一般公共预算基本支出中的"
                      "公用经费计算。请在上年文件中写上 机关运行经费: …")]
