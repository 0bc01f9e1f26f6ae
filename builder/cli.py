"""Command line: wires commands to library functions and prints findings for a clerk."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from . import build as pipeline
from .core.files import write_all_atomically
from .core.findings import BuildFailed
from .kinds import available, load_profile
from .tables.build import spec_label


def _print_findings(results, fmt: str) -> None:
    if fmt == "json":
        print(json.dumps([f.as_json() for r in results for f in r.findings],
                         ensure_ascii=False, indent=2))
        return
    # errors and warnings on one stream, in file order: `check > log.txt` keeps them all
    for result in results:
        for finding in sorted(result.findings, key=lambda f: (f.file != result.file, f.file, f.line or 0)):
            print(finding)


def cmd_check(args) -> int:
    catalogues = tuple(Path(c) for c in args.catalogue)
    from .batch import discover
    results = [pipeline.check(p, args.profile, args.allow_incomplete, catalogues)
               for p in discover([Path(p) for p in args.yaml])]
    _print_findings(results, args.format)
    if args.format == "text":
        for r in results:
            if r.ok:
                print(f"{r.file}: 检查通过")
    return 0 if all(r.ok for r in results) else 1


def cmd_build(args) -> int:
    from .batch import BUILT, FAILED, UNCHANGED, Options, build_all, describe_earlier
    if args.debug:
        os.environ["BUDGET_BUILDER_DEBUG"] = "1"
    options = Options(Path(args.output), args.profile, args.allow_incomplete,
                      tuple(Path(c) for c in args.catalogue), tuple(args.only or ("xlsx", "pdf")), args.force)
    run = build_all([Path(p) for p in args.yaml], options, args.jobs)
    _print_findings(run.outcomes, "text")
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
    from . import compare
    catalogues = tuple(Path(c) for c in args.catalogue)
    try:
        old_doc = pipeline.load_document(Path(args.old), catalogues)
        new_doc = pipeline.load_document(Path(args.new), catalogues)
        old, new = pipeline.compute(old_doc), pipeline.compute(new_doc)
    except BuildFailed as failed:
        for finding in failed.findings:
            print(finding)
        return 2
    differ = pipeline.differ(old_doc, new_doc)
    if differ is None:
        print(f"不能比较部门{old_doc.kind.name}与部门{new_doc.kind.name}（预算与决算比较时，预算在前）", file=sys.stderr)
        return 2
    report = differ(old, new, args.old, args.new)
    if args.format == "xlsx":
        target = Path(args.output or compare.default_xlsx_name(args.old, args.new))
        write_all_atomically({target: compare.as_xlsx(report)})
        print(f"已生成 {target}")
    else:
        text = {"text": lambda: compare.as_text(report, sys.stdout.isatty() and not args.output),
                "json": lambda: compare.as_json(report),
                "md": lambda: compare.as_markdown(report)}[args.format]()
        if args.output:
            write_all_atomically({Path(args.output): text.encode("utf-8")})
            print(f"已生成 {args.output}")
        else:
            sys.stdout.write(text)
    return 1 if report.changes else 0


def cmd_init(args) -> int:
    last_path = Path(args.source)
    document = pipeline.load_document(last_path, links=False)
    last, stem = document.model, last_path.stem
    if args.kind and args.kind != document.kind.name:
        if (document.kind.name, args.kind) != ("预算", "决算"):
            print(f"只能由部门预算生成部门决算（--kind 决算），{last_path} 是部门{document.kind.name}", file=sys.stderr)
            return 1
        from .accounts.init import final_from_budget
        out = Path(args.output) if args.output else last_path.parent / f"{stem}-juesuan.yaml"
        make = lambda: final_from_budget(document, out)
        done = "已生成 {out}：科目、项目和绩效指标取自预算，决算数均为空，请逐项填写后运行 check"
    else:
        year = args.year
        if year is None or year <= last.year:
            print(f"--year 应晚于 {last_path} 的年度 {last.year}", file=sys.stderr)
            return 1
        name = stem.replace(str(last.year), str(year)) if str(last.year) in stem else f"{stem}-{year}"
        out = Path(args.output) if args.output else last_path.parent / f"{name}.yaml"
        make = lambda: document.kind.next_year(document, year, out)
        done = "已生成 {out}：本年金额均为空，请逐项填写后运行 check"
    if out.exists() and not args.force:
        print(f"{out} 已存在，未覆盖（加 --force 覆盖）", file=sys.stderr)
        return 1
    write_all_atomically({out: make().encode("utf-8")})
    print(done.format(out=out))
    return 0


def cmd_schema(args) -> int:
    from .schema import schema_for
    text = schema_for(args.kind)
    if args.output:
        write_all_atomically({Path(args.output): text.encode("utf-8")})
        print(f"已生成 {args.output}")
    else:
        sys.stdout.write(text)
    return 0


def cmd_profiles(args) -> int:
    for name in available():
        profile = load_profile(name)
        print(f"{name}：{profile.description}")
        for n, table in enumerate(profile.tables, start=1):
            print(f"  {spec_label(profile, n)} {table.title}{'（每个项目一张）' if table.repeat else ''}")
    return 0


def cmd_names(args) -> int:
    """What a profile may name, per document kind: placeholders, row sets and their fields,
    totals, form records — the declaration profiles are validated against."""
    from .kinds import kinds
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
        print()
    return 0


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="budget-builder",
                                 description="由部门预算、部门决算 YAML 生成公开表（XLSX 与 PDF）")
    ap.add_argument("--debug", action="store_true", help="出错时显示 Python 回溯")
    sub = ap.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="检查并生成 XLSX 与 PDF（可给文件或文件夹）")
    b.add_argument("yaml", nargs="+", help="部门 YAML 文件或文件夹（文件夹下的每个部门文件；只作为上年文件、"
                                           "预算文件或部分数据的文件除外）")
    b.add_argument("-o", "--output", default="output", help="输出目录（默认 output/）")
    b.add_argument("--profile", help="公开表方案（默认取 YAML 的“方案”）")
    b.add_argument("--allow-incomplete", action="store_true",
                   help="YAML 缺少某表所需数据时，跳过该表并给出警告（默认为错误）")
    b.add_argument("--catalogue", action="append", default=[], metavar="科目表.csv",
                   help="本地科目表（科目编码,科目名称），补充或更正内置科目表；可重复")
    b.add_argument("-j", "--jobs", type=int, default=None, help="并行进程数（默认：全部 CPU 核）")
    b.add_argument("--force", action="store_true", help="输入未改的部门也重新生成")
    b.add_argument("--only", action="append", choices=["xlsx", "pdf"], help="只生成这种格式（可重复）")
    b.set_defaults(func=cmd_build)
    c = sub.add_parser("check", help="只检查，不生成文件")
    c.add_argument("yaml", nargs="+", help="部门 YAML 文件或文件夹")
    c.add_argument("--profile", help="公开表方案（默认取 YAML 的“方案”）")
    c.add_argument("--allow-incomplete", action="store_true", help="缺少某表所需数据只作警告")
    c.add_argument("--format", choices=["text", "json"], default="text", help="结果格式（默认 text）")
    c.add_argument("--catalogue", action="append", default=[], metavar="科目表.csv", help="本地科目表；可重复")
    c.set_defaults(func=cmd_check)
    d = sub.add_parser("diff", help="按科目、项目、指标比较两个年度（或两个版本）的 YAML")
    d.add_argument("old", help="旧文件（上年，或同年度的部门预算）")
    d.add_argument("new", help="新文件（本年，或同年度的部门决算）")
    d.add_argument("--format", choices=["text", "json", "md", "xlsx"], default="text", help="报告格式（默认 text）")
    d.add_argument("-o", "--output", help="写入文件（xlsx 不写时为“旧-新.xlsx”）")
    d.add_argument("--catalogue", action="append", default=[], metavar="科目表.csv", help="本地科目表；可重复")
    d.set_defaults(func=cmd_diff)
    i = sub.add_parser("init", help="以上年 YAML 为底稿生成下一年度的 YAML，或由部门预算生成部门决算（金额留空）")
    i.add_argument("--from", dest="source", required=True, help="上年的 YAML，或（--kind 决算）本年度的部门预算 YAML")
    i.add_argument("--year", type=int, help="新文件的年度（下一年度）")
    i.add_argument("--kind", choices=["预算", "决算"], help="决算：由部门预算生成同一年度的部门决算")
    i.add_argument("-o", "--output", help="新文件（默认与上年文件同目录）")
    i.add_argument("--force", action="store_true", help="覆盖已有文件")
    i.set_defaults(func=cmd_init)
    j = sub.add_parser("schema", help="输出部门预算或决算 YAML 的 JSON Schema（供编辑器补全与提示）")
    j.add_argument("--kind", choices=["预算", "决算"], default="预算", help="文件类型（默认 预算）")
    j.add_argument("-o", "--output", help="写入文件（默认输出到屏幕）")
    j.set_defaults(func=cmd_schema)
    p = sub.add_parser("profiles", help="列出可用的公开表方案")
    p.set_defaults(func=cmd_profiles)
    n = sub.add_parser("names", help="列出方案可引用的名称（行集、字段、合计数、占位符），供编写新方案")
    n.add_argument("--kind", choices=["预算", "决算"], help="只列这一类型（默认两类都列）")
    n.set_defaults(func=cmd_names)
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
        print(f"内部错误：{type(exc).__name__}: {exc}（加 --debug 查看详情）", file=sys.stderr)
        return 2
