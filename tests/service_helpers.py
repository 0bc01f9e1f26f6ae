"""The service's tests: a workspace copied from the examples, accounts made as the `users` command
makes them, and a browser-like session of the application (tests/service/conftest.py starts it)."""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

from builder.service import accounts
from builder.service.store import Store
from builder.service.workspace import Workspace

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "input_yaml"

QUWEI = "中共重庆市潼南区委办公室"          # tongnan-quwei-2023.yaml and previous/tongnan-quwei-2022.yaml
ZHENGFU = "重庆市潼南区人民政府办公室"      # tongnan-zhengfu-2022.yaml, -2024-juesuan.yaml and their years
PASSWORD = "correct horse battery"

USERS = {  # name → (role, departments)
    "clerk": ("clerk", [QUWEI]),
    "other": ("clerk", [ZHENGFU]),
    "reviewer": ("reviewer", []),
    "admin": ("admin", []),
}


def make_workspace(root: Path, users: dict = USERS) -> Workspace:
    shutil.copytree(EXAMPLES, root / "input_yaml")
    workspace = Workspace(root, allow_incomplete=True)
    store = Store(workspace.database)
    for name, (role, departments) in users.items():
        accounts.add(store, name, role, PASSWORD, departments)
    store.close()
    return workspace


class Session:
    """A browser's session: a test client with its own cookies, logged in, with the page's CSRF token."""

    def __init__(self, app, name: str | None = None, password: str = PASSWORD, base_url: str = "http://testserver",
                 portal=None):
        from starlette.testclient import TestClient
        self.client = TestClient(app, base_url=base_url, follow_redirects=False)
        # the requests run on the event loop of the running application (its queues and locks are
        # that loop's), as a server's requests do
        self.client.portal = portal
        self.csrf = ""
        if name:
            response = self.login(name, password)
            assert response.status_code == 303, response.text
            self.csrf = re.search(r'name="csrf-token" content="([^"]+)"', self.client.get("/import").text)[1]

    def login(self, name: str, password: str):
        page = self.client.get("/login")
        token = re.search(r'name="csrf" value="([^"]+)"', page.text)[1]
        return self.client.post("/login", data={"name": name, "password": password, "csrf": token})

    def get(self, url: str, **kwargs):
        return self.client.get(url, **kwargs)

    def post(self, url: str, csrf: bool = True, **kwargs):
        headers = dict(kwargs.pop("headers", {}))
        if csrf and "data" not in kwargs and "files" not in kwargs:
            headers["X-CSRF-Token"] = self.csrf
        if csrf and ("data" in kwargs or "files" in kwargs):
            kwargs["data"] = {"csrf": self.csrf, **kwargs.get("data", {})}
        return self.client.post(url, headers=headers, **kwargs)

    def file(self, name: str) -> dict:
        response = self.get(f"/api/file/{name}")
        assert response.status_code == 200, response.text
        return response.json()

    def save(self, name: str, text: str, base: str | None = None):
        if base is None:
            base = self.file(name)["sha"]
        return self.post(f"/api/save/{name}", json={"text": text, "base": base})

    def wait_built(self, name: str, timeout: float = 120) -> dict:
        """The file's outputs once they are of its current text."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            outputs = self.get(f"/api/status/{name}").json()["outputs"]
            if outputs["current"]:
                return outputs
            time.sleep(0.5)
        raise AssertionError(f"{name} not built: {outputs}")


def edit(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)
