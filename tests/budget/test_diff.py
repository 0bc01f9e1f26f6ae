"""`diff`: a semantic comparison — keyed rows, renames, projects matched by code then name,
exit 0 unchanged / 1 changed / 2 error, and reports a reviewer can open."""

import json

from openpyxl import load_workbook

from conftest import EXAMPLES, example_copy, run_cli
from helpers import MINIMAL, write

OLD = EXAMPLES / "previous" / "tongnan-quwei-2022.yaml"
NEW = EXAMPLES / "tongnan-quwei-2023.yaml"


def test_tongnan_quwei_2022_to_2023():
    result = run_cli("diff", str(OLD), str(NEW))
    assert result.returncode == 1
    out = result.stdout
    assert "2013101 行政运行［合计］：631.15 → 622.34（-8.81，-1.4%）" in out
    assert "2013199 其他党委办公厅（室）及相关机构事务支出［合计］：删除（原 48.00）" in out
    assert "2101103 公务员医疗补助［合计］：新增 4.32" in out
    assert "“三公”经费：57.00 → 53.00（-4.00，-7.0%）" in out
    assert "公务用车运行维护：40.00 → 36.00（-4.00，-10.0%）" in out
    assert "支出合计：3,033.78 → 1,708.68（-1,325.10，-43.7%）" in out
    assert "\033[" not in out                      # no colour when not on a terminal


def test_same_file_is_unchanged():
    result = run_cli("diff", str(NEW), str(NEW))
    assert result.returncode == 0 and "没有变化" in result.stdout


def test_reordered_lists_and_moved_keys_are_not_changes(tmp_path):
    text = MINIMAL
    reordered = text.replace('''  - {科目编码: "2013101", 基本支出: 100.10}
  - {科目编码: "2080505", 基本支出: 20.05}''', '''  - {基本支出: 20.05, 科目编码: "2080505"}
  - {科目编码: "2013101", 基本支出: 100.10}''')
    moved = "三公经费: {公务接待: 3}\n" + reordered.replace("三公经费: {公务接待: 3}\n", "")
    a, b = write(tmp_path, text, "a.yaml"), write(tmp_path, moved, "b.yaml")
    assert run_cli("diff", str(a), str(b)).returncode == 0


def test_projects_matched_by_code_then_name_and_renames(tmp_path):
    a = write(tmp_path, MINIMAL + '  - 项目编码: "P002"\n    项目名称: 专项二\n    科目编码: "2013102"\n'
                                  '    金额: {一般性项目: 5}\n', "a.yaml")
    b = write(tmp_path, MINIMAL.replace("项目名称: 专项一", "项目名称: 专项一（改）")
              + '  - 项目编码: "P009"\n    项目名称: 专项二\n    科目编码: "2013102"\n'
                '    金额: {一般性项目: 7}\n', "b.yaml")
    data = json.loads(run_cli("diff", "--format", "json", str(a), str(b)).stdout)
    changes = {(c["类别"], c["编码"], c["变化"], c["栏目"]): c for c in data["变化"]}
    assert changes[("项目", "P001", "更名", "")]["新值"] == "专项一（改）"
    moved = changes[("项目", "P009", "变更", "金额")]            # matched by name: 专项二
    assert (moved["原值"], moved["新值"], moved["增减"]) == ("5", "7", "2")
    assert not any(c["变化"] in ("新增", "删除") for c in data["变化"] if c["类别"] == "项目")


def test_json_markdown_and_xlsx_reports(tmp_path):
    data = json.loads(run_cli("diff", "--format", "json", str(OLD), str(NEW)).stdout)
    row = next(c for c in data["变化"] if c["编码"] == "2013101")
    assert (row["原值"], row["新值"], row["增减"], row["增减%"]) == ("631.15", "622.34", "-8.81", "-1.4")
    md = run_cli("diff", "--format", "md", str(OLD), str(NEW)).stdout
    assert "| 2013101 | 行政运行 | 合计 | 变更 | 631.15 | 622.34 | -8.81 | -1.4% |" in md
    out = tmp_path / "diff.xlsx"
    assert run_cli("diff", "--format", "xlsx", "-o", str(out), str(OLD), str(NEW)).returncode == 1
    ws = load_workbook(out)["差异"]
    assert any(r[1] == "2013101" and r[5] == 631.15 and r[6] == 622.34 for r in ws.iter_rows(values_only=True))


