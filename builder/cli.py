"""Command line: wires commands to library functions and prints findings for a clerk."""

from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import sys
import unicodedata
from pathlib import Path

from . import __version__, compare
from . import build as pipeline
from .batch import BUILT, FAILED, UNCHANGED, Options, build_all, describe_earlier, find_departments
from .convert import CONVERSIONS
from .core import district
from .core.document import Computed
from .core.files import os_problem, write_all_atomically
from .core.findings import BuildFailed, error
from .kinds import kinds
from .profiles import available, load_profile, origin
from .publication.build import spec_label
from .render import DEFAULT_FORMATS, RENDERERS
from .schema import schema_for


def _write(targets: dict[Path, bytes]) -> None:
    """Write a command's output file, or fail with a finding saying why in Chinese."""
    try:
        write_all_atomically(targets)
    except OSError as exc:
        where = exc.filename or next(iter(targets))
        raise BuildFailed([error(str(where), None, os_problem(exc, where, writing=True))]) from None


def _print_findings(results, fmt: str, inputs=()) -> None:
    """Each result's findings, after `inputs`' own (a folder without departments)."""
    if fmt == "json":
        print(json.dumps([f.as_json() for f in inputs] + [f.as_json() for r in results for f in r.findings],
                         ensure_ascii=False, indent=2))
        return
    # errors and warnings on one stream, in file order: `check > log.txt` keeps them all
    for finding in inputs:
        print(finding)
    for result in results:
        for finding in sorted(result.findings, key=lambda f: (f.file != result.file, f.file, f.line or 0)):
            print(finding)


NOTHING_FOUND = "没有找到要{}的部门文件"


def cmd_check(args) -> int:
    catalogues = tuple(Path(c) for c in args.catalogue)
    found = find_departments([Path(p) for p in args.yaml])
    results = [pipeline.check(p, args.profile, args.allow_incomplete, catalogues) for p in found.paths]
    _print_findings(results, args.format, found.findings)
    if args.format == "text":
        for r in results:
            if r.ok:
                print(f"{r.file}: 检查通过")
        if not results:
            print(NOTHING_FOUND.format("检查"))
    # a folder without departments beside other inputs is only a warning; nothing at all to check fails
    return 0 if results and all(r.ok for r in results) else 1


def cmd_build(args) -> int:
    if args.debug:
        os.environ["BUDGET_BUILDER_DEBUG"] = "1"
    options = Options(Path(args.output), args.profile, args.allow_incomplete,
                      tuple(Path(c) for c in args.catalogue), tuple(args.only or DEFAULT_FORMATS), args.force)
    run = build_all([Path(p) for p in args.yaml], options, args.jobs)
    _print_findings(run.outcomes, "text", run.findings)
    if not run.outcomes:
        print(NOTHING_FOUND.format("生成") + "，未生成任何文件")
        return 1
    for outcome in run.outcomes:
        if outcome.status == BUILT:
            for path in outcome.outputs:
                print(f"已生成 {path}")
        elif outcome.status == FAILED and outcome.earlier:      # left as they were, but not current
            print(f"{outcome.file}: 有错误，未生成；{describe_earlier(outcome.earlier)}")
        elif outcome.status == FAILED:
            print(f"{outcome.file}: 有错误，未生成任何文件")
    where = f"汇总：{run.overview}" if run.overview else "未生成汇总（没有部门生成成功）"
    print(f"共 {len(run.outcomes)} 个部门：生成 {run.count(BUILT)} 个，未变 {run.count(UNCHANGED)} 个（输入未改，"
          f"未重新生成；--force 全部重新生成），失败 {run.count(FAILED)} 个。{where}")
    return 0 if run.count(FAILED) == 0 else 1


def cmd_diff(args) -> int:
    catalogues = tuple(Path(c) for c in args.catalogue)
    try:
        old_doc = pipeline.load_document(Path(args.old), catalogues)
        new_doc = pipeline.load_document(Path(args.new), catalogues)
        older, newer = Computed(old_doc, pipeline.compute(old_doc)), Computed(new_doc, pipeline.compute(new_doc))
    except BuildFailed as failed:
        for finding in failed.findings:
            print(finding)
        return 2
    for finding in old_doc.findings + new_doc.findings:     # a GBK file: not in the report's stream
        print(finding, file=sys.stderr)
    differ = pipeline.differ(old_doc, new_doc)
    if differ is None:
        print(f"不能比较部门{old_doc.kind.name}与部门{new_doc.kind.name}（预算与决算比较时，预算在前）", file=sys.stderr)
        return 2
    report = differ(older, newer)
    try:
        if args.format == "xlsx":
            target = Path(args.output or compare.default_xlsx_name(args.old, args.new))
            _write({target: compare.as_xlsx(report)})
            print(f"已生成 {target}")
        else:
            text = {"text": lambda: compare.as_text(report, sys.stdout.isatty() and not args.output),
                    "json": lambda: compare.as_json(report),
                    "md": lambda: compare.as_markdown(report)}[args.format]()
            if args.output:
                _write({Path(args.output): text.encode("utf-8")})
                print(f"已生成 {args.output}")
            else:
                sys.stdout.write(text)
    except BuildFailed as failed:        # the report could not be written: 2, as for a file not loaded
        for finding in failed.findings:
            print(finding)
        return 2
    return 1 if report.changes else 0


