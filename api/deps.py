"""Dependencies route handlers share: the lifespan-owned `Newsdesk`."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from rag.service import Newsdesk


def get_newsdesk(request: Request) -> Newsdesk:
    return request.app.state.runtime.newsdesk


NewsdeskDep = Annotated[Newsdesk, Depends(get_newsdesk)]
