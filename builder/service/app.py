"""The web application: Starlette routes over the district (district.py), pages from Jinja2
templates in Chinese (autoescape on), JSON for the editor page's script.

Every page but the login needs a session; every POST needs the session's CSRF token (a form
field, or the X-CSRF-Token header from the page's meta tag) and, when the browser names one, an
Origin of this service. A file is only ever found by its name in the workspace's listing, then
checked against the user's departments: a clerk asking for another department's file — by a
link, a typed URL, `..`, an encoded name — gets 403 or 404 and nothing of the file.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import secrets
import shutil
import tempfile
import zipfile
from functools import cache, wraps
from pathlib import Path
from urllib.parse import quote

import jinja2
from markupsafe import Markup
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response, StreamingResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from . import accounts, diffs, importing, security, work
from .core import cjk_font, profiles, schema_for
from .district import District, SaveRefused, Settings
from .jobs import Busy, WorkerDied
from .store import Store, User, clock, sha256
from .workspace import Entry, Workspace

log = logging.getLogger("budget_builder.service")

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
KINDS = {"预算": "budget", "决算": "final"}
MAX_COMMENT = 2000


# -- pages -------------------------------------------------------------------------------------

@cache
def _env() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["path"] = lambda name: quote(name, safe="/")
    env.filters["when"] = clock
    return env


@cache
def static_version() -> str:
    """A fingerprint of the static files, on their URLs, so a new version is never served from
    a browser's cache."""
    digest = hashlib.sha256()
    for path in sorted(STATIC.rglob("*")):
        if path.is_file():
            digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:10]


def base(request: Request) -> str:
    return request.scope.get("root_path", "") or ""


def render(request: Request, template: str, status: int = 200, **context) -> HTMLResponse:
    nonce = secrets.token_urlsafe(16)
    user = getattr(request.state, "user", None)
    html = _env().get_template(template).render(
        request=request, base=base(request), user=user, csrf=getattr(request.state, "csrf", ""),
        nonce=nonce, v=static_version(), **context)
    response = HTMLResponse(html, status_code=status)
    response.headers["Content-Security-Policy"] = security.csp(nonce)
    return response


def message(request: Request, status: int, title: str, text: str, back: str | None = None) -> HTMLResponse:
    return render(request, "message.html.j2", status, title=title, text=text, back=back)


def api_error(status: int, text: str, **extra) -> JSONResponse:
    return JSONResponse({"error": text, **extra}, status_code=status)


def district(request: Request) -> District:
    return request.app.state.district


def page(*, reviews: bool = False, api: bool = False, file: bool = False, write: bool = False):
    """A route for a signed-in user (`reviews`: a reviewer or admin); POSTs need the CSRF token.
    With `file` the route is about the file its URL names: the handler gets it as `entry` once the
    user may see it (and, with `write`, change it) — otherwise the refusal is the response."""
    def wrap(fn):
        @wraps(fn)
        async def endpoint(request: Request):
            d = district(request)
            found = security.session(d.store, request)
            if found is None:
                if api:
                    return api_error(401, "请先登录")
                return RedirectResponse(f"{base(request)}/login", status_code=303)
            request.state.user, request.state.csrf = found
            user = found[0]
            if request.method == "POST":
                token = request.headers.get("x-csrf-token")
                if token is None and request.headers.get("content-type", "").startswith(
                        ("application/x-www-form-urlencoded", "multipart/form-data")):
                    try:
                        form = await request.form(max_files=1, max_fields=20)
                    except Exception:
                        return message(request, 400, "请求无效", "表单无法读取，请刷新页面后重试。")
                    sent = form.get("csrf")
                    token = sent if isinstance(sent, str) else None
                if not security.same(token, found[1]) \
                        or not security.same_origin(request):
                    text = "请求无效（页面已过期或来自其他网站），请刷新页面后重试。"
                    return api_error(403, text) if api else message(request, 403, "请求无效", text)
            if reviews and not user.reviews:
                return api_error(403, "只有审核人可以这样做") if api else \
                    message(request, 403, "无权访问", "只有财政局审核人可以查看此页面。")
            try:
                if not file:
                    return await fn(request, user)
                entry = file_for(request, user, write=write, api=api)
                if not isinstance(entry, Entry):
                    return entry
                return await fn(request, user, entry)
            except Busy:
                text = "服务器正忙，请稍后再试。"
                return api_error(503, text) if api else message(request, 503, "服务器正忙", text)
            except WorkerDied:
                text = "内部错误：处理进程意外退出，请重试。"
                return api_error(500, text) if api else message(request, 500, "内部错误", text)
        return endpoint
    return wrap


