"""The app factory: ``create_app(settings, store)`` builds a fresh FastAPI app (no globals).

Routers are included in this order: SPARQL (``/sparql``), ``/health``, the eligibility check, and
the linked-data routes LAST, because they end with a catch-all entity path.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import JSONResponse, PlainTextResponse
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from aatd_kg.eligibility.web import router as eligibility_router
from aatd_kg.settings import Settings
from aatd_kg.store.base import Store, StoreError
from aatd_kg.web.conneg import NegotiationError
from aatd_kg.web.linked_data import router as linked_data_router
from aatd_kg.web.routing import get_and_head
from aatd_kg.web.sparql import ProtocolError, static_dir
from aatd_kg.web.sparql import router as sparql_router

log = logging.getLogger(__name__)

#: Answers smaller than this are not gzipped (the header costs more than it saves).
GZIP_MINIMUM_BYTES = 1_000


class RequestTooLarge(Exception):
    """The request body is larger than ``settings.max_request_bytes``."""


class BodySizeLimit:
    """ASGI middleware: answer 413 when a request body exceeds *limit* bytes.

    Checks ``Content-Length`` up front and counts streamed chunks for chunked bodies.
    """

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length" and value.isdigit() and int(value) > self.limit:
                await self._reject(scope, receive, send)
                return
        seen = 0

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise RequestTooLarge
            return message

        try:
            await self.app(scope, limited_receive, send)
        except RequestTooLarge:
            await self._reject(scope, receive, send)

    async def _reject(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = PlainTextResponse(
            f"request body too large: at most {self.limit} bytes are accepted "
            "(send long queries with POST application/sparql-query, or shorten them)",
            status_code=413,
        )
        await response(scope, receive, send)


def _error_handlers(app: FastAPI) -> None:
    async def store_error(request: Request, exc: Exception) -> PlainTextResponse:
        assert isinstance(exc, StoreError)
        if exc.status >= 500:
            log.error("store error on %s: %s", request.url.path, exc, exc_info=exc)
        headers = {"Vary": "Accept"}
        return PlainTextResponse(str(exc), status_code=exc.status, headers=headers)

    async def negotiation_error(request: Request, exc: Exception) -> PlainTextResponse:
        assert isinstance(exc, NegotiationError)
        return PlainTextResponse(str(exc), status_code=exc.status, headers={"Vary": "Accept"})

    async def protocol_error(request: Request, exc: Exception) -> PlainTextResponse:
        assert isinstance(exc, ProtocolError)
        return PlainTextResponse(str(exc), status_code=exc.status, headers={"Vary": "Accept"})

    app.add_exception_handler(ProtocolError, protocol_error)
    app.add_exception_handler(StoreError, store_error)
    app.add_exception_handler(NegotiationError, negotiation_error)


def create_app(settings: Settings, store: Store) -> FastAPI:
    """A new app serving *store* with *settings*; each call builds independent state."""
    app = FastAPI(
        title="AATD-KG",
        version=getattr(store, "version", "unknown"),
        description=(
            "The AATD knowledge graph: a SPARQL 1.1 endpoint, dereferenceable IRIs, entity pages "
            "and release downloads."
        ),
        docs_url="/docs",
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.store = store
    _error_handlers(app)

    app.include_router(sparql_router(settings, store))
    app.mount("/static", StaticFiles(directory=static_dir()), name="static")

    @get_and_head(app.router, "/health", tags=["service"],
                  summary="Liveness and the loaded release")
    def health() -> JSONResponse:
        return JSONResponse(
            {
                "status": "ok",
                "version": store.version,
                "triples": store.triple_count,
            },
            headers={"Cache-Control": "no-store"},
        )

    app.include_router(eligibility_router(settings, store))
    app.include_router(linked_data_router(settings, store))

    app.add_middleware(GZipMiddleware, minimum_size=GZIP_MINIMUM_BYTES)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_credentials=False,
        allow_methods=["GET", "HEAD", "POST", "OPTIONS"],
        allow_headers=["Accept", "Content-Type", "If-None-Match", "If-Modified-Since"],
        expose_headers=["Content-Type", "ETag", "Last-Modified", "Vary"],
    )
    app.add_middleware(BodySizeLimit, limit=settings.max_request_bytes)
    return app

