"""How much one department's file may hold: every limit, in one table.

A YAML file may be up to 5 MB (`loader.MAX_BYTES`), and what it holds becomes pages; building a
page costs time (WeasyPrint lays it out), and one very long text costs time that grows with the
square of its length (every line of a text box is broken off what remains of it). So a file is
held to what a real department needs, many times over — the published ones have a few hundred
to a few thousand characters in a 职能职责 or 项目概况, names of a few dozen characters, up to a
few hundred projects of a few to a few dozen indicators each, and a few dozen to a hundred-odd
pages — and anything beyond is refused by `check`, at its line, before anything is built:

- every text, by the models (`Frozen` caps every string at `TEXT`; names at `NAME`);
- every list, by the models (its field names its entry here);
- the pages of the PDF, by the check rule `pages_are_bounded` (the height model's count).

bench/run.py builds the largest file these limits accept and holds it to a time.
"""

from __future__ import annotations

TEXT = 20_000           # characters of one text: 职能职责, 项目概况, 绩效目标, 增减原因 …
NAME = 200              # characters of one name: 项目名称, 科目名称, 部门 … (titles, 目录, bookmarks)
PAGES = 600             # pages of the PDF

# entries of one list, by what it lists (the model's fields name these)
ITEMS = {
    "项目": 500,         # projects (项目, 项目自评): each is a row and a form of a page or more
    "指标": 100,         # indicators of one form (a project's 绩效指标, a 自评's 指标, 整体绩效目标's)
    "科目": 1000,        # lines of one list of 科目 (功能分类支出, 经济分类基本支出, 财政拨款 …)
    "政府采购": 1000,     # rows of the 政府采购预算明细表
    "原因": 1000,        # entries of 增减原因, 较预算原因, 用途 (one per key or 科目编码)
    "核对数": 1000,       # figures of 核对数, 已公布数
    "科目表": 20,         # local catalogue files
    "支出类别": 20,       # further spending categories of one 功能分类 line (单位预留机动经费 …)
}
