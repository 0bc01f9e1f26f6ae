"""The JSON Schemas of the YAML, one per document kind, kept current and named by the examples."""

import json

import pytest

from builder.kinds import kinds
from builder.schema import schema_for

from conftest import EXAMPLES, ROOT

SCHEMAS = {name: (kind.schema_file,) for name, kind in kinds().items()}   # kind → (file under docs/,)


@pytest.mark.parametrize("kind", list(SCHEMAS))
def test_committed_schemas_are_current(kind):
    name = SCHEMAS[kind][0]
    committed = (ROOT / "docs" / name).read_text(encoding="utf-8")
    assert committed == schema_for(kind), f"run: python -m builder schema --kind {kind} -o docs/{name}"


def test_schema_has_chinese_keys_and_decimal_strings():
    schema = json.loads(schema_for("预算"))
    assert {"部门", "年度", "功能分类支出", "项目", "上年文件"} <= set(schema["properties"])
    basic = schema["$defs"]["FunctionLine"]["properties"]["基本支出"]["anyOf"]
    assert {"type": "string", "pattern": r"^\s*[0-9]+(\.[0-9]+)?\s*$"} in basic


def test_the_final_accounts_schema_covers_the_final_accounts():
    schema = json.loads(schema_for("决算"))
    assert {"类型", "财政拨款", "非财政拨款", "机构运行信息", "整体自评", "项目自评", "预算文件"} <= set(schema["properties"])
    assert schema["properties"]["类型"]["const"] == "决算"


def test_examples_name_the_schema_of_their_kind():
    for path in list(EXAMPLES.glob("*.yaml")) + list((EXAMPLES / "previous").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        first = text.splitlines()[0]
        kind = "决算" if "\n类型: 决算" in text else "预算"
        target = (path.parent / first.split("$schema=")[1]).resolve()
        assert target == (ROOT / "docs" / SCHEMAS[kind][0]).resolve(), path
