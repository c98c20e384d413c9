"""Request ids are echoed and each request is logged as one JSON line without secrets."""

import json
import logging

import httpx
import pytest

from api.request_log import JsonFormatter, request_id_from

pytestmark = pytest.mark.integration


def test_request_id_is_taken_only_when_sane():
    assert request_id_from([(b"x-request-id", b"abc-123")]) == "abc-123"
    fresh = request_id_from([(b"x-request-id", b"bad id\n{}")])
    assert fresh != "bad id\n{}" and len(fresh) == 32


def test_ids_are_echoed_and_access_lines_are_json(live_url, caplog):
    caplog.set_level(logging.INFO, logger="newsdesk.access")
    r = httpx.get(f"{live_url}/articles?key=secret-value", headers={"X-Request-ID": "req-42"})
    assert r.headers["x-request-id"] == "req-42"
    generated = httpx.get(f"{live_url}/healthz").headers["x-request-id"]
    assert len(generated) == 32
    record = next(r for r in caplog.records if getattr(r, "request_id", None) == "req-42")
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == "req-42" and line["path"] == "/articles"
    assert line["status"] == 200 and line["method"] == "GET" and line["duration_ms"] >= 0
    assert "secret-value" not in json.dumps(line)
