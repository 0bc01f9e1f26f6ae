"""`init --from 预算.yaml --kind 决算`: the year's 决算 started from its 预算 — 科目, projects and
indicators carried, every figure blank with the 年初预算 beside it, the 预算 linked. A year spent
exactly as budgeted, typed back from those comments, gives a 决算 that equals its 预算."""

import re

import pytest
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
    # (its 06表 total is 0.01 off its 基本支出), so these are too: the 预算's 舍入前单位 says so
    text = re.sub(r"(?<=: )(?=[,}])|(?<=\S: )$", "0", "\n".join(out), flags=re.M)
    assert "\n舍入前单位: 元\n" in text                       # carried from the 预算
    return text + "\n"


@pytest.mark.slow
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


def _paths(model, prefix=""):
    """The dotted key path of every field of a model, its sections' and its lists' items' fields."""
    import typing

    from pydantic import BaseModel
    for info in model.model_fields.values():
        path = f"{prefix}{info.alias}"
        yield path
        stack = [info.annotation]
        while stack:
            annotation = stack.pop()
            if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                yield from _paths(annotation, path + ".")
            else:
                stack.extend(typing.get_args(annotation))


def test_every_key_of_a_budget_is_carried_or_left_out_for_a_reason():
    from builder.accounts.model import FinalAccounts
    from builder.budget.model import Department
    from builder.convert import CARRIED, LEFT_OUT
    paths = set(_paths(Department))
    decided = set(CARRIED) | set(LEFT_OUT)
    # every field that is not a section is decided by its own entry or by a section's around it
    leaves = {p for p in paths if not any(q.startswith(p + ".") for q in paths)}
    undecided = {p for p in leaves if not any(p == d or p.startswith(d + ".") for d in decided)}
    assert undecided == set(), "keys of the 预算 neither carried nor left out: add them to CARRIED or LEFT_OUT"
    assert decided <= paths                                  # no stale entry
    final = set(_paths(FinalAccounts))
    assert all(t in final or t.rsplit(".", 1)[0] in final for t in CARRIED.values())   # (用途 is keyed by name)


def test_what_a_budget_says_reaches_its_final_accounts(tmp_path):
    # a 预算 holding every key CARRIED names: each lands in the 决算 init writes
    from builder.convert import CARRIED
    from builder.core.loader import load_yaml

    from helpers import MINIMAL, edit, write
    (tmp_path / "codes.csv").write_text("科目编码,科目名称\n2019999,本地科目\n", encoding="utf-8")
    text = edit(MINIMAL, "金额单位: 万元\n", "金额单位: 万元\n舍入前单位: 元\n科目表: codes.csv\n方案: 潼南\n")
    text = edit(text, '  - {科目编码: "2080505", 基本支出: 20.05}\n',
                '  - {科目编码: "2080505", 基本支出: 20.05}\n'
                '  - {科目编码: "2126601", 基本支出: 0, 科目名称: 新项, 款名称: 新款, 类名称: 新类}\n'
                '  - {科目编码: "2019999", 基本支出: 1, 资金来源: 政府性基金}\n')
    text = edit(text, '  - {科目编码: "30201", 公用经费: 20}\n',
                '  - {科目编码: "30201", 公用经费: 20}\n  - {科目编码: "39901", 公用经费: 0, 科目名称: 新经济款, 类名称: 新经济类}\n')
    text = edit(text, "    金额: {一般性项目: 50, 市级专项: 10}\n",
                "    金额: {一般性项目: 50, 市级专项: 10}\n    绩效目标: 完成。\n    绩效指标:\n"
                "      - {三级指标: 次数, 度量单位: 次, 指标性质: \"≥\", 指标值: \"3\", 权重: 100, 是否核心指标: 是}\n")
    text = edit(text, "说明: {职能职责: 负责测试。, 单位构成: 本级。, 联系人: 张三}\n",
                "说明:\n  职能职责: 职能。\n  单位构成: 本级。\n  国有资产: 车辆 2 辆。\n  运行经费用途: 办公。\n"
                "  联系人: 张三\n  联系电话: 023-1234567\n")
    text += (
             "整体绩效目标:\n  目标: 全年。\n  指标:\n"
             "    - {指标名称: 完成率, 计量单位: \"%\", 指标性质: \"≥\", 指标值: \"95\", 指标权重: 100, 是否核心指标: 是}\n")
    budget = write(tmp_path, text, "budget.yaml")
    out = tmp_path / "final" / "final.yaml"
    assert run_cli("init", "--from", str(budget), "--kind", "决算", "-o", str(out)).returncode == 0
    data, _ = load_yaml(out)

    def holds(value, keys):
        if isinstance(value, list):
            return any(holds(item, keys) for item in value)
        return not keys or (isinstance(value, dict) and keys[0] in value and holds(value[keys[0]], keys[1:]))

    missing = sorted({target for target in CARRIED.values() if not holds(data, target.split("."))})
    assert missing == []
    assert data["说明"]["联系方式"] == "张三，023-1234567" and data["科目表"] == "../codes.csv"
    assert data["整体自评"]["联系人"] == "张三"
    # the carried 科目表 resolves the district code in the new file's folder
    errors = [l for l in run_cli("check", str(out)).stdout.splitlines() if ": 错误: " in l]
    assert errors and not [l for l in errors if "科目表" in l or "2019999" in l]