def cmd_init(args) -> int:
    last_path = Path(args.source)
    document = pipeline.load_document(last_path, links=False)
    for finding in document.findings:          # a GBK file (the new one is written as UTF-8)
        print(finding)
    last, stem = document.model, last_path.stem
    if args.kind and args.kind != document.kind.name:
        conversion = CONVERSIONS.get((document.kind.name, args.kind))
        if conversion is None:
            can = "、".join(f"由部门{a}生成部门{b}（--kind {b}）" for a, b in CONVERSIONS)
            print(f"只能{can}，{last_path} 是部门{document.kind.name}", file=sys.stderr)
            return 1
        out = Path(args.output) if args.output else last_path.parent / f"{stem}{conversion.suffix}.yaml"
        make = lambda: conversion.make(document, out)
        done = "已生成 {out}：" + conversion.done
    else:
        year = args.year
        if year is None or year <= last.year:
            print(f"--year 应晚于 {last_path} 的年度 {last.year}", file=sys.stderr)
            return 1
        name = stem.replace(str(last.year), str(year)) if str(last.year) in stem else f"{stem}-{year}"
        out = Path(args.output) if args.output else last_path.parent / f"{name}.yaml"
        next_year = document.kind.next_year
        if next_year is None:
            print(f"部门{document.kind.name}不能由上年文件生成", file=sys.stderr)
            return 1
        make = lambda: next_year(document, year, out)
        done = "已生成 {out}：本年金额均为空，请逐项填写后运行 check"
    if out.exists() and not args.force:
        print(f"{out} 已存在，未覆盖（加 --force 覆盖）", file=sys.stderr)
        return 1
    _write({out: make().encode("utf-8")})
    print(done.format(out=out))
    return 0


def cmd_import(args) -> int:
    from .importer import import_file
    source = Path(args.file)
    target = Path(args.output) if args.output else source.with_suffix(".yaml")
    if target.exists() and not args.force:
        raise BuildFailed([error(str(target), None, "文件已存在；加 --force 覆盖，或用 -o 另选文件名")])
    result = import_file(source, args.profile, tuple(Path(c) for c in args.catalogue), near=target)
    for finding in result.findings:
        print(finding)
    failed = any(f.severity.value == "错误" for f in result.findings)
    if result.text is None or (failed and args.strict):
        print(f"{source}: 未写出 YAML" + ("（--strict：有错误）" if result.text is not None else ""))
        return 1
    _write({target: result.text.encode("utf-8")})
    print(f"已导入 {source} → {target}（{result.tables} 张表，{result.seconds:.1f} 秒）；"
          f"请运行 check {target} 核对")
    return 1 if failed else 0


def cmd_schema(args) -> int:
    text = schema_for(args.kind)
    if args.output:
        _write({Path(args.output): text.encode("utf-8")})
        print(f"已生成 {args.output}")
    else:
        sys.stdout.write(text)
    return 0


def cmd_profiles(args) -> int:
    near = Path(args.folder)
    found = district.find(near)
    print(f"区里的方案文件夹：{found}" if found else
          f"（{near.resolve()} 及其上级没有“{district.FOLDER}”文件夹，只有内置方案）")
    failed = False
    for name, path in available(near).items():
        try:
            profile = load_profile(name, near)
        except BuildFailed as problem:          # a district's profile with a mistake: said, and the rest listed
            print(f"{name}（{origin(path)}）：无法读取")
            for finding in problem.findings:
                print(f"  {finding}")
            failed = True
            continue
        print(f"{name}：{profile.description}（{origin(path)}）")
        for n, table in enumerate(profile.tables, start=1):
            print(f"  {spec_label(profile, n)} {table.title}{'（每个项目一张）' if table.repeat else ''}")
    return 1 if failed else 0


