"""Start next year from this year: `init --from LAST.yaml --year N`.

Next year's file is this year's file, edited in place (builder/core/rewrite.py): every section,
科目, 科目名称, project, indicator (with its empty fields), description and comment stays; what
belongs to the year changes — every figure is left blank with last year's value in a comment
(the builder refuses a blank figure until the clerk re-enters it), the year and the link to last
year's file are set, the 增减原因 start empty, last year's 上年/核对数 blocks go, and every text
that names last year (a project called "2023 招商引资专项", 起始时间, the 国有资产 sentence) is
marked 待更新.
"""

from __future__ import annotations

from pathlib import Path

from ..core.rewrite import next_year


def next_year_yaml(document, year: int, out_path: Path) -> str:
    return next_year(document, year, out_path, drop=("上年", "核对数", "已公布数"), reset=(("说明", "增减原因"),))
