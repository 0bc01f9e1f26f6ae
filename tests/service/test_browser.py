"""The service in a real browser: Debian's chromium, headless, driven by Playwright, against the
service started as the README starts it (`budget-builder serve`, accounts made with `users`).

A clerk logs in, makes a mistake and sees the marker at its line, fixes it and sees the preview's
total change, downloads the PDF; the reviewer sees the department's new status and returns it with
a comment the clerk then sees; the clerk is refused another department. No page breaks the
Content-Security-Policy. With SCREENSHOTS=<folder> the main pages are saved there as PNG
(the README's pictures: SCREENSHOTS=docs/service).

`bash run.sh test` installs chromium and requires these tests to run; a plain `pytest` without
chromium skips them, saying why.
"""

from __future__ import annotations

import io
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from service_helpers import EXAMPLES, PASSWORD, QUWEI, ROOT, ZHENGFU

from conftest import run_cli

pytestmark = pytest.mark.slow          # a real browser: tens of seconds
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
OWN = "tongnan-quwei-2023.yaml"
# the line of 2023 招商引资专项's 一般性项目: 8 in the example (the clerk's mistake: 8 → 8x)
MISTAKE = (EXAMPLES / OWN).read_text(encoding="utf-8").split("\n").index("      一般性项目: 8") + 1
WAIT = 60_000          # ms: a loaded two-core machine builds a PDF in seconds, not minutes