def cmd_names(args) -> int:
    """What a profile may name, per document kind: placeholders, row sets and their fields,
    totals, form records — the declaration profiles are validated against."""
    types = {"money": "金额", "count": "数量", "number": "数值", "percent": "百分比", "text": "文字"}
    for kind in kinds().values():
        if args.kind and kind.name != args.kind:
            continue
        m = kind.measures
        print(f"# 部门{kind.name}")
        print(f"占位符：{'、'.join(sorted(m.context | {'unit'}))}")
        for name, fields in m.rowsets.items():
            print(f"行集 {name}：" + "、".join(f"{k}（{types[t]}）" for k, t in fields.items()))
        print("合计数 $：" + "、".join(m.scalars))
        for name, spec in m.records.items():
            print(f"表单 {name}：占位符 {'、'.join(sorted(spec.text))}；数值 {'、'.join(spec.values) or '无'}；"
                  f"指标字段 {'、'.join(spec.indicators) or '无'}" + (f"；标记 {'、'.join(sorted(spec.tags))}" if spec.tags else ""))
        print(f"数据要求 requires：{'、'.join(kind.needs)}")
        if kind.measures_for is not None:
            print("支出类别 spending_categories：方案列出的每个类别（如 单位预留机动经费）与“基本支出”同样可用："
                  "行集 功能分类 的列 类别、一般公共预算.类别 ……，合计数 $支出.类别、$支出.财政拨款.类别 ……")
        print()
    return 0


# -- argparse in Chinese ------------------------------------------------------------------------
# argparse writes its help and its errors in English. The parser below names its sections, its
# help option and its usage line in Chinese and says every command-line mistake in Chinese, still
# exiting with status 2 as argparse does.

COMMAND = "命令"      # the subcommand's name in usage lines and messages


def _columns(text: str) -> int:
    """How many columns a text takes in a terminal: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


class _Formatter(argparse.HelpFormatter):
    """argparse's layout with a Chinese usage prefix, aligned by columns, not characters."""

    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)

    def _format_usage(self, usage, actions, groups, prefix):
        # a long usage's continuation lines are indented by the prefix's length in characters
        first, *rest = super()._format_usage(usage, actions, groups, prefix).split("\n")
        wider = " " * (_columns(prefix or "") - len(prefix or ""))
        return "\n".join([first, *(wider + line if line.strip() else line for line in rest)])

    def add_argument(self, action):
        super().add_argument(action)
        if action.help is not argparse.SUPPRESS:
            actions = [action, *self._iter_indented_subactions(action)]
            widest = max(_columns(self._format_action_invocation(a)) for a in actions)
            self._action_max_length = max(self._action_max_length, widest + self._current_indent)

    def _format_action(self, action):
        # argparse pads an option to the help column by characters: take out what its Chinese
        # characters already fill, or start the help on the next line
        text = super()._format_action(action)
        head = " " * self._current_indent + self._format_action_invocation(action)
        wider = _columns(head) - len(head)
        if wider and text.startswith(head + "  "):
            rest = text[len(head):]
            pad = len(rest) - len(rest.lstrip(" "))
            if pad - wider >= 2:
                return head + rest[wider:]
            column = min(self._action_max_length + 2, self._max_help_position)
            return head + "\n" + " " * column + rest.lstrip(" ")
        return text


def _integer(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"应为整数（写的是“{text}”）") from None


# argparse's own messages (Python 3.11–3.13), each with its Chinese; names and values keep
# argparse's spelling ('x' for a value, -o/--output for an option)
_ARGPARSE = [
    (r"the following arguments are required: (?P<names>.+)", "缺少必填参数：{names}"),
    (r"one of the arguments (?P<names>.+) is required", "以下参数须给出一个：{names}"),
    (r"unrecognized arguments: (?P<values>.+)", "无法识别的参数：{values}"),
    (r"ambiguous option: (?P<option>\S+) could match (?P<names>.+)", "选项 {option} 不明确，可能是：{names}"),
    (r"argument (?P<name>.+?): expected one argument", "{name} 后面应跟一个值"),
    (r"argument (?P<name>.+?): expected at most one argument", "{name} 后面最多跟一个值"),
    (r"argument (?P<name>.+?): expected at least one argument", "{name} 后面至少应跟一个值"),
    (r"argument (?P<name>.+?): expected (?P<count>\d+) arguments?", "{name} 后面应跟 {count} 个值"),
    (r"argument (?P<name>.+?): invalid choice: (?P<value>.+?) \(choose from (?P<names>.+)\)",
     "{name} 的值 {value} 无效（可选：{names}）"),
    (r"argument (?P<name>.+?): invalid \w+ value: (?P<value>.+)", "{name} 的值 {value} 无效"),
    (r"argument (?P<name>.+?): ignored explicit argument (?P<value>.+)", "{name} 不接受值（写的是 {value}）"),
    (r"argument (?P<name>.+?): not allowed with argument (?P<other>.+)", "{name} 不能与 {other} 同时使用"),
    (r"argument (?P<name>.+?): (?P<message>.+)", "{name} {message}"),      # our own messages, already Chinese
]


