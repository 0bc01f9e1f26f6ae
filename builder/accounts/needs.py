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


def _three_public_budget(doc: FinalAccounts):
    """A table printing the "三公" 预算数 (三公.预算.…) needs them typed or a 预算文件 to take them from."""
    if doc.operations.three_public.budget is None and doc.budget_file is None:
        yield "“三公”经费预算数（机构运行信息 → 三公经费 → 预算数，或链接预算文件）", ()


NEEDS: dict[str, Need] = {"部门编码": _department_code, "整体自评": _review, "三公预算数": _three_public_budget}
