"""Field types every document kind's model shares: amounts, codes, weights, the frozen base.

The YAML a clerk edits is Chinese; the code is English, so every model field has a Chinese
alias. Amounts are `Decimal` (the strict loader hands over strings, never floats) and accept
exactly one notation — plain decimals — so that `1e3`, `+8.64` or full-width digits are named
for what they are instead of being read silently.
"""

from __future__ import annotations

import re
import typing
from decimal import Decimal, InvalidOperation
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic.functional_validators import AfterValidator, BeforeValidator

from .limits import ITEMS, NAME, TEXT
from .numbers import UNITS

MAX_AMOUNT = Decimal("1e13")
Unit = Literal["元", "万元"]

_PLAIN = re.compile(r"^-?[0-9]+(?:\.[0-9]+)?$")
_SCIENTIFIC = re.compile(r"^[+-]?[0-9.]+[eE][+-]?[0-9]+$")
_FULL_WIDTH = str.maketrans("０１２３４５６７８９．－", "0123456789.-")


# the quotes a Chinese keyboard types, each with its pair, and every quote a value may be wrapped in
_CHINESE_QUOTES = {"“": "“”", "”": "“”", "‘": "‘’", "’": "‘’", "「": "「」", "」": "「」", "『": "『』", "』": "『』",
                   "＂": "＂＂", "＇": "＇＇"}
_ANY_QUOTE = "".join(_CHINESE_QUOTES) + "\"'"


def chinese_quoted(value: object) -> tuple[str, str] | None:
    """(the pair of quotes, the text inside) of a value typed in Chinese quotes — “2013101”,
    ‘2013101’, 「2013101」, or one of them at either end — which YAML keeps as part of the text."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    ends = [ch for ch in (text[:1], text[-1:]) if ch in _CHINESE_QUOTES]
    return (_CHINESE_QUOTES[ends[0]], text.strip(_ANY_QUOTE + " \u3000")) if ends else None


def _unquoted_number(value: object, what: str) -> None:
    """A number (an amount, a count, a year) in Chinese quotes: named, with the number to write."""
    quoted = chinese_quoted(value)
    if quoted:
        raise ValueError(f"{what} {str(value).strip()} 用了中文引号{quoted[0]}：{what}不加引号，请写成 {quoted[1]}")


def _amount(value: object) -> object:
    # refuse floats outright so no binary rounding sneaks in
    if value is None:
        raise ValueError("尚未填写金额")
    if isinstance(value, float):
        raise ValueError("金额不能是浮点数")
    if isinstance(value, bool) or not isinstance(value, (str, int, Decimal)):
        raise ValueError("应为金额数字")
    if not isinstance(value, str):
        return value
    _unquoted_number(value, "金额")
    text = value.strip()
    if "," in text or "，" in text:
        raise ValueError("金额中不要写千分位逗号")
    half = text.translate(_FULL_WIDTH)
    if half != text:
        raise ValueError(f"金额“{text}”中有全角字符，请改用半角数字：{half}")
    if text.startswith("+"):
        raise ValueError(f"金额前不要加“+”号，请写成 {text[1:]}")
    if _SCIENTIFIC.match(text):
        try:
            plain = format(Decimal(text), "f")
        except InvalidOperation:
            plain = "普通小数"
        raise ValueError(f"金额不要用科学计数法“{text}”，请写成 {plain}")
    if not _PLAIN.match(text):
        try:
            if not Decimal(text).is_finite():
                raise ValueError("金额必须是有限数字")
        except InvalidOperation:
            pass
        raise ValueError(f"应为金额数字（写的是“{text}”）")
    return text


def _check_signed(value: Decimal) -> Decimal:
    if not value.is_finite():
        raise ValueError("金额必须是有限数字")
    if abs(value) >= MAX_AMOUNT:
        raise ValueError("金额过大")
    if int(value.as_tuple().exponent) < -6:         # (finite, checked above: the exponent is a number)
        raise ValueError("金额小数位过多（最多 6 位）")
    return value


def _check_amount(value: Decimal) -> Decimal:
    if value.is_finite() and value < 0:
        raise ValueError("金额不能为负数")
    return _check_signed(value)


class _Marker:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


# What a field holds, for the tools that rewrite a YAML (init): a figure of the year (blanked for
# next year) or a target that carries over (an indicator's weight). BLANK_OK marks the few fields a
# clerk may leave blank on purpose (a weight the published form does not give): every other blank
# value is refused at its line (builder/core/parse.py), so a blank never counts as a zero.
FIGURE, TARGET, BLANK_OK = _Marker("FIGURE"), _Marker("TARGET"), _Marker("BLANK_OK")

Amount = Annotated[Decimal, BeforeValidator(_amount), AfterValidator(_check_amount),
                   Field(allow_inf_nan=False), FIGURE]
# A change stated in money (增加 X is X, 减少 X is −X): an amount that may be negative.
SignedAmount = Annotated[Decimal, BeforeValidator(_amount), AfterValidator(_check_signed),
                         Field(allow_inf_nan=False), FIGURE]
# A weight or a score may be left blank ("" or nothing) where the published form has none.
Weight = Annotated[Amount | None, BeforeValidator(lambda v: None if v == "" else v), TARGET, BLANK_OK]


def _marked(info, marker: _Marker) -> bool:
    stack = [info.annotation, *info.metadata]
    while stack:
        item = stack.pop()
        if item is marker:
            return True
        stack.extend(getattr(item, "__metadata__", ()))
        stack.extend(typing.get_args(item))
    return False


# Keys whose values are codes (quoted strings, never numbers) and keys whose values are a choice
# from a list: neither is prose (no year in them is stale, no placeholder a template word).
CODE_KEYS = ("科目编码", "部门编码", "项目编码", "单位代码", "目录序号", "预算单位编码")
CHOICE_KEYS = ("方案", "类型", "金额单位", "舍入前单位", "资金来源", "资金", "类别", "方式", "栏目", "比较")


def aliases(model: type[BaseModel], *keys: str) -> dict[str, str]:
    """A model's fields by their YAML names (alias → attribute): all of them, or those named, in
    the order named. The names are the model's, stated once."""
    fields = {info.alias: name for name, info in model.model_fields.items() if info.alias}
    return {key: fields[key] for key in keys} if keys else fields


