"""`init --from 预算.yaml --kind 决算`: the year's 决算 started from its 预算 — 科目, projects and
indicators carried, every figure blank with the 年初预算 beside it, the 预算 linked. A year spent
exactly as budgeted, typed back from those comments, gives a 决算 that equals its 预算."""

import re

from openpyxl import load_workbook

from conftest import EXAMPLES, run_cli

BUDGET = EXAMPLES / "tongnan-zhengfu-2022.yaml"


def start(tmp_path):
    out = tmp_path / "final" / "tongnan-zhengfu-2022-juesuan.yaml"
    result = run_cli("init", "--from", str(BUDGET), "--kind", "决算", "-o", str(out))
    assert result.returncode == 0, result.stderr
    return out, out.read_text(encoding="utf-8")


def test_structure_carried_and_figures_blank(tmp_path):
    out, text = start(tmp_path)
    assert text.startswith("# yaml-language-server: $schema=../docs/final-accounts.schema.json\n")
    assert "类型: 决算\n" in text and "年度: 2022\n" in text and "方案: 潼南决算\n" in text
    assert '预算文件: "../' in text and text.count("tongnan-zhengfu-2022.yaml") >= 1
    assert '  - 科目编码: "2010301"  # 年初预算 669.54\n    本年收入: {基本支出: }\n    本年支出: {基本支出: }\n' in text
    assert '  - {科目编码: "30207", 人员经费: , 公用经费: }  # 年初预算 人员经费 7.10、公用经费 15\n' in text
    assert '    项目编码: "50015222T000000131919"\n    科目编码: "2010302"\n' in text
    assert '      - {指标名称: "市外学习次数", 计量单位: "次", 指标性质: "≥", 指标值: "40", 全年完成值: "", 指标权重: 20}' in text
    check = run_cli("check", str(out))
    assert check.returncode == 1
    errors = [l for l in check.stdout.splitlines() if ": 错误: " in l]
    assert errors and all(re.search("尚未填写(金额|数量)（没有的写 0）$", l) for l in errors)
    line = text.splitlines().index("    本年收入: {基本支出: }") + 1
    assert f"{out}:{line}: 错误: “财政拨款” → 第 1 项 → “本年收入” → “基本支出”：尚未填写金额（没有的写 0）" in errors


def spent_as_budgeted(text: str) -> str:
    """Type every figure as the 年初预算 the comments give."""
    budgeted = lambda note: dict(re.findall(r"([^\s、]+) ([\d.]+)", note)) or note.strip()
    def fill(line: str, values) -> str:
        if isinstance(values, dict):
            for key, value in values.items():
                line = re.sub(rf"({key}): (?=[,}}])", rf"\1: {value}", line)
            return line
        return re.sub(r": (?=[,}])", f": {values}", line)
    out, current = [], None
    for line in text.splitlines():
        if m := re.match(r'^  - 科目编码: "\d+"  # 年初预算 (.*)$', line):
            current = budgeted(m.group(1))
        elif m := re.match(r'^(  - \{科目编码: "\d+".*\})  # 年初预算 (.*)$', line):
            line = fill(m.group(1), budgeted(m.group(2)))
        elif line.startswith(("    本年收入: {", "    本年支出: {")) and current is not None:
            line = fill(line, current)
        elif m := re.match(r"^    全年预算数: .*年初预算 ([\d.]+)$", line):
            current = m.group(1)
            line = f"    全年预算数: {current}"
        elif line == "    全年执行数: ":
            line += current
        elif line.startswith("  全年预算数:"):
            continue                                   # the department's: left to the 预算
        elif m := re.match(r"^(  三公经费: .*\})  # 年初预算 (.*)$", line):
            line = fill(m.group(1), {k.replace("公务接待", "国内接待"): v for k, v in budgeted(m.group(2)).items()})
        out.append(line)
    # what the 预算 does not say (counts, 会议费 …) is 0; the 预算's figures are published rounded
    # (its 06表 total is 0.01 off its 基本支出), so these are too
    text = re.sub(r"(?<=: )(?=[,}])|(?<=\S: )$", "0", "\n".join(out), flags=re.M)
    return text.replace("\n金额单位: 万元", "\n舍入前单位: 元\n金额单位: 万元") + "\n"


