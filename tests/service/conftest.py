"""The service under test: the application with its real worker processes (one check worker, one
build worker) over a workspace copied from the examples, started once per test module."""

from __future__ import annotations

import pytest
from service_helpers import Session, make_workspace


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    """(application, workspace) with its workers running, for the test module."""
    from starlette.testclient import TestClient

    from builder.service.app import create_app
    from builder.service.district import Settings
    workspace = make_workspace(tmp_path_factory.mktemp("workspace"))
    app = create_app(workspace, Settings(check_workers=1, build_workers=1), sweep=False)
    with TestClient(app) as running:
        app.state.portal = running.portal
        yield app, workspace


@pytest.fixture
def as_user(service):
    app, _ = service
    return lambda name=None, **kwargs: Session(app, name, portal=app.state.portal, **kwargs)
