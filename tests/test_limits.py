"""The limits of one file (builder/core/limits.py): a text, a name, a list or the pages over its
limit is refused by `check` at its line with a Chinese message; a file at the limits passes."""

import typing

import pytest
import yaml
from annotated_types import MaxLen
from pydantic import BaseModel

from bench.generate import largest_data
from builder import check as rules
from builder.build import check
from builder.core.limits import ITEMS, NAME, PAGES, TEXT
from builder.kinds import kinds

from conftest import EXAMPLES
from helpers import FINAL, MINIMAL, edit, line_of, write

SENTENCE = "负责区委全委会、常委会的会务组织、会议记录和纪要整理工作。"


def words(count: int) -> str:
    return (SENTENCE * (count // len(SENTENCE) + 1))[:count]


def key_line(text: str, key: str) -> int:
    """The line that holds only `key` (a list's key)."""
    [line] = [n for n, text in enumerate(text.splitlines(), start=1) if text.strip() == key]
    return line


def errors(tmp_path, text: str, name: str = "dept.yaml") -> list[tuple[int | None, str]]:
    result = check(write(tmp_path, text, name))
    return [(f.line, f.message) for f in result.findings if f.severity.value == "错误"]


# -- texts and names ----------------------------------------------------------------------------

# (what, the line of MINIMAL changed (None: added at the end), its new text with @ for the text,
#  where the message says it is, the limit)
NOTES = "说明: {职能职责: 负责测试。, 单位构成: 本级。, 联系人: 张三}\n"       # MINIMAL's
TEXTS = [
    ("职能职责", NOTES, "说明:\n  职能职责: @\n  单位构成: 本级。\n  联系人: 张三\n", "“说明” → “职能职责”", TEXT),
    ("增减原因", NOTES, "说明:\n  职能职责: 负责测试。\n  单位构成: 本级。\n  联系人: 张三\n  增减原因:\n    收支: @\n",
     "“说明” → “增减原因” → “收支”", TEXT),
    ("三级指标", "    金额: {一般性项目: 50, 市级专项: 10}\n",
     "    金额: {一般性项目: 50, 市级专项: 10}\n    绩效指标:\n      - {三级指标: @, 权重: 100}\n",
     "“项目” → 第 1 项 → “绩效指标” → 第 1 项 → “三级指标”", TEXT),
    ("项目名称", "项目名称: 专项一", "项目名称: @", "“项目” → 第 1 项 → “项目名称”", NAME),
    ("科目名称", '{科目编码: "2013101", 基本支出: 100.10}', '{科目编码: "2013101", 基本支出: 100.10, 科目名称: @}',
     "“功能分类支出” → 第 1 项 → “科目名称”", NAME),
]


def with_text(old: str | None, new: str, text: str) -> str:
    filled = new.replace("@", text)
    return MINIMAL + filled if old is None else edit(MINIMAL, old, filled)


@pytest.mark.parametrize("what, old, new, where, limit", TEXTS, ids=[t[0] for t in TEXTS])
def test_a_text_over_its_limit_is_refused_at_its_line(tmp_path, what, old, new, where, limit):
    text = with_text(old, new, words(limit + 1))
    why = "（名称要印在表题、目录和书签中）" if limit == NAME else ""
    assert errors(tmp_path, text) == [
        (line_of(text, SENTENCE[:8]), f"{where}有 {limit + 1} 字，超过上限 {limit} 字{why}，请精简")]


@pytest.mark.parametrize("what, old, new, where, limit", TEXTS, ids=[t[0] for t in TEXTS])
def test_a_text_at_its_limit_passes(tmp_path, what, old, new, where, limit):
    assert errors(tmp_path, with_text(old, new, words(limit))) == []


def test_the_final_accounts_texts_and_names_are_bounded(tmp_path):
    text = edit(FINAL, "项目名称: 测试专项", "项目名称: " + words(NAME + 1))
    text = edit(text, "  职能职责: 负责测试。", "  职能职责: " + words(TEXT + 1))
    assert errors(tmp_path, text, "final.yaml") == [
        (line_of(text, "职能职责"), f"“说明” → “职能职责”有 {TEXT + 1} 字，超过上限 {TEXT} 字，请精简"),
        (line_of(text, "项目名称: 负责"), f"“项目自评” → 第 1 项 → “项目名称”有 {NAME + 1} 字，超过上限 {NAME} 字"
                                      f"（名称要印在表题、目录和书签中），请精简")]


# -- lists --------------------------------------------------------------------------------------

def projects(count: int) -> str:
    return MINIMAL.split("项目:\n")[0] + "项目:\n" + "".join(
        f'  - {{项目编码: "P{k:04d}", 项目名称: 专项{k}, 科目编码: "2013102", 金额: {{一般性项目: 1}}}}\n'
        for k in range(count))


def indicators(count: int) -> str:
    return MINIMAL + "    绩效指标:\n" + "      - {三级指标: 完成率, 权重: 1}\n" * count


def function_lines(count: int) -> str:
    """`count` 项 of 1 each under made-up 款 of 类 201 (named), and a 经济分类 of `count` to agree."""
    lines = "".join(f'  - {{科目编码: "201{50 + k // 99:02d}{k % 99 + 1:02d}", 基本支出: 1, 科目名称: 项{k}, '
                    f'款名称: 款{k // 99}}}\n' for k in range(count))
    economic = f'  - {{科目编码: "30201", 公用经费: {count}}}\n'
    start, end = MINIMAL.index("功能分类支出:\n"), MINIMAL.index("三公经费:")
    return MINIMAL[:start] + "功能分类支出:\n" + lines + "经济分类基本支出:\n" + economic + \
        MINIMAL[end:].replace("三公经费: {公务接待: 3}", "三公经费: {}")


def purchases(count: int) -> str:
    return MINIMAL + "政府采购:\n" + "  - {类别: 货物, 金额: 0.01, 名称: 办公用品}\n" * count


# (key, its limit, a file with n of it, the key's line, where the message says it is)
LISTS = [("项目", ITEMS["项目"], projects, "项目:", "“项目”"),
         ("绩效指标", ITEMS["指标"], indicators, "绩效指标:", "“项目” → 第 1 项 → “绩效指标”"),
         ("功能分类支出", ITEMS["科目"], function_lines, "功能分类支出:", "“功能分类支出”"),
         ("政府采购", ITEMS["政府采购"], purchases, "政府采购:", "“政府采购”")]


@pytest.mark.parametrize("key, limit, make, line, where", LISTS, ids=[c[0] for c in LISTS])
def test_a_list_over_its_limit_is_refused_at_its_key(tmp_path, key, limit, make, line, where):
    text = make(limit + 1)
    assert (key_line(text, line), f"{where}有 {limit + 1} 项，超过上限 {limit} 项") in errors(tmp_path, text)


@pytest.mark.parametrize("key, limit, make, line, where", LISTS, ids=[c[0] for c in LISTS])
def test_a_list_at_its_limit_passes(tmp_path, key, limit, make, line, where):
    assert errors(tmp_path, make(limit)) == []


def test_the_final_accounts_projects_are_bounded(tmp_path):
    project = FINAL[FINAL.index("项目自评:\n") + len("项目自评:\n"):]
    text = FINAL + project * ITEMS["项目"]                   # the fixture's project, 501 times
    assert (key_line(text, "项目自评:"), f"“项目自评”有 {ITEMS['项目'] + 1} 项，超过上限 {ITEMS['项目']} 项") \
        in errors(tmp_path, text, "final.yaml")


def test_every_text_and_list_of_every_kind_is_bounded():
    """No field escapes its limit: every model caps its strings (names tighter) and every list."""
    seen: set[type] = set()

    def bounds(annotation, metadata) -> list[int]:
        """The max_length of a field, of its type, and of the types it unites (Name | None)."""
        found = []
        for item in [*metadata, *(m for a in (annotation, *typing.get_args(annotation))
                                   for m in getattr(a, "__metadata__", ()))]:
            found += [m.max_length for m in [item, *getattr(item, "metadata", ())] if isinstance(m, MaxLen)]
        return found

    def walk(model: type[BaseModel]) -> None:
        if model in seen:
            return
        seen.add(model)
        assert model.model_config.get("str_max_length") == TEXT, model
        for name, info in model.model_fields.items():
            stack, listed = [info.annotation], False
            while stack:
                annotation = stack.pop()
                listed |= typing.get_origin(annotation) in (tuple, list, dict)
                if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                    walk(annotation)
                stack.extend(typing.get_args(annotation))
            if listed:
                assert bounds(info.annotation, info.metadata)[0] in ITEMS.values(), f"{model.__name__}.{name}"
            if info.alias in ("部门", "部门简称", "项目名称", "科目名称", "款名称", "类名称"):
                assert NAME in bounds(info.annotation, info.metadata), f"{model.__name__}.{name}"

    for kind in kinds().values():
        walk(kind.model)
    assert len(seen) > 30


# -- pages --------------------------------------------------------------------------------------

def largest(tmp_path, projects: int) -> tuple:
    # (libyaml's writer: the pure-Python one takes longer than checking the file)
    text = yaml.dump(largest_data(projects), Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False, width=10**6)
    path = tmp_path / "largest.yaml"
    path.write_text(text, encoding="utf-8")
    return text, [f for f in check(path).findings if f.severity.value == "错误"]


@pytest.mark.slow
def test_a_file_at_every_limit_but_the_pages_passes(tmp_path):
    """bench/generate.py's largest file without projects: every text of 说明 and 整体绩效目标 at
    TEXT characters, each 科目 list at its limit, the 政府采购 at its limit, 100 indicators."""
    assert largest(tmp_path, 0)[1] == []


@pytest.mark.slow
def test_pages_over_the_limit_are_refused_at_the_projects(tmp_path):
    """Within every other limit, 150 projects of 100 indicators are some 800 pages."""
    text, [finding] = largest(tmp_path, 150)
    assert (finding.rule, finding.line) == ("pages_are_bounded", key_line(text, "项目:"))
    assert finding.message.startswith("按本文件生成的 PDF 约 ")
    assert f"页，超过上限 {PAGES} 页。页数最多的是：150 个项目的表约 " in finding.message
    assert finding.message.endswith("。请精简文字，或减少项目、指标")


def test_the_page_finding_is_at_the_part_that_takes_most(tmp_path, monkeypatch):
    monkeypatch.setattr(rules, "PAGES", 10)
    example = EXAMPLES / "tongnan-quwei-2023.yaml"
    [finding] = [f for f in check(example).findings if f.rule == "pages_are_bounded"]
    assert finding.line == key_line(example.read_text(encoding="utf-8"), "项目:")
    assert finding.message == ("按本文件生成的 PDF 约 20 页，超过上限 10 页。页数最多的是：6 个项目的表约 6 页"
                               "（最多的“2023 招商引资专项”约 1 页）、情况说明约 2 页、目录约 1 页。"
                               "请精简文字，或减少项目、指标")
    long = edit(MINIMAL, NOTES, "说明:\n  单位构成: 本级。\n  联系人: 张三\n  职能职责: |\n"
                + "".join(f"    {SENTENCE}\n" for _ in range(300)))
    [(line, message)] = errors(tmp_path, long)
    assert line == key_line(long, "说明:") and "页数最多的是：情况说明约 " in message
