"""What a form prints comes from the data; a profile's fixed text stands only where the data has
none (`defaults`): a project's 实施单位, a 自评表's 状态. Read back from the XLSX."""

from openpyxl import load_workbook

from conftest import run_cli
from helpers import FINAL, MINIMAL, edit, findings, line_of, write

TWO_UNITS = edit(MINIMAL, "    金额: {一般性项目: 50, 市级专项: 10}\n",
                 "    金额: {一般性项目: 50, 市级专项: 10}\n    预算单位: 区档案馆\n    预算单位编码: \"401002\"\n"
                 "  - 项目编码: \"P002\"\n    项目名称: 专项二\n    科目编码: \"2013102\"\n    金额: {一般性项目: 5}\n"
                 "    预算单位: 区测试局\n")


def cells(path, sheet):
    return [c for row in load_workbook(path)[sheet].iter_rows(values_only=True) for c in row if c is not None]


def test_a_subordinate_units_project_prints_its_own_unit(tmp_path):
    out = tmp_path / "out"
    built = run_cli("build", str(write(tmp_path, TWO_UNITS)), "-o", str(out), "--only", "xlsx")
    assert built.returncode == 0, built.stdout
    wb = load_workbook(out / "dept.xlsx")
    forms = [n for n in wb.sheetnames if n.startswith("附件12-")]
    by_project = [cells(out / "dept.xlsx", n) for n in forms]
    first = next(c for c in by_project if "P001-专项一" in c)
    second = next(c for c in by_project if "P002-专项二" in c)
    assert first[first.index("实施单位") + 1] == "401002-区档案馆"            # from the data
    assert second[second.index("实施单位") + 1] == "401001-测试（本级）"        # the profile's default


def test_several_units_without_codes_are_named(tmp_path):
    text = edit(TWO_UNITS, '    预算单位编码: "401002"\n', "")
    warned = [f for f in findings(tmp_path, text) if f[0] == "project_units_coded"]
    assert warned == [("project_units_coded", line_of(text, "预算单位: 区档案馆"), "警告",
                       "项目“专项一”的预算单位“区档案馆”没有预算单位编码：申报表的实施单位将按本部门（本级）打印；"
                       "若是下属单位，请写“预算单位编码”"),
                      ("project_units_coded", line_of(text, "预算单位: 区测试局"), "警告",
                       "项目“专项二”的预算单位“区测试局”没有预算单位编码：申报表的实施单位将按本部门（本级）打印；"
                       "若是下属单位，请写“预算单位编码”")]


def test_a_self_review_prints_its_own_status(tmp_path):
    out = tmp_path / "out"
    text = edit(FINAL, "整体自评:\n", "整体自评:\n  状态: 绩效审核未审\n")
    built = run_cli("build", str(write(tmp_path, text)), "-o", str(out), "--only", "xlsx")
    assert built.returncode == 0, built.stdout
    wb = load_workbook(out / "dept.xlsx")
    whole = cells(out / "dept.xlsx", "整体自评")
    assert "状态：绩效审核未审" in whole and "状态：绩效审核已审" not in whole
    project = cells(out / "dept.xlsx", next(n for n in wb.sheetnames if n.startswith("项目自评")))
    assert "状态：绩效审核已审" in project                                      # the profile's default
