"""Benchmark the web service: speed and memory targets live here, never in the tests.

Starts the service as the README does (`python -m builder serve WORKSPACE --allow-incomplete`, the
default workers) on 127.0.0.1 over a workspace of 50 departments — 49 synthetic ones (seed-size,
bench/generate.py) and the largest example (tongnan-zhengfu-2024-juesuan.yaml, 553 lines, with its
linked years) — with one clerk account per department, then measures, in one run:

- idle: one clerk saving the largest example, the server otherwise idle: the time from sending
  the save until the preview's HTML is received (the page shows it then), 20 times;
- load: 50 simulated clerks for 60 s, each logged in once and then, in a loop, pausing (the think
  time), asking for a check of their draft (the editor does so on a pause while typing), saving,
  and fetching the preview the save names; preview latency = save sent → preview received;
  errors = any answer other than 200 (or an exception); the server's memory (its own process,
  and with its worker processes) after a warm-up and after the run, to show no growth.

Usage: .venv/bin/python bench/service.py [CLERKS] [SECONDS] [THINK_MIN] [THINK_MAX]
       (defaults 50 60 4 12: a clerk saves every 4–12 s, a heavy hour of a district's deadline)
"""

from __future__ import annotations

import asyncio
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "bench password 1"
LARGEST = "tongnan-zhengfu-2024-juesuan.yaml"

TARGETS = {  # name → (limit, unit, what)
    "idle_p95": (1.0, "s", "空闲时最大示例保存后预览更新 p95"),
    "errors": (0, "", "负载下错误数"),
    "load_p95": (3.0, "s", "{n} 个填报人同时保存时预览更新 p95"),
    "growth": (25.0, "MiB", "负载后服务进程内存增长"),
}


def workspace(root: Path, clerks: int) -> list[tuple[str, str, str]]:
    """The workspace's departments: (file, 部门, clerk name)."""
    from bench.generate import generate
    from builder.service import accounts
    from builder.service.store import Store
    from builder.service.workspace import Workspace
    inputs = root / "input_yaml"
    shutil.copytree(ROOT / "input_yaml" / "previous", inputs / "previous")
    shutil.copy(ROOT / "input_yaml" / LARGEST, inputs / LARGEST)
    generate(clerks - 1, inputs)
    store = Store(Workspace(root).database)
    people = []
    for number, path in enumerate(sorted(inputs.glob("*.yaml")), start=1):
        department = re.search(r"^部门:\s*(.+)$", path.read_text(encoding="utf-8"), re.M)[1].strip()
        name = f"clerk{number:03d}"
        store.add_user(name, "clerk", accounts.hash_password(PASSWORD), [department])
        people.append((path.name, department, name))
    store.add_user("bureau", "reviewer", accounts.hash_password(PASSWORD), [])
    store.close()
    return people


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def memory(pid: int) -> tuple[float, float]:
    """(MiB resident of the process, MiB of it and its children)."""
    def rss(p: int) -> float:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        except OSError:
            pass
        return 0.0

    def children(p: int) -> list[int]:
        try:
            found = Path(f"/proc/{p}/task/{p}/children").read_text().split()
        except OSError:
            return []
        return [int(c) for c in found] + [g for c in found for g in children(int(c))]

    return rss(pid), rss(pid) + sum(rss(c) for c in children(pid))