def test_broken_file_exits_2(tmp_path):
    bad = write(tmp_path, "部门: [\n", "bad.yaml")
    result = run_cli("diff", str(bad), str(NEW))
    assert result.returncode == 2 and f"{bad}:" in result.stdout


def in_yuan(text: str) -> str:
    """The same department typed in 元: every amount × 10000 (no rounding: 4 decimals at most)."""
    import re
    from decimal import Decimal
    amount = re.compile(r"((?:基本支出|人员经费|公用经费|机关运行经费|公务接待|一般性项目|市级专项|金额)): ([\d.]+)")
    text = amount.sub(lambda m: f"{m.group(1)}: {format(Decimal(m.group(2)) * 10000, 'f')}", text)
    return text.replace("金额单位: 万元", "金额单位: 元")


def test_the_same_data_in_another_unit_is_no_change(tmp_path):
    a = write(tmp_path, MINIMAL, "wan.yaml")
    b = write(tmp_path, in_yuan(MINIMAL), "yuan.yaml")
    assert "基本支出: 1001000" in b.read_text(encoding="utf-8")
    result = run_cli("diff", str(a), str(b))
    assert result.returncode == 0, result.stdout
    assert "没有变化" in result.stdout and "（金额单位：元）" in result.stdout


def test_a_change_across_units_is_shown_in_the_new_files_unit(tmp_path):
    a = write(tmp_path, MINIMAL, "wan.yaml")
    b = write(tmp_path, in_yuan(MINIMAL).replace("基本支出: 1001000", "基本支出: 1001500"), "yuan.yaml")
    out = run_cli("diff", str(a), str(b)).stdout
    assert "2013101 行政运行［合计］：1,001,000.00 → 1,001,500.00（+500.00，0.0%）" in out


def test_texts_weights_and_indicator_values_are_compared_as_what_they_are(tmp_path):
    indicator = "    绩效指标:\n      - {三级指标: 次数, 指标值: \"10\", 权重: 20}\n    终止时间: 2024年\n"
    a = write(tmp_path, MINIMAL + indicator, "a.yaml")
    b = write(tmp_path, MINIMAL + indicator.replace('"10"', '"12"').replace("权重: 20", "权重: 25")
              .replace("2024年", "长期"), "b.yaml")
    out = run_cli("diff", str(a), str(b)).stdout
    assert "~   P001 专项一［终止时间］：“2024年” → “长期”" in out
    assert "~   P001 次数［权重］：20 → 25（+5）" in out
    assert "~   P001 次数［指标值］：“10” → “12”" in out
    md = run_cli("diff", "--format", "md", str(a), str(b)).stdout
    assert "| P001 | 次数 | 权重 | 变更 | 20 | 25 | +5 |  |" in md


def test_markdown_keeps_the_decimals_of_the_text_form(tmp_path):
    md = run_cli("diff", "--format", "md", str(OLD), str(NEW)).stdout
    text = run_cli("diff", str(OLD), str(NEW)).stdout
    assert "~   支出合计：3,033.78 → 1,708.68（-1,325.10，-43.7%）" in text
    assert "| 支出合计 | 支出合计 |  | 变更 | 3,033.78 | 1,708.68 | -1,325.10 | -43.7% |" in md
    assert "（-4.00，-7.0%）" in text and "| -4.00 | -7.0% |" in md


