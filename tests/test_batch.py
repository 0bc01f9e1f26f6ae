"""Batch builds: folders of departments, in parallel, keeping going past failures, rebuilding
only what changed, and a district overview (汇总) beside the departments' files."""

import csv
import json
import os
import shutil
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from builder.batch import BUILT, FAILED, UNCHANGED, Options, build_all, discover

from conftest import EXAMPLES, run_cli
from helpers import MINIMAL

# another department (not a copy of a.yaml's), with an error at line 7
BROKEN = MINIMAL.replace("测试局", "有误局").replace("基本支出: 100.10", "基本支出: 一百")


def district(tmp_path):
    """A district folder: two departments (one linking last year's file) and a partial year."""
    root = tmp_path / "区"
    (root / "previous").mkdir(parents=True)
    (root / "a.yaml").write_text(MINIMAL, encoding="utf-8")
    (root / "b.yaml").write_text(MINIMAL.replace("测试局", "第二局") + "上年文件: previous/b-2023.yaml\n",
                                 encoding="utf-8")
    (root / "previous" / "b-2023.yaml").write_text(MINIMAL.replace("年度: 2024", "年度: 2023"), encoding="utf-8")
    (root / "partial.yaml").write_text(MINIMAL + "部分数据: true\n", encoding="utf-8")
    return root


def xlsx_only(out, **kw):
    return Options(out, formats=("xlsx",), **kw)


def overview(out) -> list[dict]:
    """汇总.csv read back: a dict per row, by column."""
    rows = list(csv.reader((out / "汇总.csv").read_text(encoding="utf-8-sig").splitlines()))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_a_folder_means_its_departments(tmp_path):
    root = district(tmp_path)
    assert [p.name for p in discover([root])] == ["a.yaml", "b.yaml"]
    # named explicitly, a linked or partial file is built
    assert [p.name for p in discover([root / "partial.yaml", root])] == ["partial.yaml", "a.yaml", "b.yaml"]
    assert [p.name for p in discover([EXAMPLES])] == sorted(p.name for p in EXAMPLES.glob("*.yaml"))


def test_unchanged_departments_are_not_rebuilt(tmp_path):
    root, out = district(tmp_path), tmp_path / "out"
    assert [o.status for o in build_all([root], xlsx_only(out), jobs=1).outcomes] == [BUILT, BUILT]
    stamps = {p.name: p.stat().st_mtime_ns for p in out.glob("[ab].xlsx")}
    assert [o.status for o in build_all([root], xlsx_only(out), jobs=1).outcomes] == [UNCHANGED, UNCHANGED]
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("[ab].xlsx")} == stamps
    (root / "previous" / "b-2023.yaml").write_text(
        (root / "previous" / "b-2023.yaml").read_text(encoding="utf-8").replace("部门简称: 测试", "部门简称: 测"),
        encoding="utf-8")
    assert [o.status for o in build_all([root], xlsx_only(out), jobs=1).outcomes] == [UNCHANGED, BUILT]   # its 上年文件
    assert [o.status for o in build_all([root], xlsx_only(out, force=True), jobs=1).outcomes] == [BUILT, BUILT]
    (out / "a.xlsx").unlink()
    assert [o.status for o in build_all([root], xlsx_only(out), jobs=1).outcomes] == [BUILT, UNCHANGED]


def test_a_changed_catalogue_or_profile_rebuilds_what_it_affects(tmp_path):
    root, out = district(tmp_path), tmp_path / "out"
    catalogue = tmp_path / "科目表.csv"
    catalogue.write_text("科目编码,科目名称\n20126,档案事务\n", encoding="utf-8")
    profile = tmp_path / "本区.yaml"
    shutil.copy(EXAMPLES.parent / "templates" / "profiles" / "潼南.yaml", profile)
    options = lambda: xlsx_only(out, catalogues=(catalogue,), profile=str(profile))
    build_all([root], options(), jobs=1)
    assert {o.status for o in build_all([root], options(), jobs=1).outcomes} == {UNCHANGED}
    catalogue.write_text("科目编码,科目名称\n20126,档案事务（本区）\n", encoding="utf-8")
    assert {o.status for o in build_all([root], options(), jobs=1).outcomes} == {BUILT}
    profile.write_text(profile.read_text(encoding="utf-8").replace("财政拨款收支总表", "财政拨款收支总表（本区）"),
                       encoding="utf-8")
    assert {o.status for o in build_all([root], options(), jobs=1).outcomes} == {BUILT}


