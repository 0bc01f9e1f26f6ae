"""Files the command line cannot open — missing, a folder, not readable, not writable — are
named in Chinese at every place a path is opened (the YAML, its 上年文件 and 科目表, --catalogue,
--profile, an output), with exit status 1 (diff: 2) and never the system's English words."""

import errno
import os
import shutil
from pathlib import Path

import pytest

from builder.cli import main
from builder.core.files import os_problem

from conftest import EXAMPLES
from helpers import MINIMAL

ENGLISH = ("No such file", "Is a directory", "Permission denied", "Not a directory", "File exists", "Errno",
           "Traceback", "内部错误")


def run(capsys, *argv) -> tuple[int, str]:
    status = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    text = out + err
    assert not [w for w in ENGLISH if w in text], text
    return status, text


def dept(tmp_path, extra: str = "", name: str = "dept.yaml") -> Path:
    path = tmp_path / name
    path.write_text(MINIMAL + extra, encoding="utf-8")
    return path


@pytest.mark.parametrize("command, status", [
    (lambda f, tmp: ["check", f], 1),
    (lambda f, tmp: ["build", f, "-o", tmp / "out"], 1),
    (lambda f, tmp: ["diff", f, EXAMPLES / "tongnan-quwei-2023.yaml"], 2),     # diff: 1 means "changed"
    (lambda f, tmp: ["diff", EXAMPLES / "tongnan-quwei-2023.yaml", f], 2),
    (lambda f, tmp: ["init", "--from", f, "--year", "2025"], 1),
], ids=["check", "build", "diff-old", "diff-new", "init"])
def test_a_missing_file_is_not_found(command, status, tmp_path, capsys):
    missing = tmp_path / "没有这个文件.yaml"
    done, text = run(capsys, *command(missing, tmp_path))
    assert done == status and text.startswith(f"{missing}: 错误: 找不到文件：{missing}\n")


@pytest.mark.parametrize("command", [
    lambda f: ["diff", f, EXAMPLES / "tongnan-quwei-2023.yaml"],
    lambda f: ["init", "--from", f, "--year", "2025"],
], ids=["diff", "init"])
def test_a_folder_given_as_a_file(command, tmp_path, capsys):
    folder = tmp_path / "文件夹.yaml"
    folder.mkdir()
    status, text = run(capsys, *command(folder))
    assert status in (1, 2) and f"{folder}: 错误: {folder} 是文件夹，应为文件" in text


@pytest.mark.parametrize("key, make, message", [
    ("上年文件", None, "找不到上年文件：previous/dept-2023.yaml"),
    ("上年文件", "folder", "上年文件“previous/dept-2023.yaml”是文件夹，应为文件"),
    ("科目表", None, "找不到科目表：previous/dept-2023.yaml"),
    ("科目表", "folder", "科目表“previous/dept-2023.yaml”是文件夹，应为文件"),
])
def test_a_linked_file_missing_or_a_folder(key, make, message, tmp_path, capsys):
    if make:
        (tmp_path / "previous" / "dept-2023.yaml").mkdir(parents=True)
    path = dept(tmp_path, f"{key}: previous/dept-2023.yaml\n")
    line = len(MINIMAL.splitlines()) + 1
    status, text = run(capsys, "check", path)
    assert status == 1 and f"{path}:{line}: 错误: {message}" in text


def test_catalogue_option_missing_or_a_folder(tmp_path, capsys):
    path = dept(tmp_path)
    status, text = run(capsys, "check", "--catalogue", tmp_path / "本区.csv", path)
    assert status == 1 and f"{tmp_path / '本区.csv'}: 错误: 找不到科目表：{tmp_path / '本区.csv'}" in text
    status, text = run(capsys, "check", "--catalogue", tmp_path, path)
    assert status == 1 and f"{tmp_path}: 错误: {tmp_path} 是文件夹，应为科目表" in text


def test_profile_option_missing_or_a_folder(tmp_path, capsys):
    path = dept(tmp_path)
    status, text = run(capsys, "check", "--profile", tmp_path / "本区.yaml", path)
    assert status == 1 and f"{tmp_path / '本区.yaml'}: 错误: 找不到方案文件：{tmp_path / '本区.yaml'}" in text
    (tmp_path / "目录.yaml").mkdir()
    status, text = run(capsys, "check", "--profile", tmp_path / "目录.yaml", path)
    assert status == 1 and f"{tmp_path / '目录.yaml'} 是文件夹，应为方案文件" in text


def test_a_department_file_given_as_profile_is_named_not_a_crash(tmp_path, capsys):
    path = dept(tmp_path)
    status, text = run(capsys, "check", "--profile", path, path)
    assert status == 1 and "缺少必填项“tables”" in text and "未知的键“部门”" in text


