"""The client seam the harness talks through, and its HTTP implementation.

Over HTTP the harness is a polite client (`PoliteTransport`): a 429 is retried after its
`Retry-After`, a 503 after its `Retry-After` or an exponential backoff, until a request has
waited `max_wait_s` in all; then the refusal is returned as it came. The bench clients that
do not measure refusals use the same transport.
"""

import random
import time
from collections.abc import Callable, Sequence
from email.utils import parsedate_to_datetime
from typing import Any, Protocol, runtime_checkable
from urllib.parse import quote

import httpx

RETRIED_STATUSES = frozenset({429, 503})


def retry_after_s(response: httpx.Response) -> float | None:
    """The `Retry-After` header in seconds (a number, or an HTTP date), None when absent."""
    value = response.headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


class PoliteTransport(httpx.BaseTransport):
    """Retries 429 and 503 as the server asks, within a bounded wait per request.

    `retries` and `waited_s` count what it did over its life, for reports and tests.
    """

    def __init__(
        self,
        inner: httpx.BaseTransport | None = None,
        max_wait_s: float = 300.0,
        backoff_s: float = 0.5,
        max_backoff_s: float = 10.0,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.inner = inner or httpx.HTTPTransport()
        self.max_wait_s = max_wait_s
        self.backoff_s = backoff_s
        self.max_backoff_s = max_backoff_s
        self.sleep = sleep
        self.retries = 0
        self.waited_s = 0.0

    def delay(self, response: httpx.Response, attempt: int) -> float:
        """Seconds to wait before the next try: the server's word, else jittered backoff."""
        asked = retry_after_s(response)
        if asked is not None:
            return min(asked, self.max_backoff_s * 6)
        backoff = min(self.max_backoff_s, self.backoff_s * 2**attempt)
        return backoff * random.uniform(0.5, 1.0)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        waited, attempt = 0.0, 0
        while True:
            response = self.inner.handle_request(request)
            if response.status_code not in RETRIED_STATUSES:
                return response
            pause = self.delay(response, attempt)
            if waited + pause > self.max_wait_s:
                return response
            response.read()
            response.close()
            self.sleep(pause)
            waited += pause
            attempt += 1
            self.retries += 1
            self.waited_s += pause

    def close(self) -> None:
        self.inner.close()


def polite_client(timeout: float = 120, max_wait_s: float = 300.0, **kwargs: Any) -> httpx.Client:
    """An `httpx.Client` that honours 429/503 (`PoliteTransport`)."""
    return httpx.Client(timeout=timeout, transport=PoliteTransport(max_wait_s=max_wait_s), **kwargs)


@runtime_checkable
class QAClient(Protocol):
    """What the harness needs from a system under test; all values are JSON-shaped dicts."""

    def ask(
        self,
        question: str,
        top_k: int,
        history: Sequence[dict[str, str]] = (),
        as_of: str | None = None,
    ) -> dict[str, Any]:
        """Answer a question, after the conversation in `history` when there is one, as asked
        on the ISO day `as_of` when given; returns the ``/ask`` response shape."""
        ...

    def search(
        self, query: str, top_k: int, as_of: str | None = None
    ) -> list[dict[str, Any]] | None:
        """Return ranked chunks, or None when the system has no search endpoint."""
        ...

    def article_text(self, article_id: str) -> str | None:
        """Return the stored text of an article, or None when it is unknown."""
        ...


class HttpClient:
    """QAClient over the service's HTTP API (``POST /ask``, ``POST /search``, ``GET /articles``);
    by default a polite one (429 and 503 retried as the server asks, `PoliteTransport`)."""

    def __init__(
        self,
        base_url: str,
        timeout: float = 120,
        http_client: httpx.Client | None = None,
        max_wait_s: float = 300.0,
        transport: PoliteTransport | None = None,
    ):
        """`http_client` replaces the polite default entirely; `transport` keeps it polite
        with a `PoliteTransport` of the caller's (to read its counts)."""
        self.base_url = base_url.rstrip("/")
        self._polite = None
        if http_client is None:
            self._polite = transport or PoliteTransport(max_wait_s=max_wait_s)
            http_client = httpx.Client(timeout=timeout, transport=self._polite)
        self._http = http_client
        self._texts: dict[str, str | None] = {}
        self._search_missing = False

    def waits(self) -> dict[str, float] | None:
        """How often and how long the client waited on 429/503, when it is a polite one."""
        if self._polite is None:
            return None
        return {"retries": self._polite.retries, "waited_s": round(self._polite.waited_s, 1)}
        self._texts: dict[str, str | None] = {}
        self._search_missing = False

    def _url(self, path: str) -> str:
        return f"{self.base_url}{path}"

    def ask(
        self,
        question: str,
        top_k: int,
        history: Sequence[dict[str, str]] = (),
        as_of: str | None = None,
    ) -> dict[str, Any]:
        """POST ``/ask`` with ``{"question", "top_k"}`` (and ``history``, ``as_of`` when
        given); raises httpx errors on failure."""
        body: dict[str, Any] = {"question": question, "top_k": top_k}
        if history:
            body["history"] = list(history)
        if as_of:
            body["as_of"] = as_of
        response = self._http.post(self._url("/ask"), json=body)
        response.raise_for_status()
        return response.json()

    def search(
        self, query: str, top_k: int, as_of: str | None = None
    ) -> list[dict[str, Any]] | None:
        """POST ``/search``; None (remembered) when the server answers 404 or 405."""
        if self._search_missing:
            return None
        body: dict[str, Any] = {"query": query, "top_k": top_k}
        if as_of:
            body["as_of"] = as_of
        response = self._http.post(self._url("/search"), json=body)
        if response.status_code in (404, 405):
            self._search_missing = True
            return None
        response.raise_for_status()
        return list(response.json().get("results", []))

    def article_text(self, article_id: str) -> str | None:
        """GET ``/articles/{id}`` once per id; None on 404."""
        if article_id not in self._texts:
            response = self._http.get(self._url(f"/articles/{quote(article_id, safe='')}"))
            if response.status_code == 404:
                self._texts[article_id] = None
            else:
                response.raise_for_status()
                self._texts[article_id] = response.json().get("text")
        return self._texts[article_id]

    def close(self) -> None:
        """Close the underlying HTTP connection pool."""
        self._http.close()

    def __enter__(self) -> "HttpClient":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
