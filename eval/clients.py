"""The client seam the harness talks through, and its HTTP implementation."""

from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable
from urllib.parse import quote

import httpx


@runtime_checkable
class QAClient(Protocol):
    """What the harness needs from a system under test; all values are JSON-shaped dicts."""

    def ask(
        self, question: str, top_k: int, history: Sequence[dict[str, str]] = ()
    ) -> dict[str, Any]:
        """Answer a question, after the conversation in `history` when there is one; returns
        the ``/ask`` response shape."""
        ...

    def search(self, query: str, top_k: int) -> list[dict[str, Any]] | None:
        """Return ranked chunks, or None when the system has no search endpoint."""
        ...

    def article_text(self, article_id: str) -> str | None:
        """Return the stored text of an article, or None when it is unknown."""
        ...


class HttpClient:
    """QAClient over the service's HTTP API (``POST /ask``, ``POST /search``, ``GET /articles``)."""

    def __init__(
        self, base_url: str, timeout: float = 120, http_client: httpx.Client | None = None
    ):
        self.base_url = base_url.rstrip("/")
        self._http = http_client or httpx.Client(timeout=timeout)
        self._texts: dict[str, str | None] = {}
        self._search_missing = False

    def _url(self, path: str) -> str:
        return f"{self.base_url}{path}"

    def ask(
        self, question: str, top_k: int, history: Sequence[dict[str, str]] = ()
    ) -> dict[str, Any]:
        """POST ``/ask`` with ``{"question", "top_k"}`` (and ``history`` when given); raises
        httpx errors on failure."""
        body: dict[str, Any] = {"question": question, "top_k": top_k}
        if history:
            body["history"] = list(history)
        response = self._http.post(self._url("/ask"), json=body)
        response.raise_for_status()
        return response.json()

    def search(self, query: str, top_k: int) -> list[dict[str, Any]] | None:
        """POST ``/search``; None (remembered) when the server answers 404 or 405."""
        if self._search_missing:
            return None
        response = self._http.post(self._url("/search"), json={"query": query, "top_k": top_k})
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
