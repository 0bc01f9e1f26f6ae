"""Nothing lost: every save is a version with who and when, listable, comparable and restorable;
saves are atomic; a draft with errors is saved but never replaces the last good outputs; of two
people saving the same file the second is told and nothing is overwritten; a file changed outside
the service is a version of its own; and the service's outputs are the command line's, byte for
byte."""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

import pytest
from service_helpers import ROOT, edit

from builder.service.workspace import Workspace

OWN = "tongnan-quwei-2023.yaml"
OWN_LAST_YEAR = "previous/tongnan-quwei-2022.yaml"
AMOUNT = "      一般性项目: 8\n"          # 2023 招商引资专项


def versions_of(session, name: str) -> list[dict]:
    page = session.get(f"/versions/{name}").text
    rows = re.findall(r'<tr data-version="(\d+)">\s*<td>第 (\d+) 版.*?</td>\s*<td>(.*?)</td>\s*<td>(.*?)</td>\s*'
                      r'<td>(.*?)</td>', page, re.S)
    return [{"id": int(i), "number": int(n), "when": w, "user": u, "note": note} for i, n, w, u, note in rows]


def test_every_save_is_a_version_with_who_and_when(as_user):
    clerk = as_user("clerk")
    data = clerk.file(OWN_LAST_YEAR)
    before = versions_of(clerk, OWN_LAST_YEAR)
    assert before[-1]["user"] == "启用服务时的文件"         # the file as the service found it
    first = clerk.save(OWN_LAST_YEAR, data["text"] + "# 一\n", data["sha"]).json()
    second = clerk.save(OWN_LAST_YEAR, data["text"] + "# 二\n", first["sha"]).json()
    after = versions_of(clerk, OWN_LAST_YEAR)
    assert [v["number"] for v in after] == list(range(len(before) + 2, 0, -1))
    assert after[0]["id"] == second["version"]["id"] and after[0]["user"] == "clerk"
    assert after[1]["id"] == first["version"]["id"] and re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", after[0]["when"])
    assert second["version"]["number"] == after[0]["number"]
    page = clerk.get(f"/version/{first['version']['id']}").text           # a version's text and its line diff
    assert "# 一" in page and "# 二" in page and 'class="change"' in page
    clerk.save(OWN_LAST_YEAR, data["text"])


def test_a_version_is_restored_as_a_new_save_and_nothing_is_lost(service, as_user):
    _, workspace = service
    clerk = as_user("clerk")
    original = clerk.file(OWN_LAST_YEAR)
    changed = clerk.save(OWN_LAST_YEAR, original["text"] + "# 改过\n", original["sha"]).json()
    restored_from = original["version"]["id"]
    response = clerk.post(f"/restore/{OWN_LAST_YEAR}", data={"version": str(restored_from), "base": changed["sha"]})
    assert response.status_code == 303
    assert (workspace.inputs / OWN_LAST_YEAR).read_text(encoding="utf-8") == original["text"]
    history = versions_of(clerk, OWN_LAST_YEAR)
    assert history[0]["note"].startswith(f"恢复自第 {original['version']['number']} 版")
    assert history[1]["id"] == changed["version"]["id"]          # the restored-over text is still there
    stale = clerk.post(f"/restore/{OWN_LAST_YEAR}", data={"version": str(restored_from), "base": changed["sha"]})
    assert stale.status_code == 409                                # restoring over a file changed since: refused


def test_the_second_of_two_people_saving_the_same_file_is_told_and_nothing_is_overwritten(service, as_user):
    _, workspace = service
    clerk, admin = as_user("clerk"), as_user("admin")
    base = clerk.file(OWN_LAST_YEAR)
    assert admin.file(OWN_LAST_YEAR)["sha"] == base["sha"]           # both opened the same version
    mine = clerk.save(OWN_LAST_YEAR, base["text"] + "# 填报人的修改\n", base["sha"])
    assert mine.status_code == 200
    count = len(versions_of(clerk, OWN_LAST_YEAR))
    theirs = admin.save(OWN_LAST_YEAR, base["text"] + "# 管理员的修改\n", base["sha"])
    assert theirs.status_code == 409
    message = theirs.json()["error"]
    assert "已被 clerk" in message and "没有保存，也没有覆盖任何内容" in message
    assert (workspace.inputs / OWN_LAST_YEAR).read_text(encoding="utf-8") == base["text"] + "# 填报人的修改\n"
    assert len(versions_of(clerk, OWN_LAST_YEAR)) == count
    clerk.save(OWN_LAST_YEAR, base["text"])


