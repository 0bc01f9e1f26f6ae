"""The 部门预算 (budget): a department's planned income and expenditure for the coming year."""

from ..core.kind import Kind, Link
from .compute import MEASURES, compute, measures_for
from .diff import diff
from .model import REASON_KEYS, Department
from .narrative import narrative_figures
from .needs import NEEDS
from .next_year import next_year_yaml
from .rules import RULES

KIND = Kind(
    name="预算", document="部门预算", model=Department, measures=MEASURES, compute=compute,
    rules=tuple(RULES), needs=NEEDS,
    links=(Link("上年文件", "previous_file", "上年", "预算", -1),),
    narrative=narrative_figures, default_profile="潼南", reason_keys=REASON_KEYS,
    diff=diff, next_year=next_year_yaml, schema_file="department.schema.json", measures_for=measures_for, summary=lambda facts: {
        "收入总计": facts.scalar("收入.总计"), "支出总计": facts.scalar("支出.合计"),
        "基本支出": facts.scalar("支出.基本支出"), "项目支出": facts.scalar("支出.项目支出"),
        "“三公”经费": facts.scalar("本年.总计")})
