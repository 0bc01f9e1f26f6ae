"""The CLI end to end: exit codes, messages in file:line form, nothing written on error,
earlier outputs untouched, and YAML text that stays text in the XLSX."""

from pathlib import Path

import pytest
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


@pytest.mark.slow
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
            f"请在本行写上“款名称: …”和“科目名称: …”给出名称，或把本地科目表放进区里的“方案”文件夹"
            f"（也可用 --catalogue 指定）") in result.stdout


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


@pytest.mark.slow
def test_outputs_are_reproducible(tmp_path, built):
    """A second run, of the one file, writes the bytes the session's run over the folder wrote."""
    out = tmp_path / "again"
    assert run_cli("build", str(GOOD), "-o", str(out)).returncode == 0
    assert (out / f"{GOOD.stem}.xlsx").read_bytes() == (built / f"{GOOD.stem}.xlsx").read_bytes()
    assert (out / f"{GOOD.stem}.pdf").read_bytes() == (built / f"{GOOD.stem}.pdf").read_bytes()


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


# -- the command line itself speaks Chinese ------------------------------------------------------

import re  # noqa: E402

import pytest  # noqa: E402

from builder import __version__  # noqa: E402
from builder.cli import commands, main, parser  # noqa: E402

# what argparse says in English, in its help and its errors
ARGPARSE_ENGLISH = ("usage", "positional arguments", "optional arguments", "options", "show this help",
                    "required", "invalid choice", "invalid int", "expected", "argument", "unrecognized",
                    "error:", "ambiguous", "choose from")


def english_left(text: str) -> list[str]:
    words = [w for w in ARGPARSE_ENGLISH if w in text.lower()]
    # argparse's metavars are the option's name in capitals (-o OUTPUT): ours are Chinese
    return words + [w for w in re.findall(r"\b[A-Z]{2,}\b", text) if w not in ("YAML", "XLSX", "PDF", "JSON", "CSV", "CPU")]


