"""JSON Schemas of the department YAML, one per document kind, for editors.

VS Code's YAML extension (yaml-language-server) reads the schema named in a file's first line,
`# yaml-language-server: $schema=../docs/department.schema.json` (a 部门预算) or
`…/final-accounts.schema.json` (a 部门决算), and then completes the Chinese keys and shows their
Chinese titles. Amounts are numbers or decimal strings.
"""

from __future__ import annotations

import json

from .kinds import kinds

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
    """The JSON Schema of one kind's YAML (its model, by the Chinese keys)."""
    spec = kinds()[kind]
    schema = _tighten(spec.model.model_json_schema(by_alias=True))  # (a kind's model is a pydantic model)
    schema = {"$schema": "http://json-schema.org/draft-07/schema#", "title": f"{spec.document} YAML", **schema}
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
