import pytest

from builder.core import loader
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


def test_gbk_is_read_with_a_warning_and_its_lines(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_bytes("# 记事本另存的文件\n部门: 测试局\n项目:\n  - 名称: 专项一\n".encode("gbk"))
    data, located = load_yaml(path)
    assert data == {"部门": "测试局", "项目": [{"名称": "专项一"}]}
    assert located.line_of(("项目", 0, "名称")) == 4
    assert [str(f) for f in located.findings] == [f"{path}: 警告: 文件是 GBK 编码，已按 GBK 读取；请另存为 UTF-8"]


def test_a_gbk_file_that_fails_keeps_its_warning_first(tmp_path):
    assert messages(tmp_path, "", raw="部门: 测试\n部门: 又一个\n".encode("gbk")) == [
        f"{tmp_path}/x.yaml: 警告: 文件是 GBK 编码，已按 GBK 读取；请另存为 UTF-8",
        f"{tmp_path}/x.yaml:2: 错误: YAML 格式错误：键“部门”重复（第 1 行已出现）"]


def test_utf8_is_read_without_a_warning(tmp_path):
    for raw in ("部门: 测试\n".encode("utf-8"), "部门: 测试\n".encode("utf-8-sig")):
        (tmp_path / "x.yaml").write_bytes(raw)
        data, located = load_yaml(tmp_path / "x.yaml")
        assert data == {"部门": "测试"} and located.findings == []


@pytest.mark.parametrize("raw, message", [
    ("部门: 测试\n".encode("utf-16"), ":1: 错误: 文件是 UTF-16 编码（记事本的“Unicode”），请另存为 UTF-8"),
    # a UTF-8 file with one phrase in GBK: read as GBK it would be nonsense
    ("部门: 测试局\n说明: 本部门\n".encode() + "职能".encode("gbk") + "是负责全区工作\n".encode(),
     ":3: 错误: 此行有不是 UTF-8 编码的文字（文件其余部分是 UTF-8；可能是从别处粘贴来的），请重新输入这些文字后保存为 UTF-8"),
    ("a: 1\nb: café\n".encode("latin-1"), ":2: 错误: 文件不是 UTF-8 编码（也不是 GBK），请另存为 UTF-8"),
])
def test_what_is_neither_utf8_nor_gbk(tmp_path, raw, message):
    assert messages(tmp_path, "", raw=raw) == [f"{tmp_path}/x.yaml{message}"]


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


@pytest.mark.slow
def test_a_long_flow_line_is_scanned_in_linear_memory(tmp_path):
    """The typing-mistake scan looks at each key of a flow line through a window, never at the
    rest of the line from every key (100 000 keys on one line asked for tens of GB)."""
    import tracemalloc

    from builder.core.loader import typing_mistakes
    line = "政府采购: [" + "{类别: 货物}, " * 20_000 + "{类别：货物}]\n"
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


def _read_with(kind, path):
    """A file read by one of the loader's two readers, with every position it records."""
    text = path.read_text(encoding="utf-8")
    data, located = loader._compose(kind, text, str(path), False)
    return data, located.lines, located.spans, located.key_starts, located.key_ends, located.styles, located.numeric_plain


@pytest.mark.skipif(loader.CParser is None, reason="PyYAML without libyaml: only the pure-Python reader")
def test_libyaml_and_the_pure_python_reader_give_the_same_data_and_positions():
    from conftest import EXAMPLES
    files = sorted(EXAMPLES.rglob("*.yaml"))
    assert len(files) >= 6
    for path in files:
        # the examples are read by libyaml in a build (nothing in them needs the pure-Python reader)
        assert not loader._LIBYAML_DIFFERS.search(path.read_text(encoding="utf-8")), path.name
        fast, pure = _read_with(loader._FastLoader, path), _read_with(loader._StrictLoader, path)
        assert fast == pure, path.name
    # a plain scalar, a quoted one, a block: libyaml's "" for plain is recorded as YAML's None
    styles = _read_with(loader._FastLoader, EXAMPLES / "tongnan-zhengfu-2022.yaml")[5]
    assert {None, '"'} <= set(styles.values())


def test_what_libyaml_refuses_is_worded_as_the_pure_python_reader_words_it(tmp_path):
    # libyaml's own words would be "mapping values are not allowed in this context"
    assert messages(tmp_path, "部门: a: b\n") == [f"{tmp_path}/x.yaml:1: 错误: YAML 格式错误：此处不能出现“键: 值”（可能缺少缩进或引号）"]
    [nul] = messages(tmp_path, None, "部门: a\x00\n".encode())
    assert nul.startswith(f"{tmp_path}/x.yaml:1: 错误: YAML 格式错误：含有不允许的控制字符 U+0000")


@pytest.mark.parametrize("text, message", [
    ("三公经费:\t {公务接待: 3}\n", "不能用 Tab 缩进，请改用空格"),     # libyaml takes the tab as white space
    ("三公经费: {公务接待: 3?}\n", "花括号 { } 未闭合或缺少逗号"),     # libyaml reads 3? as a plain scalar
])
def test_what_only_libyaml_would_take_is_refused_as_before(tmp_path, text, message):
    assert messages(tmp_path, text) == [f"{tmp_path}/x.yaml:1: 错误: YAML 格式错误：{message}"]
