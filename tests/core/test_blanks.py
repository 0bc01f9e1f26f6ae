"""A blank is never a zero: every field a clerk (or init) can leave blank — each amount, count and
section of figures of either kind's schema — is refused at its line when written with no value.

The schema is walked, not listed, so a field added later is covered without editing this test:
for each such field, one example file (or, where no example has the field, the first place its
section appears, with the key added) gets just that one blank, and loading it must fail there."""

from __future__ import annotations

import pytest
from schema_walk import FILES, blankable, first_places, written

from builder.core.findings import BuildFailed
from builder.kinds import kinds
from builder.load import load_document

from conftest import ROOT


@pytest.mark.parametrize("kind", ["预算", pytest.param("决算", marks=pytest.mark.slow)])
def test_every_blank_figure_fails_at_its_line(kind, tmp_path):
    model = kinds()[kind].model
    wanted = blankable(model)
    assert len(wanted) > 20                      # the walk finds the schema's figures
    cases = first_places(model, FILES[kind], wanted)
    assert set(cases) == wanted, f"no section in the examples for {wanted - set(cases)}"
    for (cls, key), (file, located, path, mapping) in sorted(cases.items(), key=lambda c: (c[0][0].__name__, c[0][1])):
        text, line = written(located.text, located, path, key, mapping is not None and key in mapping)
        target = tmp_path / file.name
        target.write_text(text, encoding="utf-8")
        with pytest.raises(BuildFailed) as failed:
            load_document(target, links=False)
        messages = [str(f) for f in failed.value.findings]
        assert any(m.startswith(f"{target}:{line}: 错误: ") and "尚未填写" in m and f"“{key}”" in m
                   for m in messages), (cls.__name__, key, messages)


def test_a_link_left_empty_is_refused(tmp_path):
    # init of next year's 决算 writes `预算文件: ""` for the clerk to fill: left so, no 预算 would
    # be read and every 年初预算数 would print blank — refused at its line
    text = (ROOT / "tests" / "fixtures" / "generic-final.yaml").read_text(encoding="utf-8")
    target = tmp_path / "final.yaml"
    target.write_text(text.replace("年度: 2024\n", '年度: 2024\n预算文件: ""\n'), encoding="utf-8")
    line = target.read_text(encoding="utf-8").splitlines().index('预算文件: ""') + 1
    with pytest.raises(BuildFailed) as failed:
        load_document(target)
    assert [str(f) for f in failed.value.findings] == [
        f"{target}:{line}: 错误: “预算文件”尚未填写：请写预算文件的路径，或删去这一行"]