@pytest.fixture
def unreadable(monkeypatch):
    """unreadable(path): from now on that file (only) refuses to be read, as a file without read
    permission does (the tests may run as root, who reads everything)."""
    refused: set[Path] = set()
    real = Path.read_bytes

    def read_bytes(self):
        if self.resolve() in refused:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real(self)
    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    return lambda path: (refused.clear(), refused.add(Path(path).resolve()))


def test_permission_denied_wherever_a_file_is_read(tmp_path, capsys, unreadable):
    shutil.copytree(EXAMPLES / "previous", tmp_path / "previous")
    last = tmp_path / "previous" / "dept-2023.yaml"
    last.write_text(MINIMAL.replace("年度: 2024", "年度: 2023"), encoding="utf-8")
    path = dept(tmp_path, "上年文件: previous/dept-2023.yaml\n")
    catalogue = tmp_path / "本区.csv"
    catalogue.write_text("科目编码,科目名称\n2013101,行政运行\n", encoding="utf-8")
    profile = tmp_path / "本区.yaml"
    shutil.copy(EXAMPLES.parent / "templates" / "profiles" / "潼南.yaml", profile)
    assert run(capsys, "check", "--catalogue", catalogue, "--profile", profile, path)[0] == 0

    for refused, message in [(path, f"{path}: 错误: 没有权限读取文件：{path}"),
                             (last, f"{last}: 错误: 没有权限读取文件：{last}"),
                             (catalogue, f"{catalogue}: 错误: 没有权限读取科目表：{catalogue}"),
                             (profile, f"{profile}: 错误: 没有权限读取方案文件：{profile}")]:
        unreadable(refused)
        os.utime(refused, ns=(1, 1))         # a profile is read again when it has changed, not every time
        for command in ("check", "build"):
            status, text = run(capsys, command, "--catalogue", catalogue, "--profile", profile, path,
                               *(["-o", tmp_path / "out", "-j", "1"] if command == "build" else []))
            assert status == 1 and message in text, text


@pytest.mark.parametrize("command, status", [
    (lambda out: ["build", EXAMPLES / "tongnan-quwei-2023.yaml", "--only", "xlsx", "-o", out], 1),
    (lambda out: ["schema", "-o", out / "x.json"], 1),
    (lambda out: ["diff", EXAMPLES / "previous" / "tongnan-quwei-2022.yaml", EXAMPLES / "tongnan-quwei-2023.yaml",
                  "--format", "md", "-o", out / "x.md"], 2),
    (lambda out: ["init", "--from", EXAMPLES / "tongnan-quwei-2023.yaml", "--year", "2024", "-o", out / "x.yaml"], 1),
], ids=["build", "schema", "diff", "init"])
def test_an_output_folder_that_is_a_file(command, status, tmp_path, capsys):
    out = tmp_path / "输出"
    out.write_text("一个文件", encoding="utf-8")
    done, text = run(capsys, *command(out))
    assert done == status and f"{out}: 错误: {out} 已存在且不是文件夹" in text
    assert out.read_text(encoding="utf-8") == "一个文件"


def test_an_output_that_cannot_be_written(tmp_path, capsys, monkeypatch):
    import builder.core.files as files

    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(tmp_path / ".x.json.123.tmp"))
    monkeypatch.setattr(files.tempfile, "mkstemp", refuse)
    status, text = run(capsys, "schema", "-o", tmp_path / "x.json")
    assert status == 1
    assert text == f"{tmp_path / 'x.json'}: 错误: 没有权限写入 {tmp_path / 'x.json'}（若文件正在 Excel 或 WPS 中打开，请先关闭）\n"


@pytest.mark.parametrize("code, writing, message", [
    (errno.ENOENT, False, "找不到文件：a.yaml"),
    (errno.EISDIR, False, "a.yaml 是文件夹，应为文件"),
    (errno.EACCES, False, "没有权限读取文件：a.yaml"),
    (errno.EACCES, None, "没有权限读写 a.yaml"),
    (errno.ENOSPC, True, "磁盘空间不足，无法写入 a.yaml"),
    (errno.EROFS, True, "a.yaml 在只读的磁盘上，无法写入"),
    (errno.ENAMETOOLONG, False, "文件名过长：a.yaml"),
    (errno.EIO, False, "无法读取 a.yaml（系统错误 EIO："),
])
def test_os_problem_in_chinese(code, writing, message, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert os_problem(OSError(code, "English words", "a.yaml"), "a.yaml", writing=writing).startswith(message)
