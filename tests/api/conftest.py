"""One real server (uvicorn, real models, seeds in a temp store) shared by the API test modules."""

from __future__ import annotations

import pytest

from api.app import create_app


@pytest.fixture(scope="session")
def live_url(tmp_path_factory, uvicorn_thread, make_settings):
    """Base URL of a running Newsdesk over a real loopback socket."""
    app = create_app(make_settings(tmp_path_factory.mktemp("live-api-data")))
    with uvicorn_thread(app) as url:
        yield url
