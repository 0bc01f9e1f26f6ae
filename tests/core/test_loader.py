import pytest

from builder.core.findings import BuildFailed
from builder.core.loader import comment_start, load_yaml
from helpers import write


def messages(tmp_path, text, raw: bytes | None = None):
    path = tmp_path / "x.yaml"
    if raw is not None:
        path.write_bytes(raw)
    else:
        write(tmp_path, text, "x.yaml")
    with pytest.raises(BuildFailed) as failed:
        load_yaml(path)
    return [str(f) for f in failed.value.findings]


def test_plain_scalars_stay_strings(tmp_path):
    data, _ = load_yaml(write(tmp_path, "a: 010\nb: 001001\nc: 1.10\nd: no\ne: 2025-01-01\nf: 1:20\ng: true\nh:\n"))
    assert data == {"a": "010", "b": "001001", "c": "1.10", "d": "no", "e": "2025-01-01",
                    "f": "1:20", "g": True, "h": None}


def test_positions_are_kept(tmp_path):
    _, located = load_yaml(write(tmp_path, "a: 1\nlist:\n  - x: 1\n    y: 2\n"))
    assert located.line_of(("list", 0, "y")) == 4
    assert located.line_of(("list", 0, "missing")) == 3


def test_duplicate_keys_name_both_lines(tmp_path):
    assert messages(tmp_path, "部门: a\n年度: 1\n部门: b\n") == [
        f"{tmp_path}/x.yaml:3: 错误: YAML 格式错误：键“部门”重复（第 1 行已出现）"]


def test_aliases_are_refused(tmp_path):
    bomb = 'a: &a ["x", "x"]\nb: &b [*a, *a]\nc: [*b, *b]\n'
    [message] = messages(tmp_path, bomb)
    assert ":1: 错误:" in message and "锚点" in message


def test_python_tags_are_refused(tmp_path):
    [message] = messages(tmp_path, "a: !!python/object/apply:os.system ['true']\n")
    assert ":1: 错误: YAML 格式错误" in message


def test_empty_file(tmp_path):
    assert messages(tmp_path, "# 只有注释\n") == [f"{tmp_path}/x.yaml:1: 错误: 文件为空，没有任何内容"]


def test_not_utf8(tmp_path):
    [message] = messages(tmp_path, "", raw="部门: 测试\n".encode("gbk"))
    assert message.endswith("错误: 文件不是 UTF-8 编码，请另存为 UTF-8")


def test_tab_indentation(tmp_path):
    [message] = messages(tmp_path, "a:\n\tb: 1\n")
    assert ":2: 错误: YAML 格式错误：不能用 Tab 缩进" in message


@pytest.mark.parametrize("line, at", [
    ("项目名称: 西安(Xi'an)项目  # 注", 19),     # an apostrophe inside a plain value opens no quote
    ('名称: "甲 # 乙"  # 注', 13),                # a # inside quotes is text
    ("名称: '甲 # 乙'", None),
    ("上年文件: prev/a#1.yaml", None),           # a # not after white space is text
    ("# 整行注释", 0),
])
def test_where_a_comment_starts(line, at):
    assert comment_start(line) == at


def test_a_long_flow_line_is_scanned_in_linear_memory(tmp_path):
    """The typing-mistake scan looks at each key of a flow line through a window, never at the
    rest of the line from every key (100 000 keys on one line asked for tens of GB)."""
    import tracemalloc

    from builder.core.loader import typing_mistakes
    line = "政府采购: [" + "{类别: 货物}, " * 100_000 + "{类别：货物}]\n"
    tracemalloc.start()
    try:
        found = typing_mistakes(line, frozenset({"类别"}))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert found == [(1, "“类别”后用了全角冒号“：”，应为半角冒号“:”并在其后加一个空格")]
    assert peak < 100 * len(line)


def test_a_missing_space_on_a_long_flow_line_quotes_its_value(tmp_path):
    from builder.core.loader import typing_mistakes
    line = "政府采购: [" + "{类别: 货物}, " * 1000 + "{类别:工程, 金额: 1}]\n"
    assert typing_mistakes(line, frozenset({"类别"})) == [
        (1, "“类别:”后缺少空格：冒号后要加一个空格，写成“类别: 工程”")]
