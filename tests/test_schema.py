import json

from builder.schema import department_schema
from conftest import EXAMPLES, ROOT


def test_committed_schema_is_current():
    committed = (ROOT / "docs" / "department.schema.json").read_text(encoding="utf-8")
    assert committed == department_schema(), "run: python -m builder schema -o docs/department.schema.json"


def test_schema_has_chinese_keys_and_decimal_strings():
    schema = json.loads(department_schema())
    assert {"部门", "年度", "功能分类支出", "项目", "上年文件"} <= set(schema["properties"])
    basic = schema["$defs"]["FunctionLine"]["properties"]["基本支出"]["anyOf"]
    assert {"type": "string", "pattern": r"^\s*[0-9]+(\.[0-9]+)?\s*$"} in basic


def test_examples_name_the_schema():
    for path in list(EXAMPLES.glob("*.yaml")) + list((EXAMPLES / "previous").glob("*.yaml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        target = (path.parent / first.split("$schema=")[1]).resolve()
        assert target == (ROOT / "docs" / "department.schema.json").resolve()
