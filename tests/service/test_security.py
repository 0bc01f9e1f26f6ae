"""The service's security, one test (or family) per promise: hashed passwords, session cookies,
CSRF on every state-changing request, a clerk confined to their departments by any URL, uploads
limited, logins rate-limited, a Content-Security-Policy without inline script, user text never
markup, and links in a YAML never leading out of the workspace or to another department."""

import re
from html.parser import HTMLParser
from urllib.parse import quote

import pytest
from service_helpers import PASSWORD, ZHENGFU, Session, edit

from builder.service import accounts, security
from builder.service.store import Store

OWN = "tongnan-quwei-2023.yaml"
OWN_LAST_YEAR = "previous/tongnan-quwei-2022.yaml"
OTHERS = "tongnan-zhengfu-2022.yaml"            # the other clerk's department
OTHERS_LAST_YEAR = "previous/tongnan-zhengfu-2021.yaml"


# -- passwords and accounts ----------------------------------------------------------------------

def test_passwords_are_stored_as_scrypt_hashes_never_as_text(service):
    _, workspace = service
    store = Store(workspace.database)
    stored = store.password_of("clerk")
    store.close()
    assert stored.startswith("scrypt$16384$8$1$") and PASSWORD not in stored
    assert accounts.verify_password(PASSWORD, stored)
    assert not accounts.verify_password(PASSWORD + "x", stored)
    assert not accounts.verify_password(PASSWORD, None)          # an unknown name: a dummy hash, refused
    assert accounts.hash_password(PASSWORD) != accounts.hash_password(PASSWORD)      # salted


def test_weak_passwords_and_bad_names_are_refused(tmp_path):
    store = Store(tmp_path / "s.sqlite3")
    with pytest.raises(accounts.AccountError, match="密码至少 8 个字符"):
        accounts.add(store, "a", "clerk", "short", ["某部门"])
    with pytest.raises(accounts.AccountError, match="含有空格"):
        accounts.add(store, "a b", "reviewer", PASSWORD, [])
    with pytest.raises(accounts.AccountError, match="角色“boss”无效"):
        accounts.add(store, "ab", "boss", PASSWORD, [])
    with pytest.raises(accounts.AccountError, match="至少要有一个部门"):
        accounts.add(store, "ab", "clerk", PASSWORD, [])
    assert accounts.add(store, "审核员", "审核人", PASSWORD, []).role == "reviewer"     # roles by their Chinese names
    store.close()


# -- sessions ------------------------------------------------------------------------------------

def test_the_session_cookie_is_httponly_samesite_and_secure_over_https(service):
    app, _ = service
    plain = Session(app, portal=app.state.portal).login("clerk", PASSWORD)
    cookie = plain.headers["set-cookie"]
    assert cookie.startswith(f"{security.SESSION_COOKIE}=") and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Secure" not in cookie                 # http://127.0.0.1 on a clerk's own machine
    https = Session(app, base_url="https://testserver", portal=app.state.portal).login("clerk", PASSWORD)
    assert "Secure" in https.headers["set-cookie"] and "HttpOnly" in https.headers["set-cookie"]


def test_pages_need_a_session_and_a_forged_cookie_is_no_session(as_user):
    anonymous = as_user()
    assert anonymous.get("/").headers["location"] == "/login"
    assert anonymous.get(f"/edit/{OWN}").status_code == 303
    assert anonymous.get(f"/api/file/{OWN}").status_code == 401
    anonymous.client.cookies.set(security.SESSION_COOKIE, "forged-token-" + "x" * 30)
    assert anonymous.get(f"/api/file/{OWN}").status_code == 401


def test_logout_ends_the_session_on_the_server(as_user):
    clerk = as_user("clerk")
    token = clerk.client.cookies.get(security.SESSION_COOKIE)
    assert clerk.post("/logout", data={}).status_code == 303
    again = as_user()
    again.client.cookies.set(security.SESSION_COOKIE, token)
    assert again.get(f"/api/file/{OWN}").status_code == 401


def test_a_disabled_account_is_signed_out_and_cannot_sign_in(service, as_user):
    _, workspace = service
    store = Store(workspace.database)
    accounts.add(store, "leaver", "clerk", PASSWORD, ["某部门"])
    session = as_user("leaver")
    assert session.get("/").status_code == 200
    accounts.disable(store, "leaver")
    assert session.get("/").status_code == 303
    assert as_user().login("leaver", PASSWORD).status_code == 401
    accounts.disable(store, "leaver", False)
    accounts.reset(store, "leaver", "a new password 2")
    assert as_user().login("leaver", PASSWORD).status_code == 401
    assert as_user().login("leaver", "a new password 2").status_code == 303
    store.close()


