"""The 决算's "三公" 预算数 (issue 18): taken from the linked 预算文件, or typed under 机构运行信息 →
三公经费 → 预算数 (in its own 金额单位); typed and linked, one figure that must agree at the
precision typed; printed beside the 决算数 where a profile prints it, and the 执行 compared with it
as seed 002's 决算说明 does ("较年初预算数减少 9.47 万元，下降 16.9%").

Seed 002 (重庆市潼南区人民政府办公室 2024 部门决算) prints its 09表 with the 决算数 only; its 预算数
are those its 决算说明 states the changes against — 56.00 万元 in all, 公务用车运行维护 36.00, 公务接待
20.00 — carried by the example's linked 预算文件 (input_yaml/previous/tongnan-zhengfu-2024.yaml).
The table that prints both columns is a test profile (tests/fixtures/profiles/三公预算决算.yaml), as
other regions publish it."""

from decimal import Decimal

import pdfplumber
import pytest
from openpyxl import load_workbook

from builder.build import analyse

from conftest import EXAMPLES, ROOT, example_copy, run_cli
from helpers import FINAL, edit, findings, line_of

PROFILE = ROOT / "tests" / "fixtures" / "profiles" / "三公预算决算.yaml"
STEM = "tongnan-zhengfu-2024-juesuan"
EXAMPLE = (EXAMPLES / f"{STEM}.yaml").read_text(encoding="utf-8")
TYPED_LINE = "    国内接待: 105326.00                  # 行次 8, L472\n"