def file_for(request: Request, user: User, write: bool = False, api: bool = False,
             name: str | None = None) -> Entry | Response:
    """The file a URL names (or `name`), if this user may see it (and, with `write`, change it)."""
    d = district(request)
    name = request.path_params.get("name", "") if name is None else name
    entry = d.ws.lookup(name)
    if entry is None:
        return api_error(404, "找不到该文件") if api else message(request, 404, "找不到文件", "找不到该文件。", "/")
    if not d.may_read(user, entry) or (write and not d.may_write(user, entry)):
        text = "您无权修改该文件。" if d.may_read(user, entry) else "您无权查看该部门的文件。"
        return api_error(403, text) if api else message(request, 403, "无权访问", text, "/")
    return entry


def decoded(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def review_view(d: District, entry: Entry) -> dict | None:
    reviews = d.store.reviews(entry.name)
    if not reviews:
        return None
    latest = reviews[0]
    version = d.store.latest(entry.name)
    return {"action": latest.action, "comment": latest.comment, "user": latest.user, "when": latest.when,
            "changed_since": bool(version and version.at > latest.at)}


def outputs_view(d: District, entry: Entry) -> dict | None:
    if not entry.is_department:
        return None
    out = d.outputs(entry)
    return {k: out[k] for k in ("label", "current", "files", "building", "generated", "earlier")}


# -- sign in and out -------------------------------------------------------------------------

async def login_page(request: Request):
    d = district(request)
    if security.session(d.store, request):
        return RedirectResponse(f"{base(request)}/", status_code=303)
    return _login_form(request)


def _login_form(request: Request, error: str = "", status: int = 200, name: str = "") -> Response:
    token = security.login_token(request)
    response = render(request, "login.html.j2", status, login_csrf=token, error=error, name=name)
    security.set_login_cookie(response, request, token)
    return response


async def login(request: Request):
    d = district(request)
    try:
        form = await request.form(max_files=0, max_fields=10)
    except Exception:
        return _login_form(request, "表单无法读取，请重试。", 400)
    name = str(form.get("name") or "").strip()[:64]
    password = str(form.get("password") or "")
    if not security.same(str(form.get("csrf") or ""), request.cookies.get(security.LOGIN_COOKIE)) \
            or not security.same_origin(request):
        return _login_form(request, "登录页面已过期，请重新输入。", 403, name)
    address = security.client_address(request)
    wait = security.login_wait(d.store, name, address)
    if wait:
        return _login_form(request, f"登录失败次数过多，请 {-(-wait // 60)} 分钟后再试。", 429, name)
    stored = d.store.password_of(name) if name else None
    ok = await asyncio.to_thread(accounts.verify_password, password[:accounts.MAX_PASSWORD], stored)
    user = d.store.user(name) if ok else None
    if not ok or user is None or user.disabled:
        security.login_failed(d.store, name, address)
        return _login_form(request, "用户名或密码错误。", 401, name)
    security.login_succeeded(d.store, name)
    response = RedirectResponse(f"{base(request)}/", status_code=303)
    security.set_session_cookie(response, request, d.store.new_session(user.id))
    response.delete_cookie(security.LOGIN_COOKIE, path=security.cookie_path(request))
    return response


@page()
async def logout(request: Request, user: User):
    district(request).store.end_session(request.cookies.get(security.SESSION_COOKIE, ""))
    response = RedirectResponse(f"{base(request)}/login", status_code=303)
    security.clear_session_cookie(response, request)
    return response


# -- the clerk's files and the district's overview -------------------------------------------

@page()
async def home(request: Request, user: User):
    if user.reviews:
        return RedirectResponse(f"{base(request)}/overview", status_code=303)
    d = district(request)
    await asyncio.to_thread(d.observe_all)
    entries = sorted(d.files_of(user), key=lambda e: (e.department, not e.is_department, e.name))
    latest = d.store.latest_of([e.name for e in entries])
    rows = [{"entry": e, "version": latest.get(e.name), "outputs": outputs_view(d, e), "review": review_view(d, e)}
            for e in entries]
    return render(request, "home.html.j2", rows=rows)


@page(reviews=True)
async def overview(request: Request, user: User):
    d = district(request)
    await asyncio.to_thread(d.observe_all)
    rows = await asyncio.to_thread(d.overview)
    counts = {label: sum(r["outputs"]["label"] == label for r in rows)
              for label in ("已生成", "有错误", "检查中", "生成中", "排队生成", "待重新生成", "未生成")}
    return render(request, "overview.html.j2", rows=rows, counts={k: v for k, v in counts.items() if v},
                  summary_files=[n for n in ("汇总.xlsx", "汇总.csv") if (d.ws.output / n).is_file()])


@page(reviews=True)
async def archive(request: Request, user: User):
    """Every department's PDF in the output folder, and the 汇总, as one zip."""
    d = district(request)

    def make():
        spool = tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024)
        with zipfile.ZipFile(spool, "w", zipfile.ZIP_STORED) as archive_file:
            for entry in d.ws.departments():
                pdf = d.ws.outputs(entry)["pdf"]
                if pdf.is_file():
                    archive_file.write(pdf, f"{entry.stem}.pdf")
            for name in ("汇总.xlsx", "汇总.csv"):
                if (d.ws.output / name).is_file():
                    archive_file.write(d.ws.output / name, name)
        spool.seek(0)
        return spool

    spool = await asyncio.to_thread(make)

    def chunks():
        with spool:
            while block := spool.read(1024 * 1024):
                yield block

    return StreamingResponse(chunks(), media_type="application/zip",
                             headers={"Content-Disposition": _attachment("全部部门公开PDF.zip")})