# -- CSRF ----------------------------------------------------------------------------------------

def post_routes(app) -> list[str]:
    return sorted({route.path for route in app.routes if "POST" in (getattr(route, "methods", None) or ())})


def test_every_state_changing_route_is_known_to_this_test(service):
    app, _ = service
    assert post_routes(app) == ["/api/check/{name:path}", "/api/save/{name:path}", "/import", "/login", "/logout",
                                "/restore/{name:path}", "/review/{name:path}", "/start/{name:path}"]


CSRF_REQUESTS = {  # url → the request that would change something, given the right token
    "/api/check/{name:path}": ("/api/check/" + OWN, {"json": {"text": "部门: x\n"}}),
    "/api/save/{name:path}": ("/api/save/" + OWN, {"json": {"text": "部门: 中共重庆市潼南区委办公室\n", "base": ""}}),
    "/import": ("/import", {"files": {"file": ("a.xlsx", b"PK\x03\x04" + b"0" * 10)},
                            "data": {"profile": "潼南", "name": "new.yaml"}}),
    "/logout": ("/logout", {"data": {}}),
    "/restore/{name:path}": ("/restore/" + OWN, {"data": {"version": "1", "base": ""}}),
    "/review/{name:path}": ("/review/" + OWN, {"data": {"action": "退回", "comment": "x"}}),
    "/start/{name:path}": ("/start/" + OWN, {"data": {"action": "year", "year": "2030"}}),
}


@pytest.mark.parametrize("route", sorted(CSRF_REQUESTS))
@pytest.mark.parametrize("forgery", ["no token", "wrong token", "another session's token", "other origin"])
def test_every_state_changing_request_needs_the_sessions_csrf_token(service, as_user, route, forgery):
    _, workspace = service
    user = as_user("admin")
    before = {p: p.read_bytes() for p in workspace.inputs.rglob("*.yaml")}
    url, kwargs = CSRF_REQUESTS[route]
    token = {"no token": None, "wrong token": "x" * 43, "another session's token": as_user("reviewer").csrf,
             "other origin": user.csrf}[forgery]
    headers = {"Origin": "https://evil.example"} if forgery == "other origin" else {}
    if "json" in kwargs:
        if token:
            headers["X-CSRF-Token"] = token
        response = user.client.post(url, headers=headers, **kwargs)
    else:
        data = dict(kwargs.get("data", {}), **({"csrf": token} if token else {}))
        response = user.client.post(url, headers=headers, data=data, files=kwargs.get("files"))
    assert response.status_code == 403, response.text
    assert "请求无效" in response.text
    assert {p: p.read_bytes() for p in workspace.inputs.rglob("*.yaml")} == before
    assert user.get("/").status_code in (200, 303) and user.get(f"/api/file/{OWN}").status_code == 200   # still signed in


def test_the_login_form_needs_its_own_token(as_user):
    anonymous = as_user()
    response = anonymous.client.post("/login", data={"name": "clerk", "password": PASSWORD, "csrf": "x" * 43})
    assert response.status_code == 403 and security.SESSION_COOKIE not in response.headers.get("set-cookie", "")


# -- a clerk and another department's files ------------------------------------------------------

def reads(name: str) -> list[str]:
    quoted = quote(name, safe="/")
    return [f"/edit/{quoted}", f"/preview/{quoted}", f"/download/pdf/{quoted}", f"/download/xlsx/{quoted}",
            f"/versions/{quoted}", f"/compare/{quoted}?with=上年文件", f"/api/file/{quoted}", f"/api/status/{quoted}"]


@pytest.mark.parametrize("name", [OTHERS, OTHERS_LAST_YEAR, "tongnan-zhengfu-2024-juesuan.yaml"])
def test_a_clerk_cannot_read_another_departments_file_by_any_page(as_user, name):
    clerk = as_user("clerk")
    for url in reads(name):
        response = clerk.get(url)
        assert response.status_code == 403, url
        assert "无权" in response.text
        assert "重庆市潼南区人民政府办公室" not in response.text and "部门编码" not in response.text


def test_a_clerk_reads_their_own_files_and_the_reviewer_reads_every_file(as_user):
    clerk, reviewer = as_user("clerk"), as_user("reviewer")
    for url in reads(OWN)[:2] + reads(OWN)[4:] + reads(OWN_LAST_YEAR)[:2]:
        assert clerk.get(url).status_code == 200, url
    for url in reads(OTHERS)[:2] + reads(OTHERS)[4:]:
        assert reviewer.get(url).status_code == 200, url


