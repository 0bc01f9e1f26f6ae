from decimal import Decimal

import pytest

from builder.core.findings import BuildFailed

from helpers import MINIMAL, load


def errors(tmp_path, text):
    with pytest.raises(BuildFailed) as failed:
        load(tmp_path, text)
    return [f"{f.line}: {f.message}" for f in failed.value.findings]


def test_minimal_department(tmp_path):
    dept = load(tmp_path).model
    assert dept.functions[0].code == "2013101"
    assert dept.functions[0].basic == Decimal("100.10")
    assert dept.projects[0].split.total == Decimal(60)


def test_unknown_key_suggests_the_nearest(tmp_path):
    text = MINIMAL.replace("  - {科目编码: \"2013101\", 基本支出: 100.10}",
                           "  - {科目编码: \"2013101\", 基本支岀: 100.10}")
    assert errors(tmp_path, text) == ["7: 未知的键“基本支岀”，是否应为“基本支出”？"]


def test_wrong_type_names_the_expected_type(tmp_path):
    text = MINIMAL.replace("三公经费: {公务接待: 3}", "三公经费: [3]")
    assert errors(tmp_path, text) == ["13: “三公经费”应为键值映射（“键: 值”）"]


def test_amount_must_be_a_number(tmp_path):
    text = MINIMAL.replace("基本支出: 20.05", "基本支出: 二十")
    assert errors(tmp_path, text) == ["8: “功能分类支出” → 第 2 项 → “基本支出”应为金额数字（写的是“二十”）"]


@pytest.mark.parametrize("value, message", [
    ("-5", "金额不能为负数"), ('"1,000"', "金额中不要写千分位逗号"), ("10000000000000", "金额过大"),
    ("NaN", "金额必须是有限数字"), ("Infinity", "金额必须是有限数字"),
    ("1e3", "金额不要用科学计数法“1e3”，请写成 1000"), ("+8.64", "金额前不要加“+”号，请写成 8.64"),
    ("６２２.３４", "金额“６２２.３４”中有全角字符，请改用半角数字：622.34"),
])
def test_bad_amounts(tmp_path, value, message):
    [error] = errors(tmp_path, MINIMAL.replace("基本支出: 20.05", f"基本支出: {value}"))
    assert error.startswith("8: ") and message in error


def test_code_of_the_wrong_length(tmp_path):
    [error] = errors(tmp_path, MINIMAL.replace('"2080505"', "20805"))
    assert error == "8: “功能分类支出” → 第 2 项 → “科目编码”：功能分类项级科目编码“20805”应为 7 位数字"


def test_missing_required_key(tmp_path):
    assert errors(tmp_path, MINIMAL.replace("金额单位: 万元\n", "")) == ["1: 缺少必填项“金额单位”"]


def test_unit_must_be_yuan_or_wanyuan(tmp_path):
    [error] = errors(tmp_path, MINIMAL.replace("金额单位: 万元", "金额单位: 千元"))
    assert error.startswith("5: “金额单位”的值“千元”无效")


def test_unknown_key_of_a_model_without_aliases(tmp_path):
    """A profile's keys are English field names without aliases: a misspelt one is suggested
    like a department's (this crashed on the missing alias)."""
    from builder.core.loader import load_yaml
    from builder.core.parse import parse_model
    from builder.publication.profile import Profile
    path = tmp_path / "p.yaml"
    path.write_text("name: 本区\ndescription: x\nunit: 万元\ntables: []\nnarativ: x\n", encoding="utf-8")
    data, located = load_yaml(path)
    with pytest.raises(BuildFailed) as failed:
        parse_model(Profile, data, located, str(path))
    assert [f"{f.line}: {f.message}" for f in failed.value.findings] == ["5: 未知的键“narativ”，是否应为“narrative”？"]


@pytest.mark.parametrize("old, new, message", [
    ("年度: 2024", "年度: “2024”", "4: “年度”：年度 “2024” 用了中文引号“”：年度不加引号，请写成 2024"),
    ('部门编码: "401"', "部门编码: ‘401’", '3: “部门编码”：部门编码 ‘401’ 用了中文引号‘’，请改为英文引号 "401"'),
    ('项目编码: "P001"', "项目编码: 『P001』",
     '16: “项目” → 第 1 项 → “项目编码”：项目编码 『P001』 用了中文引号『』，请改为英文引号 "P001"'),
    ("三公经费: {公务接待: 3}", "三公经费: {公务接待: 3}\n核对数:\n  - {科目编码: “208”, 金额: 20.10}",
     '15: “核对数” → 第 1 项 → “科目编码”：科目编码 “208” 用了中文引号“”，请改为英文引号 "208"'),
])
def test_values_in_chinese_quotes_are_named(tmp_path, old, new, message):
    assert old in MINIMAL
    assert errors(tmp_path, MINIMAL.replace(old, new)) == [message]
