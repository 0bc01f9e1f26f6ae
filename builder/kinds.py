"""The registry of document kinds: 部门预算 and 部门决算, siblings on the same machinery.

A department YAML says which kind it is (`类型: 预算`, the default, or `类型: 决算`); a profile
says which kind it renders. The kinds are packages implementing builder/core/kind.py; this module
is the one place that lists them (a new kind is a package and a line here). It sits above the
kinds: they never import it, nor each other.
"""

from __future__ import annotations

from functools import cache

from . import accounts, budget
from .core.kind import Kind, model_keys

KINDS: tuple[Kind, ...] = (budget.KIND, accounts.KIND)


def kinds() -> dict[str, Kind]:
    return {kind.name: kind for kind in KINDS}


def kind(name: str) -> Kind:
    return kinds()[name]


@cache
def known_keys() -> frozenset[str]:
    """Every YAML key of every kind's model (for naming typing mistakes on their own line)."""
    keys: set[str] = {"类型"}
    for document_kind in KINDS:
        model_keys(document_kind.model, keys)
        keys.update(document_kind.reason_keys)
    return frozenset(keys)
