"""Fixtures of the federation test: real HTTP servers (uvicorn) on free loopback ports.

The second endpoint is Oxigraph behind a minimal ASGI app (:func:`sparql_app`) speaking just
enough of the SPARQL 1.1 protocol for a federating client: ``GET``/``POST /sparql`` with
``query``, SELECT/ASK answered as SPARQL results JSON.
"""

from __future__ import annotations

import hashlib
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pyoxigraph as ox
import pytest
import uvicorn
from fastapi import FastAPI
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from aatd_kg.build.load import load_sources, parse_source
from aatd_kg.prefixes import DEFAULT_BASE
from aatd_kg.settings import Settings
from aatd_kg.store.oxigraph import OxigraphStore
from aatd_kg.web.app import create_app

HERE = Path(__file__).parent

#: The MONDO-like slice served by the second endpoint.
MONDO_SLICE = HERE / "fixtures" / "mondo-slice.ttl"
#: AATD-KG sources served by the real app (the exports tests' fixture release).
AATD_SOURCES = HERE.parent / "exports" / "fixtures" / "sources"
#: Seconds to wait for a server to start before the test fails (a safety net, not a measure).
STARTUP_LIMIT = 20.0


RESULTS_JSON = "application/sparql-results+json"


def sparql_app(store: ox.Store) -> Starlette:
    """An ASGI app answering SPARQL queries over *store* at ``/sparql``."""

    async def sparql(request: Request) -> Response:
        params = dict(request.query_params)
        if request.method == "POST":
            body = (await request.body()).decode("utf-8")
            if request.headers.get("content-type", "").startswith("application/sparql-query"):
                params["query"] = body
            else:
                params.update({k: v[0] for k, v in parse_qs(body).items()})
        if "query" not in params:
            return PlainTextResponse("missing 'query'", status_code=400)
        try:
            result = store.query(params["query"], use_default_graph_as_union=True)
        except SyntaxError as exc:
            return PlainTextResponse(str(exc), status_code=400)
        if isinstance(result, ox.QueryTriples):
            return PlainTextResponse("CONSTRUCT is not served here", status_code=406)
        data = result.serialize(format=ox.QueryResultsFormat.JSON)
        return Response(data, media_type=RESULTS_JSON)

    return Starlette(routes=[Route("/sparql", sparql, methods=["GET", "POST"])])


@contextmanager
def serve(make_app: Callable[[int], Any]) -> Iterator[str]:
    """Run the app ``make_app(port)`` with uvicorn on a free loopback port; yield its URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(make_app(port), log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + STARTUP_LIMIT
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            raise RuntimeError(f"server on port {port} did not start within {STARTUP_LIMIT} s")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.should_exit = True
        thread.join(STARTUP_LIMIT)
        sock.close()


@pytest.fixture(scope="module")
def base() -> str:
    return DEFAULT_BASE


@pytest.fixture(scope="module")
def mondo_endpoint(base: str) -> Iterator[str]:
    """URL of the MONDO-like SPARQL endpoint."""
    store = ox.Store()
    graph = parse_source(MONDO_SLICE, base)
    store.load(graph.serialize(format="nt").encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    with serve(lambda _port: sparql_app(store)) as url:
        yield url + "sparql"


@pytest.fixture(scope="module")
def aatd_release(base: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A release directory of the AATD-KG fixture sources: ``aatd-kg.nq`` + ``release.json``."""
    folder = tmp_path_factory.mktemp("aatd-release")
    dataset = load_sources(AATD_SOURCES, base)
    nquads = dataset.serialize(format="nquads").encode("utf-8")
    (folder / "aatd-kg.nq").write_bytes(nquads)
    graphs = {str(g.identifier): len(g) for g in dataset.graphs() if len(g)}
    info = {"version": "federation-test", "date": "2026-11-25", "base_iri": base,
            "triples": sum(graphs.values()), "graphs": graphs,
            "files": {"aatd-kg.nq": {"bytes": len(nquads),
                                     "sha256": hashlib.sha256(nquads).hexdigest(),
                                     "media_type": "application/n-quads"}}}
    (folder / "release.json").write_text(json.dumps(info), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def aatd_app_url(aatd_release: Path, base: str) -> Iterator[str]:
    """URL of the real AATD-KG app (create_app + OxigraphStore) served by uvicorn."""
    store = OxigraphStore.from_release(aatd_release, workers=1)

    def make_app(port: int) -> FastAPI:
        settings = Settings(base_iri=base, release=aatd_release, host="127.0.0.1", port=port)
        return create_app(settings, store)

    try:
        with serve(make_app) as url:
            yield url
    finally:
        store.close()


@pytest.fixture(scope="module")
def aatd_endpoint(aatd_app_url: str) -> str:
    """URL of the SPARQL endpoint of the real app."""
    return aatd_app_url + "sparql"

