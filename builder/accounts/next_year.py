"""Start next year's 部门决算 from this year's (`init --from LAST.yaml --year N`): last year's file
edited in place, as for a budget (builder/core/rewrite.py) — every key stays (a 核对数's 金额 blank
with last year's value in a comment); the reasons start empty and the 预算文件 is named anew (next
year's 预算). A 决算 made from the year's 预算 is builder/convert.py.
"""

from __future__ import annotations

from pathlib import Path

from ..core.rewrite import next_year

DROPPED: dict[str, str] = {}
RESET = (("说明", "增减原因"), ("说明", "较预算原因"))
UNLINKED = ("预算文件",)


def next_year_yaml(document, year: int, out_path: Path) -> str:
    return next_year(document, year, out_path, drop=tuple(DROPPED), reset=RESET, unlink=UNLINKED)
