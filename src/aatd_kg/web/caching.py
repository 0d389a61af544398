"""Conditional requests: ``ETag``, ``If-None-Match`` and ``If-Modified-Since`` (RFC 9110 §13)."""

from __future__ import annotations

import hashlib
from email.utils import parsedate_to_datetime

from fastapi import Request
from fastapi.responses import Response

#: Headers a 304 repeats from the 200 it stands for (RFC 9110 §15.4.5).
_KEPT_ON_304 = ("etag", "vary", "content-location", "link", "cache-control", "last-modified")


def etag_matches(header: str, etag: str) -> bool:
    """Weak comparison of *etag* with an ``If-None-Match`` header."""
    if header.strip() == "*":
        return True
    bare = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == bare for tag in header.split(","))


def not_modified(request: Request, etag: str, mtime: float | None = None) -> bool:
    """True when the client's copy is current (``If-None-Match`` wins over ``-Modified-Since``)."""
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:
        return etag_matches(if_none_match, etag)
    since = request.headers.get("if-modified-since")
    if since and mtime is not None:
        try:
            return int(mtime) <= parsedate_to_datetime(since).timestamp()
        except (TypeError, ValueError):
            return False
    return False


def body_etag(body: bytes) -> str:
    """A weak ``ETag`` for *body*."""
    return f'W/"{hashlib.sha256(body).hexdigest()[:32]}"'


def with_etag(request: Request, response: Response, etag: str | None = None) -> Response:
    """Give an in-memory *response* a weak ``ETag`` (of its body unless given); 304 if the
    client has it."""
    etag = etag or body_etag(response.body)
    response.headers["ETag"] = etag
    if response.status_code == 200 and not_modified(request, etag):
        kept = {k: v for k, v in response.headers.items() if k.lower() in _KEPT_ON_304}
        return Response(status_code=304, headers=kept)
    return response
