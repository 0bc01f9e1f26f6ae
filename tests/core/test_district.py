"""A district's own folder (方案/) outside the package: its profile, 情况说明 template, 类 list,
code list and 三公 codes, found from a department YAML with no flag (issue 18, issue 21's 类 lists).

The district is docs/示例区/方案 (the walk-through of docs/new-region.md), copied outside the
repository; the department is the 潼南 政府办 example with `方案: 示例区`.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pdfplumber
import pytest
from openpyxl import load_workbook

from builder.batch import Options, find_departments, input_key
from builder.build import check
from builder.core import district
from builder.load import load_document

from conftest import EXAMPLES, ROOT, D, Sheet, run_cli

SAMPLE = ROOT / "docs" / "示例区" / "方案"


@pytest.fixture
def area(tmp_path) -> Path:
    """A district root outside the repository: 方案/ and a department below it, in 部门/."""
    shutil.copytree(SAMPLE, tmp_path / "方案")
    departments = tmp_path / "部门"
    (departments / "previous").mkdir(parents=True)
    shutil.copy(EXAMPLES / "previous" / "tongnan-zhengfu-2021.yaml", departments / "previous")
    text = (EXAMPLES / "tongnan-zhengfu-2022.yaml").read_text(encoding="utf-8")
    assert "\n方案: 潼南\n" in text
    (departments / "zhengfu.yaml").write_text(text.replace("\n方案: 潼南\n", "\n方案: 示例区\n"), encoding="utf-8")
    return tmp_path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_folder_is_found_from_the_yaml_upwards(area):
    assert district.find(area / "部门" / "zhengfu.yaml") == (area / "方案").resolve()
    assert district.find(area) == (area / "方案").resolve()
    assert set(district.profile_files(area / "方案")) == {"示例区", "示例省"}   # 类列表.yaml is no profile
    assert [p.name for p in district.code_files(area / "方案")] == ["科目表.csv"]


@pytest.mark.slow
def test_a_department_naming_only_its_district_profile_builds(area):
    result = run_cli("build", "部门/zhengfu.yaml", "-o", "out", cwd=area)
    assert result.returncode == 0, result.stdout + result.stderr
    book = load_workbook(area / "out" / "zhengfu.xlsx")
    assert book.sheetnames[:3] == ["目录", "情况说明", "公开01表"]
    total = Sheet(book["公开01表"])
    # the district's 类 list, with its edition's names and its own numbering: 20 rows
    labels = [r[2] for r in total.rows if isinstance(r[2], str) and "、" in r[2] and "支出" in r[2]]
    assert labels[1:] == [
        "一、一般公共服务支出", "二、外交支出", "三、国防支出", "四、公共安全支出", "五、教育支出", "六、科学技术支出",
        "七、文化体育与传媒支出", "八、社会保障和就业支出", "九、医疗卫生与计划生育支出", "十、节能环保支出",
        "十一、城乡社区支出", "十二、农林水支出", "十三、交通运输支出", "十四、资源勘探信息等支出", "十五、商业服务业等支出",
        "十六、金融支出", "十七、国土海洋气象等支出", "十八、住房保障支出", "十九、粮油物资储备支出", "二十、其他支出"]
    assert total.amounts("九、医疗卫生与计划生育支出") == D(60.93, 60.93, 0)    # seed 001: 210 卫生健康支出 60.93
    assert total.amounts("收入总计") == D(3218.12, 3218.12, 3218.12, 0)
    # the 情况说明 from the district's template (its headings are its own), in both formats
    narrative = Sheet(book["情况说明"]).text()
    assert "一、部门主要职责" in narrative and "四、“三公”经费预算情况" in narrative
    assert "“三公”经费预算 83 万元，比上年增加 28 万元，增长 50.9%" in narrative       # the built-in change() macro
    with pdfplumber.open(area / "out" / "zhengfu.pdf") as pdf:
        text = "".join((page.extract_text() or "") for page in pdf.pages[:3])
    assert "一、部门主要职责" in text and "公开01表" in text and "七、文化体育与传媒支出" in text


@pytest.mark.slow
def test_the_same_profile_by_flag(area):
    edit(area / "部门" / "zhengfu.yaml", "\n方案: 示例区\n", "\n方案: 潼南\n")
    by_name = run_cli("build", "部门/zhengfu.yaml", "-o", "a", "--only", "xlsx", "--profile", "示例区", cwd=area)
    by_path = run_cli("build", "部门/zhengfu.yaml", "-o", "b", "--only", "xlsx", "--profile", "方案/示例区.yaml", cwd=area)
    for result, out in ((by_name, "a"), (by_path, "b")):
        assert result.returncode == 0, result.stdout + result.stderr
        assert "公开04表" in load_workbook(area / out / "zhengfu.xlsx").sheetnames


def test_profiles_says_where_each_came_from(area):
    result = run_cli("profiles", "部门", cwd=area)
    assert result.returncode == 0, result.stdout
    assert f"区里的方案文件夹：{(area / '方案').resolve()}" in result.stdout
    assert f"示例区：示例区部门预算公开表（公开01表—公开05表，演示区里的方案文件夹）（{(area / '方案' / '示例区.yaml').resolve()}）" \
        in result.stdout
    assert "潼南：重庆市潼南区部门预算公开表（附件1—附件12）（内置）" in result.stdout


def test_a_district_profile_replaces_a_built_in_one_of_its_name(area):
    shutil.copy(area / "方案" / "示例区.yaml", area / "方案" / "潼南.yaml")
    edit(area / "方案" / "潼南.yaml", "name: 示例区", "name: 潼南")
    edit(area / "部门" / "zhengfu.yaml", "\n方案: 示例区\n", "\n方案: 潼南\n")
    result = check(area / "部门" / "zhengfu.yaml")
    assert result.ok, result.findings
    out = run_cli("profiles", cwd=area)
    assert f"（{(area / '方案' / '潼南.yaml').resolve()}）" in out.stdout


def test_the_district_code_list_names_codes_the_package_lacks(area):
    dept = area / "部门" / "zhengfu.yaml"
    edit(dept, '  - 科目编码: "2010350"', '  - {科目编码: "2013899", 基本支出: 1}\n  - 科目编码: "2010350"')
    document = load_document(dept)
    entry = document.catalogue.entry("2013899")
    assert entry is not None and entry.name == "其他市场监督管理事务"
    assert entry.source == f"{(area / '方案' / '科目表.csv').resolve()}:4"
    assert not [f for f in check(dept).findings if f.rule == "known_codes"]
    (area / "方案" / "科目表.csv").unlink()                # without the district's list: unknown (its 款
    assert [f.message[:40] for f in check(dept).findings if f.rule == "known_codes"] == \
        ["支出功能分类科目表中没有项级科目 2013899：若编码无误，请在本行写上“科目"]      # 20138 is built in)


def test_a_bad_district_code_list_is_an_error_at_its_line(area):
    (area / "方案" / "科目表.csv").write_text("科目编码,科目名称\n2013899,\n", encoding="utf-8")
    found = check(area / "部门" / "zhengfu.yaml").findings
    assert [str(f) for f in found] == [f"{(area / '方案' / '科目表.csv').resolve()}:2: 错误: 科目 2013899 缺少科目名称"]


def test_a_list_leaving_out_a_class_with_figures_is_an_error(area):
    edit(area / "方案" / "类列表.yaml", "  - 208 社会保障和就业支出\n", "")
    found = [f for f in check(area / "部门" / "zhengfu.yaml").findings if f.rule == "figures_are_in_code_lists"]
    assert [(f.line, f.message) for f in found] == [(79, "208 社会保障和就业支出 有数字，但方案“示例区”的公开01表按编码列表"
                                                        "“示例区2019”逐行印出，列表中没有它，表中会漏印；请在方案的列表中加上“208”"
                                                        "（区里的列表在“方案”文件夹的 类列表.yaml）")]


def test_a_profile_may_write_its_list_inline(area):
    profile = area / "方案" / "示例区.yaml"
    edit(profile, "class_list: 示例区2019", "class_list: 本表\ncode_lists:\n  本表: [\"201 一般公共服务\", \"208\", \"210\", \"221\"]")
    result = run_cli("build", "部门/zhengfu.yaml", "-o", "out", "--only", "xlsx", cwd=area)
    assert result.returncode == 0, result.stdout
    rows = Sheet(load_workbook(area / "out" / "zhengfu.xlsx")["公开01表"]).rows
    assert [r[2] for r in rows[6:11]] == ["一、一般公共服务", "二、社会保障和就业支出", "三、卫生健康支出", "四、住房保障支出", "支出总计"]


def test_a_bad_class_list_file_is_an_error_at_its_line(area):
    (area / "方案" / "类列表.yaml").write_text("示例区2019: 201\n", encoding="utf-8")
    found = check(area / "部门" / "zhengfu.yaml").findings
    assert [str(f) for f in found] == [f"{area / '方案' / '类列表.yaml'}:1: 错误: 类列表“示例区2019”应为编码的列表"
                                       f"（如 [\"201 一般公共服务支出\", …]）"]


@pytest.mark.parametrize("template, line, message", [
    ("{% if n.部门 %}\n<p>{{ n.部门 }}</p>\n", 2, "情况说明模板有语法错误：Unexpected end of template."),
    ("<p>{{ n.部门 }}</p>\n<p>{{ n.没有这个 }}</p>\n", 2, "情况说明模板用到了没有的数字或文字“没有这个”"),
    ("<p>{{ 没有 }}</p>\n", 1, "情况说明模板用到了没有的数字或文字“没有”"),
    ("<p>{{ n.__class__.__mro__ }}</p>\n", 1, "情况说明模板做了不允许的操作：access to attribute '__class__' of 'dict' object is unsafe."),
    ("<p>{{ 1 / 0 }}</p>\n", 1, "情况说明模板出错：ZeroDivisionError: division by zero"),
])
def test_a_broken_district_template_is_an_error_at_its_line(area, template, line, message):
    (area / "方案" / "示例区.html.j2").write_text(template, encoding="utf-8")
    result = run_cli("check", "部门/zhengfu.yaml", cwd=area)
    assert result.returncode == 1
    assert f"{(area / '方案' / '示例区.html.j2').resolve()}:{line}: 错误: {message}" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr and "内部错误" not in result.stdout


def test_a_missing_district_template_is_an_error_at_the_profile_line(area):
    (area / "方案" / "示例区.html.j2").unlink()
    result = run_cli("check", "部门/zhengfu.yaml", cwd=area)
    assert result.returncode == 1
    assert (f"{(area / '方案' / '示例区.yaml').resolve()}:10: 错误: 找不到情况说明模板“示例区.html.j2”"
            f"（应放在方案文件旁：{(area / '方案').resolve()}）") in result.stdout


def test_the_district_three_public_codes(area):
    dept = area / "部门" / "zhengfu.yaml"
    # 政府办's 公务接待 is 43 万元, its 30217 公务接待费 basic line 20.00: charging 30211 (差旅费, 71.18) too fails
    (area / "方案" / "三公.yaml").write_text(
        '因公出国: ["30212"]\n公务接待: ["30217", "30211"]\n公务用车运行维护: ["30231"]\n公务用车购置: ["31013"]\n',
        encoding="utf-8")
    found = [f for f in check(dept).findings if f.rule == "three_public_covers_basic"]
    assert [f.message for f in found] == ["“三公”经费中公务接待 43 小于基本支出经济分类 30217、30211 的 91.18"]
    (area / "方案" / "三公.yaml").write_text('因公出国: ["30212"]\n公务招待: ["30217"]\n', encoding="utf-8")
    found = check(dept).findings
    assert [str(f) for f in found] == [f"{(area / '方案' / '三公.yaml').resolve()}:2: 错误: “公务招待”不是“三公”经费的一项"
                                       f"（应为：因公出国、公务接待、公务用车运行维护、公务用车购置）"]


def test_the_batch_takes_no_district_file_for_a_department(area):
    found = find_departments([area])
    assert [p.relative_to(area).as_posix() for p in found.paths] == ["部门/zhengfu.yaml"]


def test_a_changed_district_file_rebuilds(area):
    dept, options = area / "部门" / "zhengfu.yaml", Options(area / "out")
    before = input_key(dept, options)
    for name, added in (("类列表.yaml", "\n其他: [\"201\"]\n"), ("科目表.csv", "2040299,其他公安支出（本区）\n"),
                        ("示例区.html.j2", "\n")):
        with open(area / "方案" / name, "a", encoding="utf-8") as handle:
            handle.write(added)
        after = input_key(dept, options)
        assert after != before, name
        before = after
