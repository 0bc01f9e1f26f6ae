"""Benchmark a district's week: speed and memory targets live here, never in the tests.

Measured in one run, each as the builder's command line (python -m builder), a fresh process:
- one seed-size department (潼南区委办 2023, 23 pages), XLSX + PDF, CPU time against LibreOffice
  headless converting that department's own XLSX to PDF (skipped, with a note, without soffice);
- N synthetic departments (bench/generate.py) with -j 2, and N/2 of them, for linearity;
- a rebuild of the N with nothing changed, and after editing one YAML;
- peak memory of a worker, and the PDF size of the seed-size department;
- the largest file the limits accept (builder/core/limits.py; bench/generate.py largest): every
  text, 科目 list and indicator list at its limit and as many projects as keep the PDF within the
  page limit — the longest a clerk can wait for one department, since check refuses anything more.

Usage: .venv/bin/python bench/run.py [N]   (N = 200 by default; 20 for a quick look)
"""

from __future__ import annotations

import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SEED = ROOT / "input_yaml" / "tongnan-quwei-2023.yaml"

TARGETS = {  # name → (limit, unit, what); district and noop are for 200 departments
    "ratio": (1.0, "×", "一个部门（XLSX+PDF）CPU 时间 ÷ LibreOffice 转换其 XLSX 的 CPU 时间"),
    "district": (360.0, "s", "{n} 个部门 -j 2 墙钟时间"),
    "linear": (0.10, "", "{n} 个与 {half} 个部门用时之比偏离 2 倍的比例"),
    "noop": (5.0, "s", "{n} 个部门无变化时重新生成"),
    "one": (10.0, "s", "修改一个 YAML 后重新生成"),
    "memory": (400.0, "MiB", "单个工作进程峰值内存"),
    "pdf": (250.0, "KiB", "一个部门的 PDF 大小"),
    "import_xlsx": (3.0, "s", "由 XLSX 导入一个部门（命令行，墙钟时间）"),
    "import_pdf": (6.0, "s", "由 PDF 导入一个部门（命令行，墙钟时间）"),
    "largest": (180.0, "s", "限度内最大的文件（{pages} 页）生成墙钟时间"),
}


# Runs a command and prints the peak RSS of its process tree: RUSAGE_CHILDREN's maxrss in this
# process would be the largest child of the whole benchmark so far (LibreOffice included).
PEAK = ("import resource, subprocess, sys; r = subprocess.run(sys.argv[1:]); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); sys.exit(r.returncode)")


def run(args: list[str], cwd: Path = ROOT, peak: bool = False) -> tuple[float, float, int]:
    """(CPU seconds of the process and its children, wall seconds, and with `peak` the largest
    RSS in KiB of its processes — else 0) of a command."""
    if peak:
        args = [PYTHON, "-c", PEAK, *args]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"命令失败：{' '.join(args)}\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall, int(done.stderr.strip().splitlines()[-1]) if peak else 0


def builder(*args: str) -> list[str]:
    return [PYTHON, "-m", "builder", *args]


def one_department(work: Path) -> dict:
    out = work / "one"
    run(builder("build", "--force", str(SEED), "-o", str(out)))          # warm the disk cache
    ours = min(run(builder("build", "--force", str(SEED), "-o", str(out)))[0] for _ in range(3))
    found = {"ours": ours, "pdf": (out / f"{SEED.stem}.pdf").stat().st_size / 1024}
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice:
        profile = (work / "lo-profile").as_uri()
        convert = [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                   "--outdir", str(work / "lo"), str(out / f"{SEED.stem}.xlsx")]
        run(convert)                                                        # its profile, once
        found["libreoffice"] = min(run(convert)[0] for _ in range(3))
        found["ratio"] = ours / found["libreoffice"]
    for fmt in ("xlsx", "pdf"):            # reading that department's own XLSX and PDF back
        found[f"import_{fmt}"] = min(run(builder("import", str(out / f"{SEED.stem}.{fmt}"), "--profile", "潼南",
                                                 "-o", str(work / f"imported-{fmt}.yaml"), "--force"))[1]
                                     for _ in range(3))
    return found


def district(work: Path, count: int) -> dict:
    sys.path.insert(0, str(ROOT))
    from bench.generate import generate
    half_dir, full_dir = work / "half", work / "full"
    generate(count // 2, half_dir)
    paths = generate(count, full_dir)
    common = ["--allow-incomplete", "-j", "2"]
    _, half, _ = run(builder("build", str(half_dir), "-o", str(work / "out-half"), *common))
    _, full, peak = run(builder("build", str(full_dir), "-o", str(work / "out-full"), *common), peak=True)
    _, noop, _ = run(builder("build", str(full_dir), "-o", str(work / "out-full"), *common))
    edited = paths[len(paths) // 2]
    edited.write_text(edited.read_text(encoding="utf-8").replace("（合成", "（合成·改", 1), encoding="utf-8")
    _, one, _ = run(builder("build", str(full_dir), "-o", str(work / "out-full"), *common))
    return {"half": half, "district": full, "linear": abs(full / half / 2 - 1) if half else 0.0,
            "noop": noop, "one": one, "memory": peak / 1024}


def largest_input(work: Path) -> dict:
    """Seconds (wall) to build the largest file the limits accept, and its pages."""
    sys.path.insert(0, str(ROOT))
    from bench.generate import largest
    path, pages = largest(work / "largest")
    cpu, wall, _ = run(builder("build", "--force", str(path), "-o", str(work / "out-largest")))
    return {"largest": wall, "largest_cpu": cpu, "largest_pages": pages}


def main() -> int:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    with tempfile.TemporaryDirectory(prefix="budget-builder-bench-") as tmp:
        work = Path(tmp)
        found = one_department(work)
        found.update(district(work, count))
        found.update(largest_input(work))
    scale = count / 200
    print(f"一个部门（{SEED.name}）：本工具 CPU {found['ours']:.2f} s" +
          (f"，LibreOffice 转换其 XLSX CPU {found['libreoffice']:.2f} s" if "libreoffice" in found
           else "；未安装 LibreOffice（soffice），未比较"))
    print(f"{count} 个部门 -j 2：{found['district']:.1f} s（{count // 2} 个：{found['half']:.1f} s）；"
          f"无变化重新生成 {found['noop']:.2f} s；修改一个后 {found['one']:.2f} s；"
          f"工作进程峰值内存 {found['memory']:.0f} MiB；PDF {found['pdf']:.0f} KiB")
    print(f"导入一个部门：由 XLSX {found['import_xlsx']:.2f} s，由 PDF {found['import_pdf']:.2f} s")
    print(f"限度内最大的文件（{found['largest_pages']} 页）：墙钟 {found['largest']:.1f} s，CPU {found['largest_cpu']:.1f} s")
    failed = 0
    for name, (limit, unit, what) in TARGETS.items():
        what = what.format(n=count, half=count // 2, pages=found.get("largest_pages", "?"))
        if name in ("district", "noop") and count != 200:
            limit *= scale                    # the targets are for 200: prorated
        if name not in found:
            print(f"  —     {what}：未测")
            continue
        value = found[name]
        ok = value <= limit
        failed += not ok
        shown = f"{value:.2f}{unit}" if name != "linear" else f"{value:.1%}"
        bound = f"{limit:g}{unit}" if name != "linear" else f"{limit:.0%}"
        print(f"  {'达标' if ok else '未达标'}  {what}：{shown}（目标 ≤ {bound}"
              + ("，由 200 个的目标按比例折算）" if name in ("district", "noop") and count != 200 else "）"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
