"""The 情况说明 prints the clerk's words as typed: a clause that ends in 。 never doubles the
template's own punctuation, and a passage that would come out empty is a 警告 naming its key."""

import re

import pytest

from builder.build import analyse, publication
from builder.core.loader import load_yaml
from builder.core.rewrite import Rewrite, quoted, text_paths

from conftest import EXAMPLES, example_copy
from helpers import FINAL, MINIMAL, edit, findings, line_of

DOUBLED = re.compile(r"[。；，、]{2}")


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
def test_a_clause_ending_in_a_full_stop_never_doubles(tmp_path, name):
    source = EXAMPLES / name
    data, located = load_yaml(source)
    edit_ = Rewrite(located.text, located)
    for path, text in text_paths(data):
        if path[0] == "说明" and located.styles.get(path) not in ("|", ">"):   # (a block is verbatim)
            # every text, reason and use ends as a sentence does
            edit_.replace(path, quoted(text.rstrip("。；，") + "。"))
    path = example_copy(tmp_path, name, edit_.result())
    blocks = publication(analyse(path, allow_incomplete=True)).narrative
    assert blocks
    doubled = [b.text for b in blocks if DOUBLED.search(b.text)]
    assert doubled == []


def test_the_reason_prints_once_without_its_full_stop(tmp_path):
    text = edit(MINIMAL, "三公经费: {公务接待: 3}\n", "三公经费: {公务接待: 3}\n上年:\n  三公经费: {公务接待: 2}\n")
    text = edit(text, "说明: {", "说明: {增减原因: {公务接待: 接待任务增加。}, ")
    (tmp_path / "dept.yaml").write_text(text, encoding="utf-8")
    blocks = publication(analyse(tmp_path / "dept.yaml")).narrative
    assert any("主要原因是接待任务增加；" in b.text or "主要原因是接待任务增加。" in b.text for b in blocks)
    assert not any(DOUBLED.search(b.text) for b in blocks)


def test_an_empty_passage_names_the_key_to_fill(tmp_path):
    assert [f for f in findings(tmp_path) if f[0] == "narrative_sections_written"] == []
    text = edit(MINIMAL, "说明: {职能职责: 负责测试。, 单位构成: 本级。, 联系人: 张三}\n", "")
    found = [f for f in findings(tmp_path, text) if f[0] == "narrative_sections_written"]
    # no 说明 at all: 职能职责, 单位构成 and the 联系人 line of the 潼南 情况说明
    assert [(severity, message) for _, _, severity, message in found] == [
        ("警告", "部门预算情况说明中“说明 → 职能职责”尚未填写，印出来将是空的"),
        ("警告", "部门预算情况说明中“说明 → 单位构成”尚未填写，印出来将是空的"),
        ("警告", "部门预算情况说明中“说明 → 联系人”尚未填写，印出来将是空的")]


def test_an_empty_contact_of_a_final_account_is_named_at_its_section(tmp_path):
    text = FINAL if "联系方式" not in FINAL else re.sub(r"\n  联系方式: .*", "", FINAL)
    found = [f for f in findings(tmp_path, text) if f[0] == "narrative_sections_written"]
    assert ("narrative_sections_written", line_of(text, "说明:"), "警告",
            "部门决算说明中“说明 → 联系方式”尚未填写，印出来将是空的") in found


def test_a_template_edited_between_two_builds_of_one_process_prints_its_new_text(tmp_path):
    # templates are compiled once a process (the service, a batch); an edited one is not stale
    from builder.publication.narrative import render_narrative
    (tmp_path / "说明.html.j2").write_text("<p>第一稿 {{ n.部门 }}</p>\n", encoding="utf-8")
    first = render_narrative("说明.html.j2", tmp_path, {"部门": "某局"}, False)
    (tmp_path / "说明.html.j2").write_text("<p>第二稿 {{ n.部门 }}</p>\n", encoding="utf-8")
    second = render_narrative("说明.html.j2", tmp_path, {"部门": "某局"}, False)
    assert [b.text for b in first.blocks] == ["第一稿 某局"]
    assert [b.text for b in second.blocks] == ["第二稿 某局"]