@pytest.mark.parametrize("url", [
    "/edit/../input_yaml/tongnan-zhengfu-2022.yaml",
    "/edit/%2e%2e/input_yaml/tongnan-zhengfu-2022.yaml",
    "/edit/previous/..%2ftongnan-zhengfu-2022.yaml",
    "/edit/previous%2F..%2Ftongnan-zhengfu-2022.yaml",
    "/edit/%252e%252e%252ftongnan-zhengfu-2022.yaml",
    "/edit/previous/../tongnan-zhengfu-2022.yaml",
    "/edit/./tongnan-zhengfu-2022.yaml",
    "/edit//tongnan-zhengfu-2022.yaml",
    "/edit/%2Ftmp%2Fx.yaml",
    "/edit/..%5Ctongnan-zhengfu-2022.yaml",
    "/edit/TONGNAN-ZHENGFU-2022.yaml",
    "/edit/tongnan-zhengfu-2022.yaml%00.yaml",
    "/edit/tongnan-zhengfu-2022.yaml/",
    "/api/file/..%2F..%2F..%2Fetc%2Fpasswd",
    "/api/file/%2e%2e%2f.budget-builder%2fservice.sqlite3",
    "/api/file/.budget-builder/service.sqlite3",
    "/download/pdf/..%2Foutput%2Ftongnan-zhengfu-2022.pdf",
    "/preview/%E2%80%AEtongnan-zhengfu-2022.yaml",
])
def test_paths_and_encoded_names_reach_no_file_outside_the_listing_or_of_another_department(as_user, url):
    clerk = as_user("clerk")
    response = clerk.get(url)
    assert response.status_code in (403, 404), url
    assert "部门编码" not in response.text and "SQLite" not in response.text and "root:" not in response.text


def test_a_clerk_cannot_write_another_departments_file(service, as_user):
    _, workspace = service
    clerk, other = as_user("clerk"), as_user("other")
    before = (workspace.inputs / OTHERS).read_bytes()
    base = other.file(OTHERS)["sha"]
    text = before.decode("utf-8").replace("部门简称: 政府办", "部门简称: 改了")
    assert clerk.post(f"/api/save/{OTHERS}", json={"text": text, "base": base}).status_code == 403
    assert clerk.post(f"/api/check/{OTHERS}", json={"text": text}).status_code == 403
    assert clerk.post(f"/restore/{OTHERS}", data={"version": "1", "base": base}).status_code == 403
    assert clerk.post(f"/start/{OTHERS}", data={"action": "year", "year": "2030"}).status_code == 403
    assert (workspace.inputs / OTHERS).read_bytes() == before
    assert not (workspace.inputs / "tongnan-zhengfu-2030.yaml").exists()


def test_a_version_of_another_departments_file_is_refused_by_its_number(as_user):
    clerk, other = as_user("clerk"), as_user("other")
    versions = other.get(f"/versions/{OTHERS}").text
    number = re.search(r'data-version="(\d+)"', versions)[1]
    assert clerk.get(f"/version/{number}").status_code == 403
    assert clerk.get(f"/compare/{OWN}?with=version:{number}").status_code == 404


def test_a_reviewer_reads_but_never_writes(as_user):
    reviewer = as_user("reviewer")
    data = reviewer.file(OWN)
    assert data["may_write"] is False
    assert reviewer.post(f"/api/save/{OWN}", json={"text": data["text"] + "\n", "base": data["sha"]}).status_code == 403
    assert reviewer.post(f"/start/{OWN}", data={"action": "final"}).status_code == 403


def test_a_clerks_text_must_name_their_own_department(service, as_user):
    _, workspace = service
    clerk = as_user("clerk")
    data = clerk.file(OWN)
    text = edit(data["text"], "部门: 中共重庆市潼南区委办公室", f"部门: {ZHENGFU}")
    response = clerk.save(OWN, text, data["sha"])
    assert response.status_code == 400 and "应为您负责的部门" in response.json()["error"]
    assert (workspace.inputs / OWN).read_text(encoding="utf-8") == data["text"]


