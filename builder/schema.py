"""JSON Schema of the department YAML, for editors.

VS Code's YAML extension (yaml-language-server) reads the schema named in a file's first line,
`# yaml-language-server: $schema=../docs/department.schema.json`, and then completes the Chinese
keys and shows their Chinese titles. Amounts are numbers or decimal strings.
"""

from __future__ import annotations

import json

from .budget.model import Department

DECIMAL_PATTERN = r"^\s*[0-9]+(\.[0-9]+)?\s*$"


def _tighten(node):
    if isinstance(node, dict):
        branches = node.get("anyOf")
        if branches and {"type": "number"} in branches:
            for branch in branches:
                if branch == {"type": "string"}:
                    branch["pattern"] = DECIMAL_PATTERN
        for value in node.values():
            _tighten(value)
    elif isinstance(node, list):
        for value in node:
            _tighten(value)
    return node


def department_schema() -> str:
    schema = _tighten(Department.model_json_schema(by_alias=True))
    schema = {"$schema": "http://json-schema.org/draft-07/schema#", "title": "部门预算 YAML", **schema}
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
