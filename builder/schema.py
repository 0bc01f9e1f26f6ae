"""JSON Schemas of the department YAML, one per document kind, for editors.

VS Code's YAML extension (yaml-language-server) reads the schema named in a file's first line,
`# yaml-language-server: $schema=../docs/department.schema.json` (a 部门预算) or
`…/final-accounts.schema.json` (a 部门决算), and then completes the Chinese keys and shows their
Chinese titles. Amounts are numbers or decimal strings.
"""

from __future__ import annotations

import json

from .accounts.model import FinalAccounts
from .budget.model import Department

# kind → (file under docs/, model, title)
SCHEMAS = {"预算": ("department.schema.json", Department, "部门预算 YAML"),
           "决算": ("final-accounts.schema.json", FinalAccounts, "部门决算 YAML")}

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


def schema_for(kind: str = "预算") -> str:
    _, model, title = SCHEMAS[kind]
    schema = _tighten(model.model_json_schema(by_alias=True))
    schema = {"$schema": "http://json-schema.org/draft-07/schema#", "title": title, **schema}
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def department_schema() -> str:
    return schema_for("预算")
