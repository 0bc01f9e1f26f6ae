"""Next year's file is this year's file edited in place (`init --year`): every key the clerk wrote
is still there — the 核对数 too, each figure blank with last year's value beside it — but for the
blocks a kind drops, each with its reason; comments that quote the year's figures are marked and
the notes an earlier init wrote are refreshed, so nothing of last year is published as this year's."""

import re

import pytest

from builder.accounts.next_year import DROPPED as FINAL_DROPPED
from builder.budget.next_year import DROPPED as BUDGET_DROPPED
from builder.core.loader import load_yaml

from conftest import EXAMPLES, ROOT, run_cli
from helpers import MINIMAL, edit, write

DROPPED = set(BUDGET_DROPPED) | set(FINAL_DROPPED)
RESET = {("说明", "增减原因"), ("说明", "较预算原因")}          # this year's reasons start empty


def keys(data, path=()):
    if isinstance(data, dict):
        for key, value in data.items():
            yield path + (key,)
            yield from keys(value, path + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from keys(value, path + (i,))


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
def test_every_key_carries_over(tmp_path, name):
    source = EXAMPLES / name
    old, _ = load_yaml(source)
    out = tmp_path / "next.yaml"
    assert run_cli("init", "--from", str(source), "--year", str(int(old["年度"]) + 1), "-o", str(out)).returncode == 0
    new, _ = load_yaml(out)
    lost = [p for p in keys(old) if p[0] not in DROPPED and p[:2] not in RESET and not _has(new, p)]
    assert lost == []


def _has(data, path):
    for key in path:
        try:
            data = data[key]
        except (KeyError, IndexError, TypeError):
            return False
    return True


# -- every top-level key of either kind's schema, in one file each --------------------------------

def _every_key(kind_name: str, tmp_path):
    """A file of the kind with every top-level key its schema has (a generic fixture, typed in
    万元 so that 舍入前单位 can be 元, and the keys it lacks added)."""
    write(tmp_path, "科目编码,科目名称\n20126,档案事务\n", "本区科目表.csv")
    if kind_name == "预算":
        text = (ROOT / "tests" / "fixtures" / "generic-budget.yaml").read_text(encoding="utf-8")
        text = edit(text, "金额单位: 元\n", "类型: 预算\n方案: 潼南\n金额单位: 万元\n舍入前单位: 元\n")
        text += ("科目表: 本区科目表.csv\n上年文件: last.yaml\n部分数据: false\n"
                 "核对数:\n  - {栏目: 合计, 金额: 3003.25, 出处: 附件2}  # 写明的合计数\n"
                 "  - {科目编码: \"201\", 栏目: 合计, 百分比: 88.9, 方式: 占比, 出处: 情况说明}\n"
                 "已公布数:\n  - {栏目: 支出.合计, 金额: 3003.25}\n")
    else:
        text = (ROOT / "tests" / "fixtures" / "generic-final.yaml").read_text(encoding="utf-8")
        text = edit(text, "金额单位: 元\n", "方案: 潼南决算\n金额单位: 万元\n舍入前单位: 元\n")
        text += ("科目表: 本区科目表.csv\n上年文件: last.yaml\n预算文件: budget.yaml\n部分数据: false\n"
                 "已公布数:\n  - {栏目: 支出.合计, 金额: 1175500.00}\n")
    return write(tmp_path, text, "every-key.yaml")


@pytest.mark.parametrize("kind_name", ["预算", "决算"])
def test_every_top_level_key_is_kept_blank_or_dropped_for_a_reason(tmp_path, kind_name):
    import json

    from builder.schema import schema_for
    top = list(json.loads(schema_for(kind_name))["properties"])
    source = _every_key(kind_name, tmp_path)
    old, _ = load_yaml(source)
    assert set(old) == set(top)               # the file has every key the schema has (a new key: add it here)
    out = tmp_path / "next.yaml"
    result = run_cli("init", "--from", str(source), "--year", "2025", "-o", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    text = out.read_text(encoding="utf-8")
    new, located = load_yaml(out)
    dropped = BUDGET_DROPPED if kind_name == "预算" else FINAL_DROPPED
    figures = _figures(source)
    assert {p[0] for p in figures} >= {"核对数", "已公布数"}
    for key in top:
        if key in dropped:
            assert key not in new and dropped[key], key
        elif key == "年度":
            assert new[key] == "2025"
        elif key == "上年文件":
            assert new[key] == "every-key.yaml"                  # this year's file, beside next year's
        elif key == "预算文件":
            assert new[key] == "" and "# 待更新：2025 年度对应文件的路径" in text
        else:
            lost = [p for p in keys(old[key], (key,)) if p[:2] not in RESET and not _has(new, p)]
            assert lost == [], key
            for path in (p for p in figures if p[0] == key):
                value = new
                for part in path:
                    value = value[part]
                assert value is None, path                             # blank: the clerk types it anew
                line = text.split("\n")[located.lines[path] - 1]
                assert re.search(r"# 上年 .*" + re.escape(_typed(old, path)), line), (path, line)
    # the stated checks stay as they were, blank, with last year's figure and the clerk's own note
    if kind_name == "预算":
        assert "  - {栏目: 合计, 金额: , 出处: 附件2}  # 上年 3003.25； 写明的合计数\n" in text
        assert '  - {科目编码: "201", 栏目: 合计, 百分比: , 方式: 占比, 出处: 情况说明}  # 上年 88.9\n' in text
    check = run_cli("check", str(out)).stdout
    assert "“核对数” → 第 1 项 → “金额”：尚未填写金额（没有的写 0）" in check      # refused until filled


def _typed(data, path):
    for part in path:
        data = data[part]
    return str(data)


def _figures(source):
    """YAML paths of every figure of the year in a file (what init blanks)."""
    from builder.core.rewrite import figure_paths
    from builder.load import load_document
    document = load_document(source, links=False)
    return list(figure_paths(document.model, document.data))


def test_comments_that_quote_the_years_figures_are_marked_and_earlier_notes_refreshed(tmp_path):
    # a file that was itself made by init and filled in: the notes that init wrote are still there
    text = edit(MINIMAL, '  - {科目编码: "2013101", 基本支出: 100.10}',
                '  # 公开文件印 100.10（附件3），这里照录\n  - {科目编码: "2013101", 基本支出: 100.10}  # 上年 90.00')
    text = edit(text, '  - {科目编码: "2080505", 基本支出: 20.05}',
                '  - {科目编码: "2080505", 基本支出: 20.05}  # 上年 19.00；按 2024 年缴费基数')
    text = edit(text, "    项目名称: 专项一\n", "    项目名称: 专项一  # 待更新：含“2023”\n")
    text = edit(text, "三公经费: {公务接待: 3}\n",
                "# 〔2023 年的注释，待更新〕旧注释：公务接待 2.50\n三公经费: {公务接待: 3}  # 只有公务接待\n")
    source = write(tmp_path, text, "dept-2024.yaml")
    out = tmp_path / "dept-2025.yaml"
    assert run_cli("init", "--from", str(source), "--year", "2025", "-o", str(out)).returncode == 0
    lines = out.read_text(encoding="utf-8").split("\n")
    assert "  # 〔2024 年的注释，待更新〕公开文件印 100.10（附件3），这里照录" in lines
    assert '  - {科目编码: "2013101", 基本支出: }  # 上年 100.10' in lines          # not “上年 100.10；上年 90.00”
    assert '  - {科目编码: "2080505", 基本支出: }  # 上年 20.05；〔2024 年的注释，待更新〕按 2024 年缴费基数' in lines
    assert "    项目名称: 专项一" in lines                                          # its year note no longer holds
    assert "# 〔2023 年的注释，待更新〕旧注释：公务接待 2.50" in lines                   # marked once, in its year
    assert "三公经费: {公务接待: }  # 上年 3； 只有公务接待" in lines                   # no figure of the year: as written


def test_a_text_quoting_the_years_figures_is_marked(tmp_path):
    text = MINIMAL + "    项目概况: 年初安排 60 万元，其中市级专项 10 万元\n    立项依据: 区委文件\n"
    source = write(tmp_path, text)
    out = tmp_path / "next.yaml"
    assert run_cli("init", "--from", str(source), "--year", "2025", "-o", str(out)).returncode == 0
    lines = out.read_text(encoding="utf-8").split("\n")
    assert "    项目概况: 年初安排 60 万元，其中市级专项 10 万元  # 待更新：含上年的数字" in lines
    assert "    立项依据: 区委文件" in lines
