"""`init --from LAST --year N`: next year's YAML is last year's file edited — structure, names,
indicators and comments kept, figures blank with last year's value beside them, last year linked,
texts naming last year marked 待更新. Filling the same figures back gives the same tables."""

import re

import pytest
from openpyxl import load_workbook

from conftest import EXAMPLES, example_copy, run_cli

LAST = EXAMPLES / "tongnan-quwei-2023.yaml"


def test_init_leaves_figures_blank_and_links_last_year(tmp_path):
    out = tmp_path / "next" / "tongnan-quwei-2024.yaml"
    result = run_cli("init", "--from", str(LAST), "--year", "2024", "-o", str(out))
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../docs/department.schema.json\n")
    assert "年度: 2024\n" in text and '上年文件: "../' in text
    assert "    基本支出:   # 上年 622.34\n" in text
    assert '  - {科目编码: "30101", 人员经费: }  # 上年 208.93\n' in text
    assert "50015223T000003449069" in text and "外出考察招商项目次数" in text   # projects, indicators
    assert "    项目名称: 2023 目标考核及督查专项  # 待更新：含“2023”\n" in text
    assert "  增减原因: {}  # 与上年（或年初预算）相比有增减的，逐项写明主要原因\n" in text
    check = run_cli("check", str(out))
    assert check.returncode == 1
    errors = [l for l in check.stdout.splitlines() if ": 错误: " in l]
    assert errors and all("尚未填写金额" in l for l in errors)
    line = next(i for i, l in enumerate(text.splitlines(), 1) if "# 上年 622.34" in l)
    assert f"{out}:{line}: 错误: “功能分类支出” → 第 1 项 → “基本支出”：尚未填写金额（没有的写 0）" in errors


def test_init_keeps_every_structural_line(tmp_path):
    source = EXAMPLES / "yubei-zhengfu-2024.yaml"
    out = tmp_path / "yubei-zhengfu-2025.yaml"
    assert run_cli("init", "--from", str(source), "--year", "2025", "-o", str(out)).returncode == 0
    text = out.read_text(encoding="utf-8")
    for section in ("经济分类项目支出:", "政府经济分类基本支出:", "政府经济分类项目支出:", "政府采购:"):
        assert f"\n{section}" in text
    assert '科目名称: "维修(护)费"' in text                      # a name override stays
    # the clerk's checks stay, each blank with last year's figure; the note on them is marked
    assert ("核对数:\n  # 〔2024 年的注释，待更新〕表三 支出预算总表 (表五 prints the same 2024 figures)\n"
            "  - {栏目: 合计, 金额: , 出处: 表三}  # 上年 34003724.85\n"
            "  - {栏目: 基本支出, 金额: , 出处: 表三}  # 上年 17450324.85\n") in text
    assert '  - {科目编码: "201", 栏目: 基本支出, 金额: , 出处: 表三}  # 上年 13060662.41\n' in text
    check = run_cli("check", str(out)).stdout
    line = text[:text.index("{栏目: 合计, 金额: ,")].count("\n") + 1
    assert f"{out}:{line}: 错误: “核对数” → 第 1 项 → “金额”：尚未填写金额（没有的写 0）" in check


def top_level_block(text: str, key: str) -> str:
    """A top-level key's whole block in a YAML text (its line and the indented lines under it)."""
    lines, found = text.split("\n"), []
    for i, line in enumerate(lines):
        if line.startswith(f"{key}:"):
            found.append(line)
            for follow in lines[i + 1:]:
                if follow.startswith((" ", "\t")) or not follow.strip():
                    found.append(follow)
                else:
                    break
    return "\n".join(found).rstrip() + "\n" if found else ""


def fill_back(init_text: str, original: str) -> str:
    """The clerk re-enters last year's figures (from the comments init wrote) and, to compare with
    the original, the year, the links and the blocks init dropped by design are put back."""
    def line(match):
        body, note = match.group(1), match.group(2)
        pairs = re.findall(r"([^\s、]+) ([\d.]+)", note)
        if re.fullmatch(r"[\d.]+", note.strip()):
            return re.sub(r":(\s*)(?=[,}]|$)", rf": {note.strip()}\1", body, count=1)
        for key, value in pairs:
            body = re.sub(rf"({re.escape(key)}):(\s*)(?=[,}}]|$)", rf"\1: {value}\2", body, count=1)
        return body
    text = re.sub(r"^(.*?)\s*# 上年 ([^#；\n]+)(?:；.*)?$", line, init_text, flags=re.M)
    year = re.search(r"^年度: (\d+)$", original, re.M).group(1)
    text = re.sub(r"^年度: \d+.*$", f"年度: {year}", text, flags=re.M)
    for key in ("上年文件", "预算文件", "上年", "核对数", "已公布数"):
        text = text.replace(top_level_block(text, key), "") if top_level_block(text, key) else text
        text += "\n" + top_level_block(original, key)
    return text


@pytest.mark.slow
@pytest.mark.parametrize("stem", sorted(p.stem for p in EXAMPLES.glob("*.yaml")))
def test_filling_the_same_figures_back_builds_the_same_tables(tmp_path, built, stem):
    """Next year's file with this year's figures filled back builds the tables the session built
    from this year's file."""
    source = EXAMPLES / f"{stem}.yaml"
    original = source.read_text(encoding="utf-8")
    out = tmp_path / "next.yaml"
    assert run_cli("init", "--from", str(source), "--year", "2099", "-o", str(out)).returncode == 0
    again = example_copy(tmp_path, f"{stem}.yaml", fill_back(out.read_text(encoding="utf-8"), original))
    result = run_cli("build", "--allow-incomplete", str(again), "-o", str(tmp_path / "b"), "--only", "xlsx")
    assert result.returncode == 0, result.stdout
    a = load_workbook(built / f"{stem}.xlsx")
    b = load_workbook(tmp_path / "b" / f"{stem}.xlsx")
    assert a.sheetnames == b.sheetnames
    for name in a.sheetnames:
        if name == "情况说明":
            continue                          # 增减原因 start empty in next year's file
        assert [list(r) for r in a[name].iter_rows(values_only=True)] == \
               [list(r) for r in b[name].iter_rows(values_only=True)], name


def test_init_refuses_to_overwrite(tmp_path):
    out = example_copy(tmp_path, "existing.yaml", "部门: x\n")
    result = run_cli("init", "--from", str(LAST), "--year", "2024", "-o", str(out))
    assert result.returncode == 1 and "已存在" in result.stderr
    assert out.read_text(encoding="utf-8") == "部门: x\n"