if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
    if os.environ.get("BUDGET_BUILDER_BROWSER_TESTS") == "required":
        raise RuntimeError(f"浏览器测试需要 {CHROMIUM}（bash run.sh test 会安装 Debian 的 chromium）")
    pytest.skip(f"no {CHROMIUM}: `bash run.sh test` installs it (apt-get install chromium)", allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    done = run_cli(*args, stdin=stdin)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The service on a copy of the examples, started as the README says; its address."""
    workspace = tmp_path_factory.mktemp("district")
    shutil.copytree(EXAMPLES, workspace / "input_yaml")
    for name, role, departments in (("clerk", "clerk", [QUWEI]), ("other", "clerk", [ZHENGFU]),
                                    ("reviewer", "reviewer", [])):
        options = [arg for d in departments for arg in ("--department", d)]
        cli("users", str(workspace), "add", name, "--role", role, *options, "--password-stdin", stdin=PASSWORD + "\n")
    port = free_port()
    log = open(workspace / "serve.log", "w")
    process = subprocess.Popen([sys.executable, "-m", "builder", "serve", str(workspace), "--allow-incomplete",
                                "--port", str(port), "-j", "1", "--check-jobs", "1"], cwd=ROOT, stdout=log,
                               stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            assert process.poll() is None, (workspace / "serve.log").read_text()
            time.sleep(0.3)
    yield url, workspace
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


@pytest.fixture(scope="module")
def chromium():
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


class Clerk:
    """A person at a browser: one context (cookies) and page, with every console complaint kept."""

    def __init__(self, chromium, url: str, name: str):
        self.context = chromium.new_context(viewport={"width": 1500, "height": 950}, locale="zh-CN",
                                            accept_downloads=True)
        self.page = self.context.new_page()
        self.page.set_default_timeout(WAIT)
        self.url = url
        self.complaints: list[str] = []
        self.page.on("console", lambda m: m.type in ("error", "warning") and self.complaints.append(m.text))
        self.page.on("pageerror", lambda e: self.complaints.append(str(e)))
        self.page.goto(f"{url}/login")
        self.page.fill("input[name=name]", name)
        self.page.fill("input[name=password]", PASSWORD)
        self.page.click("button[type=submit]")
        self.page.wait_for_load_state()

    def shot(self, name: str, full: bool = False) -> None:
        folder = os.environ.get("SCREENSHOTS")
        if folder:
            from PIL import Image
            Path(folder).mkdir(parents=True, exist_ok=True)
            picture = Image.open(io.BytesIO(self.page.screenshot(full_page=full)))
            # a palette of 256 colours: a page of text and lines loses nothing to see, and weighs a third
            picture.convert("RGB").quantize(256).save(Path(folder) / f"{name}.png", optimize=True)

    def policy_violations(self) -> list[str]:
        return [c for c in self.complaints if "Content Security Policy" in c or "Refused to" in c]


def gutter_line(page, marker) -> str:
    """The line number printed level with a lint marker."""
    box = marker.bounding_box()
    for element in page.locator(".cm-lineNumbers .cm-gutterElement").all():
        other = element.bounding_box()
        if other and abs(other["y"] - box["y"]) < 3:
            return element.inner_text()
    raise AssertionError("no line number beside the marker")


def test_a_clerk_and_a_reviewer_at_work(server, chromium):
    url, workspace = server
    clerk = Clerk(chromium, url, "clerk")
    page = clerk.page
    expect(page.locator("h1")).to_have_text("我的文件")
    expect(page.locator("table.list")).to_contain_text(OWN)
    expect(page.locator("table.list")).not_to_contain_text("tongnan-zhengfu")
    clerk.shot("clerk-files")

    page.click(f"text={OWN}")
    expect(page.locator("#editor[data-ready=true]")).to_be_visible()
    preview = page.frame_locator("#preview")
    expect(preview.locator("#t1")).to_contain_text("1,708.68")          # 附件1's 支出总计
    expect(preview.locator("ol.toc")).to_contain_text("部门预算情况说明")
    clerk.shot("clerk-editor")

    # a mistake at the line MISTAKE (2023 招商引资专项: 一般性项目: 8 → 8x): the marker, before saving
    editor = "document.getElementById('editor').budgetEditor"
    page.evaluate(f"{editor}.goto({MISTAKE})")
    page.keyboard.press("End")
    page.keyboard.type("x")
    marker = page.locator(".cm-gutter-lint .cm-lint-marker-error")
    expect(marker).to_have_count(1)
    assert gutter_line(page, marker) == str(MISTAKE)
    expect(page.locator("#findings li.sev-error")).to_contain_text(f"第 {MISTAKE} 行")
    expect(page.locator("#findings li.sev-error")).to_contain_text("应为金额数字（写的是“8x”）")
    page.keyboard.press("Control+s")
    expect(page.locator("#save-state")).to_contain_text("有 1 个错误")
    clerk.shot("clerk-mistake")

    # fixed (8 → 9): saved, the marker gone, the preview's total one 万元 more
    page.keyboard.press("Backspace")
    page.keyboard.press("Backspace")
    page.keyboard.type("9")
    started = time.monotonic()
    page.keyboard.press("Control+s")
    expect(preview.locator("#t1")).to_contain_text("1,709.68")
    print(f"preview updated {time.monotonic() - started:.2f} s after the save")
    expect(page.locator("#save-state")).to_contain_text("已保存")
    expect(page.locator(".cm-lint-marker-error")).to_have_count(0)
    assert "一般性项目: 9" in (workspace / "input_yaml" / OWN).read_text(encoding="utf-8")

    # completion of the Chinese keys from the schema, at the top level and inside a project
    page.evaluate(f"{editor}.goto({MISTAKE - 3})")          # 项目名称: 2023 招商引资专项
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    page.keyboard.type("绩效")
    expect(page.locator(".cm-tooltip-autocomplete")).to_contain_text("绩效指标")
    page.keyboard.press("Escape")
    page.keyboard.press("Control+z")
    page.keyboard.press("Control+z")

    # the PDF, once the build lane has made it from the fixed file
    expect(page.locator("#build-state .chip")).to_have_text("已生成", timeout=120_000)
    with page.expect_download() as download:
        page.click("#download-pdf")
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF-") and download.value.suggested_filename == "tongnan-quwei-2023.pdf"
    from pypdf import PdfReader
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages[:6])
    assert "1,709.68" in text

    # the bureau: the department's new status, its figures, who saved it
    reviewer = Clerk(chromium, url, "reviewer")
    review = reviewer.page
    expect(review.locator("h1")).to_have_text("全区概览")
    row = review.locator(f"tr[data-file='{OWN}']")
    expect(row).to_contain_text("已生成")
    expect(row).to_contain_text("clerk")
    expect(row).to_contain_text("1,709.68")
    reviewer.shot("reviewer-overview", full=True)
    row.locator("a").click()
    expect(review.locator("#editor[data-ready=true]")).to_be_visible()
    expect(review.locator("#save")).to_have_count(0)                      # read-only
    expect(review.frame_locator("#preview").locator("#t1")).to_contain_text("1,709.68")
    review.fill("#review-form textarea", "请补充“三公”经费增减原因")
    review.click("#review-form button[value=退回]")
    expect(review.locator("#review")).to_contain_text("请补充“三公”经费增减原因")
    reviewer.shot("reviewer-department")

    # the clerk sees the comment
    page.reload()
    expect(page.locator("#review")).to_contain_text("请补充“三公”经费增减原因")

    # and is refused another department, by its address typed in
    response = page.goto(f"{url}/edit/tongnan-zhengfu-2022.yaml")
    assert response.status == 403
    expect(page.locator("main")).to_contain_text("您无权查看该部门的文件")
    expect(page.locator("main")).not_to_contain_text("重庆市潼南区人民政府办公室")
    clerk.shot("clerk-refused")

    assert clerk.policy_violations() == [] and reviewer.policy_violations() == []
    clerk.context.close()
    reviewer.context.close()


def test_the_second_saver_is_told_in_the_page_and_keeps_their_text(server, chromium):
    url, workspace = server
    first, second = Clerk(chromium, url, "clerk"), Clerk(chromium, url, "clerk")
    name = "previous/tongnan-quwei-2022.yaml"
    for person in (first, second):
        person.page.goto(f"{url}/edit/{name}")
        expect(person.page.locator("#editor[data-ready=true]")).to_be_visible()
    editor = "document.getElementById('editor').budgetEditor"
    for person, words in ((first, "# 第一个人\n"), (second, "# 第二个人\n")):
        person.page.evaluate(f"{editor}.goto(1)")
        person.page.keyboard.press("Home")
        person.page.keyboard.type(words)
    first.page.keyboard.press("Control+s")
    expect(first.page.locator("#save-state")).to_contain_text("已保存")
    second.page.keyboard.press("Control+s")
    expect(second.page.locator("#conflict")).to_be_visible()
    expect(second.page.locator("#conflict-text")).to_contain_text("没有保存，也没有覆盖任何内容")
    assert "# 第二个人" in second.page.evaluate(f"{editor}.text()")          # still in the editor
    saved = (workspace / "input_yaml" / name).read_text(encoding="utf-8")
    assert saved.startswith("# 第一个人\n") and "# 第二个人" not in saved
    first.context.close()
    second.context.close()