@pytest.mark.parametrize("link, why", [
    ("上年文件: ../tongnan-zhengfu-2022.yaml", "其他部门"),
    ("上年文件: /etc/passwd", "不在工作区"),
    ("上年文件: ../../../../../../etc/hostname", "不在工作区"),
    ("科目表: /etc/passwd", "不在工作区"),
    ("科目表: [../../x.csv]", "不在工作区"),
])
def test_a_clerks_yaml_cannot_link_another_department_or_a_file_outside_the_workspace(service, as_user, link, why):
    _, workspace = service
    clerk = as_user("clerk")
    data = clerk.file(OWN_LAST_YEAR)
    text = data["text"].rstrip("\n") + "\n" + link + "\n"
    checked = clerk.post(f"/api/check/{OWN_LAST_YEAR}", json={"text": text}).json()["findings"]
    assert [f["rule"] for f in checked if f["severity"] == "错误"] == ["service-link"], checked
    assert why in checked[0]["message"]
    response = clerk.save(OWN_LAST_YEAR, text, data["sha"])
    assert response.status_code == 400 and why in response.json()["error"]
    assert (workspace.inputs / OWN_LAST_YEAR).read_text(encoding="utf-8") == data["text"]


# -- uploads ---------------------------------------------------------------------------------------

def test_uploads_are_limited_in_size_before_they_are_read(as_user):
    clerk = as_user("clerk")
    big = b"PK\x03\x04" + b"0" * (security.MAX_UPLOAD_BODY + 10)
    response = clerk.post("/import", files={"file": ("big.xlsx", big)}, data={"profile": "潼南", "name": "x.yaml"})
    assert response.status_code == 413 and "请求过大" in response.text
    huge_json = clerk.post(f"/api/check/{OWN}", json={"text": "x" * (security.MAX_BODY + 1)})
    assert huge_json.status_code == 413


@pytest.mark.parametrize("filename, content", [
    ("notes.txt", b"hello"),
    ("table.xlsx", b"%PDF-1.7 not a workbook"),
    ("scan.pdf", b"PK\x03\x04 not a pdf"),
    ("page.html", b"<script>alert(1)</script>"),
    ("noext", b"%PDF-1.7"),
])
def test_uploads_must_be_a_workbook_or_a_pdf_by_name_and_content(as_user, filename, content):
    clerk = as_user("clerk")
    response = clerk.post("/import", files={"file": (filename, content)}, data={"profile": "潼南", "name": "x.yaml"})
    assert response.status_code == 415 and "只能导入 Excel 工作簿（.xlsx）或 PDF" in response.text


def test_an_upload_cannot_name_a_file_outside_the_departments_folder(as_user):
    clerk = as_user("clerk")
    for name in ("../x.yaml", "/etc/x.yaml", ".hidden.yaml", "a/../../x.yaml", "a\\..\\x.yaml"):
        response = clerk.post("/import", files={"file": ("a.xlsx", b"PK\x03\x04rest")},
                              data={"profile": "潼南", "name": name})
        assert response.status_code == 400 and "新文件名只能含" in response.text, name


# -- the login rate limit --------------------------------------------------------------------------

def test_logins_are_refused_after_five_failures_for_a_name_even_with_the_right_password(service, as_user):
    _, workspace = service
    store = Store(workspace.database)
    accounts.add(store, "target", "reviewer", PASSWORD, [])
    store.close()
    for _ in range(security.USER_FAILURES):
        assert as_user().login("target", "guess").status_code == 401
    refused = as_user().login("target", PASSWORD)
    assert refused.status_code == 429 and "登录失败次数过多，请 15 分钟后再试" in refused.text
    assert as_user().login("reviewer", PASSWORD).status_code == 303          # others are not locked out


def test_a_successful_login_forgets_the_names_failures(service, as_user):
    _, workspace = service
    store = Store(workspace.database)
    accounts.add(store, "forgetful", "reviewer", PASSWORD, [])
    store.close()
    for _ in range(security.USER_FAILURES - 1):
        as_user().login("forgetful", "guess")
    assert as_user().login("forgetful", PASSWORD).status_code == 303
    for _ in range(security.USER_FAILURES - 1):
        assert as_user().login("forgetful", "guess").status_code == 401
    assert as_user().login("forgetful", PASSWORD).status_code == 303


def test_an_address_is_refused_after_many_failures_over_any_names(service, monkeypatch):
    _, workspace = service
    store = Store(workspace.database)
    monkeypatch.setattr(security, "IP_FAILURES", 3)
    for n in range(3):
        security.login_failed(store, f"name{n}", "203.0.113.9")
    assert security.login_wait(store, "anyone", "203.0.113.9") > 0
    assert security.login_wait(store, "anyone", "203.0.113.10") == 0
    store.close()


# -- the pages: no inline script, user text never markup --------------------------------------------

