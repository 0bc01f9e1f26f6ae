"""Benchmark: time and peak memory of building each example (XLSX + PDF) in one process.

Targets live here, not in tests. Run: .venv/bin/python bench/run.py
Measured on this project's machine kind (2 cores), without libharfbuzz-subset0: ≈ 2.3–3.4 s per
department since the CJK font is cut to the document with uharfbuzz before WeasyPrint
(render/fonts.py); ≈ 6.5–8.2 s before, when WeasyPrint subset the whole 8 MB font with fontTools.
What is left is mostly WeasyPrint's layout (≈ 1.2 s for 23 pages) and drawing.
"""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from builder.build import analyse, render  # noqa: E402

TARGET_SECONDS = 20.0     # per department, on a fresh machine without libharfbuzz-subset0


def main() -> int:
    worst = 0.0
    for path in sorted((ROOT / "input_yaml").glob("*.yaml")):
        start = time.perf_counter()
        document, xlsx, pdf = render(analyse(path, allow_incomplete=True))
        seconds = time.perf_counter() - start
        worst = max(worst, seconds)
        print(f"{path.name:32} {len(document.tables):3} 表  {seconds:6.2f} s  xlsx {len(xlsx) / 1024:7.0f} KiB  "
              f"pdf {len(pdf) / 1024:7.0f} KiB")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"峰值内存 {peak:.0f} MiB；最慢 {worst:.2f} s（目标 ≤ {TARGET_SECONDS:.0f} s）")
    return 0 if worst <= TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
