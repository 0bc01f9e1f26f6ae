"""Next year's file is this year's file edited in place (`init --year`): every key the clerk wrote
is still there, but for the blocks about this year only that each kind drops."""

import pytest

from builder.core.loader import load_yaml

from conftest import EXAMPLES, run_cli

DROPPED = {"上年", "核对数", "已公布数"}
RESET = {("说明", "增减原因"), ("说明", "较预算原因")}          # this year's reasons start empty


def keys(data, path=()):
    if isinstance(data, dict):
        for key, value in data.items():
            yield path + (key,)
            yield from keys(value, path + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from keys(value, path + (i,))


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
def test_every_key_carries_over(tmp_path, name):
    source = EXAMPLES / name
    old, _ = load_yaml(source)
    out = tmp_path / "next.yaml"
    assert run_cli("init", "--from", str(source), "--year", str(int(old["年度"]) + 1), "-o", str(out)).returncode == 0
    new, _ = load_yaml(out)
    lost = [p for p in keys(old) if p[0] not in DROPPED and p[:2] not in RESET and not _has(new, p)]
    assert lost == []


def _has(data, path):
    for key in path:
        try:
            data = data[key]
        except (KeyError, IndexError, TypeError):
            return False
    return True
