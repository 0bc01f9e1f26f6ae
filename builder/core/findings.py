"""Findings: what every stage reports instead of raising.

A clerk fixes a YAML file, so every problem — a syntax error, an unknown code, a total that does not
add up — is a value carrying the file and line it is about. Stages collect them; the CLI prints them
all in `file:line: 错误|警告: …` form (the form editors jump to) and exits non-zero on any error.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import Enum


class Severity(str, Enum):
    ERROR = "错误"
    WARNING = "警告"


@dataclass(frozen=True)
class Finding:
    file: str
    line: int | None
    severity: Severity
    message: str
    rule: str = ""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.severity.value}: {self.message}"

    def as_json(self) -> dict:
        data = asdict(self)
        data["severity"] = self.severity.value
        return data


def error(file: str, line: int | None, message: str, rule: str = "") -> Finding:
    return Finding(file, line, Severity.ERROR, message, rule)


def warning(file: str, line: int | None, message: str, rule: str = "") -> Finding:
    return Finding(file, line, Severity.WARNING, message, rule)


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity is Severity.ERROR for f in findings)


class BuildFailed(Exception):
    """Raised by a stage that cannot go on; carries everything found so far."""

    def __init__(self, findings: list[Finding]):
        super().__init__("\n".join(str(f) for f in findings))
        self.findings = findings
