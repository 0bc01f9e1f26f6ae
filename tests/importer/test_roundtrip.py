"""The import's round trip over every example: build → import the XLSX (and the PDF) → build the
imported YAML → every table cell of the two workbooks equal. Texts the tables do not carry (职能,
说明) are not compared: the 情况说明 sheet is left out. From a PDF, a text cell may differ only in
white space (a line wrapped at a space reads back without it); every figure is exact."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from builder.build import build, check
from builder.core.findings import has_errors
from builder.core.loader import load_yaml
from builder.importer import import_file

EXAMPLES = {"tongnan-quwei-2023": "潼南", "tongnan-zhengfu-2022": "潼南", "yubei-zhengfu-2024": "渝北",
            "fengrun-quwei-2023": "丰润", "tongnan-zhengfu-2024-juesuan": "潼南决算"}


def imported(tmp_path: Path, source: Path, profile: str) -> Path:
    result = import_file(source, profile)
    assert result.text is not None, [str(f) for f in result.findings]
    assert not has_errors(result.findings), [str(f) for f in result.findings]
    target = tmp_path / f"{source.stem}-{source.suffix[1:]}.yaml"
    target.write_text(result.text, encoding="utf-8")
    return target


def cells(path: Path) -> dict[tuple[str, str], object]:
    workbook = load_workbook(path)
    return {(ws.title, c.coordinate): c.value for ws in workbook.worksheets if ws.title != "情况说明"
            for row in ws.iter_rows() for c in row if c.value not in (None, "")}


def loose(value: object) -> object:
    return re.sub(r"\s+", "", value) if isinstance(value, str) else value


@pytest.mark.parametrize("fmt", ["xlsx", pytest.param("pdf", marks=pytest.mark.slow)])
@pytest.mark.parametrize("stem", sorted(EXAMPLES))
def test_round_trip(built, tmp_path, stem, fmt):
    yaml_path = imported(tmp_path, built / f"{stem}.{fmt}", EXAMPLES[stem])
    checked = check(yaml_path, allow_incomplete=True)
    assert checked.ok, [str(f) for f in checked.findings]       # every 核对数 agrees
    result = build(yaml_path, tmp_path / "out", allow_incomplete=True, formats=("xlsx",))
    assert result.ok, [str(f) for f in result.findings]
    before, after = cells(built / f"{stem}.xlsx"), cells(result.outputs[0])
    assert set(before) == set(after)
    if fmt == "xlsx":
        differing = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
    else:
        differing = {k: (before[k], after[k]) for k in before if loose(before[k]) != loose(after[k])}
        numbers = [k for k in before if not isinstance(before[k], str)]
        assert numbers and all(before[k] == after[k] for k in numbers)
    assert not differing, list(differing.items())[:5]


def test_the_imported_yaml_holds_leaf_figures_and_stated_totals(built, tmp_path):
    data, _ = load_yaml(imported(tmp_path, built / "tongnan-quwei-2023.xlsx", "潼南"))
    assert data["部门"] == "中共重庆市潼南区委办公室" and data["部门编码"] == "302" and data["部门简称"] == "区委办"
    assert {"科目编码": "2013101", "基本支出": "622.34"} in data["功能分类支出"]
    assert {"科目编码": "30101", "人员经费": "208.93"} in data["经济分类基本支出"]
    assert data["三公经费"] == {"公务用车运行维护": "36.00", "公务接待": "17.00"}
    project = next(p for p in data["项目"] if p["项目名称"] == "2023 招商引资专项")
    assert project["项目编码"] == "50015223T000003449069" and project["金额"] == {"一般性项目": "8.00"}
    assert project["绩效指标"][0]["三级指标"] == "外出考察招商项目次数"
    assert {"科目编码": "2101102", "金额": "15.05"} in data["上年"]["功能分类支出"]
    # totals are never leaf figures: they are stated, for check to prove
    assert {"栏目": "支出.一般公共预算.合计", "金额": "1708.68", "出处": "附件1"} in data["核对数"]
    assert {"栏目": "支出.合计", "金额": "1708.68", "出处": "附件6"} in data["核对数"]
    assert {"科目编码": "201", "栏目": "一般公共预算.合计", "金额": "1387.32", "出处": "附件1"} in data["核对数"]


@pytest.mark.slow
def test_final_accounts_yaml(built, tmp_path):
    data, _ = load_yaml(imported(tmp_path, built / "tongnan-zhengfu-2024-juesuan.pdf", "潼南决算"))
    assert data["类型"] == "决算" and data["部门"] == "重庆市潼南区人民政府办公室" and data["部门编码"] == "312"
    line = next(l for l in data["财政拨款"] if l["科目编码"] == "2010301")
    assert line["本年支出"] == {"基本支出": "7171195.84"}
    assert data["机构运行信息"]["三公经费"]["公务用车运行维护"] == "360000.00"
    assert data["机构运行信息"]["车辆"]["应急保障用车"] == "7"
    assert len(data["项目自评"]) == 10


def test_a_projects_source_is_its_items_where_the_item_has_one(tmp_path):
    # the tables print a project's money, not its 资金来源: a 政府性基金 项 whose 项目支出 is all
    # one project's gives that project its source (imported as 一般公共预算, check refused the file)
    from helpers import MINIMAL, write
    text = MINIMAL + ('  - 项目编码: "P002"\n    项目名称: 基金专项\n    科目编码: "2129999"\n'
                      "    资金来源: 政府性基金\n    金额: {一般性项目: 30}\n")
    first = build(write(tmp_path, text), tmp_path / "first", formats=("xlsx",))
    assert first.ok, [str(f) for f in first.findings]
    yaml_path = imported(tmp_path, first.outputs[0], "潼南")
    projects = {p["项目名称"]: p for p in load_yaml(yaml_path)[0]["项目"]}
    assert projects["基金专项"]["资金来源"] == "政府性基金" and "资金来源" not in projects["专项一"]
    assert check(yaml_path).ok
    again = build(yaml_path, tmp_path / "again", formats=("xlsx",))
    assert cells(first.outputs[0]) == cells(again.outputs[0])


def test_a_project_of_an_item_spent_from_two_sources_is_named(tmp_path):
    from helpers import MINIMAL, write
    text = MINIMAL + ('  - {项目编码: "P002", 项目名称: 基金专项, 科目编码: "2129999", 资金来源: 政府性基金, 金额: {一般性项目: 30}}\n'
                      '  - {项目编码: "P003", 项目名称: 本级专项, 科目编码: "2129999", 金额: {一般性项目: 20}}\n')
    first = build(write(tmp_path, text), tmp_path / "first", formats=("xlsx",))
    assert first.ok, [str(f) for f in first.findings]
    messages = [f.message for f in import_file(first.outputs[0], "潼南").findings]
    for name in ("基金专项", "本级专项"):
        assert (f"项目“{name}”（科目 2129999）：该科目的项目支出来自一般公共预算、政府性基金，表中看不出这个项目用的是"
                "哪一项，导入为一般公共预算；请写明它的“资金来源”") in messages