class Clerk:
    def __init__(self, url: str, name: str, file: str):
        import httpx2
        self.client = httpx2.AsyncClient(base_url=url, timeout=120)
        self.name, self.file = name, file
        self.csrf = self.sha = self.text = ""
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self.saves = self.checks = 0

    async def start(self) -> None:
        page = await self.client.get("/login")
        token = re.search(r'name="csrf" value="([^"]+)"', page.text)[1]
        done = await self.client.post("/login", data={"name": self.name, "password": PASSWORD, "csrf": token})
        assert done.status_code == 303, done.text
        page = await self.client.get(f"/edit/{self.file}")
        self.csrf = re.search(r'name="csrf-token" content="([^"]+)"', page.text)[1]
        data = (await self.client.get(f"/api/file/{self.file}")).json()
        self.sha, self.text = data["sha"], data["text"]

    def _fail(self, what: str, response=None, error: Exception | None = None) -> None:
        self.errors.append(f"{self.name} {what}: "
                           f"{response.status_code if response is not None else f'{type(error).__name__} {error}'}")

    async def save_and_preview(self, count: int) -> float | None:
        text = self.text + f"# 第 {count} 次保存\n"
        started = time.perf_counter()
        saved = await self.client.post(f"/api/save/{self.file}", json={"text": text, "base": self.sha},
                                       headers={"X-CSRF-Token": self.csrf})
        if saved.status_code != 200:
            self._fail("save", saved)
            return None
        body = saved.json()
        self.sha = body["sha"]
        preview = await self.client.get(body["preview"])
        if preview.status_code != 200 or "publication" not in preview.text:
            self._fail("preview", preview)
            return None
        self.saves += 1
        return time.perf_counter() - started

    async def work(self, until: float, think: tuple[float, float], rng: random.Random) -> None:
        count = 0
        while True:
            pause = rng.uniform(*think)
            if time.monotonic() + pause > until:
                return
            await asyncio.sleep(pause / 2)
            count += 1
            try:
                checked = await self.client.post(f"/api/check/{self.file}", json={"text": self.text + "# 草稿\n"},
                                                 headers={"X-CSRF-Token": self.csrf})
                if checked.status_code != 200:
                    self._fail("check", checked)
                self.checks += 1
                await asyncio.sleep(pause / 2)
                latency = await self.save_and_preview(count)
                if latency is not None:
                    self.latencies.append(latency)
            except Exception as exc:        # a refused connection, a timeout: an error of the run
                self._fail("request", error=exc)


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


async def settled(url: str) -> float:
    """Wait until the service has checked every department and its outputs are current (the
    overview shows every department 已生成): the seconds it took."""
    import httpx2
    started = time.monotonic()
    async with httpx2.AsyncClient(base_url=url, timeout=60) as bureau:
        page = await bureau.get("/login")
        token = re.search(r'name="csrf" value="([^"]+)"', page.text)[1]
        await bureau.post("/login", data={"name": "bureau", "password": PASSWORD, "csrf": token})
        while True:
            page = (await bureau.get("/overview")).text
            states = re.findall(r'<td class="state"><span class="chip [^"]*">([^<]+)</span>', page)
            if states and all(state in ("已生成", "有错误") for state in states):
                return time.monotonic() - started
            await asyncio.sleep(1)


async def measure(url: str, people, seconds: float, think: tuple[float, float], pid: int) -> dict:
    waited = await settled(url)
    clerks = [Clerk(url, name, file) for file, _, name in people]
    await asyncio.gather(*(clerk.start() for clerk in clerks))
    largest = next(c for c in clerks if c.file == LARGEST)
    idle = []
    for n in range(20):                       # the largest example, the server otherwise idle
        latency = await largest.save_and_preview(1000 + n)
        if latency is not None:
            idle.append(latency)
        await asyncio.sleep(0.3)
    rng = random.Random(2024)
    warm = time.monotonic() + 15              # warm-up: every clerk saves once or twice
    await asyncio.gather(*(c.work(warm, think, random.Random(rng.random())) for c in clerks))
    await asyncio.sleep(3)
    before = memory(pid)
    for clerk in clerks:
        clerk.latencies.clear()
        clerk.saves = clerk.checks = 0
    until = time.monotonic() + seconds
    started = time.monotonic()
    await asyncio.gather(*(c.work(until, think, random.Random(rng.random())) for c in clerks))
    elapsed = time.monotonic() - started
    await asyncio.sleep(3)
    after = memory(pid)
    for clerk in clerks:
        await clerk.client.aclose()
    latencies = [x for c in clerks for x in c.latencies]
    return {"idle": idle, "latencies": latencies, "largest": largest.latencies,
            "errors": [e for c in clerks for e in c.errors], "saves": sum(c.saves for c in clerks),
            "checks": sum(c.checks for c in clerks), "before": before, "after": after, "elapsed": elapsed,
            "settled": waited}


