"""Figures a clerk states (核对数: published totals, figures the 情况说明 quotes, changes it states)
are compared at the precision they are written with, in their own unit (issue 18 item 4), and a
stated change (增减 in money, 增长率 in percent) is accepted computed from the exact figures or from
the figures as shown — the two ways regions state them; the profile's `changes` says which the
情况说明 it prints uses (issue 22 item 5). A figure a linked file does not give is unknown: never
compared with a zero."""

import shutil

import pytest

from builder.build import analyse
from builder.core.findings import BuildFailed

from conftest import EXAMPLES, ROOT
from helpers import MINIMAL, edit, line_of, write

FINAL = (EXAMPLES / "tongnan-zhengfu-2024-juesuan.yaml").read_text(encoding="utf-8")


def final_with(tmp_path, *entries: str, text: str = FINAL):
    """The 决算 example (seed 002, typed in 元) with `entries` under 核对数: (line, message) of the
    rule's findings, and the text."""
    shutil.copytree(EXAMPLES / "previous", tmp_path / "previous", dirs_exist_ok=True)
    text += "核对数:\n" + "".join(f"  - {e}\n" for e in entries)
    path = tmp_path / "final.yaml"
    path.write_text(text, encoding="utf-8")
    return [(f.line, f.message) for f in analyse(path).findings if f.rule == "stated_figures_agree"], text


def budget_with(tmp_path, text: str, *entries: str, name: str = "dept.yaml"):
    text += "核对数:\n" + "".join(f"  - {e}\n" for e in entries)
    found = analyse(write(tmp_path, text, name)).findings
    return [(f.line, f.severity.value, f.message) for f in found if f.rule == "stated_figures_agree"], text


# -- at the precision stated -------------------------------------------------------------------

def test_figures_quoted_in_wanyuan_from_a_yuan_file_agree_at_their_precision(tmp_path):
    # seed 002's 决算说明 quotes the 元 tables in 万元: 一般公共服务支出 1585.01 (15,850,096.60 元),
    # "三公" 46.53 (465,326.00), 人员经费 1242.46 (12,424,566.81) — each agrees rounded half up to
    # two decimals; the 03表's own total agrees in 元
    found, _ = final_with(tmp_path,
                          '{科目编码: "201", 栏目: 支出.一般公共预算.合计, 金额: 1585.01, 金额单位: 万元, 出处: 决算说明}',
                          "{栏目: 三公.合计, 金额: 46.53, 金额单位: 万元, 方式: 引用, 出处: 决算说明}",
                          "{栏目: 经济分类.人员经费, 金额: 1242.46, 金额单位: 万元, 方式: 引用, 出处: 决算说明}",
                          "{栏目: 支出.合计, 金额: 19890539.51, 出处: 03表}")
    assert found == []
    # a wrong quote still fails; a figure written with fewer decimals is compared at those (46.5)
    found, text = final_with(tmp_path,
                             '{科目编码: "201", 栏目: 支出.一般公共预算.合计, 金额: 1585.02, 金额单位: 万元, 出处: 决算说明}',
                             "{栏目: 三公.合计, 金额: 46.5, 金额单位: 万元, 方式: 引用, 出处: 决算说明}",
                             "{栏目: 三公.合计, 金额: 46.54, 金额单位: 万元, 方式: 引用, 出处: 决算说明}",
                             "{栏目: 支出.合计, 金额: 19890539.50, 出处: 03表}")
    assert found == [
        (line_of(text, "1585.02"), "决算说明中201 支出.一般公共预算.合计 1585.02 与表中计算值 1585.01 不符（相差 0.01）"),
        (line_of(text, "46.54"), "决算说明中三公.合计 46.54 与表中计算值 46.53 不符（相差 0.01）"),
        (line_of(text, "19890539.50"), "03表中支出.合计 19890539.50 与表中计算值 19890539.51 不符（相差 -0.01）")]
    # in the file's own unit a figure is the file's own exact figure: 19890540 is 19,890,540.00 元,
    # not a quote at whole 元 (only a figure in a unit of its own is read at its decimals)
    found, text = final_with(tmp_path, "{栏目: 支出.合计, 金额: 19890540, 出处: 03表}")
    assert found == [(line_of(text, "19890540"), "03表中支出.合计 19890540 与表中计算值 19890539.51 不符（相差 0.49）")]


