"""Rendering behind one door: each output format is a renderer of the publication.

A renderer takes the format-neutral `Publication` (builder/publication/model.py) — the same one
for every format, so no two outputs can disagree — and returns its files by suffix. The registry
names each format's module and the files it writes; a module is imported only when its format is
asked for (WeasyPrint's import is a noticeable part of a `check`).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field

from ..publication.model import Publication


@dataclass
class Rendered:
    files: dict[str, bytes] = field(default_factory=dict)      # suffix → content
    pages: int | None = None                                    # the PDF's pages, when one was made


# format → (module under builder.render with `render(publication) -> Rendered`, the suffixes it writes)
RENDERERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "xlsx": ("xlsx", ("xlsx",)),
    "pdf": ("pdf", ("pdf",)),
    "json": ("data", ("json", "csv")),        # the publication as open data
}
DEFAULT_FORMATS = ("xlsx", "pdf")
SUFFIXES = tuple(suffix for _, suffixes in RENDERERS.values() for suffix in suffixes)


def render(publication: Publication, formats: tuple[str, ...] = DEFAULT_FORMATS) -> Rendered:
    """The publication in each format asked for, in the registry's order."""
    out = Rendered()
    for name, (module, _) in RENDERERS.items():
        if name in formats:
            done = importlib.import_module(f"{__name__}.{module}").render(publication)
            out.files.update(done.files)
            out.pages = done.pages if done.pages is not None else out.pages
    return out
