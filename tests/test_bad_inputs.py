"""The bad-input corpus: every file in tests/bad_inputs/ is refused with exit status 1, a
Chinese message naming the file and the line (expected.tsv), no traceback, and no output."""

from pathlib import Path

import pytest

from builder.cli import main

CORPUS = Path(__file__).parent / "bad_inputs"


def cases():
    for line in (CORPUS / "expected.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, lineno, message = line.split("\t")
            yield pytest.param(name, int(lineno), message, id=name)


def test_corpus_is_complete():
    listed = {c.values[0] for c in cases()}
    assert listed == {p.name for p in CORPUS.glob("*.yaml")}
    assert len(listed) >= 40


@pytest.mark.parametrize("name, line, message", list(cases()))
def test_refused_with_file_line_and_message(name, line, message, capsys, tmp_path):
    path = CORPUS / name
    assert main(["build", str(path), "-o", str(tmp_path / "out")]) == 1
    captured = capsys.readouterr()
    err = captured.out
    assert "Traceback" not in captured.err + err and "内部错误" not in captured.err + err
    errors = [l for l in err.splitlines() if ": 错误: " in l]
    assert any(l.startswith(f"{path}:{line}: 错误: ") and message in l for l in errors), err
    assert not (tmp_path / "out").exists()


def test_huge_file_is_refused(tmp_path, capsys):
    big = tmp_path / "huge.yaml"
    big.write_text("部门: 测试局\n说明:\n  职能职责: " + "很长" * 3_000_000 + "\n", encoding="utf-8")
    assert main(["check", str(big)]) == 1
    assert capsys.readouterr().out == f"{big}: 错误: 文件过大（17.2 MB，上限 5 MB）\n"


@pytest.mark.parametrize("size, shown", [(5 * 1024 * 1024, "5 MB"), (5 * 1024 * 1024 + 1, "5.1 MB"),
                                         (int(5.3 * 1024 * 1024), "5.3 MB"), (1, "0.1 MB")])
def test_sizes_in_megabytes(size, shown):
    from builder.core.loader import megabytes
    assert megabytes(size) == shown


def test_deep_nesting_is_refused_without_crash(tmp_path, capsys):
    deep = tmp_path / "deep.yaml"
    deep.write_text("部门: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    assert main(["check", str(deep)]) == 1
    err = capsys.readouterr().out
    assert f"{deep}:" in err and "内部错误" not in err


def test_missing_file(tmp_path, capsys):
    missing = tmp_path / "nope.yaml"
    assert main(["check", str(missing)]) == 1
    assert capsys.readouterr().out == f"{missing}: 错误: 找不到文件：{missing}\n"
