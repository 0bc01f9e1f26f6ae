"""A loaded document: what the load stage hands every later stage.

The validated model of its kind, where each value came from (for file:line findings), its 科目
catalogue and the documents it links (上年文件, 预算文件), each loaded the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .catalogue import Catalogue
from .facts import Facts
from .findings import Finding
from .kind import Kind
from .loader import Located


@dataclass
class Document:
    path: Path
    kind: Kind
    model: Any
    located: Located
    data: Any
    catalogue: Catalogue
    links: dict[str, "Document"] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)     # warnings found while loading

    @property
    def file(self) -> str:
        return str(self.path)

    def line(self, *path) -> int | None:
        return self.located.line_of(tuple(path))


@dataclass(frozen=True)
class Computed:
    """A document with its facts: what a comparison of two documents reads. Of a document of
    another kind, read only the facts (its published measures and records), never its model."""
    document: Document
    facts: Facts

    @property
    def model(self) -> Any:
        return self.document.model

    @property
    def file(self) -> str:
        return self.document.file