def test_a_stated_previous_figure_is_last_years_and_never_a_zero(tmp_path):
    # the linked 2023 决算 is partial: it gives its 支出.合计 (2322.41 万元) but no figure of 类 201
    found, _ = final_with(tmp_path, "{栏目: 上年, 金额: 2322.41, 金额单位: 万元, 出处: 决算说明}",
                          '{科目编码: "201", 栏目: 上年, 金额: 1900, 金额单位: 万元, 出处: 决算说明}')
    assert found == []
    found, text = final_with(tmp_path, "{栏目: 上年, 金额: 2322.42, 金额单位: 万元, 出处: 决算说明}")
    assert found == [(line_of(text, "2322.42"), "决算说明中上年 2322.42 与表中计算值 2322.41 不符（相差 0.01）")]


LAST_YEAR = """\
部门: 测试局
年度: 2023
金额单位: 万元
部分数据: true
已公布数:
  - {栏目: 本年.总计, 金额: 5, 出处: 上年“三公”表}
  - {栏目: 支出.一般公共预算.合计, 金额: 150, 出处: 上年附件2}
"""


def test_a_budgets_stated_previous_figure_from_a_partial_last_year(tmp_path):
    # last year's file gives only its "三公" 总计 and 一般公共预算 total: those are compared, what it
    # does not give (公务接待, 类 201) is not — never with a zero
    write(tmp_path, LAST_YEAR, "last.yaml")
    text = MINIMAL + "上年文件: last.yaml\n"
    found, _ = budget_with(tmp_path, text, "{栏目: 上年.总计, 金额: 5, 出处: 三公表}", "{栏目: 上年, 金额: 150, 出处: 附件2}",
                           "{栏目: 上年.公务接待, 金额: 2, 出处: 三公表}", '{科目编码: "201", 栏目: 上年, 金额: 140, 出处: 附件2}')
    assert found == []
    found, text = budget_with(tmp_path, text, "{栏目: 上年.总计, 金额: 4, 出处: 三公表}")
    assert found == [(line_of(text, "金额: 4,"), "错误", "三公表中上年.总计 4 与表中计算值 5 不符（相差 -1）")]


# The "三公" of a 元 budget typed in 万元 as its table publishes them: 公务接待 10.53 万元 covers the
# 30217 公务接待费 of 105,326.00 元 in its 基本支出 (seed 002's two figures), at the precision typed.
YUAN_BUDGET = """\
部门: 测试局
部门简称: 测试
部门编码: "401"
年度: 2024
金额单位: 元
功能分类支出:
  - {科目编码: "2013101", 基本支出: 1105326.00}
经济分类基本支出:
  - {科目编码: "30101", 人员经费: 1000000.00}
  - {科目编码: "30217", 公用经费: 105326.00}
三公经费: {金额单位: 万元, 公务接待: 10.53}
说明: {职能职责: 负责测试。, 单位构成: 本级。, 联系人: 张三}
"""


def test_three_public_typed_in_their_own_unit_cover_the_basic_spending_at_their_precision(tmp_path):
    rule = lambda text: [(f.line, f.message) for f in analyse(write(tmp_path, text)).findings
                         if f.rule == "three_public_covers_basic"]
    assert rule(YUAN_BUDGET) == []
    text = edit(YUAN_BUDGET, "公务接待: 10.53", "公务接待: 10.52")
    assert rule(text) == [(line_of(text, "三公经费"), "“三公”经费中公务接待 10.52 万元 小于基本支出经济分类 30217 的 10.53 万元")]
    # typed in the file's unit, they are the budget's own exact figures
    text = edit(YUAN_BUDGET, "三公经费: {金额单位: 万元, 公务接待: 10.53}", "三公经费: {公务接待: 105300}")
    assert rule(text) == [(line_of(text, "三公经费"), "“三公”经费中公务接待 105300 小于基本支出经济分类 30217 的 105326")]


# -- stated changes ----------------------------------------------------------------------------

