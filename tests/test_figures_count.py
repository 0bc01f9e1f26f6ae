"""Every figure a clerk types counts: each amount and count of either kind's schema, changed in a
file, changes what the publication prints (a table's cell, a sentence of the 情况说明) or what
check says of the file. None is read and then silently ignored.

The schema is walked, so a figure added later is covered without editing this test: each field is
changed (or, where no file has it, written) in the first file of its kind that has its section,
and the file is analysed under its own profile, then under every other profile of its kind, until
one shows the difference."""

from __future__ import annotations

import shutil
from decimal import Decimal
from functools import cache

import pytest
from schema_walk import FILES, fields_where, first_places, written

from builder.build import analyse, publication
from builder.core.fields import is_figure
from builder.core.findings import BuildFailed
from builder.kinds import kinds
from builder.profiles import available, load_profile

from conftest import EXAMPLES


def outcome(path, profile: str):
    """What a reader and a clerk see of a file under a profile: every printed cell and sentence,
    and every finding (without lines: a written key may move the lines below it)."""
    try:
        analysis = analyse(path, profile, allow_incomplete=True)
    except BuildFailed as failed:
        return ("refused", tuple(sorted(f.message for f in failed.findings)))
    document = publication(analysis)
    cells = tuple((t.label, str(c.value)) for t in document.tables for row in t.body for c in row)
    return (tuple(sorted((f.rule, f.severity.value, f.message) for f in analysis.findings)), cells,
            tuple(b.text for b in document.narrative))


@cache
def _original(path, profile: str):
    return outcome(path, profile)


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["预算", "决算"])
def test_every_typed_figure_is_printed_or_checked(kind, tmp_path):
    model = kinds()[kind].model
    wanted = fields_where(model, lambda info, inner: is_figure(info))
    assert len(wanted) > 20
    files = [f for f in FILES[kind] if f.parent != EXAMPLES / "previous"]       # (a partial year is never built)
    profiles = [name for name in available() if load_profile(name).kind == kind]
    shutil.copytree(EXAMPLES / "previous", tmp_path / "previous")
    uncounted = []
    for cls, key in sorted(wanted, key=lambda c: (c[0].__name__, c[1])):
        # each file's first section that can hold the field, until one shows the change
        places = [first_places(model, [f], {(cls, key)}).get((cls, key)) for f in files]
        if not any(_counts(cls, key, place, profiles, tmp_path) for place in places if place is not None):
            uncounted.append(f"{cls.__name__}.{key}")
    assert uncounted == [], "typed figures that neither print nor are checked: " + "、".join(uncounted)


def _counts(cls, key: str, place, profiles: list[str], tmp_path) -> bool:
    file, located, path, mapping = place
    present = mapping is not None and key in mapping
    old = mapping.get(key) if present else None
    count = cls.model_fields[next(n for n, i in cls.model_fields.items() if i.alias == key)].annotation is int
    step = Decimal(7) if count else Decimal("70007")        # visible in 元 and in 万元 to two decimals
    value = str(Decimal(old) + step) if isinstance(old, str) and old.replace(".", "", 1).isdigit() else str(step)
    section = None
    if mapping is None:                                     # a section typed as one figure (全年执行数: 100)
        whole = located.text[slice(*located.spans[path])]
        section = {info.alias: whole for info in cls.model_fields.values() if info.alias}
    text, _ = written(located.text, located, path, key, present, value, section)
    changed = tmp_path / file.name
    changed.write_text(text, encoding="utf-8")
    original = tmp_path / f"original-{file.name}"
    original.write_text(located.text, encoding="utf-8")
    own = located.text.split("\n方案:", 1)[1].split()[0] if "\n方案:" in located.text else None
    order = [own] + [p for p in profiles if p != own] if own in profiles else profiles
    return any(outcome(changed, p) != _original(original, p) for p in order)
