"""Each known error of the published seeds (../shared/seeds/README.md) is caught.

The fixtures are the examples with the figures typed as published: the example YAML as it is,
plus, as 核对数, the published figures that disagree (and, for 000, the 2022 figure the example
deliberately did not follow put back into its previous-year file). Published totals that differ from the sum of their
printed parts only by rounding (001: 附件2 合计 3218.11 vs 1234.69 + 1983.43) are inside the
rounding interval and stay silent, as XBRL Calculations 1.1 decides.
"""

from builder.build import check

from conftest import EXAMPLES, example_copy


def findings_for(tmp_path, stem, stated, previous_replace=()):
    text = (EXAMPLES / f"{stem}.yaml").read_text(encoding="utf-8")
    text += "\n核对数:\n" + "".join(f"  - {line}\n" for line in stated)
    path = example_copy(tmp_path, f"{stem}-as-published.yaml", text)
    for name, old, new in previous_replace:          # figures of the linked previous-year file
        previous = tmp_path / "previous" / name
        source = previous.read_text(encoding="utf-8")
        assert old in source
        previous.write_text(source.replace(old, new), encoding="utf-8")
    lines = text.splitlines()
    result = check(path)
    return {(lines[f.line - 1].strip() if f.line else ""): f.message
            for f in result.findings if f.severity.value == "错误"}


def test_seed_000_as_published(tmp_path):
    stated = [
        '{科目编码: "201", 金额: 1387.31, 出处: 情况说明, 方式: 引用}',
        '{科目编码: "201", 栏目: 上年, 金额: 2775.59, 出处: 附件2}',
        '{栏目: 上年, 金额: 3033.78, 出处: 附件2}',
        # consistent published figures stay silent
        '{栏目: 合计, 金额: 1708.68, 出处: 附件8}',
        '{科目编码: "208", 金额: 190.14, 出处: 情况说明, 方式: 引用}',
        '{栏目: 本年.总计, 金额: 53, 出处: 附件4}',
    ]
    errors = findings_for(tmp_path, "tongnan-quwei-2023", stated,
                          [("tongnan-quwei-2022.yaml", '{科目编码: "2013102", 项目支出: 1788.59}',
                            '{科目编码: "2013102", 项目支出: 422.00}')])
    assert errors == {
        stated[0].join(["- ", ""]): "情况说明中201 合计 1387.31 与表中计算值 1387.32 不符（相差 -0.01）",
        stated[1].join(["- ", ""]): "附件2中201 上年 2775.59 与表中计算值 1409 不符（相差 1366.59）",
        stated[2].join(["- ", ""]): "附件2中上年 3033.78 与表中计算值 1667.19 不符（相差 1366.59）",
    }


def test_seed_001_as_published(tmp_path):
    stated = [
        '{科目编码: "201", 金额: 2863.44, 出处: 情况说明, 方式: 引用}',
        '{科目编码: "2010301", 金额: 619.54, 出处: 附件7}',
        '{科目编码: "221", 栏目: 上年, 金额: 2.24, 出处: 附件2}',
        '{栏目: 政府采购.总计, 金额: 49.65, 出处: 情况说明, 方式: 引用}',
        # off by 0.01 from the sum of printed parts: rounding, silent
        '{栏目: 合计, 金额: 3218.11, 出处: 附件2}',
        '{科目编码: "201", 金额: 2962.42, 出处: 附件2}',
        '{栏目: 经济分类.公用经费, 金额: 326.17, 出处: 附件3}',
    ]
    errors = findings_for(tmp_path, "tongnan-zhengfu-2022", stated)
    assert errors == {
        stated[0].join(["- ", ""]): "情况说明中201 合计 2863.44 与表中计算值 2962.43 不符（相差 -98.99）",
        stated[1].join(["- ", ""]): "附件7中2010301 合计 619.54 与表中计算值 669.54 不符（相差 -50）",
        stated[2].join(["- ", ""]): "附件2中221 上年 2.24 与表中计算值 47.72 不符（相差 -45.48）",
        stated[3].join(["- ", ""]): "情况说明中政府采购.总计 49.65 与表中计算值 0 不符（相差 49.65）",
    }
