"""Small inline YAML departments for rule and stage tests."""

from __future__ import annotations

import textwrap
from decimal import Decimal
from pathlib import Path

MINIMAL = """\
部门: 测试局
部门简称: 测试
部门编码: "401"
年度: 2024
金额单位: 万元
功能分类支出:
  - {科目编码: "2013101", 基本支出: 100.10}
  - {科目编码: "2080505", 基本支出: 20.05}
经济分类基本支出:
  - {科目编码: "30101", 人员经费: 100.15}
  - {科目编码: "30201", 公用经费: 20}
机关运行经费: 20
三公经费: {公务接待: 3}
说明: {职能职责: 负责测试。, 单位构成: 本级。, 联系人: 张三}
项目:
  - 项目编码: "P001"
    项目名称: 专项一
    科目编码: "2013102"
    金额: {一般性项目: 50, 市级专项: 10}
"""


def write(tmp_path: Path, text: str, name: str = "dept.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def load(tmp_path: Path, text: str = MINIMAL):
    """Load and validate; returns the document (model, located, path, links)."""
    from builder.load import load_document

    return load_document(write(tmp_path, text))


def analysis(tmp_path: Path, text: str = MINIMAL, profile: str | None = None, name: str = "dept.yaml"):
    """Load, compute and check, as `build` and `check` do; returns the Analysis."""
    from builder.build import analyse

    return analyse(write(tmp_path, text, name), profile)


def facts(tmp_path: Path, text: str = MINIMAL):
    return analysis(tmp_path, text).facts


def findings(tmp_path: Path, text: str = MINIMAL, profile: str | None = None, rule: str | None = None):
    """(rule, line, severity, message) of every finding — or of one rule's: a rule's test looks at
    its own rule only, so a rule added later never breaks it."""
    return [(f.rule, f.line, f.severity.value, f.message) for f in analysis(tmp_path, text, profile).findings
            if rule is None or f.rule == rule]


def yuan(wanyuan: str) -> Decimal:
    """A figure typed in 万元, as the facts keep it (in 元)."""
    return Decimal(wanyuan) * 10000


# The generic 部门决算 (every kind of data a 决算 profile can ask for), for the 决算's rule tests.
FINAL = (Path(__file__).parent / "fixtures" / "generic-final.yaml").read_text(encoding="utf-8")


def edit(text: str, old: str, new: str) -> str:
    """`text` with the one occurrence of `old` replaced (a test's edit must hit exactly one place)."""
    assert text.count(old) == 1, old
    return text.replace(old, new)


def line_of(text: str, fragment: str) -> int:
    """The 1-based line holding `fragment` (once)."""
    lines = [i for i, line in enumerate(text.splitlines(), start=1) if fragment in line]
    assert len(lines) == 1, fragment
    return lines[0]
