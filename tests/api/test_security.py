"""API keys: 401 without a key, 403 with a wrong one, reads open unless configured, keys
never logged or printed, and no public listening without keys."""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr

from api.app import create_app
from api.security import ApiKeys, is_loopback, parse_api_keys, serving_notice
from rag.errors import ConfigError
from rag.settings import Settings

RAG = str(Path(sys.executable).parent / "rag")
KEY = "nd-test-key-5f1c2a9e7b"
OTHER_KEY = "nd-second-key-0b8d44"
ARTICLE = {
    "id": "council-vote",
    "title": "Council approves the bridge",
    "body": "The council voted 9-0 on Tuesday to rebuild the old river bridge by 2027.",
}


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


# --- pure parts -------------------------------------------------------------------------


def test_keys_from_a_comma_list_and_from_a_file(tmp_path):
    assert parse_api_keys(SecretStr(f" {KEY} , {OTHER_KEY},")) == [KEY, OTHER_KEY]
    path = tmp_path / "keys"
    path.write_text(f"# newsroom keys\n{KEY}\n\n  {OTHER_KEY}  \n")
    assert parse_api_keys(SecretStr(str(path))) == [KEY, OTHER_KEY]
    assert parse_api_keys(None) == [] and parse_api_keys(SecretStr("  ")) == []


def test_a_key_file_that_does_not_exist_is_an_error_not_a_key(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        parse_api_keys(SecretStr(str(tmp_path / "missing-keys")))


def test_keys_match_exactly():
    keys = ApiKeys([KEY, OTHER_KEY])
    assert keys.match(KEY) == 0 and keys.match(OTHER_KEY) == 1
    assert keys.match(KEY[:-1]) is None and keys.match(KEY + "x") is None
    assert keys.match("") is None and ApiKeys([]).match(KEY) is None


def test_keys_never_print(tmp_path):
    settings = Settings(data_dir=tmp_path, api_keys=f"{KEY},{OTHER_KEY}", openai_api_key=KEY)
    shown = [
        repr(settings),
        str(settings),
        settings.model_dump_json(),
        str(settings.model_dump()),
        repr(ApiKeys.from_settings(settings)),
    ]
    assert all(KEY not in text and OTHER_KEY not in text for text in shown)


def test_without_keys_only_loopback_may_be_bound():
    assert "loopback only" in serving_notice("127.0.0.1", ApiKeys([]))
    assert "loopback only" in serving_notice("::1", ApiKeys([]))
    for public in ("0.0.0.0", "::", "192.168.1.20"):
        with pytest.raises(ConfigError, match="without API keys"):
            serving_notice(public, ApiKeys([]))
    assert "need Authorization" in serving_notice("0.0.0.0", ApiKeys([KEY]))
    assert is_loopback("localhost") and not is_loopback("example.org")


# --- the CLI ------------------------------------------------------------------------------


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAG_")}
    return env | {"HF_HUB_OFFLINE": "1"} | extra


def test_serve_refuses_a_public_host_without_keys():
    cli = [RAG, "serve", "--host", "0.0.0.0", "--port", "9"]
    done = subprocess.run(cli, env=_env(), capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "refusing to listen on 0.0.0.0 without API keys" in done.stderr
    assert "Traceback" not in done.stderr


def test_serve_says_it_listens_on_loopback_only_without_keys(tmp_path):
    cli = [RAG, "serve", "--port", "9"]
    env = _env(RAG_DATA_DIR=str(tmp_path), RAG_ANSWER_MODE="extractive")
    with subprocess.Popen(cli, env=env, stderr=subprocess.PIPE, text=True) as proc:
        try:
            deadline = time.monotonic() + 120
            line = ""
            while "API keys" not in line and time.monotonic() < deadline:
                line = proc.stderr.readline()
                if not line and proc.poll() is not None:
                    break
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    assert "no API keys configured (RAG_API_KEYS): listening on loopback only" in line


# --- over HTTP ------------------------------------------------------------------------------


def call(app, method: str, path: str, client=("127.0.0.1", 40000), **kwargs) -> httpx.Response:
    """One request through the ASGI app in-process (no lifespan: only guards answer)."""

    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app, client=client)
        async with httpx.AsyncClient(transport=transport, base_url="http://newsdesk") as c:
            return await c.request(method, path, **kwargs)

    return asyncio.run(go())


def test_without_keys_a_remote_client_cannot_write(tmp_path):
    app = create_app(Settings(data_dir=tmp_path))
    r = call(app, "DELETE", "/articles/anything", client=("203.0.113.9", 40000))
    assert r.status_code == 403
    assert "only loopback clients may write" in r.json()["detail"]


def test_reads_need_a_key_when_configured(tmp_path):
    settings = Settings(data_dir=tmp_path, api_keys=KEY, require_key_for_read=True)
    app = create_app(settings)
    assert call(app, "GET", "/v1/models").status_code == 401
    assert call(app, "GET", "/v1/models", headers=bearer("nope")).status_code == 403
    assert call(app, "GET", "/v1/models", headers=bearer(KEY)).status_code == 200
    assert call(app, "GET", "/openapi.json").status_code == 200


@pytest.fixture(scope="module")
def keyed(hardened):
    """The shared live server with keys `KEY` and `OTHER_KEY`; reads stay open."""
    assert hardened.keys == (KEY, OTHER_KEY)
    with httpx.Client(base_url=hardened.url, timeout=60) as client:
        yield client


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": f"Basic {KEY}"}, {"Authorization": "Bearer"}],
    ids=["none", "basic", "empty"],
)
def test_writes_without_a_bearer_key_are_401(keyed, headers):
    for r in (
        keyed.post("/articles", json=ARTICLE, headers=headers),
        keyed.delete("/articles/001", headers=headers),
    ):
        assert r.status_code == 401, r.text
        assert r.headers["www-authenticate"] == "Bearer"
        body = r.json()
        assert body["error"] and "missing API key" in body["detail"]


def test_writes_with_a_wrong_key_are_403(keyed):
    for wrong in ("nope", KEY.upper(), KEY + "x", OTHER_KEY[:-1]):
        r = keyed.post("/articles", json=ARTICLE, headers=bearer(wrong))
        assert r.status_code == 403, r.text
        assert r.json()["detail"] == "the API key is not valid"
    assert keyed.get("/articles/council-vote").status_code == 404


def test_writes_with_a_valid_key_work(keyed):
    r = keyed.post("/articles", json=ARTICLE, headers=bearer(OTHER_KEY))
    assert r.status_code == 200, r.text
    assert keyed.get("/articles/council-vote").status_code == 200
    assert keyed.delete("/articles/council-vote", headers=bearer(KEY)).status_code == 204


def test_reads_stay_open_without_a_key(keyed):
    assert keyed.get("/healthz").status_code == 200
    assert keyed.post("/search", json={"query": "Zelensky soldiers"}).status_code == 200
    assert keyed.get("/articles").status_code == 200


def test_keys_never_appear_in_logs_or_responses(keyed, caplog):
    caplog.set_level(logging.DEBUG)
    seen = []
    for key in (KEY, "wrong-" + KEY):
        seen.append(keyed.post("/articles", json=ARTICLE, headers=bearer(key)))
        seen.append(keyed.delete("/articles/nothing-here", headers=bearer(key)))
        seen.append(keyed.post("/search", json={"query": "bridge"}, headers=bearer(key)))
    assert [r.status_code for r in seen] == [200, 404, 200, 403, 403, 200]
    assert any("rejected POST /articles" in m for m in caplog.messages)
    for r in seen[:2] + seen[3:5]:
        assert KEY not in r.text
    assert KEY not in caplog.text
