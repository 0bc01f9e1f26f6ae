"""Synthetic departments for the benchmark, drawn from the shapes of the published examples.

Each department is one of the four examples in input_yaml/ (its 科目, projects, indicators and
texts, so its tables and pages are seed-size), renamed, with every figure multiplied by a whole
number (sums stay exact and every identity holds), without its link to last year (so no reason
for a change against last year is missing) and without the published figures it was checked
against. Usage: python bench/generate.py N OUT_DIR
"""

from __future__ import annotations

import math
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


# -- the largest file the limits accept (builder/core/limits.py) ----------------------------------

SENTENCE = "负责统筹推动全区综合目标考核有关工作的落实，组织实施区级综合目标考核和专项督查。"


def _text(chars: int) -> str:
    return (SENTENCE * (chars // len(SENTENCE) + 1))[:chars]


def largest_data(projects: int) -> dict:
    """The 潼南区委办 2023 seed grown to the limits: every text of its 说明 and 整体绩效目标 at
    limits.TEXT characters, every 科目 list and the 政府采购 at limits.ITEMS, and `projects`
    projects of limits.ITEMS["指标"] indicators each (a 申报表 of a few pages)."""
    from builder.core.limits import ITEMS, TEXT
    from builder.core.loader import load_yaml
    data, _ = load_yaml(ROOT / "input_yaml" / "tongnan-quwei-2023.yaml")
    for key in ("上年文件", "上年", "核对数"):
        data.pop(key, None)
    notes = data["说明"]
    for key in ("职能职责", "单位构成", "基本支出用途", "项目支出用途", "运行经费用途", "国有资产"):
        notes[key] = _text(TEXT)
    notes.pop("增减原因", None)                 # no last year: no change to give a reason for
    lines = ITEMS["科目"]
    # 功能分类 项 under made-up 款 of 类 201 and 经济分类 款 under made-up 类 (names given), each
    # 1.00 of 基本支出 / 公用经费, so that the two sides still agree
    data["功能分类支出"] = [{"科目编码": f"201{50 + k // 99:02d}{k % 99 + 1:02d}", "基本支出": "1.00",
                          "科目名称": f"合成项{k}", "款名称": f"合成款{k // 99}"} for k in range(lines)]
    data["经济分类基本支出"] = [{"科目编码": f"3{k // 99 + 20:02d}{k % 99 + 1:02d}", "公用经费": "1.00",
                            "科目名称": f"合成款{k}", "类名称": f"合成类{k // 99}"} for k in range(lines)]
    data["三公经费"] = {}
    data["政府采购"] = [{"类别": "货物", "金额": "1.00", "名称": f"办公设备{k}"} for k in range(ITEMS["政府采购"])]
    form = data["项目"][-1]
    indicator = form["绩效指标"][0]
    data["项目"] = [{**form, "项目编码": f"50015223T{k:012d}", "项目名称": f"合成项目{k:03d}",
                    "金额": {"一般性项目": "1.00"},
                    "绩效指标": [{**indicator, "权重": "1"} for _ in range(ITEMS["指标"])]}
                   for k in range(projects)]
    performance = data["整体绩效目标"]
    performance["目标"] = _text(TEXT)
    performance["指标"] = [{**performance["指标"][0], "指标权重": "1"} for _ in range(ITEMS["指标"])]
    return data


def largest(out: Path) -> tuple[Path, int]:
    """Write the largest file the limits accept — `largest_data` with as many projects as keep
    the PDF within limits.PAGES pages, as check counts them — and return its path and pages."""
    import yaml

    from builder.build import analyse, publication
    from builder.core.limits import ITEMS, PAGES
    from builder.render.pdf import page_counts

    out.mkdir(parents=True, exist_ok=True)
    path = out / "largest.yaml"

    def pages(projects: int) -> int:
        path.write_text(yaml.safe_dump(largest_data(projects), allow_unicode=True, sort_keys=False, width=10**6),
                        encoding="utf-8")
        return sum(count for _, _, count in page_counts(publication(analyse(path))))

    none = pages(0)                              # each project adds about the same pages: its form
    each = max(1.0, (pages(10) - none) / 10)
    projects = min(ITEMS["项目"], int((PAGES - none) / each))
    while (found := pages(projects)) > PAGES:
        projects -= max(1, math.ceil((found - PAGES) / each))
    return path, found


if __name__ == "__main__":
    if sys.argv[1] == "largest":
        print(*largest(Path(sys.argv[2])))
    else:
        generate(int(sys.argv[1]), Path(sys.argv[2]))