def test_a_year_spent_as_budgeted_equals_its_budget(tmp_path):
    out, text = start(tmp_path)
    out.write_text(spent_as_budgeted(text), encoding="utf-8")
    built = run_cli("build", str(out), "-o", str(tmp_path / "built"), "--only", "xlsx")
    assert built.returncode == 0, built.stdout
    wb = load_workbook(tmp_path / "built" / f"{out.stem}.xlsx")
    total = next(r for r in wb["05表"].iter_rows(values_only=True) if r[3] == "合计")
    # the 2022 预算: 支出合计 3218.12 万元, 基本支出 1234.69, 项目支出 1983.43 — now in 元
    assert total[7:13] == (32181200, 12346900, 19834300, 32181200, 12346900, 19834300)
    diff = run_cli("diff", str(BUDGET), str(out))
    assert diff.returncode == 0, diff.stdout                 # nothing differs from the budget


def test_a_budget_line_and_its_carry_over_make_one_final_line(tmp_path):
    # the 预算 gives 2013101 this year's money and last year's carry-over on two lines of one
    # fund; the 决算 has one line for it (two would be a duplicate 科目 once filled in)
    from helpers import MINIMAL, write
    budget = write(tmp_path, MINIMAL.replace(
        '  - {科目编码: "2013101", 基本支出: 100.10}\n',
        '  - {科目编码: "2013101", 基本支出: 100.10}\n  - {科目编码: "2013101", 资金来源: 一般公共预算结转, 基本支出: 5}\n')
        .replace("人员经费: 100.15", "人员经费: 105.15"), "budget.yaml")
    assert run_cli("check", str(budget)).returncode == 0
    out = tmp_path / "final.yaml"
    assert run_cli("init", "--from", str(budget), "--kind", "决算", "-o", str(out)).returncode == 0
    text = out.read_text(encoding="utf-8")
    assert text.count('科目编码: "2013101"') == 1
    assert ('  - 科目编码: "2013101"  # 年初预算 105.10\n    年初结转和结余: {基本支出结转: , 项目支出结转: }\n'
            '    本年收入: {基本支出: }\n') in text
    errors = [l for l in run_cli("check", str(out)).stdout.splitlines() if ": 错误: " in l]
    assert errors and all(re.search("尚未填写(金额|数量)（没有的写 0）$", l) for l in errors)


def test_one_execution_left_blank_fails_at_its_line(tmp_path):
    # the year filled in from init's comments, but for one project's 全年执行数 left as init wrote
    # it: that project's spending is not a zero — check refuses the file at that line
    out, text = start(tmp_path)
    filled = spent_as_budgeted(text).splitlines()
    line = next(i for i, l in enumerate(filled) if l.startswith("    全年执行数: "))
    filled[line] = "    全年执行数: "
    out.write_text("\n".join(filled) + "\n", encoding="utf-8")
    check = run_cli("check", str(out))
    assert check.returncode == 1
    errors = [l for l in check.stdout.splitlines() if ": 错误: " in l]
    assert errors == [f"{out}:{line + 1}: 错误: “项目自评” → 第 1 项 → “全年执行数”：尚未填写金额（没有的写 0）"]


def test_results_left_blank_are_warnings(tmp_path):
    out, text = start(tmp_path)
    out.write_text(spent_as_budgeted(text), encoding="utf-8")
    lines = run_cli("check", str(out)).stdout.splitlines()
    assert not [l for l in lines if ": 错误: " in l]
    results = [l for l in lines if "review_results_written" in l or "尚未填写" in l]
    assert any(re.search(r":\d+: 警告: “.+”的完成情况尚未填写$", l) for l in results)
    assert any(re.search(r":\d+: 警告: “.+”指标“市外学习次数”的全年完成值尚未填写$", l) for l in results)