def test_a_file_changed_outside_the_service_is_a_version_and_a_save_over_it_is_refused(service, as_user):
    _, workspace = service
    clerk = as_user("clerk")
    opened = clerk.file(OWN_LAST_YEAR)
    path = workspace.inputs / OWN_LAST_YEAR
    path.write_text(opened["text"] + "# 在编辑器里改的\n", encoding="utf-8")
    refused = clerk.save(OWN_LAST_YEAR, opened["text"] + "# 网页上改的\n", opened["sha"])
    assert refused.status_code == 409 and "服务外修改" in refused.json()["error"]
    assert path.read_text(encoding="utf-8").endswith("# 在编辑器里改的\n")
    assert versions_of(clerk, OWN_LAST_YEAR)[0]["user"] == "服务外修改"
    clerk.save(OWN_LAST_YEAR, opened["text"])


def test_a_save_that_cannot_be_written_changes_nothing_and_records_nothing(service, as_user, monkeypatch):
    _, workspace = service
    clerk = as_user("clerk")
    data = clerk.file(OWN_LAST_YEAR)
    count = len(versions_of(clerk, OWN_LAST_YEAR))

    def full_disk(self, entry, data):
        raise OSError(28, "No space left on device", str(entry.path))
    monkeypatch.setattr(Workspace, "write", full_disk)
    response = clerk.save(OWN_LAST_YEAR, data["text"] + "# x\n", data["sha"])
    assert response.status_code == 500 and response.json()["error"].startswith("保存失败：磁盘空间不足")
    monkeypatch.undo()
    assert (workspace.inputs / OWN_LAST_YEAR).read_text(encoding="utf-8") == data["text"]
    assert len(versions_of(clerk, OWN_LAST_YEAR)) == count
    assert not [p for p in workspace.inputs.rglob(".*") if p.is_file()]          # no temporary file left


def test_bad_input_never_crashes_a_save_or_a_check(as_user):
    clerk = as_user("clerk")
    data = clerk.file(OWN_LAST_YEAR)
    for body in ({"text": 5, "base": data["sha"]}, {"text": "x"}, [], "text"):
        assert clerk.post(f"/api/save/{OWN_LAST_YEAR}", json=body).status_code == 400
    assert clerk.post(f"/api/save/{OWN_LAST_YEAR}", content=b"\xff\xfe not json",
                      headers={"Content-Type": "application/json"}).status_code == 400
    for text in ("", "\x00\x01", "部门: [", "- a\n- b\n", "部门: 中共重庆市潼南区委办公室\n" + "a: &x 1\nb: *x\n"):
        response = clerk.post(f"/api/check/{OWN_LAST_YEAR}", json={"text": text})
        assert response.status_code == 200 and response.json()["findings"], text
        assert all(f["severity"] == "错误" for f in response.json()["findings"] if f["rule"] != "")


def test_a_draft_with_errors_is_saved_but_the_last_good_outputs_stay(service, as_user):
    _, workspace = service
    clerk = as_user("clerk")
    clerk.get(f"/api/file/{OWN}")                          # the file's check asks for its build
    clerk.wait_built(OWN)
    outputs = {p: p.read_bytes() for p in (workspace.output / "tongnan-quwei-2023.pdf",
                                            workspace.output / "tongnan-quwei-2023.xlsx",
                                            workspace.output / "汇总.csv")}
    data = clerk.file(OWN)
    bad = clerk.save(OWN, edit(data["text"], AMOUNT, "      一般性项目: 8x\n"), data["sha"]).json()
    assert bad["errors"] == 1 and bad["findings"][0]["line"] == data["text"][:data["text"].index(AMOUNT)].count("\n") + 1
    assert (workspace.inputs / OWN).read_text(encoding="utf-8").count("8x") == 1        # the draft is saved
    status = clerk.get(f"/api/status/{OWN}").json()["outputs"]
    assert status["label"] == "有错误" and not status["current"]
    assert "仍是" in status["earlier"] and "生成的旧版本" in status["earlier"]
    assert {p: p.read_bytes() for p in outputs} == outputs                    # the last good outputs, untouched
    preview = clerk.get(bad["preview"]).text
    assert "当前保存的文件有错误，以下是" in preview and "1,708.68" in preview     # the last good preview
    clerk.save(OWN, data["text"], bad["sha"])