def main() -> int:
    clerks = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 60
    think = (float(sys.argv[3]) if len(sys.argv) > 3 else 4.0, float(sys.argv[4]) if len(sys.argv) > 4 else 12.0)
    with tempfile.TemporaryDirectory(prefix="budget-builder-serve-bench-") as tmp:
        root = Path(tmp)
        people = workspace(root, clerks)
        # built first with the command line, as a district would have: the service finds the
        # outputs current (the batch's manifest is the same for both) and only checks them
        subprocess.run([sys.executable, "-m", "builder", "build", "--allow-incomplete", "-j", str(os.cpu_count() or 1),
                        "input_yaml", "-o", "output"], cwd=root, capture_output=True, check=True,
                       env={**os.environ, "PYTHONPATH": str(ROOT)})
        port = free_port()
        log = open(root / "serve.log", "w")
        server = subprocess.Popen([sys.executable, "-m", "builder", "serve", str(root), "--allow-incomplete",
                                   "--port", str(port)],
                                  cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        try:
            for _ in range(200):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.2)
            found = asyncio.run(measure(f"http://127.0.0.1:{port}", people, seconds, think, server.pid))
        finally:
            server.terminate()
            server.wait(timeout=60)
            log.close()
            problems = (root / "serve.log").read_text(encoding="utf-8", errors="replace").strip()
            if "Traceback" in problems or "ERROR" in problems:
                print("服务日志：\n" + problems[-3000:])
    idle, load = found["idle"], found["latencies"]
    print(f"服务：{clerks} 个填报人，{seconds:.0f} 秒，每人每 {think[0]:g}—{think[1]:g} 秒检查一次草稿并保存一次；"
          f"CPU {os.cpu_count()} 核")
    print(f"启动后检查全部部门并确认公开表为最新：{found['settled']:.1f} s（已先用 build 命令生成）")
    print(f"空闲时保存最大示例（{LARGEST}）到预览更新：p50 {percentile(idle, 50):.2f} s，p95 {percentile(idle, 95):.2f} s"
          f"（{len(idle)} 次）")
    print(f"负载下：保存 {found['saves']} 次、草稿检查 {found['checks']} 次（{found['saves'] / found['elapsed']:.1f} 次保存/秒）；"
          f"预览更新 p50 {percentile(load, 50):.2f} s，p95 {percentile(load, 95):.2f} s，最大 {max(load, default=0):.2f} s；"
          f"其中最大示例 p50 {percentile(found['largest'], 50):.2f} s")
    print(f"错误 {len(found['errors'])} 个" + (f"：{'；'.join(found['errors'][:5])}" if found["errors"] else ""))
    print(f"服务进程内存：负载前 {found['before'][0]:.0f} MiB，负载后 {found['after'][0]:.0f} MiB；"
          f"连同工作进程：{found['before'][1]:.0f} MiB → {found['after'][1]:.0f} MiB")
    values = {"idle_p95": percentile(idle, 95), "errors": len(found["errors"]), "load_p95": percentile(load, 95),
              "growth": found["after"][0] - found["before"][0]}
    failed = 0
    for name, (limit, unit, what) in TARGETS.items():
        ok = values[name] <= limit
        failed += not ok
        shown = f"{values[name]:.2f}{unit}" if unit else str(values[name])
        print(f"  {'达标' if ok else '未达标'}  {what.format(n=clerks)}：{shown}（目标 ≤ {limit:g}{unit}）")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
