"""The YAML shown in the READMEs and docs/ is valid: a clerk who copies an example gets a file the
builder reads (links not followed — the examples name files of input_yaml/)."""

import re
from pathlib import Path

import pytest

from builder.load import load_document

ROOT = Path(__file__).parent.parent
PAGES = [ROOT / "README.md", ROOT / "README.en.md", *sorted((ROOT / "docs").glob("*.md"))]


def examples():
    for page in PAGES:
        for number, block in enumerate(re.findall(r"```yaml\n(.*?)```", page.read_text(encoding="utf-8"), re.S)):
            if re.search(r"^部门:", block, re.M):
                yield pytest.param(block, id=f"{page.name}-{number}")


def test_there_are_examples_of_both_kinds():
    blocks = [p.values[0] for p in examples()]
    assert any("类型: 决算" in b for b in blocks) and any("类型: 决算" not in b for b in blocks)


@pytest.mark.parametrize("block", list(examples()))
def test_a_documented_department_loads(tmp_path, block):
    path = tmp_path / "example.yaml"
    path.write_text(block, encoding="utf-8")
    load_document(path, links=False)              # raises BuildFailed with file:line otherwise


def test_every_top_level_key_of_either_schema_is_documented():
    """docs/yaml-format.md lists every top-level key of the budget schema in one table (what it
    holds, whether it is needed, what init does with it); every key of the 决算 schema is
    documented there or in docs/final-accounts.md."""
    import json

    from builder.schema import schema_for
    budget_page = (ROOT / "docs" / "yaml-format.md").read_text(encoding="utf-8")
    table = budget_page.split("## 部门预算文件的全部顶层键", 1)[1].split("\n## ", 1)[0]
    listed = {key for row in table.splitlines() if row.startswith("| `")
              for key in re.findall(r"`([^`]+)`", row.split("|")[1])}
    assert listed == set(json.loads(schema_for("预算"))["properties"])
    final_page = (ROOT / "docs" / "final-accounts.md").read_text(encoding="utf-8")
    for key in json.loads(schema_for("决算"))["properties"]:
        assert f"`{key}`" in budget_page or re.search(rf"^{key}:|`{key}`", final_page, re.M), key