def exit_status(capsys, *argv: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as done:
        main(list(argv))
    out, err = capsys.readouterr()
    return done.value.code, out, err


@pytest.mark.parametrize("command", [None, *commands(parser())])
def test_help_is_chinese(command, capsys):
    """The top level and every subcommand, including any added later."""
    status, out, err = exit_status(capsys, *([command] if command else []), "--help")
    assert status == 0 and err == ""
    assert out.startswith("用法：budget-builder") and "选项:" in out and "-h, --help" in out and "显示本帮助并退出" in out
    assert english_left(out) == [], out


def test_every_command_has_a_chinese_help_line(capsys):
    _, out, _ = exit_status(capsys, "--help")
    for name in commands(parser()):
        line = next(l for l in out.splitlines() if l.split()[:1] == [name])
        assert re.search(r"[\u4e00-\u9fff]", line), line


def test_version(capsys):
    status, out, _ = exit_status(capsys, "--version")
    assert status == 0 and out == f"budget-builder {__version__}\n"
    import tomllib
    pyproject = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["version"] == __version__


ALL = "（可用的命令：build、check、diff、init、import、schema、profiles、names、serve、users）"


@pytest.mark.parametrize("argv, message", [
    (["buld", "a.yaml"], "budget-builder: 错误：未知的命令“buld”，是否应为 build？" + ALL),
    (["chek"], "未知的命令“chek”，是否应为 check？"),
    (["xyz"], "budget-builder: 错误：未知的命令“xyz”" + ALL),
    (["dept.yaml"], "未知的命令“dept.yaml”：请在文件前写上命令，例如 budget-builder check dept.yaml"),
    ([], "budget-builder: 错误：缺少命令" + ALL),
    (["check"], "budget-builder check: 错误：缺少必填参数：文件或文件夹"),
    (["init"], "budget-builder init: 错误：缺少必填参数：--from"),
    (["diff", "a.yaml"], "缺少必填参数：新文件"),
    (["check", "--format", "jsn", "a.yaml"], "--format 的值“jsn”无效，是否应为 json？（可选：text、json）"),
    (["build", "--only", "docx", "a.yaml"], "--only 的值“docx”无效（可选：xlsx、pdf、json）"),
    (["build", "-j", "两", "a.yaml"], "budget-builder build: 错误：-j/--jobs 应为整数（写的是“两”）"),
    (["init", "--from", "a.yaml", "--year", "2O25"], "--year 应为整数（写的是“2O25”）"),
    (["build", "a.yaml", "-o"], "-o/--output 后面应跟一个值"),
    (["profiles", ".", "extra"], "budget-builder: 错误：无法识别的参数：extra"),
    (["check", "--nope", "a.yaml"], "无法识别的参数：--nope"),
    (["init", "--f", "a.yaml"], "budget-builder init: 错误：选项 --f 不明确，可能是：--from、--force"),
])
def test_command_line_mistakes_are_chinese(argv, message, capsys):
    status, out, err = exit_status(capsys, *argv)
    assert status == 2 and out == ""
    assert err.startswith("用法：budget-builder") and message in err, err
    assert english_left(err) == [], err


@pytest.mark.parametrize("english, chinese_text", [
    # argparse's messages the commands above do not reach today (our own types and choice check
    # answer first), as argparse 3.11–3.13 words them
    ("argument --format: invalid choice: 'x' (choose from 'text', 'json')", "--format 的值 'x' 无效（可选：'text'、'json'）"),
    ("argument -j/--jobs: invalid int value: 'x'", "-j/--jobs 的值 'x' 无效"),
    ("argument --force: ignored explicit argument '1'", "--force 不接受值（写的是 '1'）"),
    ("argument --x: expected at least one argument", "--x 后面至少应跟一个值"),
    ("argument --x: expected 2 arguments", "--x 后面应跟 2 个值"),
    ("argument --x: not allowed with argument --y", "--x 不能与 --y 同时使用"),
    ("one of the arguments --x --y is required", "以下参数须给出一个：--x --y"),
])
def test_argparse_messages_in_chinese(english, chinese_text):
    from builder.cli import chinese
    assert chinese(english) == chinese_text


# -- a folder without departments -----------------------------------------------------------------

EMPTY = "文件夹中没有 YAML 文件（.yaml 或 .yml）"


@pytest.mark.parametrize("command, last", [("check", "没有找到要检查的部门文件"),
                                           ("build", "没有找到要生成的部门文件，未生成任何文件")])
def test_an_empty_folder_alone_is_a_warning_and_fails(command, last, tmp_path):
    empty, out = tmp_path / "空文件夹", tmp_path / "out"
    empty.mkdir()
    (empty / "说明.txt").write_text("不是 YAML", encoding="utf-8")
    result = run_cli(command, str(empty), *(["-o", str(out)] if command == "build" else []))
    assert result.returncode == 1 and result.stderr == ""
    assert result.stdout == f"{empty}: 警告: {EMPTY}\n{last}\n"
    assert not out.exists()


def test_an_empty_folder_beside_a_department_is_only_a_warning(tmp_path):
    empty = tmp_path / "空文件夹"
    empty.mkdir()
    result = run_cli("check", str(empty), str(GOOD))
    assert result.returncode == 0
    assert result.stdout.startswith(f"{empty}: 警告: {EMPTY}\n") and result.stdout.endswith(f"{GOOD}: 检查通过\n")
    import json
    result = run_cli("check", "--format", "json", str(empty), str(GOOD))
    assert result.returncode == 0
    assert {"file": str(empty), "line": None, "severity": "警告", "message": EMPTY,
            "rule": "empty-folder"} in json.loads(result.stdout)


def test_a_folder_of_partial_years_only_says_so(tmp_path):
    partial = tmp_path / "部分"
    partial.mkdir()
    (partial / "a.yaml").write_text((EXAMPLES / "previous" / "tongnan-quwei-2022.yaml").read_text(encoding="utf-8")
                                    + "部分数据: true\n", encoding="utf-8")
    result = run_cli("check", str(partial))
    assert result.returncode == 1
    assert result.stdout.startswith(f"{partial}: 警告: 文件夹中的 YAML 文件都是其他文件引用的上年文件、预算文件或部分数据")


# -- a YAML saved as GBK (Notepad, WPS on a Chinese Windows) ------------------------------------

GBK_READ = "警告: 文件是 GBK 编码，已按 GBK 读取；请另存为 UTF-8"


def test_a_gbk_file_is_checked_and_built_with_a_warning(tmp_path):
    from helpers import MINIMAL
    dept = tmp_path / "记事本.yaml"
    dept.write_bytes(MINIMAL.encode("gbk"))
    result = run_cli("check", str(dept))
    assert result.returncode == 0 and result.stdout == f"{dept}: {GBK_READ}\n{dept}: 检查通过\n"
    result = run_cli("build", str(dept), "--only", "xlsx", "-o", str(tmp_path / "out"))
    assert result.returncode == 0 and result.stdout.startswith(f"{dept}: {GBK_READ}\n")
    assert load_workbook(tmp_path / "out" / "记事本.xlsx")      # the tables are there


def test_a_gbk_file_with_an_error_keeps_its_line(tmp_path):
    from helpers import MINIMAL
    dept = tmp_path / "记事本.yaml"
    dept.write_bytes(MINIMAL.replace("基本支出: 20.05", "基本支出: 二十").encode("gbk"))
    result = run_cli("check", str(dept))
    assert result.returncode == 1
    assert result.stdout == (f"{dept}: {GBK_READ}\n"
                             f"{dept}:8: 错误: “功能分类支出” → 第 2 项 → “基本支出”应为金额数字（写的是“二十”）\n")


def test_a_gbk_department_links_its_last_year_in_a_folder(tmp_path):
    """A folder is read as the loader reads it: a GBK file's 上年文件 is its last year, not a
    department of its own; the last year's own GBK warning names that file."""
    from helpers import MINIMAL
    root = tmp_path / "区"
    (root / "previous").mkdir(parents=True)
    last = root / "previous" / "b-2023.yaml"
    last.write_bytes(MINIMAL.replace("年度: 2024", "年度: 2023").encode("gbk"))
    dept = root / "b.yaml"
    dept.write_bytes((MINIMAL + "上年文件: previous/b-2023.yaml\n").encode("gbk"))
    result = run_cli("check", str(root))
    assert result.returncode == 0, result.stdout
    assert result.stdout == f"{dept}: {GBK_READ}\n{last}: {GBK_READ}\n{dept}: 检查通过\n"


def test_a_gbk_profile_is_used_with_a_warning(tmp_path):
    from helpers import MINIMAL
    profile = tmp_path / "本区.yaml"
    profile.write_bytes((EXAMPLES.parent / "templates" / "profiles" / "潼南.yaml").read_text(encoding="utf-8")
                        .encode("gb18030"))
    dept = tmp_path / "dept.yaml"
    dept.write_text(MINIMAL, encoding="utf-8")
    result = run_cli("check", "--profile", str(profile), str(dept))
    assert result.returncode == 0 and result.stdout == f"{profile}: {GBK_READ}\n{dept}: 检查通过\n"


def test_diff_and_init_of_a_gbk_file(tmp_path):
    from helpers import MINIMAL
    old = tmp_path / "old.yaml"
    old.write_bytes(MINIMAL.encode("gbk"))
    result = run_cli("diff", "--format", "json", str(old), str(old))
    assert result.returncode == 0 and result.stderr == f"{old}: {GBK_READ}\n{old}: {GBK_READ}\n"
    import json
    json.loads(result.stdout)                   # the report itself stays clean
    result = run_cli("init", "--from", str(old), "--year", "2025")
    assert result.returncode == 0 and result.stdout.startswith(f"{old}: {GBK_READ}\n")
    assert "部门: 测试局" in (tmp_path / "old-2025.yaml").read_text(encoding="utf-8")     # written as UTF-8
