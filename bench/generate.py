"""Synthetic departments for the benchmark, drawn from the shapes of the published examples.

Each department is one of the four examples in input_yaml/ (its 科目, projects, indicators and
texts, so its tables and pages are seed-size), renamed, with every figure multiplied by a whole
number (sums stay exact and every identity holds), without its link to last year (so no reason
for a change against last year is missing) and without the published figures it was checked
against. Usage: python bench/generate.py N OUT_DIR
"""

from __future__ import annotations

import random
import sys
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from builder.core.rewrite import Rewrite, figure_paths  # noqa: E402
from builder.load import load_document  # noqa: E402

SHAPES = ("tongnan-quwei-2023", "tongnan-zhengfu-2022", "yubei-zhengfu-2024", "fengrun-quwei-2023")


def department(shape: str, number: int, factor: int) -> str:
    path = ROOT / "input_yaml" / f"{shape}.yaml"
    document = load_document(path, links=False)
    text = path.read_bytes().decode("utf-8-sig")
    edit = Rewrite(text, document.located)
    for where in figure_paths(document.model, document.data):
        start, end = document.located.spans[where]
        value = text[start:end]
        if value.replace(".", "", 1).isdigit():
            edit.replace(where, format(Decimal(value) * factor, "f"))
    edit.replace(("部门",), f"{document.model.name}（合成{number:03d}）")
    for key in ("上年文件", "上年", "核对数"):
        if (key,) in document.located.key_starts:
            edit.remove_key((key,))
    return edit.result()


def generate(count: int, out: Path, seed: int = 2024) -> list[Path]:
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(1, count + 1):
        target = out / f"dept-{number:03d}.yaml"
        target.write_text(department(SHAPES[(number - 1) % len(SHAPES)], number, rng.randint(1, 5)), encoding="utf-8")
        paths.append(target)
    return paths


if __name__ == "__main__":
    generate(int(sys.argv[1]), Path(sys.argv[2]))
