"""Profiles: every file in templates/profiles/ loads and builds from a generic department of its
kind; a misspelt name fails to load with file:line and a suggestion; one YAML renders to any
profile whose data it carries and names what is missing where it does not."""

from pathlib import Path

import pytest
from openpyxl import load_workbook

from builder.build import analyse, publication
from builder.core.findings import BuildFailed
from builder.profiles import available, load_profile
from builder.publication.build import spec_label
from builder.publication.profile import PLACEHOLDER

from conftest import EXAMPLES, run_cli

QUWEI = EXAMPLES / "tongnan-quwei-2023.yaml"
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
GENERIC = {"预算": FIXTURES / "generic-budget.yaml", "决算": FIXTURES / "generic-final.yaml"}
PROFILES = Path(__file__).resolve().parent.parent.parent / "templates" / "profiles"


def test_every_profile_file_is_offered():
    assert list(available()) == sorted(p.stem for p in PROFILES.glob("*.yaml"))


def test_readme_lists_every_profile_with_its_description():
    readme = (PROFILES.parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## 方案"):]
    section = section[:section.index("\n## ", 5)]
    rows = [line.split("|")[1:4] for line in section.splitlines() if line.startswith("| ") and "---" not in line]
    listed = {name.strip(): (kind.strip(), text.strip()) for name, kind, text in rows[1:]}
    assert listed == {name: (load_profile(name).kind, load_profile(name).description) for name in available()}


@pytest.mark.parametrize("name", available())
def test_every_profile_builds_every_table_from_a_generic_department(name):
    profile = load_profile(name)
    analysis = analyse(GENERIC[profile.kind], name)
    assert [str(f) for f in analysis.findings if f.severity.value == "错误"] == []
    document = publication(analysis)
    labels = [t.label for t in document.tables]
    for n, spec in enumerate(profile.tables, start=1):
        label = spec_label(profile, n)
        assert any(l == label or l.startswith(f"{label}-") for l in labels), (name, spec.id)
    for table in document.tables:
        texts = [c.value for row in table.header + table.body for c in row if isinstance(c.value, str)]
        texts += [table.title, table.subtitle, *table.notes, *[x for line in table.above for x in line]]
        assert not [t for t in texts if PLACEHOLDER.search(t)], (name, table.label)


def profile_errors(tmp_path, old, new):
    """Load a copy of the 潼南 profile with `old` replaced by `new`: its findings and its lines."""
    source = (PROFILES / "潼南.yaml").read_text(encoding="utf-8")
    assert old in source
    path = tmp_path / "试验.yaml"
    path.write_text(source.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(BuildFailed) as failed:
        load_profile(str(path))
    return [(f.line, f.message) for f in failed.value.findings], path.read_text(encoding="utf-8").splitlines()


@pytest.mark.parametrize("old, new, message", [
    ("$财政拨款收入.总计", "$财政拨款收入.总记", "合计数“$财政拨款收入.总记”未定义，是否应为“财政拨款收入.总计”？"),
    ("{key: 人员经费, width: 14, kind: amount}", "{key: 人员经废, width: 14, kind: amount}",
     "列“人员经废”不是行集“经济分类基本支出”的字段，是否应为“人员经费”？"),
    ("rowset: 经济分类基本支出", "rowset: 经济分类基本支初", "没有名为“经济分类基本支初”的行集，是否应为“经济分类基本支出”？"),
    ('title: "{部门}{年度}年部门收支总表"', 'title: "{部门}{年 度}年部门收支总表"', "占位符“{年 度}”未定义，是否应为“年度”？"),
    ("include_if: [政府性基金.合计]", "include_if: [政府性基金.合记]",
     "include_if 的“政府性基金.合记”不是行集“功能分类”的字段，是否应为“政府性基金.合计”？"),
    ("requires: [项目金额]", "requires: [项目经费]", "未知的数据要求“项目经费”，是否应为“项目金额”？"),
    ("defaults: {实施单位:", "defaults: {实施单元:", "defaults 的“实施单元”不是表单“项目”的文字，是否应为“实施单位”？"),
])
def test_misspelt_names_fail_to_load_with_line_and_suggestion(tmp_path, old, new, message):
    [(line, text)], lines = profile_errors(tmp_path, old, new)
    assert text == message
    assert new in lines[line - 1]            # the line of the misspelt name


def test_tongnan_under_yubei_names_the_missing_data(tmp_path):
    result = run_cli("build", str(QUWEI), "--profile", "渝北", "-o", str(tmp_path))
    assert result.returncode == 1
    for table, key in (("表七", "政府经济分类基本支出"), ("表八", "经济分类项目支出"),
                       ("表九", "政府经济分类项目支出")):
        assert f"方案“渝北”的{table}" in result.stdout and f"需要“{key}”" in result.stdout
    assert not list(tmp_path.iterdir())


def test_tongnan_under_yubei_builds_the_rest_in_yuan(tmp_path):
    result = run_cli("build", str(QUWEI), "--profile", "渝北", "--allow-incomplete", "-o", str(tmp_path), "--only", "xlsx")
    assert result.returncode == 0, result.stderr
    wb = load_workbook(tmp_path / "tongnan-quwei-2023.xlsx")
    assert "表七" not in wb.sheetnames and "表十三" in wb.sheetnames
    rows = {r[0]: r for r in wb["表三"].iter_rows(values_only=True) if r[0]}
    assert rows["2013101"][2] == 6223400              # 622.34 万元 shown in 元
    assert [n for n in wb.sheetnames if n.startswith("表十七")] == [f"表十七-{i}" for i in range(1, 7)]


def test_tongnan_under_fengrun_needs_meeting_and_training_fees(tmp_path):
    result = run_cli("check", str(QUWEI), "--profile", "丰润")
    assert result.returncode == 1
    assert "方案“丰润”的表9（部门预算财政拨款三公经费支出表）需要“三公经费”中的“会议费”和“培训费”" in result.stdout
    assert "固定资产" in result.stdout


def test_unknown_profile(tmp_path):
    result = run_cli("check", str(QUWEI), "--profile", "北京")
    assert result.returncode == 1
    assert f"没有名为“北京”的方案（可用：{'、'.join(available())}）" in result.stdout