# seed 002: 预算数 from the 决算说明 (L123–133: 46.53 + 减少 9.47; 36.00 无增减; 10.53 + 减少 9.47),
# 决算数 from the 09表 (L465–472) in 万元 as the 决算说明 prints them
PUBLISHED = {"合计": ("56.00", "46.53"), "1. 因公出国（境）费": ("0.00", "0.00"),
             "2. 公务用车购置及运行维护费": ("36.00", "36.00"), "（1）公务用车购置费": ("0.00", "0.00"),
             "（2）公务用车运行维护费": ("36.00", "36.00"), "3. 公务接待费": ("20.00", "10.53")}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("three-public-budget")
    result = run_cli("build", str(EXAMPLES / f"{STEM}.yaml"), "--profile", str(PROFILE), "-o", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def test_the_budget_columns_print_the_seeds_figures_in_the_workbook(built):
    sheet = load_workbook(built / f"{STEM}.xlsx")["表1"]
    rows = {r[0]: r[1:] for r in sheet.iter_rows(values_only=True) if r[0] in PUBLISHED}
    assert list(next(r for r in sheet.iter_rows(values_only=True) if r[0] == "项目")) == ["项目", "预算数", "决算数"]
    assert {label: tuple(f"{Decimal(str(v)):.2f}" for v in values) for label, values in rows.items()} == PUBLISHED


def test_the_budget_columns_print_the_seeds_figures_in_the_pdf(built):
    with pdfplumber.open(built / f"{STEM}.pdf") as pdf:
        lines = pdf.pages[-1].extract_text().splitlines()
    assert "项目 预算数 决算数" in lines
    for label, (budgeted, actual) in PUBLISHED.items():
        assert f"{label} {budgeted} {actual}" in lines


def _with_partial_budget(tmp_path):
    """The example beside a copy of its linked 预算 that states only the 公务接待 (20.00 万元)."""
    budget = (EXAMPLES / "previous" / "tongnan-zhengfu-2024.yaml").read_text(encoding="utf-8")
    for gone in ("  - {栏目: 本年.总计, 金额: 56.00, 金额单位: 万元, 出处: 决算说明：46.53 + 减少 9.47}\n",
                 "  - {栏目: 本年.公务用车运行维护, 金额: 36.00, 金额单位: 万元, 出处: 决算说明：36.00，较年初预算数无增减}\n"):
        budget = edit(budget, gone, "")
    example_copy(tmp_path, "x.yaml", "")
    (tmp_path / "previous" / "tongnan-zhengfu-2024.yaml").write_text(budget, encoding="utf-8")
    return example_copy(tmp_path, f"{STEM}.yaml", EXAMPLE)


def test_the_example_takes_its_budget_from_the_linked_file_and_derives_the_parts_it_implies(tmp_path):
    # the linked partial 预算 gives 本年.总计 56.00, 公务用车运行维护 36.00, 公务接待 20.00 (万元):
    # 36.00 + 20.00 make up the 56.00, so 因公出国 and 公务用车购置 were 0 — derived, not typed
    facts = analyse(EXAMPLES / f"{STEM}.yaml").facts
    assert {k.removeprefix("三公.预算."): facts.scalar(k) for k in facts.scalars if k.startswith("三公.预算.")} == {
        "合计": Decimal(560000), "因公出国": 0, "公务用车购置及运行维护": Decimal(360000), "公务用车购置": 0,
        "公务用车运行维护": Decimal(360000), "公务接待": Decimal(200000)}
    # a linked 预算 that gives only the 公务接待: the rest is not known (never a zero)
    path = _with_partial_budget(tmp_path)
    facts = analyse(path).facts
    assert facts.figure("三公.预算.公务接待") == Decimal(200000)
    assert facts.figure("三公.预算.合计") is None and "三公.预算.合计" in facts.unknown


def test_a_budget_typed_and_linked_is_one_figure(tmp_path):
    agreeing = edit(EXAMPLE, TYPED_LINE, TYPED_LINE + "    预算数: {金额单位: 万元, 公务用车运行维护: 36.00, 公务接待: 20.00}\n")
    path = example_copy(tmp_path, f"{STEM}.yaml", agreeing)
    assert [f for f in analyse(path).findings if f.rule == "three_public_budget_agrees"] == []
    wrong = edit(agreeing, "公务接待: 20.00}", "公务接待: 20.01}")
    path = example_copy(tmp_path, f"{STEM}.yaml", wrong)
    assert [(f.line, f.severity.value, f.message) for f in analyse(path).findings if f.rule == "three_public_budget_agrees"] == [
        (line_of(wrong, "公务接待: 20.01"), "错误", "“三公”经费预算数中公务接待 20.01 万元 与预算文件的 20.00 万元 不符")]


def test_a_typed_part_the_linked_file_does_not_give_is_checked_through_the_total(tmp_path):
    # the linked 预算 gives no 因公出国 but gives the 合计 56.00: a typed 1.00 makes it 57.00
    text = edit(EXAMPLE, TYPED_LINE, TYPED_LINE + "    预算数: {金额单位: 万元, 因公出国: 1.00, 公务用车运行维护: 36.00, "
                                                 "公务接待: 20.00}\n")
    path = example_copy(tmp_path, f"{STEM}.yaml", text)
    assert [(f.line, f.message) for f in analyse(path).findings if f.rule == "three_public_budget_agrees"] == [
        (line_of(text, "预算数: {"), "“三公”经费预算数的合计（各项之和）57.00 万元 与预算文件的 56.00 万元 不符")]


def test_typed_figures_agree_with_an_exact_budget_at_the_precision_typed(tmp_path):
    # a 元 budget of 359,998.12 for the 公务用车运行维护 is 36.00 万元 typed to two decimals (and 36
    # typed whole); its 合计 359,998.12 + 200,000 is 55.9998 万元: within the rounding of 36.00 + 20.00
    budget = (EXAMPLES / "previous" / "tongnan-zhengfu-2024.yaml").read_text(encoding="utf-8")
    budget = edit(budget, "{栏目: 本年.总计, 金额: 56.00, 金额单位: 万元,", "{栏目: 本年.总计, 金额: 559998.12,")
    budget = edit(budget, "{栏目: 本年.公务用车运行维护, 金额: 36.00, 金额单位: 万元,", "{栏目: 本年.公务用车运行维护, 金额: 359998.12,")
    example_copy(tmp_path, "x.yaml", "")
    (tmp_path / "previous" / "tongnan-zhengfu-2024.yaml").write_text(budget, encoding="utf-8")
    for typed in ("公务用车运行维护: 36.00, 公务接待: 20.00", "公务用车运行维护: 36, 公务接待: 20"):
        text = edit(EXAMPLE, TYPED_LINE, TYPED_LINE + f"    预算数: {{金额单位: 万元, {typed}}}\n")
        path = example_copy(tmp_path, f"{STEM}.yaml", text)
        assert [f.message for f in analyse(path).findings if f.rule == "three_public_budget_agrees"] == [], typed
    text = edit(EXAMPLE, TYPED_LINE, TYPED_LINE + "    预算数: {金额单位: 万元, 公务用车运行维护: 35.99, 公务接待: 20.00}\n")
    path = example_copy(tmp_path, f"{STEM}.yaml", text)
    assert [f.message for f in analyse(path).findings if f.rule == "three_public_budget_agrees"] == [
        "“三公”经费预算数中公务用车运行维护 35.99 万元 与预算文件的 36.00 万元 不符"]


def test_a_typed_budget_without_a_link_prints_and_is_compared(tmp_path):
    # the generic 决算 types its 预算数 (0.40 and 0.60 万元 = its 决算数): no change, no reason asked
    assert findings(tmp_path, FINAL, rule="reasons_for_changes") == []
    out = tmp_path / "out"
    path = tmp_path / "final.yaml"
    path.write_text(FINAL, encoding="utf-8")
    assert run_cli("build", str(path), "--profile", str(PROFILE), "-o", str(out)).returncode == 0
    rows = {r[0]: r[1:] for r in load_workbook(out / "final.xlsx")["表1"].iter_rows(values_only=True)}
    assert rows["合计"] == (1, 1) and rows["3. 公务接待费"] == (0.6, 0.6)
    # spent 0.60 against a budget of 0.70: the 决算说明 states it, and asks for the reason
    text = edit(FINAL, "公务接待: 0.60}", "公务接待: 0.70}")
    assert [(f.severity.value, f.message) for f in analyse(_write(tmp_path, text)).findings if f.rule == "reasons_for_changes"] == [
        ("错误", "“三公”经费较年初预算数减少 0.10 万元，请在 说明 → 较预算原因 → 三公经费 中写明主要原因"),
        ("错误", "公务接待费较年初预算数减少 0.10 万元，请在 说明 → 较预算原因 → 公务接待 中写明主要原因")]
    narrative = " ".join(b.text for b in analyse(_write(tmp_path, text)).context.narrative.blocks)
    assert "“三公”经费支出共计 1.00 万元，较年初预算数减少 0.10 万元，下降 9.1%" in narrative


def test_a_table_of_the_budget_needs_it_typed_or_linked(tmp_path):
    text = edit(FINAL, "    预算数: {金额单位: 万元, 公务用车运行维护: 0.40, 公务接待: 0.60}\n", "")
    found = [f for f in analyse(_write(tmp_path, text), str(PROFILE)).findings if f.rule == "tables_have_their_data"]
    assert [f.message for f in found] == [
        "方案“三公预算决算”的表1（三公经费支出决算表）需要“三公”经费预算数（机构运行信息 → 三公经费 → 预算数，"
        "或链接预算文件），YAML 中没有（可用 --allow-incomplete 先生成其余各表）"]
    assert [f for f in analyse(_write(tmp_path, FINAL), str(PROFILE)).findings if f.rule == "tables_have_their_data"] == []


def _write(tmp_path, text):
    path = tmp_path / "final.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_budget_figure_nobody_gives_prints_blank_never_a_zero(tmp_path):
    # the linked partial 预算 gives only the 公务接待 (20.00 万元): the table prints it, and leaves the
    # 合计 and the 公务用车 rows it cannot know blank — a zero there would be a figure nobody published
    path = _with_partial_budget(tmp_path)
    out = tmp_path / "out"
    result = run_cli("build", str(path), "--profile", str(PROFILE), "-o", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    rows = {r[0]: r[1:] for r in load_workbook(out / f"{STEM}.xlsx")["表1"].iter_rows(values_only=True) if r[0] in PUBLISHED}
    assert {label: values[0] for label, values in rows.items()} == {
        "合计": None, "1. 因公出国（境）费": None, "2. 公务用车购置及运行维护费": None, "（1）公务用车购置费": None,
        "（2）公务用车运行维护费": None, "3. 公务接待费": 20}
    assert rows["合计"][1] == 46.53


def test_next_years_file_keeps_the_budget_block_blank_with_this_years_figures(tmp_path):
    # the 预算数 belong to the year: init --year keeps the block and its unit, each figure blank
    # with this year's in a comment, so next year's 决算 never prints this year's budget
    source = _write(tmp_path, FINAL)
    result = run_cli("init", "--from", str(source), "--year", "2099", "-o", str(tmp_path / "next.yaml"))
    assert result.returncode == 0, result.stdout + result.stderr
    lines = (tmp_path / "next.yaml").read_text(encoding="utf-8").splitlines()
    assert "    预算数: {金额单位: 万元, 公务用车运行维护: , 公务接待: }  # 上年 公务用车运行维护 0.40、公务接待 0.60" in lines