def test_one_failure_never_stops_the_others(tmp_path, monkeypatch):
    root, out = district(tmp_path), tmp_path / "out"
    (root / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    (root / "crash.yaml").write_text(MINIMAL.replace("测试局", "崩溃局"), encoding="utf-8")
    import builder.build
    real = builder.build.build

    def flaky(path, *args, **kw):
        if path.name == "crash.yaml":
            raise RuntimeError("模拟的程序错误")
        return real(path, *args, **kw)
    monkeypatch.setattr(builder.build, "build", flaky)
    outcomes = {o.file.split("/")[-1]: o for o in build_all([root], xlsx_only(out), jobs=2).outcomes}
    assert outcomes["a.yaml"].status == outcomes["b.yaml"].status == BUILT
    assert outcomes["broken.yaml"].status == FAILED
    assert any(f.line == 7 and "应为金额数字" in f.message for f in outcomes["broken.yaml"].findings)
    assert outcomes["crash.yaml"].status == FAILED
    assert "内部错误：RuntimeError: 模拟的程序错误" in outcomes["crash.yaml"].findings[0].message
    assert not (out / "broken.xlsx").exists() and not (out / "crash.xlsx").exists()


def test_the_command_summarises_and_fails_when_one_failed(tmp_path):
    root, out = district(tmp_path), tmp_path / "out"
    (root / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    result = run_cli("build", str(root), "-o", str(out), "-j", "2", "--only", "xlsx")
    assert result.returncode == 1
    assert f"{root / 'broken.yaml'}:7: 错误: " in result.stdout
    assert "共 3 个部门：生成 2 个，未变 0 个" in result.stdout and "失败 1 个" in result.stdout
    assert result.stderr == ""                 # no progress bar when output is not a terminal
    assert f"汇总：{out / '汇总.xlsx'}" in result.stdout and (out / "汇总.xlsx").is_file()


def test_a_run_where_all_failed_names_no_overview_it_did_not_write(tmp_path):
    broken, out = tmp_path / "broken.yaml", tmp_path / "out"
    broken.write_text(BROKEN, encoding="utf-8")
    result = run_cli("build", str(broken), "-o", str(out))
    assert result.returncode == 1
    assert "失败 1 个。未生成汇总（没有部门生成成功）" in result.stdout
    assert not out.exists()


def test_the_district_overview(tmp_path):
    root, out = district(tmp_path), tmp_path / "out"
    (root / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    build_all([root], xlsx_only(out), jobs=1)
    rows = list(csv.reader((out / "汇总.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0] == ["文件", "部门", "年度", "类型", "方案", "收入总计（万元）", "支出总计（万元）", "基本支出（万元）",
                       "项目支出（万元）", "“三公”经费（万元）", "表数", "页数", "错误", "警告", "状态", "现有文件"]
    by_file = {r[0]: r for r in rows[1:]}
    assert by_file["a"] == ["a", "测试局", "2024", "预算", "潼南", "180.15", "180.15", "120.15", "60.00", "3.00",
                            "12", "", "0", "0", BUILT, "当前版本"]
    assert by_file["broken"] == ["broken", "", "", "", "", "", "", "", "", "", "", "", "1", "0", FAILED, "无"]
    ws = load_workbook(out / "汇总.xlsx")["汇总"]
    values = [list(r) for r in ws.iter_rows(min_row=3, values_only=True)]
    assert values[0][:2] == ["a", "测试局"] and values[0][5] == 180.15
    assert ws.page_setup.orientation == "landscape"
    build_all([root], xlsx_only(out), jobs=1)
    rows = list(csv.reader((out / "汇总.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert [(r[0], r[-2]) for r in rows[1:]] == [("a", UNCHANGED), ("b", UNCHANGED), ("broken", FAILED), ("合计", "")]


@pytest.mark.slow
def test_outputs_are_byte_identical_across_runs_and_worker_counts(tmp_path, built):
    """`built` is every example built with -j (all cores); again with -j 1 into another folder."""
    again = tmp_path / "again"
    result = run_cli("build", "--allow-incomplete", str(EXAMPLES), "-o", str(again), "-j", "1",
                     "--only", "xlsx", "--only", "pdf", "--only", "json")
    assert result.returncode == 0, result.stdout
    names = sorted(p.name for p in built.iterdir() if not p.name.startswith("."))
    assert names == sorted(p.name for p in again.iterdir() if not p.name.startswith("."))
    assert "汇总.xlsx" in names and "汇总.csv" in names
    for name in names:
        assert (built / name).read_bytes() == (again / name).read_bytes(), name


def test_departments_with_the_same_file_name_are_not_built_over_each_other(tmp_path):
    root, out = district(tmp_path), tmp_path / "out"
    for folder in ("甲局", "乙局"):
        (root / folder).mkdir()
        (root / folder / "2024.yaml").write_text(MINIMAL.replace("测试局", folder), encoding="utf-8")
    outcomes = {o.file: o for o in build_all([root], xlsx_only(out), jobs=1).outcomes}
    one, other = str(root / "乙局" / "2024.yaml"), str(root / "甲局" / "2024.yaml")
    assert outcomes[one].status == outcomes[other].status == FAILED
    assert f"与 {other} 同名，输出文件 2024.xlsx/.pdf 会互相覆盖" in outcomes[one].findings[0].message
    assert outcomes[str(root / "a.yaml")].status == BUILT and not (out / "2024.xlsx").exists()


def test_a_hash_inside_a_linked_path_is_part_of_the_path(tmp_path):
    root = tmp_path / "区"
    (root / "previous").mkdir(parents=True)
    (root / "a.yaml").write_text(MINIMAL + '上年文件: previous/a#2023.yaml  # 去年\n', encoding="utf-8")
    (root / "previous" / "a#2023.yaml").write_text(MINIMAL.replace("年度: 2024", "年度: 2023"), encoding="utf-8")
    assert discover([root]) == [root / "a.yaml"]       # last year's file is linked, not a department


def test_copies_of_one_department_are_not_built(tmp_path):
    """The same department copied under four names: each copy fails at its 部门 line, naming the
    other three; nothing is written for them; the district's other departments build."""
    root, out = district(tmp_path), tmp_path / "out"
    copy = MINIMAL.replace("测试局", "复制局")
    names = ["复制局.yaml", "复制局-副本.yaml", "复制局 (2).yaml", "旧/复制局-2024.yaml"]
    (root / "旧").mkdir()
    for name in names:
        (root / name).write_text(("# 另存的副本\n" if "副本" in name else "") + copy, encoding="utf-8")
    # a 决算 of that department, or its 2023 budget, is another document: not a copy
    (root / "复制局-2023.yaml").write_text(copy.replace("年度: 2024", "年度: 2023"), encoding="utf-8")
    (root / "复制局-决算.yaml").write_text("类型: 决算\n" + copy, encoding="utf-8")
    run = build_all([root], xlsx_only(out), jobs=1)
    outcomes = {o.file: o for o in run.outcomes}
    for name in names:
        path = str(root / name)
        assert outcomes[path].status == FAILED
        [finding] = outcomes[path].findings
        others = [f"{root / o}:{2 if '副本' in o else 1}" for o in sorted(names, key=lambda n: str(root / n))
                  if o != name]
        assert finding.line == (2 if "副本" in name else 1)
        assert finding.message == (f"与 {'、'.join(others)} 描述同一部门（复制局，2024 年部门预算），会重复公开、"
                                   "在汇总中重复计算：同一部门只保留一个文件，删去多余的副本，或改正其“部门”“年度”“类型”")
        assert not list(out.glob(f"{Path(name).stem}.*"))
    assert outcomes[str(root / "a.yaml")].status == outcomes[str(root / "b.yaml")].status == BUILT
    assert outcomes[str(root / "复制局-2023.yaml")].status == BUILT
    # the 决算 is a different document; it fails or builds on its own merits, never as a copy
    assert all(f.rule != "same-department" for f in outcomes[str(root / "复制局-决算.yaml")].findings)


def test_the_overview_totals_each_year_and_kind(tmp_path):
    """合计 rows: per 年度 and 类型, over the departments with figures (not the failed one), each
    amount the exact sum in 元 shown in 万元 — two departments of 60 元 项目支出 (0.01 万元 each
    as shown) add up to 0.01, not 0.02."""
    root, out = district(tmp_path), tmp_path / "out"
    (root / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    for name in ("元甲", "元乙"):
        (root / f"{name}.yaml").write_text(MINIMAL.replace("测试局", name).replace("金额单位: 万元", "金额单位: 元"),
                                           encoding="utf-8")
    (root / "a-2023.yaml").write_text(MINIMAL.replace("年度: 2024", "年度: 2023"), encoding="utf-8")
    (root / "决算.yaml").write_text((EXAMPLES.parent / "tests" / "fixtures" / "generic-final.yaml").read_text(
        encoding="utf-8"), encoding="utf-8")
    run = build_all([root], xlsx_only(out), jobs=1)
    assert {Path(o.file).stem: o.status for o in run.outcomes} == {
        "a": BUILT, "b": BUILT, "元甲": BUILT, "元乙": BUILT, "a-2023": BUILT, "决算": BUILT, "broken": FAILED}
    rows = list(csv.reader((out / "汇总.csv").read_text(encoding="utf-8-sig").splitlines()))
    by_file = {r[0]: r for r in rows[1:] if r[0] != "合计"}
    assert by_file["元甲"][5:10] == ["0.02", "0.02", "0.01", "0.01", "0.00"]
    final = by_file["决算"][5:10]
    uncounted = "（失败的 1 个部门没有数字，未计入）"
    assert rows[-3:] == [
        ["合计", f"1 个部门{uncounted}", "2023", "预算", "", "180.15", "180.15", "120.15", "60.00", "3.00", "", "", "",
         "", "", ""],
        # 180.15 + 180.15 + 0.018015 + 0.018015 万元; 项目支出 60 + 60 + 0.006 + 0.006
        ["合计", f"4 个部门{uncounted}", "2024", "预算", "", "360.34", "360.34", "240.32", "120.01", "6.00", "", "", "",
         "", "", ""],
        ["合计", f"1 个部门{uncounted}", "2024", "决算", "", *final, "", "", "", "", "", ""]]
    assert [r[0] for r in rows[1:-3]] == sorted(by_file)           # the departments first, by file
    ws = load_workbook(out / "汇总.xlsx")["汇总"]
    values = [list(r) for r in ws.iter_rows(min_row=3, values_only=True)]
    assert values[-2][:10] == ["合计", f"4 个部门{uncounted}", 2024, "预算", None, 360.34, 360.34, 240.32, 120.01, 6]
    assert ws.cell(len(values) + 2, 6).font.b and not ws.cell(3, 6).font.b
    assert ws.auto_filter.ref == f"A2:P{len(values) - 3 + 2}"     # sorting the departments leaves the totals


@pytest.mark.slow
def test_a_failed_department_keeps_its_last_outputs_said_to_be_old(tmp_path):
    """Build, break a department's YAML, build again: its files stay byte for byte, and the
    command and the 汇总 say they are the version written at the first build's time."""
    root, out = district(tmp_path), tmp_path / "out"
    start = datetime.now().replace(second=0, microsecond=0)
    assert run_cli("build", str(root), "-o", str(out), "-j", "1").returncode == 0
    generated = json.loads((out / ".budget-builder.json").read_text(encoding="utf-8"))["departments"]["a"]["generated"]
    assert start <= datetime.strptime(generated, "%Y-%m-%d %H:%M:%S") <= datetime.now()
    when = generated[:16]                          # shown to the minute: 2026-12-01 10:20
    kept = {p.name: p.read_bytes() for p in out.glob("a.*")}
    assert set(kept) == {"a.xlsx", "a.pdf"}

    (root / "a.yaml").write_text(MINIMAL.replace("基本支出: 100.10", "基本支出: 一百"), encoding="utf-8")
    result = run_cli("build", str(root), "-o", str(out), "-j", "1")
    assert result.returncode == 1
    assert f"{root / 'a.yaml'}:7: 错误: " in result.stdout
    assert (f"{root / 'a.yaml'}: 有错误，未生成；{out / 'a.xlsx'}、{out / 'a.pdf'} 仍是 {when} 生成的旧版本"
            in result.stdout.splitlines())
    assert {p.name: p.read_bytes() for p in out.glob("a.*")} == kept
    old = f"a.xlsx、a.pdf 仍是 {when} 生成的旧版本，不是当前输入生成的"

    def rows():
        return {r["文件"]: r for r in overview(out)}
    a = rows()["a"]
    assert (a["状态"], a["现有文件"], a["错误"], a["部门"], a["收入总计（万元）"]) == (FAILED, old, "1", "", "")
    assert rows()["b"]["现有文件"] == "当前版本"
    total = rows()["合计"]          # a's old figures are not counted
    assert (total["部门"], total["收入总计（万元）"]) == ("1 个部门（失败的 1 个部门没有数字，未计入）", "180.15")
    ws = load_workbook(out / "汇总.xlsx")["汇总"]
    assert [c.value for c in ws[3]][-2:] == [FAILED, old]

    # another department built alone into the folder: a is still failed, its files still old
    assert [o.status for o in build_all([root / "b.yaml"], Options(out), jobs=1).outcomes] == [UNCHANGED]
    assert (rows()["a"]["状态"], rows()["a"]["现有文件"]) == (FAILED, old)
    # the input put back as it was: the files are its outputs again, not rebuilt
    (root / "a.yaml").write_text(MINIMAL, encoding="utf-8")
    assert [o.status for o in build_all([root], Options(out), jobs=1).outcomes] == [UNCHANGED, UNCHANGED]
    assert (rows()["a"]["状态"], rows()["a"]["现有文件"], rows()["a"]["收入总计（万元）"]) == (UNCHANGED, "当前版本", "180.15")
    assert {p.name: p.read_bytes() for p in out.glob("a.*")} == kept

    # broken again with the manifest lost: the files' own time says how old they are
    (root / "a.yaml").write_text(MINIMAL.replace("基本支出: 100.10", "基本支出: 一百"), encoding="utf-8")
    (out / ".budget-builder.json").unlink()
    [outcome] = build_all([root / "a.yaml"], Options(out), jobs=1).outcomes
    written = lambda name: datetime.fromtimestamp((out / name).stat().st_mtime).strftime("%Y-%m-%d %H:%M:%S")
    assert outcome.status == FAILED
    assert outcome.earlier == [(str(out / "a.xlsx"), written("a.xlsx")), (str(out / "a.pdf"), written("a.pdf"))]
    assert {p.name: p.read_bytes() for p in out.glob("a.*")} == kept


def test_the_progress_line_fits_any_terminal():
    """The department being built — the latest started, the others counted — in a line one
    column short of the terminal's width however narrow, CJK characters counted as two columns."""
    from builder.progress import display_width, progress_line
    long = "中国共产党唐山市丰润区委员会办公室"                     # 17 characters, 34 columns
    assert progress_line(12, 60, ["tongnan-quwei-2023", long], 100, remaining=83.4) == (
        f"生成 12/60 [####-------------------] 剩余 01:23 正在生成 {long} 等 2 个")       # 99 columns
    assert progress_line(12, 60, ["a", long], 80, remaining=83.4) == (     # the time left gives way first
        f"生成 12/60 [##------------] 正在生成 {long} 等 2 个")
    assert progress_line(12, 60, [long], 40) == "生成 12/60 [#----] 正在生成 中国共产…"     # 38 columns, … is 2
    assert progress_line(12, 60, [long], 30) == "生成 12/60 正在生成 中国共…"             # then the bar
    assert progress_line(60, 60, [], 40) == "生成 60/60 [#######]"          # a third of the room
    assert progress_line(12, 60, ["tongnan-quwei-2023"], 100, remaining=83.4) == (
        "生成 12/60 [####--------------------] 剩余 01:23 正在生成 tongnan-quwei-2023")
    assert progress_line(12, 300, [long], 8) == "12/300"
    for width in range(1, 130):
        for running in ([], ["a"], [long], ["x" * 90, long], ["名\n字\r", "ｆｕｌｌ（宽）“引号”"]):
            line = progress_line(7, 300, running, width, remaining=3725)
            assert display_width(line) <= width - 1 and line.isprintable(), (width, line)
    assert display_width("区委办") == 6 and display_width("a“b”…") == 8


def test_the_progress_line_is_told_which_departments_are_being_built(tmp_path, monkeypatch):
    """Departments are handed to the workers as they free up, so the bar knows which are in
    flight: never more than -j at once, each named as it starts."""
    root, out = district(tmp_path), tmp_path / "out"
    for name in ("c", "d", "e"):
        (root / f"{name}.yaml").write_text(MINIMAL.replace("测试局", f"{name}局"), encoding="utf-8")
    events, running, most = [], [], [0]

    class Recorder:
        def start(self, name):
            events.append(("start", name))
            running.append(name)
            most[0] = max(most[0], len(running))

        def finish(self, name):
            events.append(("finish", name))
            running.remove(name)

        def close(self):
            events.append(("close", ""))
    import builder.progress
    monkeypatch.setattr(builder.progress, "progress", lambda total: Recorder())
    outcomes = build_all([root], xlsx_only(out), jobs=2).outcomes
    assert [o.status for o in outcomes] == [BUILT] * 5
    assert [name for kind, name in events if kind == "start"] == ["a", "b", "c", "d", "e"]   # in order
    assert sorted(name for kind, name in events if kind == "finish") == ["a", "b", "c", "d", "e"]
    assert most[0] == 2 and not running and events[-1] == ("close", "")


def test_a_dead_worker_fails_only_the_departments_it_was_running_with(tmp_path, monkeypatch):
    root, out = district(tmp_path), tmp_path / "out"
    (root / "0crash.yaml").write_text(MINIMAL.replace("测试局", "崩溃局"), encoding="utf-8")
    (root / "c.yaml").write_text(MINIMAL.replace("测试局", "第三局"), encoding="utf-8")
    import builder.build
    real = builder.build.build

    def dying(path, *args, **kw):
        if path.name == "0crash.yaml":
            os._exit(1)             # as a worker killed for lack of memory
        return real(path, *args, **kw)
    monkeypatch.setattr(builder.build, "build", dying)
    outcomes = {Path(o.file).stem: o for o in build_all([root], xlsx_only(out), jobs=2).outcomes}
    assert outcomes["0crash"].status == FAILED
    assert outcomes["0crash"].findings[0].message == "内部错误：构建进程意外退出（BrokenProcessPool）"
    # a.yaml was running beside it and may have gone down with it; those begun after build
    assert outcomes["b"].status == outcomes["c"].status == BUILT


def test_the_progress_bar_on_a_narrow_terminal(monkeypatch):
    """The bar as drawn on a 40-column terminal: every state of the line within 39 columns,
    naming the department started last."""
    import io

    from builder.progress import display_width, progress

    class Terminal(io.StringIO):
        def isatty(self):
            return True
    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    monkeypatch.setenv("COLUMNS", "40")
    monkeypatch.setenv("LINES", "24")
    long = "中国共产党唐山市丰润区委员会办公室"
    bar = progress(3)
    bar.start(long)
    bar.start("区委办")
    bar.finish(long)
    bar.start("b")
    bar.finish("区委办")
    bar.finish("b")
    bar.close()
    lines = [line for line in terminal.getvalue().replace("\n", "\r").split("\r") if line.strip()]
    shown = [line.rstrip() for line in lines]         # a shorter line blanks the rest of the last
    assert shown[:3] == ["生成 0/3 [--------]", "生成 0/3 [-----] 正在生成 中国共产党…", "生成 0/3 正在生成 区委办 等 2 个"]
    assert lines[-1].startswith("生成 3/3 [")
    assert all(display_width(line) <= 39 for line in lines), lines
