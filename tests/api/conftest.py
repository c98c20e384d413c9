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


@pytest.fixture(scope="session")
def hardened(tmp_path_factory, uvicorn_thread, make_settings):
    """A live server with two API keys, the default 1 MiB body limit (2 MiB for POST
    /articles) and extractive answers (no LLM): `.url` and `.keys`."""
    from types import SimpleNamespace

    keys = ("nd-test-key-5f1c2a9e7b", "nd-second-key-0b8d44")
    settings = make_settings(
        tmp_path_factory.mktemp("hardened-data"),
        api_keys=",".join(keys),
        answer_mode="extractive",
        max_article_body_bytes=2 << 20,
    )
    with uvicorn_thread(create_app(settings)) as url:
        yield SimpleNamespace(url=url, keys=keys)
