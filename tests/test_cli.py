"""The CLI end to end: exit codes, messages in file:line form, nothing written on error,
earlier outputs untouched, and YAML text that stays text in the XLSX."""

from pathlib import Path

from openpyxl import load_workbook

from conftest import EXAMPLES, example_copy, run_cli

GOOD = EXAMPLES / "tongnan-quwei-2023.yaml"


def test_broken_yaml_gets_a_chinese_message_with_file_and_line(tmp_path):
    bad = tmp_path / "broken.yaml"
    bad.write_text("部门: 测试\n年度: 2023\n功能分类支出:\n  - 科目编码: \"2013101\"\n   基本支出: 1\n",
                   encoding="utf-8")
    result = run_cli("build", str(bad), "-o", str(tmp_path / "out"))
    assert result.returncode == 1
    assert f"{bad}:5: 错误: YAML 格式错误" in result.stdout
    assert "Traceback" not in result.stdout
    assert not (tmp_path / "out").exists()


def test_failed_rebuild_leaves_earlier_outputs_byte_identical(tmp_path):
    work = example_copy(tmp_path, "dept.yaml", GOOD.read_text(encoding="utf-8"))
    out = tmp_path / "out"
    assert run_cli("build", str(work), "-o", str(out)).returncode == 0
    before = {p.name: p.read_bytes() for p in out.glob("dept.*")}
    assert set(before) == {"dept.xlsx", "dept.pdf"}
    work.write_text(GOOD.read_text(encoding="utf-8").replace("基本支出: 622.34", "基本支出: 六百"),
                    encoding="utf-8")
    result = run_cli("build", str(work), "-o", str(out))
    assert result.returncode == 1
    assert "应为金额数字" in result.stdout and f"{work}:" in result.stdout
    assert {p.name: p.read_bytes() for p in out.glob("dept.*")} == before
    assert "失败" in (out / "汇总.csv").read_text(encoding="utf-8-sig")     # the overview says so


def test_unknown_code_names_the_line(tmp_path):
    text = GOOD.read_text(encoding="utf-8").replace('科目编码: "2013150"', '科目编码: "2019950"', 1)
    bad = example_copy(tmp_path, "unknown.yaml", text)
    line = next(i for i, l in enumerate(text.splitlines(), 1) if "2019950" in l)
    result = run_cli("check", str(bad))
    assert result.returncode == 1
    assert (f"{bad}:{line}: 错误: 支出功能分类科目表中没有款级科目 20199、项级科目 2019950：若编码无误，"
            f"请在本行写上“款名称: …”和“科目名称: …”给出名称，或用 --catalogue 提供本地科目表") in result.stdout


def test_formula_text_stays_text_in_xlsx(tmp_path):
    source = GOOD.read_text(encoding="utf-8").replace("项目名称: 2023 招商引资专项", "项目名称: =1+2", 1)
    dept = example_copy(tmp_path, "formula.yaml", source)
    assert run_cli("build", str(dept), "-o", str(tmp_path), "--only", "xlsx").returncode == 0
    ws = load_workbook(tmp_path / "formula.xlsx")["附件10"]
    cells = [c for row in ws.iter_rows() for c in row if c.value == "=1+2"]
    assert cells and all(c.data_type == "s" for c in cells)


def test_check_json_and_exit_status(tmp_path):
    import json
    result = run_cli("check", "--format", "json", str(GOOD))
    assert result.returncode == 0
    findings = json.loads(result.stdout)
    assert all(f["severity"] == "警告" for f in findings)
    assert {f["rule"] for f in findings} == {"project_weights_sum_to_100"}


def test_outputs_are_reproducible(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    for out in (first, second):
        assert run_cli("build", str(GOOD), "-o", str(out)).returncode == 0
    assert (first / f"{GOOD.stem}.xlsx").read_bytes() == (second / f"{GOOD.stem}.xlsx").read_bytes()
    assert (first / f"{GOOD.stem}.pdf").read_bytes() == (second / f"{GOOD.stem}.pdf").read_bytes()


def test_profiles_command_lists_tables():
    result = run_cli("profiles")
    assert result.returncode == 0
    assert "潼南" in result.stdout and "附件12 " in result.stdout


def test_errors_and_warnings_go_to_one_stream(tmp_path):
    """`check > log.txt` keeps both: a warning (weights ≠ 100) and an error (an unknown code)."""
    text = GOOD.read_text(encoding="utf-8").replace('科目编码: "2013150"', '科目编码: "2019950"', 1)
    bad = example_copy(tmp_path, "both.yaml", text)
    result = run_cli("check", str(bad))
    assert result.returncode == 1 and result.stderr == ""
    assert ": 警告: " in result.stdout and ": 错误: " in result.stdout


def test_profiles_piped_into_head_ends_quietly():
    import subprocess
    import sys
    done = subprocess.run(f"{sys.executable} -m builder profiles | head -1", shell=True, capture_output=True,
                          text=True)
    assert done.stdout.count("\n") == 1 and done.stderr == ""


def test_check_a_folder_checks_its_departments_not_their_linked_years():
    result = run_cli("check", "--allow-incomplete", str(EXAMPLES))
    assert result.returncode == 0, result.stdout
    passed = sorted(Path(line.split(": ")[0]).name for line in result.stdout.splitlines() if line.endswith(": 检查通过"))
    assert passed == sorted(p.name for p in EXAMPLES.glob("*.yaml"))     # previous/ is only linked
