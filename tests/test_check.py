from builder.check import run_checks
from builder.compute import compute
from helpers import MINIMAL, load


def findings(tmp_path, text=MINIMAL):
    dept, located, path = load(tmp_path, text)
    return [(f.rule, f.line, f.severity.value, f.message) for f in run_checks(compute(dept), located, str(path))]


def test_minimal_is_clean(tmp_path):
    assert findings(tmp_path) == []


def test_unknown_item_code(tmp_path):
    text = MINIMAL.replace('"2013101"', '"2013177"')
    assert findings(tmp_path, text) == [("known_function_codes", 7, "错误",
        "支出功能分类科目表中没有项级科目 2013177；请核对编码，或在 templates/catalogue/function_codes.csv 中补充")]


def test_unknown_item_code_with_name_override_is_accepted(tmp_path):
    text = MINIMAL.replace('{科目编码: "2013101", 基本支出: 100.10}',
                           '{科目编码: "2013177", 基本支出: 100.10, 科目名称: 新设科目}')
    assert findings(tmp_path, text) == []


def test_unknown_economic_code(tmp_path):
    text = MINIMAL.replace('"30201"', '"30298"')
    [(rule, line, _, message)] = findings(tmp_path, text)
    assert (rule, line, message) == ("known_economic_codes", 11, "部门预算支出经济分类科目表中没有科目 30298")


def test_basic_by_function_must_equal_economic(tmp_path):
    text = MINIMAL.replace("公用经费: 20}", "公用经费: 21}")
    [(rule, line, severity, message)] = findings(tmp_path, text)
    assert (rule, line, severity) == ("basic_by_function_equals_economic", 9, "错误")
    assert message == "一般公共预算基本支出按经济分类合计 121.15，按功能分类合计 120.15，两者应相等（相差 1）"


def test_rounding_differences_in_wanyuan_are_tolerated(tmp_path):
    # 4 figures typed in 万元, each ±0.005: a difference of 0.02 is within (4 × 0.005)
    text = MINIMAL.replace("人员经费: 100.15}", "人员经费: 100.17}")
    assert findings(tmp_path, text) == []
    text = MINIMAL.replace("人员经费: 100.15}", "人员经费: 100.18}")
    assert [f[0] for f in findings(tmp_path, text)] == ["basic_by_function_equals_economic"]


def test_rounding_is_not_tolerated_in_yuan(tmp_path):
    text = MINIMAL.replace("金额单位: 万元", "金额单位: 元").replace("人员经费: 100.15}", "人员经费: 100.16}")
    assert [f[0] for f in findings(tmp_path, text)] == ["basic_by_function_equals_economic"]


def test_three_public_at_least_basic_counterpart(tmp_path):
    text = MINIMAL.replace('  - {科目编码: "30201", 公用经费: 20}',
                           '  - {科目编码: "30201", 公用经费: 16}\n  - {科目编码: "30217", 公用经费: 4}')
    [(rule, line, _, message)] = findings(tmp_path, text)
    assert (rule, line) == ("three_public_covers_basic", 13)
    assert message == "“三公”经费中公务接待 3 小于基本支出经济分类 30217 的 4"


def test_project_weights_warning(tmp_path):
    text = MINIMAL + ("    绩效指标:\n"
                      "      - {一级指标: 产出指标, 二级指标: 数量指标, 三级指标: 次数, 权重: 60}\n"
                      "      - {一级指标: 效益指标, 二级指标: 社会效益指标, 三级指标: 效果, 权重: 30}\n")
    assert findings(tmp_path, text) == [("project_weights_sum_to_100", 18, "警告",
                                         "项目“专项一”的绩效指标权重合计 90，应为 100")]


def test_department_weights_warning(tmp_path):
    text = MINIMAL + "整体绩效目标:\n  指标:\n    - {指标名称: 满意度, 指标权重: 50}\n"
    assert [f[:3] for f in findings(tmp_path, text)] == [("department_weights_sum_to_100", 19, "警告")]
