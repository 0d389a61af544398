"""Baselines for the serving benchmark: the same query on pyoxigraph with no protocol layer, and
a route that returns a constant (the framework's ceiling).

    python benchmarks/serve_minimal.py --nquads FILE --port 8101
    python benchmarks/serve_minimal.py --constant --port 8102

``GET /sparql?query=`` runs the query on an in-memory pyoxigraph store in FastAPI's thread pool
(union default graph) and answers SPARQL JSON (or N-Triples for CONSTRUCT/DESCRIBE): no
negotiation, no worker processes, no timeout, no checks. With ``--constant`` it answers a fixed
SPARQL JSON document without touching a store.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pyoxigraph as ox
import uvicorn
from fastapi import FastAPI
from fastapi.responses import Response

CONSTANT = b'{"head":{"vars":["x"]},"results":{"bindings":[]}}'


def minimal_app(nquads: Path | None) -> FastAPI:
    """The bare pyoxigraph route, or the constant route when *nquads* is None."""
    app = FastAPI()
    if nquads is None:

        @app.get("/sparql")
        async def constant() -> Response:
            return Response(CONSTANT, media_type="application/sparql-results+json")

        return app
    store = ox.Store()
    store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)

    @app.get("/sparql")
    def sparql(query: str) -> Response:
        answer = store.query(query, use_default_graph_as_union=True)
        if isinstance(answer, ox.QueryTriples):
            return Response(ox.serialize(answer, format=ox.RdfFormat.N_TRIPLES),
                            media_type="application/n-triples")
        body = answer.serialize(format=ox.QueryResultsFormat.JSON)
        return Response(body, media_type="application/sparql-results+json")

    return app


def main() -> None:
    parser = argparse.ArgumentParser(description="minimal baseline servers for the benchmark")
    parser.add_argument("--nquads", type=Path)
    parser.add_argument("--constant", action="store_true")
    parser.add_argument("--port", type=int, default=8101)
    args = parser.parse_args()
    app = minimal_app(None if args.constant else args.nquads)
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