@pytest.mark.slow
def test_the_service_builds_byte_identical_pdf_and_xlsx_to_the_command_line(service, as_user, tmp_path):
    _, workspace = service
    clerk = as_user("clerk")
    data = clerk.file(OWN)
    saved = clerk.save(OWN, edit(data["text"], AMOUNT, "      一般性项目: 9\n"), data["sha"]).json()
    assert saved["errors"] == 0
    clerk.wait_built(OWN)
    assert "1,709.68" in clerk.get(saved["preview"]).text           # 附件1's 支出总计 1,708.68 + 1
    command = subprocess.run([sys.executable, "-m", "builder", "build", "--allow-incomplete",
                              str(workspace.inputs / OWN), "-o", str(tmp_path)], cwd=ROOT, capture_output=True, text=True)
    assert command.returncode == 0, command.stdout + command.stderr
    for suffix in ("pdf", "xlsx"):
        assert (workspace.output / f"tongnan-quwei-2023.{suffix}").read_bytes() == \
            (tmp_path / f"tongnan-quwei-2023.{suffix}").read_bytes(), suffix
    # and the service's 汇总 is the batch's: its row of this department, as `build` writes it
    manifest = json.loads((workspace.output / ".budget-builder.json").read_text(encoding="utf-8"))
    entry = manifest["departments"]["tongnan-quwei-2023"]
    assert entry["summary"]["支出总计"] == "17096800.00" and Path(entry["outputs"][0]).name == "tongnan-quwei-2023.xlsx"
    assert "1709.68" in (workspace.output / "汇总.csv").read_text(encoding="utf-8-sig")
    clerk.save(OWN, data["text"], saved["sha"])


def test_the_reviewer_sees_the_new_status_and_returns_a_department_with_a_comment(as_user):
    clerk, reviewer = as_user("clerk"), as_user("reviewer")
    data = clerk.file(OWN)
    clerk.save(OWN, data["text"] + "# 复核\n", data["sha"])
    clerk.wait_built(OWN)
    page = reviewer.get("/overview").text
    row = re.search(rf'<tr data-file="{OWN}">(.*?)</tr>', page, re.S)[1]
    assert "已生成" in row and "clerk" in row and "1,708.68" in row
    assert reviewer.post(f"/review/{OWN}", data={"action": "退回", "comment": ""}).status_code == 400
    assert reviewer.post(f"/review/{OWN}", data={"action": "退回", "comment": "请补充三公经费说明"}).status_code == 303
    mine = clerk.get(f"/edit/{OWN}").text
    assert "财政局退回" in mine and "请补充三公经费说明" in mine
    assert "请补充三公经费说明" in clerk.get("/").text
    assert clerk.post(f"/review/{OWN}", data={"action": "通过", "comment": ""}).status_code == 403
    latest = clerk.file(OWN)
    clerk.save(OWN, data["text"], latest["sha"])
    assert "退回后已修改" in clerk.get(f"/edit/{OWN}").text