def test_changes_the_final_accounts_text_states_against_last_year_and_the_budget(tmp_path):
    # seed 002's 决算说明: against 2023 (L89, L123, L143) and against the 年初预算数 (L89, L93, L97,
    # L123, L131, L133). 公务接待 下降 47.4% and 会议费 增长 1036.6% are the changes of the figures as
    # printed (−9.47 / 20.00, 10.47 / 1.01); the exact figures give 47.3% and 1036.8%
    found, _ = final_with(
        tmp_path,
        "{栏目: 支出.合计, 金额: -333.36, 金额单位: 万元, 方式: 增减, 出处: 决算说明}",
        "{栏目: 三公.合计, 金额: -35.71, 金额单位: 万元, 方式: 增减, 出处: 决算说明}",
        "{栏目: 三公.合计, 百分比: -43.4, 方式: 增长率, 出处: 决算说明}",
        "{栏目: 会议费, 金额: 10.47, 金额单位: 万元, 方式: 增减, 出处: 决算说明}",
        "{栏目: 会议费, 百分比: 1036.6, 方式: 增长率, 出处: 决算说明}",
        "{栏目: 支出.一般公共预算.合计, 金额: 231.73, 金额单位: 万元, 方式: 增减, 比较: 年初预算, 出处: 决算说明}",
        "{栏目: 收入.一般公共预算.合计, 百分比: 13.2, 方式: 增长率, 比较: 年初预算, 出处: 决算说明}",
        '{科目编码: "201", 栏目: 支出.一般公共预算.合计, 金额: 197.37, 金额单位: 万元, 方式: 增减, 比较: 年初预算}',
        '{科目编码: "210", 栏目: 支出.一般公共预算.合计, 百分比: -8.0, 方式: 增长率, 比较: 年初预算}',
        "{栏目: 三公.合计, 金额: -9.47, 金额单位: 万元, 方式: 增减, 比较: 年初预算, 出处: 决算说明}",
        "{栏目: 三公.合计, 百分比: -16.9, 方式: 增长率, 比较: 年初预算, 出处: 决算说明}",
        "{栏目: 三公.公务用车运行维护, 金额: 0, 金额单位: 万元, 方式: 增减, 比较: 年初预算, 出处: 决算说明}",
        "{栏目: 三公.公务接待, 金额: -9.47, 金额单位: 万元, 方式: 增减, 比较: 年初预算, 出处: 决算说明}",
        "{栏目: 三公.公务接待, 百分比: -47.4, 方式: 增长率, 比较: 年初预算, 出处: 决算说明}")
    assert found == []
    found, text = final_with(
        tmp_path,
        "{栏目: 三公.合计, 金额: -9.48, 金额单位: 万元, 方式: 增减, 比较: 年初预算, 出处: 决算说明}",
        "{栏目: 会议费, 百分比: 1036.7, 方式: 增长率, 出处: 决算说明}",
        "{栏目: 支出.合计, 金额: 333.36, 金额单位: 万元, 方式: 增减, 出处: 决算说明}")
    assert found == [
        (line_of(text, "-9.48"), "决算说明中三公.合计较年初预算增减 -9.48 万元 与计算值 -9.47 万元 不符"),
        (line_of(text, "1036.7"),
         "决算说明中会议费增长率 1036.7% 与计算值 1036.6% 不符（由显示的数字算得 1036.6%，由精确数字算得 1036.8%）"),
        (line_of(text, "金额: 333.36"), "决算说明中支出.合计增减 333.36 万元 与计算值 -333.36 万元 不符")]


def test_a_change_against_a_budget_figure_nobody_gives(tmp_path):
    # the linked 2024 预算 is partial and gives no 支出.基本支出: not compared; with no 预算文件 at
    # all, the change cannot be checked, and check says why
    entry = "{栏目: 支出.基本支出, 金额: 100, 金额单位: 万元, 方式: 增减, 比较: 年初预算}"
    assert final_with(tmp_path, entry)[0] == []
    unlinked = edit(FINAL, "预算文件: previous/tongnan-zhengfu-2024.yaml\n", "")
    assert [m for _, m in final_with(tmp_path, entry, text=unlinked)[0]] == [
        "支出.基本支出较年初预算增减无法核对：没有支出.基本支出的年初预算数（请写预算文件）"]


# A 元 budget whose total moves from 1644.4751 万元 last year to 5000.1249: shown to two decimals
# 1644.48 → 5000.12, a change of 3355.64; the exact change, 3355.6498, rounds to 3355.65 (issue
# 22: a region's text said 增加3,355.65万元 where the figures it printed give 3,355.64).
MOVED = """\
部门: 测试局
部门简称: 测试
部门编码: "401"
年度: 2024
方案: {profile}
金额单位: 元
功能分类支出:
  - {{科目编码: "2013101", 基本支出: 50001249.00}}
经济分类基本支出:
  - {{科目编码: "30101", 人员经费: 50001249.00}}
说明: {{职能职责: 负责测试。, 单位构成: 本级。, 联系人: 张三, 增减原因: {{收支: 机构调整}}}}
上年:
  功能分类支出:
    - {{科目编码: "2013101", 金额: 16444751.00}}
"""


