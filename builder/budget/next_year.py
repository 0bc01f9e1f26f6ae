"""Start next year from this year: `init --from LAST.yaml --year N`.

Next year's file is this year's file, edited in place (builder/core/rewrite.py): every section,
科目, 科目名称, project, indicator (with its empty fields), 核对数 entry, description and comment
stays; what belongs to the year changes — every figure (a 核对数's 金额 or 百分比 too) is left
blank with last year's value in a comment (the builder refuses a blank figure until the clerk
re-enters it), the year and the link to last year's file are set, the 增减原因 start empty, and
every text or comment that names last year or quotes its figures (a project called "2023 招商引资
专项", 起始时间, the 国有资产 sentence, a note on a published figure) is marked 待更新.

What does not carry over, and why (DROPPED): the 上年 block holds the year before's figures for
the 上年 columns; next year's file links this year's file as 上年文件 instead, and a file may use
only one of the two.
"""

from __future__ import annotations

from pathlib import Path

from ..core.rewrite import next_year

DROPPED = {"上年": "上年数改由“上年文件”（本年的文件）给出，两者只能用一个"}
RESET = (("说明", "增减原因"),)


def next_year_yaml(document, year: int, out_path: Path) -> str:
    return next_year(document, year, out_path, drop=tuple(DROPPED), reset=RESET)
