"""A department the examples do not cover: codes the catalogue lacks (项, 款 and 类) named in the
YAML, or brought by a district CSV (--catalogue or the 科目表 key), with 警告 naming them; without
names, an error that names the key to add and suggests near codes — never a package file. Its new
类 299 is printed by the 潼南 收支总表 once the district's 类列表.yaml adds it to that list."""

import pytest
from openpyxl import load_workbook

from builder.core.catalogue import class_lists

from conftest import run_cli
from helpers import write


@pytest.fixture(autouse=True)
def district_lists(tmp_path):
    """The district's 类列表: the built-in 潼南 list with the new 类 299 added."""
    codes = ", ".join(f'"{c}"' for c in (*class_lists()["潼南预算2022"], "299"))
    (tmp_path / "方案").mkdir()
    write(tmp_path, f"潼南预算2022: [{codes}]\n", "方案/类列表.yaml")

ARCHIVES = """\
部门: 重庆市某区档案馆
部门简称: 档案馆
部门编码: "355"
年度: 2025
方案: 潼南
金额单位: 元
功能分类支出:
  - {科目编码: "2012604", 基本支出: 800000.00}
  - {科目编码: "2080505", 基本支出: 90000.00}
  - {科目编码: "2210201", 基本支出: 60000.00}
  - {科目编码: "2990101", 基本支出: 10000.00}
经济分类基本支出:
  - {科目编码: "30101", 人员经费: 760000.00}
  - {科目编码: "30201", 公用经费: 200000.00}
项目:
  - 项目编码: "5001AAA001"
    项目名称: 档案数字化
    科目编码: "2012604"
    金额: {一般性项目: 150000.00}
"""
NAMED = (ARCHIVES.replace('{科目编码: "2012604", 基本支出: 800000.00}',
                          '{科目编码: "2012604", 基本支出: 800000.00, 科目名称: 档案馆, 款名称: 档案事务}')
         .replace('{科目编码: "2990101", 基本支出: 10000.00}',
                  '{科目编码: "2990101", 基本支出: 10000.00, 科目名称: 测试项, 款名称: 测试款, 类名称: 测试类}'))
CSV = "科目编码,科目名称\n20126,档案事务\n2012604,档案馆\n299,测试类\n29901,测试款\n2990101,测试项\n"


def test_without_names_the_error_names_the_key_and_near_codes(tmp_path):
    path = write(tmp_path, ARCHIVES)
    result = run_cli("check", str(path))
    assert result.returncode == 1
    assert (f"{path}:8: 错误: 支出功能分类科目表中没有款级科目 20126、项级科目 2012604：若编码无误，"
            "请在本行写上“款名称: …”和“科目名称: …”给出名称，或把本地科目表放进区里的“方案”文件夹"
            "（也可用 --catalogue 指定）；相近的已知编码：") in result.stdout
    assert "类名称" in result.stdout
    assert "templates" not in result.stdout


def test_names_in_the_yaml_build_with_warnings(tmp_path):
    path = write(tmp_path, NAMED)
    result = run_cli("build", str(path), "-o", str(tmp_path / "out"), "--only", "xlsx")
    assert result.returncode == 0, result.stdout
    out = result.stdout
    assert f"{path}:8: 警告: 支出功能分类科目 20126“档案事务”不在科目表中，名称取自本文件" in out
    assert f"{path}:8: 警告: 支出功能分类科目 2012604“档案馆”不在科目表中，名称取自本文件" in out
    assert f"{path}:11: 警告: 支出功能分类科目 299“测试类”不在科目表中，名称取自本文件" in out
    rows = {r[0]: r for r in load_workbook(tmp_path / "out" / "dept.xlsx")["附件8"].iter_rows(values_only=True)
            if r[0]}
    assert rows["20126"][1] == "档案事务" and rows["2012604"][1] == "档案馆" and rows["299"][1] == "测试类"
    assert rows["2012604"][2] == 95                # 800,000 + the project's 150,000 元, in 万元
    projects = load_workbook(tmp_path / "out" / "dept.xlsx")["附件10"]
    assert ["2012604", "档案馆", "档案数字化"] == [c for c in next(
        r for r in projects.iter_rows(values_only=True) if "档案数字化" in r)[2:5]]


def test_a_district_catalogue_given_on_the_command_line(tmp_path):
    path = write(tmp_path, ARCHIVES)
    catalogue = write(tmp_path, CSV, "本区科目表.csv")
    result = run_cli("build", str(path), "--catalogue", str(catalogue), "-o", str(tmp_path / "out"), "--only", "xlsx")
    assert result.returncode == 0, result.stdout
    assert "警告: 支出功能分类科目" not in result.stdout     # the district vouches for them
    rows = {r[0]: r for r in load_workbook(tmp_path / "out" / "dept.xlsx")["附件8"].iter_rows(values_only=True)
            if r[0]}
    assert rows["20126"][1] == "档案事务"
    assert run_cli("check", str(path), "--catalogue", str(catalogue)).returncode == 0