@page(reviews=True)
async def summary_file(request: Request, user: User):
    d = district(request)
    name = {"xlsx": "汇总.xlsx", "csv": "汇总.csv"}.get(request.path_params["fmt"])
    if name is None or not (d.ws.output / name).is_file():
        return message(request, 404, "找不到文件", "汇总尚未生成。", "/overview")
    return FileResponse(d.ws.output / name, headers={"Content-Disposition": _attachment(name)})


def _attachment(name: str) -> str:
    ascii_name = name.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"


# -- one file --------------------------------------------------------------------------------

@page(file=True)
async def edit(request: Request, user: User, entry: Entry):
    d = district(request)
    links = await asyncio.to_thread(work.linked, str(d.ws.inputs), str(entry.path), d.ws.options)
    links = [link for link in links if (target := d.ws.lookup(link["name"])) and d.may_read(user, target)]
    return render(request, "edit.html.j2", entry=entry, may_write=d.may_write(user, entry), links=links,
                  review=review_view(d, entry), reviews=d.store.reviews(entry.name)[:5],
                  outputs=outputs_view(d, entry), kind=KINDS.get(entry.kind, "budget"))


@page(api=True, file=True)
async def api_file(request: Request, user: User, entry: Entry):
    d = district(request)
    data, version = await asyncio.to_thread(d.observe, entry)
    checked = await d.check_saved(entry)
    return JSONResponse({
        "name": entry.name, "text": decoded(data), "sha": sha256(data), "may_write": d.may_write(user, entry),
        "kind": entry.kind, "version": _version_json(version), "findings": checked.findings,
        "errors": checked.errors, "warnings": checked.warnings, "preview": _preview_url(request, entry, checked.key),
        "outputs": outputs_view(d, entry), "review": review_view(d, entry)})


def _version_json(version) -> dict | None:
    if version is None:
        return None
    return {"id": version.id, "number": version.number, "user": version.user, "when": version.when, "note": version.note}


def _preview_url(request: Request, entry: Entry, key: str) -> str:
    return f"{base(request)}/preview/{quote(entry.name, safe='/')}?k={key[:16]}"