class Markup(HTMLParser):
    def __init__(self):
        super().__init__()
        self.problems = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and not attrs.get("src"):
            self.problems.append("inline script")
        for name, value in attrs.items():
            if name.startswith("on") or name == "style" or (value or "").strip().lower().startswith("javascript:"):
                self.problems.append(f"{tag} {name}={value}")

    def handle_data(self, data):
        if self.lasttag == "script" and data.strip():
            self.problems.append("script body")


def pages(as_user) -> list[tuple[str, object]]:
    clerk, reviewer = as_user("clerk"), as_user("reviewer")
    number = re.search(r'data-version="(\d+)"', clerk.get(f"/versions/{OWN}").text)[1]
    urls = ["/", f"/edit/{OWN}", f"/preview/{OWN}", f"/versions/{OWN}", f"/version/{number}",
            f"/compare/{OWN}?with=上年文件", "/import", "/nowhere"]
    return [(url, clerk.get(url)) for url in urls] + [("/login", as_user().get("/login")),
                                                     ("/overview", reviewer.get("/overview"))]


def test_every_page_has_a_csp_without_inline_script_and_no_inline_script_or_handler(as_user):
    for url, response in pages(as_user):
        policy = response.headers["content-security-policy"]
        assert "script-src 'self';" in policy and "unsafe-inline" not in policy and "unsafe-eval" not in policy, url
        assert "frame-ancestors 'self'" in policy and "default-src 'none'" in policy
        assert response.headers["x-content-type-options"] == "nosniff"
        checker = Markup()
        checker.feed(response.text)
        assert checker.problems == [], (url, checker.problems)


def test_the_api_and_static_files_carry_the_policy_too(as_user):
    clerk = as_user("clerk")
    for url in (f"/api/file/{OWN}", "/static/edit.js", "/static/editor.js", "/static/font/NotoSansSC-Regular.otf"):
        response = clerk.get(url)
        assert response.status_code == 200 and "script-src 'self'" in response.headers["content-security-policy"], url
        assert response.headers["x-content-type-options"] == "nosniff"


def test_text_a_clerk_types_is_shown_as_text_on_every_page(service, as_user):
    _, workspace = service
    clerk, reviewer = as_user("clerk"), as_user("reviewer")
    data = clerk.file(OWN_LAST_YEAR)
    evil = '<script>alert(1)</script><img src=x onerror=alert(2)>'
    text = edit(data["text"], "部门简称: 区委办", f'部门简称: "区委办{evil}"')
    response = clerk.save(OWN_LAST_YEAR, text, data["sha"])
    assert response.status_code == 200, response.text
    reviewer.post(f"/review/{OWN}", data={"action": "退回", "comment": f"请改正{evil}"})
    for url in (f"/edit/{OWN}", f"/versions/{OWN_LAST_YEAR}", f"/compare/{OWN}?with=上年文件", "/"):
        page = clerk.get(url).text
        assert "<script>alert" not in page and "<img src=x" not in page, url
    number = re.search(r'data-version="(\d+)"', clerk.get(f"/versions/{OWN_LAST_YEAR}").text)[1]
    page = clerk.get(f"/version/{number}").text
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "请改正&lt;script&gt;" in clerk.get(f"/edit/{OWN}").text
    clerk.save(OWN_LAST_YEAR, data["text"])          # as it was, for the other tests


@pytest.mark.parametrize("text", [
    '{部门: 某部门, 上年文件: ../outside.yaml}\n',                      # a top-level flow mapping
    '部门: 某部门\n"\\u4E0A\\u5E74\\u6587\\u4EF6": ../outside.yaml\n',   # the key spelt in escapes
    '部门: 某部门\n科目表:\n  - a.csv\n  - ../outside.csv\n',
    '部门: 某部门\n上年文件: "..\\x2Foutside.yaml"\n',
])
def test_links_are_read_as_the_loader_reads_them_however_they_are_written(tmp_path, text):
    from builder.service.work import vet
    inputs = tmp_path / "input_yaml"
    inputs.mkdir()
    path = inputs / "a.yaml"
    path.write_text(text, encoding="utf-8")
    problems = vet(path, inputs.resolve(), frozenset({"某部门"}))
    assert [p.rule for p in problems] == ["service-link"] and "不在工作区" in problems[0].message


def test_the_servers_own_refusals_are_in_chinese(as_user):
    clerk = as_user("clerk")
    assert "不能这样访问该网址" in clerk.get("/logout").text and clerk.get("/logout").status_code == 405
    assert "找不到该页面" in clerk.get("/static/nothing.js").text
    assert clerk.get("/api/nothing").json() == {"error": "找不到该页面。"}
