"""Start next year's 部门决算 from this year's (`init --from LAST.yaml --year N`): last year's file
edited in place, as for a budget (builder/core/rewrite.py). A 决算 made from the year's 预算 is
builder/convert.py.
"""

from __future__ import annotations

from pathlib import Path

from ..core.rewrite import next_year


def next_year_yaml(document, year: int, out_path: Path) -> str:
    return next_year(document, year, out_path, drop=("核对数", "已公布数"),
                     reset=(("说明", "增减原因"), ("说明", "较预算原因")), unlink=("预算文件",))
