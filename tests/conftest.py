"""Shared fixtures: the examples are built once per test session (PDF rendering takes seconds)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "input_yaml"


def example_copy(tmp_path: Path, name: str, text: str) -> Path:
    """Write a variant of an example into tmp_path, with the previous-year files it links to."""
    previous = tmp_path / "previous"
    if not previous.exists():
        shutil.copytree(EXAMPLES / "previous", previous)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """The CLI as a clerk runs it — of this checkout, from whatever folder the test stands in."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    return subprocess.run([sys.executable, "-m", "builder", *args], capture_output=True,
                          text=True, cwd=cwd or ROOT, env=env)


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """Build every example once with the real CLI, as the README's examples command does
    (--allow-incomplete: the 渝北 source lacks 12 of its 17 projects), in every format (the open
    data too); return the output directory."""
    out = tmp_path_factory.mktemp("output")
    result = run_cli("build", "--allow-incomplete", str(EXAMPLES), "-o", str(out),
                     "--only", "xlsx", "--only", "pdf", "--only", "json")
    assert result.returncode == 0, result.stdout
    return out


class Sheet:
    """An XLSX sheet read back, with helpers to find rows by their first cells."""

    def __init__(self, ws):
        self.rows = [list(r) for r in ws.iter_rows(values_only=True)]

    def row(self, *keys, numeric: bool = False) -> list:
        """The first row whose cells include every key (numbers compared as written: 5, 7.5)."""
        for r in self.rows:
            texts = [c if isinstance(c, str) else _as_text(c) for c in r if c is not None]
            if all(k in texts for k in keys) and (
                    not numeric or any(isinstance(c, (int, float)) for c in r)):
                return r
        raise AssertionError(f"no row with {keys}")

    def amounts(self, *keys) -> list[Decimal]:
        """The amounts of the first row holding all `keys` and at least one amount."""
        return [Decimal(str(c)).quantize(Decimal("0.01"))
                for c in self.row(*keys, numeric=True) if isinstance(c, (int, float))]

    def text(self) -> str:
        return "\n".join(" ".join("" if c is None else str(c) for c in r) for r in self.rows)


def _as_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@pytest.fixture(scope="session")
def workbook(built):
    cache = {}

    def open_sheet(stem: str, sheet: str) -> Sheet:
        if stem not in cache:
            cache[stem] = load_workbook(built / f"{stem}.xlsx")
        return Sheet(cache[stem][sheet])
    return open_sheet


def D(*values) -> list[Decimal]:
    return [Decimal(str(v)).quantize(Decimal("0.01")) for v in values]
