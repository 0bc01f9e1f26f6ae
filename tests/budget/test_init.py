"""`init --from LAST --year N`: next year's YAML keeps the structure, links last year, and
leaves every figure blank until re-entered."""

import re

from conftest import EXAMPLES, example_copy, run_cli

LAST = EXAMPLES / "tongnan-quwei-2023.yaml"


def test_init_leaves_figures_blank_and_links_last_year(tmp_path):
    out = tmp_path / "next" / "tongnan-quwei-2024.yaml"
    result = run_cli("init", "--from", str(LAST), "--year", "2024", "-o", str(out))
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert "年度: 2024" in text and '上年文件: "../' in text
    assert '  - {科目编码: "2013101", 基本支出: }  # 上年 622.34' in text
    assert "50015223T000003449069" in text and "外出考察招商项目次数" in text   # projects, indicators
    check = run_cli("check", str(out))
    assert check.returncode == 1
    errors = [l for l in check.stdout.splitlines() if ": 错误: " in l]
    assert errors and all("尚未填写金额" in l for l in errors)
    line = next(i for i, l in enumerate(text.splitlines(), 1) if '"2013101", 基本支出: }' in l)
    assert f"{out}:{line}: 错误: “功能分类支出” → 第 1 项 → “基本支出”：尚未填写金额" in errors


def test_re_entered_figures_build_and_diff_cleanly(tmp_path):
    out = tmp_path / "tongnan-quwei-2024.yaml"
    assert run_cli("init", "--from", str(LAST), "--year", "2024", "-o", str(out)).returncode == 0
    text = out.read_text(encoding="utf-8")
    # the clerk re-enters the same figures as last year
    text = re.sub(r"(\w+): \}  # 上年 ([\d.]+)", r"\1: \2}", text)
    text = re.sub(r"\{(\w+): \}", r"{\1: 0}", text)
    text = re.sub(r"^(  [^:\n]+):\s*# 上年 ([\d.]+)$", r"\1: \2", text, flags=re.M)
    text = re.sub(r"^(  (?:因公出国|公务用车购置|公务用车运行维护|公务接待)):$", r"\1: 0", text, flags=re.M)
    out.write_text(text, encoding="utf-8")
    built = run_cli("build", str(out), "-o", str(tmp_path / "output"))
    assert built.returncode == 0, built.stderr
    assert run_cli("diff", str(LAST), str(out)).returncode == 0


def test_init_refuses_to_overwrite(tmp_path):
    out = example_copy(tmp_path, "existing.yaml", "部门: x\n")
    result = run_cli("init", "--from", str(LAST), "--year", "2024", "-o", str(out))
    assert result.returncode == 1 and "已存在" in result.stderr
    assert out.read_text(encoding="utf-8") == "部门: x\n"