def test_all_pdfs_as_one_archive_for_the_reviewer_only(service, as_user):
    import io
    import zipfile
    _, workspace = service
    reviewer, clerk = as_user("reviewer"), as_user("clerk")
    clerk.get(f"/api/file/{OWN}")                          # built here, whichever tests ran before
    clerk.wait_built(OWN)
    response = reviewer.get("/archive.zip")
    assert response.status_code == 200 and response.headers["content-type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    built = sorted(p.name for p in workspace.output.glob("*.pdf"))
    assert "tongnan-quwei-2023.pdf" in built
    assert names == built + ["汇总.xlsx", "汇总.csv"]
    assert clerk.get("/archive.zip").status_code == 403


def test_a_new_year_and_the_final_accounts_start_from_a_file(service, as_user):
    _, workspace = service
    clerk = as_user("clerk")
    response = clerk.post(f"/start/{OWN}", data={"action": "year", "year": "2024"})
    assert response.status_code == 303 and response.headers["location"] == "/edit/tongnan-quwei-2024.yaml"
    made = clerk.file("tongnan-quwei-2024.yaml")
    assert re.search(r"^年度: 2024$", made["text"], re.M) and '上年文件: "tongnan-quwei-2023.yaml"' in made["text"]
    assert made["errors"] > 0                               # every figure blank until the clerk types it
    assert versions_of(clerk, "tongnan-quwei-2024.yaml")[0]["note"] == f"由 {OWN} 生成的下一年度"
    again = clerk.post(f"/start/{OWN}", data={"action": "year", "year": "2024"})
    assert again.status_code == 409 and "已存在，未覆盖" in again.text
    final = clerk.post(f"/start/{OWN}", data={"action": "final"})
    assert final.headers["location"] == "/edit/tongnan-quwei-2023-juesuan.yaml"
    assert "类型: 决算" in clerk.file("tongnan-quwei-2023-juesuan.yaml")["text"]
    assert clerk.post(f"/start/{OWN}", data={"action": "year", "year": "2020"}).status_code == 400
    for name in ("tongnan-quwei-2024.yaml", "tongnan-quwei-2023-juesuan.yaml"):
        (workspace.inputs / name).unlink()


def test_the_diff_against_last_year_and_against_an_earlier_version(as_user):
    clerk = as_user("clerk")
    page = clerk.get(f"/compare/{OWN}?with=上年文件").text
    assert "与上年文件（previous/tongnan-quwei-2022.yaml）比较" in page
    assert re.search(r"<td>功能分类科目</td><td>2013101</td><td>行政运行</td>.*?<td class=\"num\">631.15</td>"
                     r"<td class=\"num\">622.34</td><td class=\"num\">-8.81</td>", page, re.S)
    data = clerk.file(OWN)
    saved = clerk.save(OWN, edit(data["text"], AMOUNT, "      一般性项目: 10\n"), data["sha"]).json()
    page = clerk.get(f"/compare/{OWN}?with=version:{data['version']['id']}").text
    assert "项目支出" in page and "+2.00" in page
    clerk.save(OWN, data["text"], saved["sha"])


def test_an_uploaded_workbook_becomes_a_new_draft(service, as_user, built):
    # the district's own published workbook, read back through its profile into a YAML draft
    _, workspace = service
    clerk = as_user("clerk")
    assert "导入工作簿或 PDF" in clerk.get("/import").text
    workbook = (built / "tongnan-quwei-2023.xlsx").read_bytes()
    response = clerk.post("/import", files={"file": ("区委办2023.xlsx", workbook)},
                          data={"profile": "潼南", "name": "区委办-导入.yaml"})
    assert response.status_code == 303 and unquote(response.headers["location"]).endswith("/edit/区委办-导入.yaml")
    text = (workspace.inputs / "区委办-导入.yaml").read_text(encoding="utf-8")
    assert '部门: "中共重庆市潼南区委办公室"' in text and "622.34" in text
    assert text.startswith("# 由 区委办2023.xlsx 导入")              # under the name the clerk uploaded
    assert versions_of(clerk, "区委办-导入.yaml")[0]["note"] == "由 区委办2023.xlsx 导入"


def test_the_import_page_offers_the_district_profiles(service, as_user):
    _, workspace = service
    folder = workspace.inputs / "方案"
    folder.mkdir()
    try:
        (folder / "本区.yaml").write_text((ROOT / "docs" / "示例区" / "方案" / "示例区.yaml").read_text(encoding="utf-8")
                                         .replace("name: 示例区", "name: 本区").replace("narrative: 示例区.html.j2", ""),
                                         encoding="utf-8")
        page = as_user("clerk").get("/import").text
        assert "<option>本区</option>" in page and "<option>潼南</option>" in page
    finally:
        shutil.rmtree(folder)


def test_an_upload_the_importer_cannot_read_is_said_in_chinese(tmp_path):
    from builder.service import importing
    upload = tmp_path / "a.xlsx"
    upload.write_bytes(b"PK\x03\x04 not a workbook")
    made = importing.run(str(upload), "潼南", str(tmp_path))
    assert made["error"].startswith("无法导入：") and "Traceback" not in made["error"]
