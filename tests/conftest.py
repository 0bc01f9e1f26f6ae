"""Shared fixtures: the examples are built once per test session (PDF rendering takes seconds),
with the CLI (`built`, read back through `workbook`), and analysed, published and laid out once in
this process (`published`, `laid_out`) for the tests that look inside."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from builder.core.loader import load_yaml

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "input_yaml"
GOLDEN = ROOT / "tests" / "examples" / "golden"      # each example's published figures


def example_copy(tmp_path: Path, name: str, text: str) -> Path:
    """Write a variant of an example into tmp_path, with the previous-year files it links to."""
    previous = tmp_path / "previous"
    if not previous.exists():
        shutil.copytree(EXAMPLES / "previous", previous)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def golden(stem: str) -> dict:
    """An example's golden figures (tests/examples/golden/<stem>.yaml), every figure as text."""
    return load_yaml(GOLDEN / f"{stem}.yaml")[0]


def run_process(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """The CLI as a clerk runs it, as its own process — of this checkout, from whatever folder
    the test stands in."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    return subprocess.run([sys.executable, "-m", "builder", *args], capture_output=True,
                          text=True, cwd=cwd or ROOT, env=env)


def run_cli(*args: str, cwd: Path | None = None, stdin: str | None = None) -> subprocess.CompletedProcess:
    """The CLI as `python -m builder` runs it — its arguments, working folder, exit status and
    what it prints — in this process: a new interpreter a call spent half a second importing the
    package, a minute of the suite. The examples are still built as a process (`built`, with
    `run_process`), and a closed pipe is tested through a shell (tests/test_cli.py). `stdin` is
    what the command reads (a password)."""
    from builder.cli import main
    out, err, environ, given = io.StringIO(), io.StringIO(), dict(os.environ), sys.stdin
    with contextlib.chdir(cwd or ROOT), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            sys.stdin = io.StringIO(stdin or "")
            code = main(list(args))
        except SystemExit as exc:           # argparse: a usage error (2) or --help (0)
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        finally:
            sys.stdin = given
            os.environ.clear()              # (--debug sets a variable for the process)
            os.environ.update(environ)
    return subprocess.CompletedProcess(["builder", *args], code, out.getvalue(), err.getvalue())


@pytest.fixture(scope="session")
def built(tmp_path_factory, worker_id) -> Path:
    """Build every example once with the real CLI, as the README's examples command does
    (--allow-incomplete: the 渝北 source lacks 12 of its 17 projects), in every format (the open
    data too); return the output directory. Under pytest-xdist the first worker to ask builds it
    for all of them (the others wait on a lock in the run's shared folder): read it, never change it."""
    def build(out: Path) -> Path:
        result = run_process("build", "--allow-incomplete", str(EXAMPLES), "-o", str(out),
                             "--only", "xlsx", "--only", "pdf", "--only", "json")
        assert result.returncode == 0, result.stdout
        (out / ".complete").touch()
        return out

    try:
        import fcntl
    except ImportError:                     # (Windows: each worker builds its own)
        fcntl = None
    if worker_id == "master" or fcntl is None:
        return build(tmp_path_factory.mktemp("output"))
    shared = tmp_path_factory.getbasetemp().parent          # one folder for the run's workers
    with open(shared / "built.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        out = shared / "built"
        if not (out / ".complete").exists():
            shutil.rmtree(out, ignore_errors=True)
            build(out)
    return out


@pytest.fixture(scope="session")
def published():
    """stem → (analysis, publication) of an example, made once in this process (--allow-incomplete,
    as `built`). Shared by every test that asks: read them, never change them (a test that needs
    a changed one changes a copy.deepcopy)."""
    from builder.build import analyse, publication
    cache = {}

    def get(stem: str):
        if stem not in cache:
            analysis = analyse(EXAMPLES / f"{stem}.yaml", allow_incomplete=True)
            cache[stem] = analysis, publication(analysis)
        return cache[stem]
    return get


@dataclass
class LaidOut:
    """An example's publication as the PDF renderer lays it out, once per session."""
    document: object            # the publication (shared: never changed)
    rendered: object            # WeasyPrint's laid-out document: its pages and boxes
    measured: dict              # pdf.measure: each table's pages and row heights
    pdf: bytes                  # written from that layout as render_pdf writes it
    reader: object              # a PdfReader of `pdf`
    subsets: list               # the subset font files the layout handed to WeasyPrint


@pytest.fixture(scope="session")
def laid_out(published):
    """stem → LaidOut: each example laid out once in this process, when a test first asks."""
    from pypdf import PdfReader

    from builder.render import fonts
    from builder.render.pdf import layout, measure
    cache = {}

    def get(stem: str) -> LaidOut:
        if stem not in cache:
            document = published(stem)[1]
            written, write_subset = [], fonts.write_subset

            def spy(*args):
                written.append(write_subset(*args))
                return written[-1]
            with pytest.MonkeyPatch.context() as monkeypatch:
                monkeypatch.setattr(fonts, "write_subset", spy)
                rendered = layout(document)
            pdf = rendered.write_pdf(pdf_identifier=False)      # as pdf_and_pages writes it
            cache[stem] = LaidOut(document, rendered, measure(rendered), pdf, PdfReader(io.BytesIO(pdf)), written)
        return cache[stem]
    return get


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

    def by_code(self, first_amount: int = 4) -> dict[str, list[Decimal]]:
        """The rows of a 类|款|项 table by the 科目代码 in their first cell (合计 for the total),
        with their amounts from the cell at index `first_amount` on (4: column E), a blank as 0."""
        found = {}
        for row in self.rows:
            code = row[0] if isinstance(row[0], str) and row[0].isdigit() else ("合计" if "合计" in row[:4] else None)
            if code and any(isinstance(v, (int, float)) for v in row):
                found[code] = D(*[v if isinstance(v, (int, float)) else 0 for v in row[first_amount:]])
        return found

    def side_by_side(self) -> dict:
        """Code → figure of a table of lists side by side, three columns each (code, name, figure)."""
        values = {}
        for row in self.rows:
            for i in range(0, len(row) - 2, 3):
                if isinstance(row[i], str) and row[i].isdigit():
                    values[row[i]] = row[i + 2]
        return values

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
