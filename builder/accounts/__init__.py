"""The 部门决算 (final accounts): what a department actually received and spent in a closed year."""

from ..core.kind import Kind, Link
from .compute import MEASURES, compute
from .diff import budget_against_actual, diff
from .model import REASON_KEYS, FinalAccounts
from .narrative import narrative_figures
from .needs import NEEDS
from .next_year import next_year_yaml
from .rules import RULES

KIND = Kind(
    name="决算", document="部门决算", model=FinalAccounts, measures=MEASURES, compute=compute,
    rules=tuple(RULES), needs=NEEDS,
    links=(Link("上年文件", "previous_file", "上年", "决算", -1), Link("预算文件", "budget_file", "预算", "预算", 0)),
    narrative=narrative_figures, default_profile="潼南决算", reason_keys=REASON_KEYS,
    diff=diff, diff_against=(("预算", budget_against_actual),), next_year=next_year_yaml,
    schema_file="final-accounts.schema.json", summary=lambda facts: {
        "收入总计": facts.scalar("收入.总计"), "支出总计": facts.scalar("支出.总计"),
        "基本支出": facts.scalar("支出.基本支出"), "项目支出": facts.scalar("支出.项目支出"),
        "“三公”经费": facts.scalar("三公.合计")})