def test_xlsx_without_output_is_named_after_both_files_prints_and_is_reproducible(tmp_path):
    new = example_copy(tmp_path, NEW.name, NEW.read_text(encoding="utf-8"))   # with its previous/ files
    old = example_copy(tmp_path, OLD.name, OLD.read_text(encoding="utf-8"))
    result = run_cli("diff", "--format", "xlsx", str(old), str(new), cwd=tmp_path)
    target = tmp_path / "tongnan-quwei-2022-tongnan-quwei-2023.xlsx"
    assert result.returncode == 1 and target.is_file(), result.stdout + result.stderr
    first = target.read_bytes()
    run_cli("diff", "--format", "xlsx", str(old), str(new), cwd=tmp_path)
    assert target.read_bytes() == first
    ws = load_workbook(target)["差异"]
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.print_title_rows == "$2:$2"


def test_money_in_the_report_is_rounded_as_the_tables_round_it(tmp_path):
    # reported in the new file's 万元: 101.325 shows 101.33 and the change +1.23 (half up, as the
    # tables print them), not 101.32 and +1.22 (half to even)
    a = write(tmp_path, in_yuan(MINIMAL), "yuan.yaml")
    b = write(tmp_path, MINIMAL.replace("基本支出: 100.10", "基本支出: 101.325"), "wan.yaml")
    out = run_cli("diff", str(a), str(b)).stdout
    assert "（金额单位：万元）" in out
    assert "2013101 行政运行［合计］：100.10 → 101.33（+1.23，" in out, out


def test_a_running_cost_one_file_does_not_give_is_not_compared_but_noted(tmp_path):
    # the old file's 机关运行经费 would be its 公用经费 (20): comparing it with the typed 12.5
    # would report a fall the documents do not show
    a = write(tmp_path, MINIMAL.replace("机关运行经费: 20\n", ""), "a.yaml")
    b = write(tmp_path, MINIMAL.replace("机关运行经费: 20", "机关运行经费: 12.5"), "b.yaml")
    result = run_cli("diff", str(a), str(b))
    assert result.returncode == 0, result.stdout
    assert "没有变化" in result.stdout and "注：旧文件没有写“机关运行经费”，未比较机关运行经费" in result.stdout
    c = write(tmp_path, MINIMAL.replace("机关运行经费: 20", "机关运行经费: 22.5"), "c.yaml")
    assert "机关运行经费：12.50 → 22.50（+10.00，+80.0%）" in run_cli("diff", str(b), str(c)).stdout


# -- every figure a line holds (issue 22): parts of a line's figure, on the line of its 科目 -------

SPLIT_OLD = MINIMAL.replace('  - {科目编码: "2080505", 基本支出: 20.05}',
                            '  - {科目编码: "2080505", 基本支出: 20.05}\n  - {科目编码: "2120101", 基本支出: 15}') + \
    '  - 项目编码: "P002"\n    项目名称: 城管专项\n    科目编码: "2120101"\n    金额: {一般性项目: 25}\n'


def test_a_split_moving_from_project_to_basic_with_the_same_total_shows_both_parts(tmp_path):
    a = write(tmp_path, SPLIT_OLD, "a.yaml")
    b = write(tmp_path, SPLIT_OLD.replace('基本支出: 15}', '基本支出: 25}').replace("{一般性项目: 25}", "{一般性项目: 15}"),
              "b.yaml")
    result = run_cli("diff", str(a), str(b))
    assert result.returncode == 1
    out = result.stdout
    assert ("~   2120101 行政运行［合计不变］：基本支出 15.00 → 25.00（+10.00，+66.7%）；"
            "项目支出 25.00 → 15.00（-10.00，-40.0%）\n") in out
    assert "~   P002 城管专项［金额］：25.00 → 15.00（-10.00，-40.0%）\n" in out     # its one column: no part named
    data = json.loads(run_cli("diff", "--format", "json", str(a), str(b)).stdout)
    parts = [(c["栏目"], c["所属栏目"], c["原值"], c["新值"], c["增减"]) for c in data["变化"] if c["编码"] == "2120101"]
    assert parts == [("基本支出", "合计", "15", "25", "10"), ("项目支出", "合计", "25", "15", "-10")]
    md = run_cli("diff", "--format", "md", str(a), str(b)).stdout
    assert ("| 2120101 | 行政运行 | 合计不变 | 变更 |  |  |  |  | 基本支出 15.00 → 25.00（+10.00，+66.7%）；"
            "项目支出 25.00 → 15.00（-10.00，-40.0%） |") in md
    out_xlsx = tmp_path / "diff.xlsx"
    run_cli("diff", "--format", "xlsx", "-o", str(out_xlsx), str(a), str(b))
    rows = [r for r in load_workbook(out_xlsx)["差异"].iter_rows(values_only=True) if r[1] == "2120101"]
    assert [(r[3], r[5], r[6], r[7]) for r in rows] == [("其中：基本支出", 15, 25, 10), ("其中：项目支出", 25, 15, -10)]