def test_a_district_catalogue_named_in_the_yaml(tmp_path):
    (tmp_path / "区").mkdir()
    write(tmp_path, CSV, "区/科目表.csv")
    path = write(tmp_path, ARCHIVES.replace("金额单位: 元", "金额单位: 元\n科目表: 区/科目表.csv"))
    assert run_cli("check", str(path)).returncode == 0
    missing = write(tmp_path, ARCHIVES.replace("金额单位: 元", "金额单位: 元\n科目表: 没有.csv"), "b.yaml")
    result = run_cli("check", str(missing))
    assert result.returncode == 1 and f"{missing}:7: 错误: 找不到科目表：没有.csv" in result.stdout


def test_a_new_class_the_district_list_leaves_out_is_an_error(tmp_path):
    (tmp_path / "方案" / "类列表.yaml").unlink()
    path = write(tmp_path, NAMED)
    result = run_cli("check", str(path))
    assert result.returncode == 1
    assert (f"{path}:11: 错误: 299 测试类 有数字，但方案“潼南”的附件1按编码列表“潼南预算2022”逐行印出，列表中没有它，"
            f"表中会漏印；请在方案的列表中加上“299”（区里的列表在“方案”文件夹的 类列表.yaml）") in result.stdout


def test_bad_catalogue_rows_stop_the_build_with_their_line(tmp_path):
    path = write(tmp_path, ARCHIVES)
    catalogue = write(tmp_path, "科目编码,科目名称\n20126,档案事务\n2012X04,档案馆\n", "坏.csv")
    result = run_cli("build", str(path), "--catalogue", str(catalogue), "-o", str(tmp_path / "out"), "--only", "xlsx")
    assert result.returncode == 1
    assert f"{catalogue}:3: 错误: 科目编码“2012X04”应为数字" in result.stdout
    assert not (tmp_path / "out").exists()


def test_diff_takes_the_district_catalogue_too(tmp_path):
    catalogue = write(tmp_path, CSV, "本区科目表.csv")
    old = write(tmp_path, ARCHIVES.replace("年度: 2025", "年度: 2024"), "old.yaml")
    new = write(tmp_path, ARCHIVES.replace("800000.00", "810000.00").replace("人员经费: 760000.00", "人员经费: 770000.00"),
                "new.yaml")
    result = run_cli("diff", str(old), str(new), "--catalogue", str(catalogue))
    assert result.returncode == 1, result.stderr
    assert "2012604 档案馆［合计］" in result.stdout


# A 街道 office (another region): every code is one other regions' published documents print, none
# of them in the catalogue before it was widened; the YAML names none of them.
STREET = """\
部门: 某区某街道办事处
部门简称: 街道办
部门编码: "361"
年度: 2025
方案: 潼南
金额单位: 元
功能分类支出:
  - {科目编码: "2120101", 基本支出: 500000.00}
  - {科目编码: "2010601", 基本支出: 80000.00}
  - {科目编码: "2080502", 基本支出: 40000.00}
  - {科目编码: "2100717", 基本支出: 30000.00}
  - {科目编码: "2210203", 基本支出: 20000.00}
经济分类基本支出:
  - {科目编码: "30101", 人员经费: 600000.00}
  - {科目编码: "30201", 公用经费: 70000.00}
项目:
  - 项目编码: "5001STR001"
    项目名称: 城管执法专项
    科目编码: "2120104"
    金额: {一般性项目: 250000.00}
"""


def test_codes_other_regions_print_build_without_naming_them(tmp_path):
    path = write(tmp_path, STREET)
    result = run_cli("build", str(path), "-o", str(tmp_path / "out"), "--only", "xlsx")
    assert result.returncode == 0, result.stdout
    assert "科目表中没有" not in result.stdout and "不在科目表中" not in result.stdout
    rows = {r[0]: r for r in load_workbook(tmp_path / "out" / "dept.xlsx")["附件8"].iter_rows(values_only=True)
            if r[0]}
    assert [rows[c][1] for c in ("212", "21201", "2120101", "2120104", "20106", "2010601", "2080502", "21007",
                                 "2100717", "2210203")] == [
        "城乡社区支出", "城乡社区管理事务", "行政运行", "城管执法", "财政事务", "行政运行", "事业单位离退休",
        "计划生育事务", "计划生育服务", "购房补贴"]


def test_a_name_of_another_edition_is_accepted_and_reported(tmp_path):
    text = STREET.replace('{科目编码: "30101", 人员经费: 600000.00}',
                          '{科目编码: "30101", 人员经费: 590000.00}\n  - {科目编码: "30307", 人员经费: 10000.00, 科目名称: 医疗费}')
    path = write(tmp_path, text)
    result = run_cli("build", str(path), "-o", str(tmp_path / "out"), "--only", "xlsx")
    assert result.returncode == 0, result.stdout
    assert (f"{path}:15: 警告: 部门预算支出经济分类科目 30307“医疗费”是其他版本科目表中的名称，科目表中的现行名称为"
            "“医疗费补助”；表中印本文件写的名称，请核对编码和名称是否为本年度的") in result.stdout
    printed = [r for sheet in load_workbook(tmp_path / "out" / "dept.xlsx") for r in sheet.iter_rows(values_only=True)
               if r and r[0] == "30307"]
    assert printed and all(r[1] == "医疗费" for r in printed)
