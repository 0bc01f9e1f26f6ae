"""One YAML, any profile: the 潼南 examples under the 渝北 profile build where their data
suffices and name what is missing where it does not."""

from openpyxl import load_workbook

from builder.tables.profile import available, load_profile
from conftest import EXAMPLES, run_cli

QUWEI = EXAMPLES / "tongnan-quwei-2023.yaml"


def test_profiles_available():
    assert available() == ["丰润", "渝北", "潼南"]
    assert len(load_profile("渝北").tables) == 17
    assert len(load_profile("丰润").tables) == 12


def test_tongnan_under_yubei_names_the_missing_data(tmp_path):
    result = run_cli("build", str(QUWEI), "--profile", "渝北", "-o", str(tmp_path))
    assert result.returncode == 1
    for table, key in (("表七", "政府经济分类基本支出"), ("表八", "经济分类项目支出"),
                       ("表九", "政府经济分类项目支出")):
        assert f"方案“渝北”的{table}" in result.stderr and f"需要“{key}”" in result.stderr
    assert not list(tmp_path.iterdir())


def test_tongnan_under_yubei_builds_the_rest_in_yuan(tmp_path):
    result = run_cli("build", str(QUWEI), "--profile", "渝北", "--allow-incomplete", "-o", str(tmp_path))
    assert result.returncode == 0, result.stderr
    wb = load_workbook(tmp_path / "tongnan-quwei-2023.xlsx")
    assert "表七" not in wb.sheetnames and "表十三" in wb.sheetnames
    rows = {r[0]: r for r in wb["表三"].iter_rows(values_only=True) if r[0]}
    assert rows["2013101"][2] == 6223400              # 622.34 万元 shown in 元
    assert [n for n in wb.sheetnames if n.startswith("表十七")] == [f"表十七-{i}" for i in range(1, 7)]


def test_tongnan_under_fengrun_needs_meeting_and_training_fees(tmp_path):
    result = run_cli("check", str(QUWEI), "--profile", "丰润")
    assert result.returncode == 1
    assert "方案“丰润”的表9（部门预算财政拨款三公经费支出表）需要“三公经费”中的“会议费”和“培训费”" in result.stderr
    assert "固定资产" in result.stderr


def test_unknown_profile(tmp_path):
    result = run_cli("check", str(QUWEI), "--profile", "北京")
    assert result.returncode == 1
    assert "没有名为“北京”的方案（可用：丰润、渝北、潼南）" in result.stderr