def is_figure(info) -> bool:
    """A model field holding a figure of the year (an amount or a count), not a target."""
    return TARGET not in info.metadata and _marked(info, FIGURE)


def may_be_blank(info) -> bool:
    """A field a clerk may leave blank on purpose (see BLANK_OK)."""
    return _marked(info, BLANK_OK)


def _count(value: object) -> object:
    if value is None:
        raise ValueError("尚未填写数量")
    _unquoted_number(value, "数量")
    if isinstance(value, str) and not value.strip().isdigit():
        raise ValueError(f"应为整数（写的是“{value}”）")
    return value


Count = Annotated[int, BeforeValidator(_count), Field(ge=0), FIGURE]


class Frozen(BaseModel):
    # every text of every model is bounded (limits.py says why); a name more tightly (`Name`)
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True, str_max_length=TEXT)


# A name: it is printed in titles, the 目录 and bookmarks, not only in a cell.
Name = Annotated[str, Field(max_length=NAME)]


def _quoted_code(value: object, what: str) -> None:
    """A code in Chinese quotes: named, with the code in the quotes YAML knows."""
    quoted = chinese_quoted(value)
    if quoted:
        raise ValueError(f"{what} {str(value).strip()} 用了中文引号{quoted[0]}，请改为英文引号 \"{quoted[1]}\"")


def _code(digits: tuple[int, ...], what: str):
    def check(value: object) -> object:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            raise ValueError(f"{what}必须写成字符串，例如 \"{value}\"")
        _quoted_code(value, what)
        if isinstance(value, str):
            if "\u3000" in value:
                raise ValueError(f"{what}“{value}”中有全角空格，请删去")
            if not (value.isdigit() and value.isascii() and len(value) in digits):
                lengths = "/".join(str(d) for d in digits)
                raise ValueError(f"{what}“{value}”应为 {lengths} 位数字")
        return value
    return BeforeValidator(check)


def _identifier(what: str):
    """A free-form code (项目编码 …): no white space inside, full-width or not."""
    def check(value: object) -> object:
        _quoted_code(value, what)
        if isinstance(value, str):
            text = value.strip()
            if "\u3000" in text:
                raise ValueError(f"{what}“{text}”中有全角空格，请删去")
            if any(ch.isspace() for ch in text):
                raise ValueError(f"{what}“{text}”中有空格，请删去")
        return value
    return BeforeValidator(check)


FunctionItemCode = Annotated[str, _code((7,), "功能分类项级科目编码")]
EconomicCode = Annotated[str, _code((5,), "经济分类款级科目编码")]
DeptCode = Annotated[str, _code((1, 2, 3, 4, 5, 6), "部门编码")]
DeptUnitCode = Annotated[str, _code(tuple(range(1, 13)), "预算单位编码")]
ProjectCode = Annotated[str, _identifier("项目编码"), Field(min_length=1)]


def _percent(value: object) -> object:
    try:
        return _amount(value)
    except ValueError as exc:
        raise ValueError(str(exc).replace("金额", "百分比")) from None


# A share or a growth rate in percent, as a text states it: may be negative (下降 3.2% is -3.2).
Percent = Annotated[Decimal, BeforeValidator(_percent), Field(allow_inf_nan=False, gt=-10000, lt=10**6), FIGURE]
PERCENT_MODES = ("占比", "增长率")
CHANGE_MODES = ("增减", "增长率")          # a change against an earlier figure (上年 or 年初预算)


