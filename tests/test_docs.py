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
