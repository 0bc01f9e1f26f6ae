"""What every response and request goes through: security headers, a Content-Security-Policy
without inline script, request size limits, sessions in HttpOnly SameSite cookies, CSRF tokens
on every state-changing request, and the limit on failed logins.
"""

from __future__ import annotations

import hmac
import secrets
import time
from urllib.parse import urlsplit

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import Response

from .store import Store, User

SESSION_COOKIE = "bb_session"
LOGIN_COOKIE = "bb_login"

# scripts only from the service's own files; styles too (the editor's own style sheets carry the
# page's nonce); the preview frame is the service's own page; nothing may frame the service
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'{nonce}; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; frame-src 'self'; frame-ancestors 'self'; form-action 'self'; base-uri 'none'; "
       "object-src 'none'")

MAX_BODY = 6 * 1024 * 1024            # a YAML of up to 5 MB, as JSON
MAX_UPLOAD_BODY = 21 * 1024 * 1024    # an upload of up to 20 MB, as a form
UPLOAD_PATHS = ("/import",)

USER_FAILURES = 5                     # failed logins per name …
IP_FAILURES = 30                      # … and per address …
FAILURE_WINDOW = 15 * 60              # … within 15 minutes, before logins are refused


def csp(nonce: str = "") -> str:
    return CSP.format(nonce=f" 'nonce-{nonce}'" if nonce else "")


class Guard:
    """An ASGI middleware: security headers on every response, and bodies over the limit refused
    (413) before they are read."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path = scope.get("path", "")
        limit = MAX_UPLOAD_BODY if path in UPLOAD_PATHS else MAX_BODY
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > limit):
            return await _too_large(limit)(scope, receive, send)
        seen = 0

        async def limited_receive():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise TooLarge(limit)
            return message

        static = path.startswith("/static/")

        async def headed_send(message):
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if "content-security-policy" not in headers:
                    headers["Content-Security-Policy"] = csp()
                headers["X-Content-Type-Options"] = "nosniff"
                headers["Referrer-Policy"] = "same-origin"
                headers["X-Frame-Options"] = "SAMEORIGIN"
                headers["Cross-Origin-Opener-Policy"] = "same-origin"
                if not static and "cache-control" not in headers:
                    headers["Cache-Control"] = "no-store"
            await send(message)

        try:
            await self.app(scope, limited_receive, headed_send)
        except TooLarge:
            await _too_large(limit)(scope, receive, send)


class TooLarge(Exception):
    pass


def _too_large(limit: int) -> Response:
    return Response(f"请求过大（上限 {limit // (1024 * 1024)} MB）", status_code=413,
                    media_type="text/plain; charset=utf-8")


# -- sessions ----------------------------------------------------------------------------------

def session(store: Store, request: Request) -> tuple[User, str] | None:
    return store.session(request.cookies.get(SESSION_COOKIE, ""))


def secure(request: Request) -> bool:
    return request.url.scheme == "https"


def cookie_path(request: Request) -> str:
    return (request.scope.get("root_path") or "") + "/"


def set_session_cookie(response: Response, request: Request, token: str) -> None:
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="lax", secure=secure(request),
                        path=cookie_path(request))


def clear_session_cookie(response: Response, request: Request) -> None:
    response.delete_cookie(SESSION_COOKIE, httponly=True, samesite="lax", secure=secure(request),
                           path=cookie_path(request))


def login_token(request: Request) -> str:
    """The login form's CSRF token: kept in a cookie of its own (there is no session yet)."""
    token = request.cookies.get(LOGIN_COOKIE, "")
    return token if 20 <= len(token) <= 100 else secrets.token_urlsafe(32)


def set_login_cookie(response: Response, request: Request, token: str) -> None:
    response.set_cookie(LOGIN_COOKIE, token, httponly=True, samesite="strict", secure=secure(request),
                        path=cookie_path(request), max_age=3600)


def same(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    return hmac.compare_digest(a.encode(), b.encode())


def same_origin(request: Request) -> bool:
    """Whether a state-changing request comes from a page of this service, when the browser says
    where it comes from (the CSRF token decides in any case; behind a proxy, pass the Host on)."""
    origin = request.headers.get("origin")
    if origin is None:
        return True
    return urlsplit(origin).netloc == request.headers.get("host", "")


# -- failed logins -----------------------------------------------------------------------------

def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def login_wait(store: Store, name: str, address: str) -> int:
    """Seconds until a login for this name from this address may be tried again (0: now)."""
    now = time.time()
    since = now - FAILURE_WINDOW
    waits = []
    for key, limit in ((f"name:{name}", USER_FAILURES), (f"ip:{address}", IP_FAILURES)):
        if store.failures(key, since) >= limit:
            oldest = store.oldest_failure(key, since) or now
            waits.append(int(oldest + FAILURE_WINDOW - now) + 1)
    return max(waits, default=0)


def login_failed(store: Store, name: str, address: str) -> None:
    store.fail([f"name:{name}", f"ip:{address}"])


def login_succeeded(store: Store, name: str) -> None:
    store.forget_failures(f"name:{name}")
