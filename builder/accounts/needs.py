"""What a 决算 table needs from the YAML beyond the base data, and whether the YAML has it."""

from __future__ import annotations

from typing import Callable, Iterator

from .model import FinalAccounts

Need = Callable[[FinalAccounts], Iterator[tuple[str, tuple]]]


def _department_code(doc: FinalAccounts):
    if not doc.code:
        yield "“部门编码”", ()


def _review(doc: FinalAccounts):
    if doc.review is None:
        yield "“整体自评”（部门整体绩效自评）", ()


NEEDS: dict[str, Need] = {"部门编码": _department_code, "整体自评": _review}