def test_a_stated_change_agrees_computed_from_the_exact_or_the_shown_figures(tmp_path):
    text = MOVED.format(profile="潼南")
    entry = "{{栏目: 合计, 金额: {}, 金额单位: 万元, 方式: 增减, 出处: 情况说明}}"
    assert budget_with(tmp_path, text, entry.format("3355.65"), entry.format("3355.64"))[0] == []
    found, wrong = budget_with(tmp_path, text, entry.format("3355.66"))
    assert found == [(line_of(wrong, "3355.66"), "错误", "情况说明中合计增减 3355.66 万元 与计算值 3355.64 万元 不符"
                                                         "（由显示的数字算得 3355.64 万元，由精确数字算得 3355.65 万元）")]


def test_the_profile_says_how_its_text_computes_a_change(tmp_path):
    # 潼南's 情况说明 states the change of the totals as it prints them; a region whose texts
    # compute it from the exact figures says `changes: exact` in its profile (here a district's)
    district = tmp_path / "方案"
    district.mkdir()
    own = (ROOT / "templates" / "profiles" / "潼南.yaml").read_text(encoding="utf-8")
    (district / "精确区.yaml").write_text(edit(own, "name: 潼南\n", "name: 精确区\nchanges: exact\n"), encoding="utf-8")
    said = {}
    for profile in ("潼南", "精确区"):
        found = analyse(write(tmp_path, MOVED.format(profile=profile), f"{profile}.yaml"))
        said[profile] = [b.text for b in found.context.narrative.blocks if "支出较去年" in b.text]
        assert [f for f in found.findings if f.severity.value == "错误"] == []
    assert "支出较去年增加 3355.64 万元" in said["潼南"][0]
    assert "支出较去年增加 3355.65 万元" in said["精确区"][0]
    wrong = edit(own, "name: 潼南\n", "name: 精确区\nchanges: rounded\n")
    (district / "精确区.yaml").write_text(wrong, encoding="utf-8")
    with pytest.raises(BuildFailed) as failed:
        analyse(write(tmp_path, MOVED.format(profile="精确区"), "精确区.yaml"))
    assert [f.line for f in failed.value.findings] == [line_of(wrong, "changes: rounded")]


# -- what an entry may say ---------------------------------------------------------------------

@pytest.mark.parametrize("entry, message", [
    ("{栏目: 合计, 金额: -5}", "金额不能为负数（比较的减少额写“方式: 增减”，减少写负数）"),
    ("{栏目: 合计, 金额: 5, 比较: 年初预算}", "“比较: 年初预算”只用于方式为增减或增长率的核对数"),
    ("{栏目: 合计, 金额: 5, 方式: 增减, 比较: 明年}", None),
])
def test_what_a_stated_change_may_say(tmp_path, entry, message):
    with pytest.raises(BuildFailed) as failed:
        analyse(write(tmp_path, MINIMAL + f"核对数:\n  - {entry}\n"))
    [finding] = failed.value.findings
    assert finding.line == line_of(MINIMAL + f"核对数:\n  - {entry}\n", entry)
    if message:
        assert finding.message.endswith(message)


def test_a_budget_has_no_budget_to_compare_with(tmp_path):
    found, text = budget_with(tmp_path, MINIMAL, "{栏目: 合计, 金额: 5, 方式: 增减, 比较: 年初预算}")
    assert found == [(line_of(text, "年初预算"), "错误", "部门预算没有年初预算数可比较（“比较: 年初预算”用于部门决算）")]


def test_a_published_figure_is_an_amount_not_a_change(tmp_path):
    assert [f for f in analyse(write(tmp_path, LAST_YEAR)).findings if f.rule == "published"] == []
    text = LAST_YEAR + "  - {栏目: 支出.合计, 金额: -3, 方式: 增减}\n"
    found = analyse(write(tmp_path, text)).findings
    assert [(f.line, f.message) for f in found if f.rule == "published"] == [
        (line_of(text, "金额: -3"), "已公布数只写金额（增减、占比、增长率请写在“核对数”中）")]