def test_a_changed_total_names_its_changed_parts_and_funds(tmp_path):
    # 2013101 grows by 10 of 事业收入 and moves 5 to 项目支出: 合计, the kinds and the 收入 columns on one line
    old = SPLIT_OLD
    new = old.replace('  - {科目编码: "2013101", 基本支出: 100.10}',
                      '  - {科目编码: "2013101", 基本支出: 95.10}\n  - {科目编码: "2013101", 基本支出: 10, 资金来源: 事业收入}')
    new = new.replace('    科目编码: "2120101"\n    金额: {一般性项目: 25}',
                      '    科目编码: "2120101"\n    金额: {一般性项目: 25}\n'
                      '  - 项目编码: "P003"\n    项目名称: 运行专项\n    科目编码: "2013101"\n    金额: {一般性项目: 5}')
    a, b = write(tmp_path, old, "a.yaml"), write(tmp_path, new, "b.yaml")
    out = run_cli("diff", str(a), str(b)).stdout
    line = next(line for line in out.splitlines() if "2013101" in line)
    assert line == ("~   2013101 行政运行［合计］：100.10 → 110.10（+10.00，+10.0%）；基本支出 100.10 → 105.10（+5.00，+5.0%）；"
                    "项目支出 0.00 → 5.00（+5.00）；事业收入 0.00 → 10.00（+10.00）")


def test_personnel_and_public_costs_of_an_economic_line(tmp_path):
    old = MINIMAL.replace('  - {科目编码: "30101", 人员经费: 100.15}\n  - {科目编码: "30201", 公用经费: 20}',
                          '  - {科目编码: "30101", 人员经费: 95.15}\n  - {科目编码: "30207", 人员经费: 5, 公用经费: 20}')
    new = old.replace("人员经费: 95.15", "人员经费: 92.15").replace("人员经费: 5, 公用经费: 20", "人员经费: 8, 公用经费: 20")
    a, b = write(tmp_path, old, "a.yaml"), write(tmp_path, new, "b.yaml")
    out = run_cli("diff", str(a), str(b)).stdout
    assert "~   30101 基本工资［基本支出］：95.15 → 92.15（-3.00，-3.2%）\n" in out           # all 人员经费: no part
    assert "~   30207 邮电费［基本支出］：25.00 → 28.00（+3.00，+12.0%）；人员经费 5.00 → 8.00（+3.00，+60.0%）\n" in out


def test_a_projects_split_between_columns(tmp_path):
    a = write(tmp_path, MINIMAL, "a.yaml")
    b = write(tmp_path, MINIMAL.replace("{一般性项目: 50, 市级专项: 10}", "{一般性项目: 40, 市级专项: 20}"), "b.yaml")
    out = run_cli("diff", str(a), str(b)).stdout
    assert ("~   P001 专项一［金额不变］：一般性项目 50.00 → 40.00（-10.00，-20.0%）；"
            "市级专项 10.00 → 20.00（+10.00，+100.0%）\n") in out
    assert "2013102" not in out                                   # the line's 项目支出 is the same
