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

import json
import os
import re
from pathlib import Path

from ..core.rewrite import Rewrite, figure_paths, text_paths

CODE_KEYS = {"科目编码", "部门编码", "项目编码", "单位代码", "目录序号", "方案", "金额单位", "舍入前单位", "类型"}
YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")


def _q(text: str) -> str:
    """A YAML scalar for any text: JSON's double-quoted form is valid YAML."""
    return json.dumps(text, ensure_ascii=False)


def decoded(path: Path) -> str:
    return path.read_bytes().decode("utf-8-sig")


def next_year_yaml(document, year: int, out_path: Path, kind_name: str = "部门预算") -> str:
    model, located, data = document.model, document.located, document.data
    text = decoded(document.path)
    edit = Rewrite(text, located)

    figures: dict[int, list[tuple[str, str]]] = {}
    for path in figure_paths(model, data):
        start, end = located.spans[path]
        edit.replace(path, "")
        line = text.count("\n", 0, start) + 1
        figures.setdefault(line, []).append((str(path[-1]), text[start:end]))
    for line, items in figures.items():
        shown = items[0][1] if len(items) == 1 else "、".join(f"{k} {v}" for k, v in items)
        edit.comments.setdefault(line, []).append(f"上年 {shown}")

    edit.replace(("年度",), str(year))
    link = _q(os.path.relpath(document.path.resolve(), out_path.resolve().parent))
    if ("上年文件",) in located.spans:
        edit.replace(("上年文件",), link)
    else:
        edit.replacements.append((len(text), len(text), f"{'' if text.endswith(chr(10)) else chr(10)}上年文件: {link}\n"))
    for key in ("上年", "核对数", "已公布数"):       # last year's figures and last year's published checks
        if (key,) in located.key_starts:
            edit.remove_key((key,))
    if ("说明", "增减原因") in located.spans:
        edit.replace(("说明", "增减原因"), "{}  # 与上年相比有增减的，逐项写明主要原因")

    figure_set = set(figure_paths(model, data))
    for path, value in text_paths(data, located):
        if (not path or path in figure_set or path[-1] in CODE_KEYS
                or path[0] in ("年度", "上年", "核对数", "已公布数", "上年文件", "科目表")):
            continue
        # a text naming this year or the one before (项目名称 "2023 …", 起始时间, "截止2022年12月")
        years = sorted({y for y in YEAR.findall(value) if int(y) in (model.year, model.year - 1)})
        if years:
            block = located.styles.get(path) in ("|", ">")
            edit.comment(path, f"待更新：含“{'、'.join(years)}”", on_key=block)

    head = f"# {model.name} {year} 年{kind_name} — 由 {document.path.name} 生成（budget-builder init）：结构、科目、" \
           f"项目、指标和文字沿用上年；\n# 本年金额留空（行末注明上年数），须逐项重新填写；标“待更新”的文字请按新年度修改。\n"
    lines = text.split("\n")
    first = 1 if lines and lines[0].startswith("# yaml-language-server") else 0
    last = first
    while last < len(lines) and lines[last].startswith("#"):
        last += 1                             # last year's header comments give way to this one
    start = sum(len(l) + 1 for l in lines[:first])
    end = sum(len(l) + 1 for l in lines[:last])
    edit.replacements.append((start, end, head))
    return edit.result()
