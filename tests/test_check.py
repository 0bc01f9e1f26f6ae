"""The rules every kind shares that a reviewer of a published document applies to its text:
template words left in, other years, a 科目 named otherwise than in the tables, and stated
percentages (占比, 增长率) under 核对数. Each test looks at its own rule's findings."""

import shutil

from builder.build import analyse

from conftest import EXAMPLES
from helpers import MINIMAL, edit, findings, line_of, write


def of(rule, tmp_path, text):
    return [f[1:] for f in findings(tmp_path, text) if f[0] == rule]


def with_notes(notes: str) -> str:
    return edit(MINIMAL, "说明: {职能职责: 负责测试。, 单位构成: 本级。, 联系人: 张三}\n",
                "说明: {职能职责: 负责测试。, 单位构成: 本级。, 联系人: 张三, " + notes + "}\n")


def test_template_words_left_in_are_errors(tmp_path):
    text = with_notes("基本支出用途: 主要用于XX等支出, 国有资产: 共有车辆【待填】辆, 运行经费用途: 待填写")
    text = edit(text, "项目名称: 专项一", "项目名称: ××专项")
    line, project = line_of(text, "基本支出用途"), line_of(text, "××专项")
    assert of("text_is_finished", tmp_path, text) == [
        (line, "错误", "文字中有未填写的模板字样“XX”：主要用于XX等支出"),
        (line, "错误", "文字中有未填写的模板字样“【待填】”：共有车辆【待填】辆"),
        (line, "错误", "文字中有未填写的模板字样“待填写”：待填写"),
        (project, "错误", "文字中有未填写的模板字样“××”：××专项")]
    assert of("text_is_finished", tmp_path, MINIMAL) == []


def test_a_year_other_than_this_or_last_is_a_warning(tmp_path):
    text = with_notes("国有资产: 截止2022年12月共有车辆8辆，2023年购置0辆, 基本支出用途: 2021年度人员经费")
    found = of("years_are_this_or_last", tmp_path, text)
    assert [(line, severity) for line, severity, _ in found] == [(line_of(text, "国有资产"), "警告")] * 2
    assert [m.split("既")[0] for _, _, m in found] == ["文字中的年份2022", "文字中的年份2021"]
    # 2023 (the year before) and a project's history are not flagged
    history = edit(MINIMAL, "    金额: {一般性项目: 50, 市级专项: 10}\n",
                   "    金额: {一般性项目: 50, 市级专项: 10}\n    立项依据: 2016年区委文件\n    绩效目标: 2023年完成\n")
    assert of("years_are_this_or_last", tmp_path, history) == []


def test_a_subject_named_otherwise_than_in_the_tables_is_a_warning(tmp_path):
    text = with_notes("基本支出用途: 2013101 行政运营支出 100.10 万元，2080505 机关事业单位基本养老保险缴费支出 20.05 万元")
    assert of("subject_names_as_in_tables", tmp_path, text) == [
        (line_of(text, "基本支出用途"), "警告", "文字中科目 2013101 写作“行政运营支出”，表中为“行政运行”")]
    fine = with_notes("基本支出用途: 2013101 行政运行（项）100.10 万元，2013101 1001000 元")
    assert of("subject_names_as_in_tables", tmp_path, fine) == []


def stated(*entries: str) -> str:
    return MINIMAL + "核对数:\n" + "".join(f"  - {e}\n" for e in entries)


def test_a_stated_share_is_checked_at_its_precision(tmp_path):
    # 201 is 160.10 of 180.15: 88.87 %
    ok = stated('{科目编码: "201", 栏目: 合计, 百分比: 88.9, 方式: 占比, 出处: 情况说明}',
                '{科目编码: "208", 栏目: 合计, 百分比: 11.13, 方式: 占比}')
    assert of("stated_figures_agree", tmp_path, ok) == []
    wrong = stated('{科目编码: "201", 栏目: 合计, 百分比: 88.8, 方式: 占比, 出处: 情况说明}')
    assert of("stated_figures_agree", tmp_path, wrong) == [
        (line_of(wrong, "88.8"), "错误", "情况说明中201 合计占比 88.8% 与计算值 88.9% 不符")]


def test_a_stated_growth_rate_against_last_year(tmp_path):
    # last year's 201: 150 → this year's 160.10 is 6.73 % more; a fall is typed negative
    text = MINIMAL + '上年:\n  功能分类支出:\n    - {科目编码: "2013101", 金额: 150}\n'
    assert of("stated_figures_agree", tmp_path, text + "核对数:\n  - {科目编码: \"201\", 百分比: 6.7, 方式: 增长率}\n") == []
    wrong = text + "核对数:\n  - {科目编码: \"201\", 百分比: -6.7, 方式: 增长率}\n"
    assert of("stated_figures_agree", tmp_path, wrong) == [
        (line_of(wrong, "-6.7"), "错误", "201 合计增长率 -6.7% 与计算值 6.7% 不符")]
    nothing = stated('{科目编码: "201", 百分比: 6.7, 方式: 增长率}')
    assert of("stated_figures_agree", tmp_path, nothing) == [
        (line_of(nothing, "6.7"), "错误", "201 合计增长率无法核对：没有不为 0 的基数")]


def test_a_final_accounts_stated_percentages_as_its_text_states_them(tmp_path):
    # seed 002's 决算说明: 支出 下降 14.4% against 2023; 一般公共服务支出 占 79.7%
    shutil.copytree(EXAMPLES / "previous", tmp_path / "previous")
    text = (EXAMPLES / "tongnan-zhengfu-2024-juesuan.yaml").read_text(encoding="utf-8") + (
        "核对数:\n  - {栏目: 支出.合计, 百分比: -14.4, 方式: 增长率, 出处: 决算说明}\n"
        '  - {科目编码: "201", 栏目: 支出.一般公共预算.合计, 百分比: 79.7, 方式: 占比, 出处: 决算说明}\n')
    path = tmp_path / "final.yaml"
    path.write_text(text, encoding="utf-8")
    assert [f for f in analyse(path).findings if f.rule == "stated_figures_agree"] == []


def test_a_percent_needs_its_mode_and_no_amount(tmp_path):
    import pytest

    from builder.core.findings import BuildFailed
    for entry, message in (('{科目编码: "201", 百分比: 88.9}', "请写“金额”；百分比须同时写“方式: 占比”或“方式: 增长率”"),
                           ('{科目编码: "201", 金额: 1, 方式: 占比}', "方式为占比时只写“百分比”（例如 百分比: 14.4），不写金额")):
        with pytest.raises(BuildFailed) as failed:
            analyse(write(tmp_path, stated(entry)))
        assert [f.message.split("：", 1)[1] for f in failed.value.findings] == [message]