class StatedFigure(Frozen):
    """A figure stated elsewhere (a published table, the 情况说明, an approval) that must agree
    with what the builder computes, at the precision it is stated with (its decimals, in its
    unit). `方式: 合计` (default) treats it as a sum of rounded parts and accepts rounding
    differences; `方式: 引用` is a figure quoted from a table and must equal it exactly; `方式:
    增减` states a change in money (减少 negative) and `方式: 增长率` one in percent, against last
    year or (`比较: 年初预算`, a 决算) the year's budget; `方式: 占比` a share of its column's total."""
    code: str | None = Field(None, alias="科目编码", title="科目编码（不写则为全表合计类数字）")
    column: str = Field("合计", alias="栏目", title="栏目：合计、基本支出、项目支出、上年、收入.总计 …")
    amount: SignedAmount | None = Field(None, alias="金额",
                                        title="金额（方式为增减时是增减额，减少写负数；其余不为负）")
    percent: Percent | None = Field(None, alias="百分比",
                                    title="百分比（方式为占比或增长率时写，例如 14.4；下降写负数）")
    unit: Unit | None = Field(None, alias="金额单位", title="这个数字的单位（不写则同全文件）")
    where: str = Field("", alias="出处", title="出处，例如 附件2、情况说明")
    mode: Literal["合计", "引用", "增减", "占比", "增长率"] = Field(
        "合计", alias="方式", title="合计（默认）、引用（表中显示的数字）、增减（比较的增减额）、占比（占全表合计的百分比）、"
                                   "增长率（比较的增减百分比）")
    against: Literal["上年", "年初预算"] = Field(
        "上年", alias="比较", title="增减、增长率与什么比较：上年（默认）或年初预算（部门决算）")

    @model_validator(mode="after")
    def _one_figure(self) -> "StatedFigure":
        if self.mode in PERCENT_MODES:
            if self.percent is None or self.amount is not None:
                raise ValueError(f"方式为{self.mode}时只写“百分比”（例如 百分比: 14.4），不写金额")
        elif self.amount is None:
            raise ValueError("请写“金额”" + ("；百分比须同时写“方式: 占比”或“方式: 增长率”" if self.percent is not None else ""))
        elif self.percent is not None:
            raise ValueError("“金额”和“百分比”只写一个；百分比须同时写“方式: 占比”或“方式: 增长率”")
        elif self.amount < 0 and self.mode != "增减":
            raise ValueError("金额不能为负数（比较的减少额写“方式: 增减”，减少写负数）")
        if self.against != "上年" and self.mode not in CHANGE_MODES:
            raise ValueError(f"“比较: {self.against}”只用于方式为增减或增长率的核对数")
        return self

    @field_validator("code", mode="before")
    @classmethod
    def _code(cls, value: object) -> object:
        _quoted_code(value, "科目编码")
        if isinstance(value, str) and not (value.isdigit() and value.isascii() and len(value) in (3, 5, 7)):
            raise ValueError(f"科目编码“{value}”应为 3、5 或 7 位数字")
        return value


class DocumentBase(Frozen):
    """What every document kind's YAML starts with: who, which year, which table set, which unit,
    and the files it links."""
    name: Name = Field(alias="部门", min_length=1, title="部门全称")
    short_name: Name = Field("", alias="部门简称")
    code: DeptCode | None = Field(None, alias="部门编码", title="部门编码（方案打印部门编码时必填）")
    year: int = Field(alias="年度", ge=1990, le=2100)
    profile: str | None = Field(None, alias="方案", title="公开表方案（templates/profiles/ 中的文件名）")
    unit: Unit = Field(alias="金额单位", title="本文件金额的单位")
    rounded_from: Unit | None = Field(
        None, alias="舍入前单位",
        title="本文件的万元数字由以元为单位的数字四舍五入而来时写“元”：勾稽核对接受舍入误差，并逐处给出警告")
    catalogue_files: tuple[str, ...] = Field((), alias="科目表", max_length=ITEMS["科目表"],
                                             title="本地科目表 CSV（相对本文件的路径；可写一个或一个列表）")
    previous_file: str | None = Field(None, alias="上年文件", title="上年 YAML 文件（相对本文件的路径）")
    partial: bool = Field(False, alias="部分数据",
                          title="只含已公布的部分数字，供其他年度引用（不单独生成公开表）")
    stated: tuple[StatedFigure, ...] = Field((), alias="核对数", max_length=ITEMS["核对数"],
                                             title="核对数：已公布或已批复的数字，与计算结果比对")
    published: tuple[StatedFigure, ...] = Field(
        (), alias="已公布数", max_length=ITEMS["核对数"],
        title="已公布数：部分数据文件只有合计数时，供其他年度引用的数字（科目编码、栏目、金额）")

    @field_validator("year", mode="before")
    @classmethod
    def _year(cls, value: object) -> object:
        _unquoted_number(value, "年度")
        if isinstance(value, str) and not value.isdigit():
            raise ValueError(f"年度“{value}”应为四位数字，例如 2023")
        return value

    @field_validator("rounded_from")
    @classmethod
    def _finer(cls, value: str | None, info) -> str | None:
        unit = info.data.get("unit")
        if value is not None and unit is not None and not UNITS[value] < UNITS[unit]:
            raise ValueError(f"舍入前单位应比金额单位（{unit}）更细，例如金额单位为万元时写“元”")
        return value

    @field_validator("catalogue_files", mode="before")
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        return (value,) if isinstance(value, str) else value