async def _json(request: Request) -> dict | None:
    try:
        data = json.loads(await request.body())
    except (ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


@page(api=True, file=True)
async def api_check(request: Request, user: User, entry: Entry):
    body = await _json(request)
    if body is None or not isinstance(body.get("text"), str):
        return api_error(400, "请求无效")
    findings = await district(request).check_draft(user, entry, body["text"].encode("utf-8"))
    return JSONResponse({"findings": findings, "superseded": findings is None})


@page(api=True, file=True, write=True)
async def api_save(request: Request, user: User, entry: Entry):
    body = await _json(request)
    if body is None or not isinstance(body.get("text"), str) or not isinstance(body.get("base"), str):
        return api_error(400, "请求无效")
    d = district(request)
    try:
        version, checked = await d.save(user, entry, body["text"].encode("utf-8"), body["base"])
    except SaveRefused as refused:
        return api_error(refused.status, refused.message, **refused.extra)
    except OSError as exc:
        from .core import os_problem
        return api_error(500, "保存失败：" + os_problem(exc, entry.name, writing=True))
    return JSONResponse({"sha": version.sha, "version": _version_json(version),
                         "findings": checked.findings, "errors": checked.errors, "warnings": checked.warnings,
                         "preview": _preview_url(request, entry, checked.key), "outputs": outputs_view(d, entry)})


@page(api=True, file=True)
async def api_status(request: Request, user: User, entry: Entry):
    d = district(request)
    version = d.store.latest(entry.name)
    return JSONResponse({"version": _version_json(version), "outputs": outputs_view(d, entry),
                         "review": review_view(d, entry)})


@page(api=True)
async def api_schema(request: Request, user: User):
    kind = {"budget": "预算", "final": "决算"}.get(request.path_params["kind"])
    if kind is None:
        return api_error(404, "没有这种文件类型")
    return Response(_schema(kind), media_type="application/json",
                    headers={"Cache-Control": "private, max-age=3600"})


@cache
def _schema(kind: str) -> str:
    return schema_for(kind)


@page(file=True)
async def preview(request: Request, user: User, entry: Entry):
    d = district(request)
    checked = await d.check_saved(entry)
    shown = await asyncio.to_thread(d.preview, entry)
    response = render(request, "preview.html.j2", entry=entry, checked=checked,
                      html=Markup(shown[0]) if shown else None, drawn=clock(shown[2]) if shown else "",
                      current=bool(shown and shown[3]))
    return response


@page(file=True)
async def download(request: Request, user: User, entry: Entry):
    fmt = request.path_params["fmt"]
    d = district(request)
    if fmt not in ("pdf", "xlsx") or not entry.is_department:
        return message(request, 404, "找不到文件", "没有这种输出文件。")
    path = d.ws.outputs(entry)[fmt]
    if not path.is_file():
        return message(request, 404, "尚未生成", "该文件尚未生成（文件有错误，或正在生成），请稍后再试。",
                       f"/edit/{quote(entry.name, safe='/')}")
    media = "application/pdf" if fmt == "pdf" else \
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return FileResponse(path, media_type=media, headers={"Content-Disposition": _attachment(path.name)})


# -- versions and comparisons ----------------------------------------------------------------

@page(file=True)
async def versions(request: Request, user: User, entry: Entry):
    d = district(request)
    data, _ = await asyncio.to_thread(d.observe, entry)
    return render(request, "versions.html.j2", entry=entry, versions=d.store.versions(entry.name),
                  sha=sha256(data), may_write=d.may_write(user, entry))


def _version_for(request: Request, user: User) -> tuple | Response:
    d = district(request)
    try:
        version = d.store.version(int(request.path_params["id"]))
    except (ValueError, OverflowError):
        version = None
    if version is None:
        return message(request, 404, "找不到版本", "没有这个版本。", "/")
    entry = file_for(request, user, name=version.file)
    if not isinstance(entry, Entry):
        return entry
    return entry, version


@page()
async def version_page(request: Request, user: User):
    found = _version_for(request, user)
    if not isinstance(found, tuple):
        return found
    entry, version = found
    d = district(request)
    current, _ = await asyncio.to_thread(d.observe, entry)
    old = decoded(d.store.text_of(version.sha))
    rows = await asyncio.to_thread(diffs.line_diff, old, decoded(current))
    return render(request, "version.html.j2", entry=entry, version=version, text=old, rows=rows,
                  changed=diffs.changed(rows), sha=sha256(current), may_write=d.may_write(user, entry))


@page(file=True)
async def compare(request: Request, user: User, entry: Entry):
    d = district(request)
    against = request.query_params.get("with", "")
    current, _ = await asyncio.to_thread(d.observe, entry)
    inputs = str(d.ws.inputs)
    allowed = None if user.reviews else d.allowed(user)
    if against.startswith("version:"):
        try:
            version = d.store.version(int(against.split(":", 1)[1]))
        except ValueError:
            version = None
        if version is None or version.file != entry.name:
            return message(request, 404, "找不到版本", "没有这个版本。")
        old_name = f"第 {version.number} 版（{version.when}，{version.user}）"
        result = await d.checks.run(work.compare, inputs, str(entry.path), old_name, str(entry.path), "当前版本",
                                    d.ws.options, d.store.text_of(version.sha), allowed, urgent=True)
        title = f"与第 {version.number} 版比较"
    else:
        links = await asyncio.to_thread(work.linked, inputs, str(entry.path), d.ws.options)
        link = next((link for link in links if link["key"] == against), None)
        target = d.ws.lookup(link["name"]) if link else None
        if target is None or not d.may_read(user, target):
            return message(request, 404, "无法比较", f"本文件没有可以比较的{against or '文件'}。",
                           f"/edit/{quote(entry.name, safe='/')}")
        result = await d.checks.run(work.compare, inputs, str(target.path), target.name, str(entry.path), entry.name,
                                    d.ws.options, None, allowed, urgent=True)
        title = f"与{against}（{target.name}）比较"
    return render(request, "compare.html.j2", entry=entry, title=title, result=result)


@page(file=True, write=True)
async def restore(request: Request, user: User, entry: Entry):
    form = await request.form()
    d = district(request)
    try:
        version = d.store.version(int(str(form.get("version"))))
    except ValueError:
        version = None
    if version is None or version.file != entry.name:
        return message(request, 404, "找不到版本", "没有这个版本。")
    try:
        await d.restore(user, entry, version, str(form.get("base") or ""))
    except SaveRefused as refused:
        return message(request, refused.status, "未恢复", refused.message, f"/versions/{quote(entry.name, safe='/')}")
    return RedirectResponse(f"{base(request)}/edit/{quote(entry.name, safe='/')}", status_code=303)


@page(file=True, write=True)
async def start(request: Request, user: User, entry: Entry):
    """A new year from this file, or this year's 决算 from its 预算 (as `init` makes them)."""
    form = await request.form()
    action = str(form.get("action") or "")
    year = None
    if action == "year":
        try:
            year = int(str(form.get("year") or "").strip())
        except ValueError:
            return message(request, 400, "未生成", "请填写新年度（如 2025）。", f"/edit/{quote(entry.name, safe='/')}")
    elif action != "final":
        return message(request, 400, "未生成", "请求无效。")
    d = district(request)
    made = await d.checks.run(work.start, str(d.ws.inputs), str(entry.path), action, year, urgent=True)
    back = f"/edit/{quote(entry.name, safe='/')}"
    if "error" in made:
        return message(request, 409 if "name" in made else 400, "未生成", made["error"], back)
    note = f"由 {entry.name} 生成" + ("的下一年度" if action == "year" else "的部门决算")
    try:
        created = await d.create(user, made["name"], made["text"].encode("utf-8"), note)
    except SaveRefused as refused:
        return message(request, refused.status, "未生成", refused.message, back)
    return RedirectResponse(f"{base(request)}/edit/{quote(created.name, safe='/')}", status_code=303)


@page(reviews=True, file=True)
async def review(request: Request, user: User, entry: Entry):
    form = await request.form()
    action = str(form.get("action") or "")
    comment = str(form.get("comment") or "").strip()
    back = f"/edit/{quote(entry.name, safe='/')}"
    if action not in ("退回", "通过"):
        return message(request, 400, "未记录", "请求无效。", back)
    if action == "退回" and not comment:
        return message(request, 400, "未退回", "退回时请写明意见，填报人会看到它。", back)
    if len(comment) > MAX_COMMENT:
        return message(request, 400, "未记录", f"意见最多 {MAX_COMMENT} 个字。", back)
    district(request).store.add_review(entry.name, action, comment, user.name)
    return RedirectResponse(f"{base(request)}{back}", status_code=303)


# -- import ----------------------------------------------------------------------------------

@page()
async def import_page(request: Request, user: User):
    # the district's own profiles (its 方案 folder above the departments) before the built-in ones
    return render(request, "import.html.j2", profiles=profiles(district(request).ws.inputs), error="",
                  departments=user.departments)


@page()
async def import_upload(request: Request, user: User):
    d = district(request)
    if user.role == "reviewer":
        return message(request, 403, "无权访问", "审核人不能导入文件。")
    form = await request.form(max_files=1, max_fields=20)
    upload = form.get("file")
    profile = str(form.get("profile") or "")
    offered = profiles(d.ws.inputs)
    fail = lambda status, text: render(request, "import.html.j2", status, profiles=offered,
                                       departments=user.departments, error=text)
    if upload is None or isinstance(upload, str) or not upload.filename:
        return fail(400, "请选择要导入的文件（.xlsx 或 .pdf）。")
    if profile not in offered:
        return fail(400, "请选择公开表方案。")
    name = d.ws.new_name(str(form.get("name") or ""))
    if name is None:
        return fail(400, "新文件名只能含汉字、字母、数字、- _ . 和括号，以 .yaml 结尾，不能以 . 开头。")
    head = await upload.read(8)
    suffix = importing.kind_of(upload.filename, head)
    if suffix is None:
        return fail(415, "只能导入 Excel 工作簿（.xlsx）或 PDF 文件，且文件内容须与扩展名相符。")
    # under its own name (the YAML's header says what it was imported from), in a folder of its own
    folder = d.ws.state / "uploads" / secrets.token_hex(8)
    folder.mkdir(parents=True)
    target = folder / (Path(upload.filename).stem[:80].strip(". ") + suffix if Path(upload.filename).stem.strip(". ")
                       else f"上传{suffix}")
    size = len(head)
    try:
        with open(target, "wb") as out:
            out.write(head)
            while block := await upload.read(1024 * 1024):
                size += len(block)
                if size > importing.MAX_UPLOAD:
                    return fail(413, f"文件过大（上限 {importing.MAX_UPLOAD // (1024 * 1024)} MB）。")
                out.write(block)
        made = await d.checks.run(importing.run, str(target), profile, str(d.ws.inputs), urgent=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if "error" in made:
        return fail(422, made["error"])
    try:
        created = await d.create(user, name, made["text"].encode("utf-8"), f"由 {upload.filename} 导入")
    except SaveRefused as refused:
        return fail(refused.status, refused.message)
    return RedirectResponse(f"{base(request)}/edit/{quote(created.name, safe='/')}", status_code=303)


# -- static files ----------------------------------------------------------------------------

async def font(request: Request):
    return FileResponse(cjk_font(), media_type="font/otf", headers={"Cache-Control": "public, max-age=31536000"})


class Static(StaticFiles):
    async def get_response(self, path, scope):
        response = await super().get_response(path, scope)
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        return response


HTTP_ERRORS = {404: ("找不到页面", "找不到该页面。"), 405: ("请求无效", "不能这样访问该网址。"),
               413: ("请求过大", "请求过大。"), 400: ("请求无效", "请求无效，请刷新页面后重试。")}


async def http_error(request: Request, exc) -> Response:
    """Starlette's own refusals (an unknown address, a wrong method …), in Chinese."""
    status = getattr(exc, "status_code", 400)
    title, text = HTTP_ERRORS.get(status, ("请求无效", f"请求无效（{status}）。"))
    if request.url.path.startswith("/api/"):
        return api_error(status, text)
    return message(request, status, title, text, "/")


async def server_error(request: Request, exc) -> Response:
    log.exception("internal error", exc_info=exc)
    return message(request, 500, "内部错误", "服务器内部错误，请稍后重试；如仍出错，请告知管理员。", "/")


# -- the application -------------------------------------------------------------------------

def create_app(workspace: Workspace, settings: Settings | None = None, sweep: bool = True) -> Starlette:
    """The service over one workspace. Its worker processes start with the application and stop
    with it (Starlette's lifespan)."""

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        store = Store(workspace.database)
        app.state.district = District(workspace, store, settings)
        await app.state.district.start(sweep=sweep)
        try:
            yield
        finally:
            await app.state.district.stop()
            store.close()

    name = "{name:path}"
    routes = [
        Route("/login", login_page, methods=["GET"]),
        Route("/login", login, methods=["POST"]),
        Route("/logout", logout, methods=["POST"]),
        Route("/", home),
        Route("/overview", overview),
        Route("/archive.zip", archive),
        Route("/summary.{fmt}", summary_file),
        Route(f"/edit/{name}", edit),
        Route(f"/preview/{name}", preview),
        Route("/download/{fmt}/" + name, download),
        Route(f"/versions/{name}", versions),
        Route("/version/{id}", version_page),
        Route(f"/compare/{name}", compare),
        Route(f"/restore/{name}", restore, methods=["POST"]),
        Route(f"/start/{name}", start, methods=["POST"]),
        Route(f"/review/{name}", review, methods=["POST"]),
        Route("/import", import_page, methods=["GET"]),
        Route("/import", import_upload, methods=["POST"]),
        Route(f"/api/file/{name}", api_file),
        Route(f"/api/check/{name}", api_check, methods=["POST"]),
        Route(f"/api/save/{name}", api_save, methods=["POST"]),
        Route(f"/api/status/{name}", api_status),
        Route("/api/schema/{kind}", api_schema),
        Route("/static/font/NotoSansSC-Regular.otf", font),
        Mount("/static", Static(directory=STATIC), name="static"),
    ]
    app = Starlette(routes=routes, lifespan=lifespan,
                    exception_handlers={HTTPException: http_error, 500: server_error})
    app.add_middleware(security.Guard)
    return app


__all__ = ["create_app", "Settings", "Workspace"]