def chinese(message: str, commands: dict | None = None) -> str:
    """An argparse error message in Chinese (a message it does not know is kept as it is);
    `commands` are the parser's subcommands, listed when the command is missing."""
    for pattern, text in _ARGPARSE:
        match = re.fullmatch(pattern, message, re.S)
        if match:
            parts = {k: v.replace(", ", "、") if k == "names" else v for k, v in match.groupdict().items()}
            if commands and pattern.startswith("the following") and COMMAND in parts["names"].split("、"):
                return f"缺少{COMMAND}（可用的{COMMAND}：{'、'.join(commands)}）"
            return text.format(**parts)
    return message


class ChineseParser(argparse.ArgumentParser):
    """ArgumentParser with Chinese help and errors; its subcommands' parsers are of the same class."""

    def __init__(self, *args, add_help: bool = True, **kwargs) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs["add_help"] = False             # ours, in Chinese, below
        super().__init__(*args, **kwargs)
        self._positionals.title = "位置参数"
        self._optionals.title = "选项"
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="显示本帮助并退出")

    def _check_value(self, action, value):
        # argparse's own check, in English ("invalid choice: …"); a mistyped command gets the nearest one
        if action.choices is None or value in action.choices:
            return
        choices = [str(c) for c in action.choices]
        near = difflib.get_close_matches(str(value), choices, n=1, cutoff=0.5)
        hint = f"，是否应为 {near[0]}？" if near else ""
        if isinstance(action, argparse._SubParsersAction):
            if not near and Path(value).suffix in (".yaml", ".yml"):
                hint = f"：请在文件前写上{COMMAND}，例如 budget-builder check {value}"
            raise argparse.ArgumentError(None, f"未知的{COMMAND}“{value}”{hint}（可用的{COMMAND}：{'、'.join(choices)}）")
        raise argparse.ArgumentError(action, f"的值“{value}”无效{hint}（可选：{'、'.join(choices)}）")

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: 错误：{chinese(message, commands(self))}\n")


def commands(ap: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """The subcommands of a parser and their parsers (none for a subcommand's own parser)."""
    for action in ap._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def parser() -> argparse.ArgumentParser:
    ap = ChineseParser(prog="budget-builder", description="由部门预算、部门决算 YAML 生成公开表（XLSX 与 PDF）")
    ap.add_argument("--version", action="version", version=f"budget-builder {__version__}", help="显示版本号并退出")
    ap.add_argument("--debug", action="store_true", help="出错时显示 Python 回溯")
    sub = ap.add_subparsers(dest="command", required=True, metavar=COMMAND)
    b = sub.add_parser("build", help="检查并生成 XLSX 与 PDF（可给文件或文件夹）")
    b.add_argument("yaml", nargs="+", metavar="文件或文件夹", help="部门 YAML 文件或文件夹（文件夹下的每个部门文件；只作为上年文件、"
                                           "预算文件或部分数据的文件除外）")
    b.add_argument("-o", "--output", default="output", metavar="目录", help="输出目录（默认 output/）")
    b.add_argument("--profile", metavar="方案", help="公开表方案（默认取 YAML 的“方案”）")
    b.add_argument("--allow-incomplete", action="store_true",
                   help="YAML 缺少某表所需数据时，跳过该表并给出警告（默认为错误）")
    b.add_argument("--catalogue", action="append", default=[], metavar="科目表.csv",
                   help="本地科目表（科目编码,科目名称），补充或更正内置科目表；可重复")
    b.add_argument("-j", "--jobs", type=_integer, default=None, metavar="N", help="并行进程数（默认：全部 CPU 核）")
    b.add_argument("--force", action="store_true", help="输入未改的部门也重新生成")
    b.add_argument("--only", action="append", choices=list(RENDERERS),
                   help="只生成这种格式（可重复）：xlsx、pdf，或 json（公开数据：JSON 和 CSV）")
    b.set_defaults(func=cmd_build)
    c = sub.add_parser("check", help="只检查，不生成文件")
    c.add_argument("yaml", nargs="+", metavar="文件或文件夹", help="部门 YAML 文件或文件夹")
    c.add_argument("--profile", metavar="方案", help="公开表方案（默认取 YAML 的“方案”）")
    c.add_argument("--allow-incomplete", action="store_true", help="缺少某表所需数据只作警告")
    c.add_argument("--format", choices=["text", "json"], default="text", help="结果格式（默认 text）")
    c.add_argument("--catalogue", action="append", default=[], metavar="科目表.csv", help="本地科目表；可重复")
    c.set_defaults(func=cmd_check)
    d = sub.add_parser("diff", help="按科目、项目、指标比较两个年度（或两个版本）的 YAML")
    d.add_argument("old", metavar="旧文件", help="旧文件（上年，或同年度的部门预算）")
    d.add_argument("new", metavar="新文件", help="新文件（本年，或同年度的部门决算）")
    d.add_argument("--format", choices=["text", "json", "md", "xlsx"], default="text", help="报告格式（默认 text）")
    d.add_argument("-o", "--output", metavar="文件", help="写入文件（xlsx 不写时为“旧-新.xlsx”）")
    d.add_argument("--catalogue", action="append", default=[], metavar="科目表.csv", help="本地科目表；可重复")
    d.set_defaults(func=cmd_diff)
    i = sub.add_parser("init", help="以上年 YAML 为底稿生成下一年度的 YAML，或由部门预算生成部门决算（金额留空）")
    i.add_argument("--from", dest="source", required=True, metavar="文件", help="上年的 YAML，或（--kind 决算）本年度的部门预算 YAML")
    i.add_argument("--year", type=_integer, metavar="年度", help="新文件的年度（下一年度）")
    i.add_argument("--kind", choices=["预算", "决算"], help="决算：由部门预算生成同一年度的部门决算")
    i.add_argument("-o", "--output", metavar="文件", help="新文件（默认与上年文件同目录）")
    i.add_argument("--force", action="store_true", help="覆盖已有文件")
    i.set_defaults(func=cmd_init)
    m = sub.add_parser("import", help="由已有的公开表（Excel 工作簿或带文字层的 PDF）导入部门 YAML")
    m.add_argument("file", metavar="文件", help="公开表的 .xlsx 或 .pdf")
    m.add_argument("--profile", required=True, metavar="方案", help="这套表所用的方案（如 潼南、渝北、潼南决算）")
    m.add_argument("-o", "--output", metavar="YAML", help="写出的 YAML（默认与原文件同名，扩展名 .yaml）")
    m.add_argument("--force", action="store_true", help="覆盖已有的 YAML")
    m.add_argument("--strict", action="store_true", help="有任何错误就不写出 YAML")
    m.add_argument("--catalogue", action="append", default=[], metavar="CSV", help="本地区的科目表 CSV（可重复）")
    m.set_defaults(func=cmd_import)
    j = sub.add_parser("schema", help="输出部门预算或决算 YAML 的 JSON Schema（供编辑器补全与提示）")
    j.add_argument("--kind", choices=["预算", "决算"], default="预算", help="文件类型（默认 预算）")
    j.add_argument("-o", "--output", metavar="文件", help="写入文件（默认输出到屏幕）")
    j.set_defaults(func=cmd_schema)
    p = sub.add_parser("profiles", help="列出可用的公开表方案及其来源（区里的“方案”文件夹或内置）")
    p.add_argument("folder", nargs="?", default=".", metavar="文件夹",
                   help="从这个文件夹（或部门 YAML）向上找区里的“方案”文件夹（默认当前文件夹）")
    p.set_defaults(func=cmd_profiles)
    n = sub.add_parser("names", help="列出方案可引用的名称（行集、字段、合计数、占位符），供编写新方案")
    n.add_argument("--kind", choices=["预算", "决算"], help="只列这一类型（默认两类都列）")
    n.set_defaults(func=cmd_names)
    from .service.cli import add_commands  # serve, users: the web service (builder/service)
    add_commands(sub)
    return ap


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except BuildFailed as failed:
        for finding in failed.findings:
            print(finding)
        return 1
    except BrokenPipeError:
        # the reader went away (`profiles | head`): stop quietly, as other command-line tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # a bug, not a clerk's mistake: say so briefly unless --debug
        if args.debug:
            raise
        if isinstance(exc, OSError) and exc.filename:     # a file no stage expected to fail on
            print(f"{exc.filename}: 错误: {os_problem(exc, exc.filename, writing=None)}")
            return 1
        print(f"内部错误：{type(exc).__name__}: {exc}（加 --debug 查看详情）", file=sys.stderr)
        return 2
