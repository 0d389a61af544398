"""The SPARQL 1.1 Protocol endpoint at ``/sparql``: queries, query page, service description.

- ``GET ?query=``, ``POST`` form-encoded, ``POST application/sparql-query``; ``default-graph-uri``
  and ``named-graph-uri`` set the dataset (else the default graph is the union of the named
  graphs). The answer format is negotiated (:mod:`aatd_kg.web.conneg`), ``?format=`` overrides.
- ``GET`` with no query: the HTML query page for browsers, the SPARQL 1.1 Service Description
  (any RDF format) for everyone else.
- Read-only: SPARQL Update gets 403. Queries run in the store's worker processes, awaited from a
  thread, never on the event loop.
"""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import anyio
from fastapi import APIRouter, Request
from fastapi.responses import Response
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from aatd_kg.prefixes import bind_all, prefix_map, sparql_prologue
from aatd_kg.settings import Settings, project_root
from aatd_kg.store.base import Dataset, ResultNotAcceptable, Store, UpdateNotAllowed
from aatd_kg.web import conneg
from aatd_kg.web.routing import get_and_head
from aatd_kg.web.templating import environment, render

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
#: What a GET with no query can answer: the service description, or the page for browsers.
DESCRIPTION_FORMATS = (*conneg.RDF_FORMATS, conneg.HTML)
ANSWER_FORMATS = (*conneg.RESULTS_FORMATS, *conneg.RDF_FORMATS)

READ_ONLY = (
    "SPARQL Update is not allowed: this endpoint is read-only "
    "(download the release files to change a copy of the graph)"
)


class ProtocolError(Exception):
    """A request that breaks the SPARQL 1.1 Protocol; ``status`` is 400 or 415."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


# ------------------------------------------------------------------------- the query examples
BUILT_IN_EXAMPLES: tuple[tuple[str, str], ...] = (
    ("Classes and how many instances each has",
     "SELECT ?class (COUNT(?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class ORDER BY DESC(?n)"),
    ("Every entity with its label",
     "SELECT ?entity ?label WHERE { ?entity rdfs:label ?label } ORDER BY ?label LIMIT 100"),
    ("Named graphs and where their triples come from",
     "SELECT ?graph ?source (COUNT(*) AS ?triples) WHERE {\n  GRAPH ?graph { ?s ?p ?o }\n"
     "  OPTIONAL { ?graph prov:wasDerivedFrom ?source }\n} GROUP BY ?graph ?source"),
    ("External matches (MONDO, Orphanet, OMIM …)",
     "SELECT ?entity ?match WHERE { ?entity skos:exactMatch ?match } LIMIT 100"),
)


def example_queries(settings: Settings) -> list[dict[str, str]]:
    """Competency questions (``*.rq``) of the release or the repository, else built-in ones.

    A leading ``# title`` comment line names the example.
    """
    found: list[dict[str, str]] = []
    for folder in (settings.release / "competency", project_root() / "tests" / "competency"):
        for path in sorted(folder.glob("*.rq")) if folder.is_dir() else []:
            text = path.read_text(encoding="utf-8")
            first = text.lstrip().splitlines()[0] if text.strip() else ""
            title = first.lstrip("#").strip() if first.startswith("#") else path.stem
            title = title.removeprefix("Q:").strip()
            found.append({"title": title, "query": text})
        if found:
            return found
    return [{"title": t, "query": q} for t, q in BUILT_IN_EXAMPLES]


# ------------------------------------------------------------------ the service description
def service_description(settings: Settings, store: Store) -> Graph:
    """The SPARQL 1.1 Service Description of this endpoint (``sd:endpoint`` is public)."""
    ns = prefix_map(settings.base_iri)
    sd, void, dcterms = (ns["sd"], ns["void"], ns["dcterms"])
    formats = ns["formats"]
    endpoint = URIRef(settings.served_base + "sparql")
    graph = bind_all(Graph(), settings.base_iri)
    graph.add((endpoint, RDF.type, URIRef(sd + "Service")))
    graph.add((endpoint, URIRef(sd + "endpoint"), endpoint))
    graph.add((endpoint, URIRef(sd + "supportedLanguage"), URIRef(sd + "SPARQL11Query")))
    graph.add((endpoint, URIRef(sd + "feature"), URIRef(sd + "UnionDefaultGraph")))
    if settings.service_allowlist:
        graph.add((endpoint, URIRef(sd + "feature"), URIRef(sd + "BasicFederatedQuery")))
    for fmt in (*conneg.RESULTS_FORMATS, *conneg.RDF_FORMATS):
        graph.add((endpoint, URIRef(sd + "resultFormat"), URIRef(formats + str(fmt.w3c))))
    graph.add((endpoint, URIRef(dcterms + "title"), Literal("AATD-KG SPARQL endpoint", lang="en")))
    dataset = BNode("dataset")
    graph.add((endpoint, URIRef(sd + "defaultDataset"), dataset))
    graph.add((dataset, RDF.type, URIRef(sd + "Dataset")))
    default = BNode("defaultGraph")
    graph.add((dataset, URIRef(sd + "defaultGraph"), default))
    graph.add((default, RDF.type, URIRef(sd + "Graph")))
    total = Literal(store.triple_count, datatype=XSD.integer)
    graph.add((default, URIRef(void + "triples"), total))
    release_info: dict[str, Any] = getattr(store, "release_info", {}) or {}
    for index, (name, count) in enumerate(sorted(release_info.get("graphs", {}).items())):
        named, inner = BNode(f"named{index}"), BNode(f"graph{index}")
        graph.add((dataset, URIRef(sd + "namedGraph"), named))
        graph.add((named, RDF.type, URIRef(sd + "NamedGraph")))
        graph.add((named, URIRef(sd + "name"), URIRef(name)))
        graph.add((named, URIRef(sd + "graph"), inner))
        graph.add((inner, RDF.type, URIRef(sd + "Graph")))
        graph.add((inner, URIRef(void + "triples"), Literal(int(count), datatype=XSD.integer)))
    return graph


# ------------------------------------------------------------------------ reading a request
def _single(params: dict[str, list[str]], name: str) -> str | None:
    values = params.get(name, [])
    if len(values) > 1:
        raise ProtocolError(f"the request has {len(values)} '{name}' parameters; send exactly one")
    return values[0] if values else None


def _dataset(params: dict[str, list[str]]) -> Dataset:
    default = params.get("default-graph-uri")
    named = params.get("named-graph-uri")
    return Dataset(
        tuple(default) if default else None,
        tuple(named) if named else None,
        union_default_graph=True,
    )


def _url_params(request: Request) -> dict[str, list[str]]:
    return parse_qs(request.scope["query_string"].decode("utf-8", "replace"),
                    keep_blank_values=True)


def _query_and_params(request: Request) -> tuple[str | None, dict[str, list[str]]]:
    params = _url_params(request)
    return _single(params, "query"), params


async def read_post(request: Request) -> tuple[str | None, dict[str, list[str]]]:
    """The query text and parameters of a POST (form-encoded or direct)."""
    content_type = request.headers.get("content-type", "")
    media_type, _, params_text = content_type.partition(";")
    media_type = media_type.strip().lower()
    charset = "utf-8"
    for param in params_text.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    if charset not in ("utf-8", "utf8"):
        raise ProtocolError(f"the request body must be UTF-8, not {charset}", status=415)
    params = _url_params(request)
    body = await request.body()
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise ProtocolError("the request body is not valid UTF-8", status=415) from None
    if media_type == FORM:
        form = parse_qs(text, keep_blank_values=True)
        if "update" in form:
            raise UpdateNotAllowed(READ_ONLY)
        for key, values in form.items():
            params.setdefault(key, []).extend(values)
        return _single(params, "query"), params
    if media_type == SPARQL_QUERY:
        if "query" in params:
            raise ProtocolError("a direct POST carries the query in its body, not in ?query=")
        return text, params
    if media_type == SPARQL_UPDATE:
        raise UpdateNotAllowed(READ_ONLY)
    raise ProtocolError(
        f"unsupported request media type {media_type or '(none)'!r}: POST a query as "
        f"{FORM} (query=…) or as {SPARQL_QUERY}",
        status=415,
    )


# -------------------------------------------------------------------------------- the router
def router(settings: Settings, store: Store) -> APIRouter:
    """Routes of the SPARQL endpoint."""
    env = environment()
    api = APIRouter(tags=["sparql"])
    descriptions: dict[str, bytes] = {}
    run_async = getattr(store, "aquery_serialized", None)

    def describe_service(fmt: conneg.MediaFormat) -> bytes:
        if fmt.name not in descriptions:
            graph = service_description(settings, store)
            descriptions[fmt.name] = graph.serialize(format=str(fmt.rdflib), encoding="utf-8")
        return descriptions[fmt.name]

    def query_page() -> Response:
        examples = example_queries(settings)
        prologue = sparql_prologue(settings.base_iri)
        context = {
            "served_base": settings.served_base,
            "release": getattr(store, "release_info", None),
            "endpoint": settings.served_base + "sparql",
            "initial_query": prologue + "\n" + examples[0]["query"].strip() + "\n",
            "prologue": prologue,
            "examples": examples,
            "examples_json": json.dumps(examples),
            "formats": conneg.RESULTS_FORMATS + conneg.RDF_FORMATS,
        }
        return render(env, "query.html", context, headers={"Vary": "Accept"})

    async def answer(
        request: Request, sparql: str | None, params: dict[str, list[str]]
    ) -> Response:
        format_param = _single(params, "format")
        if sparql is None:
            if "update" in params:
                raise UpdateNotAllowed(READ_ONLY)
            fmt = conneg.negotiate(request.headers.get("accept"), DESCRIPTION_FORMATS, format_param)
            if fmt is conneg.HTML:
                return query_page()
            return Response(describe_service(fmt), media_type=fmt.content_type,
                            headers={"Vary": "Accept"})
        if not sparql.strip():
            raise ProtocolError("the query is empty")
        accept = request.headers.get("accept")
        if format_param and conneg.by_name(format_param) is None:
            conneg.negotiate(accept, ANSWER_FORMATS, format_param)  # raises UnknownFormat
        results = conneg.try_negotiate(accept, conneg.RESULTS_FORMATS, format_param)
        graph = conneg.try_negotiate(accept, conneg.RDF_FORMATS, format_param)
        if results is None and graph is None:
            conneg.negotiate(accept, ANSWER_FORMATS, format_param)  # raises NotAcceptable
        kwargs: dict[str, Any] = {
            "results_media_type": results.media_type if results else None,
            "graph_media_type": graph.media_type if graph else None,
            "dataset": _dataset(params),
        }
        try:
            if run_async is not None:  # the store awaits its worker without a thread
                result = await run_async(sparql, **kwargs)
            else:
                result = await anyio.to_thread.run_sync(
                    partial(store.query_serialized, sparql, **kwargs)
                )
        except ResultNotAcceptable as exc:
            offers = conneg.RDF_FORMATS if exc.kind == "graph" else conneg.RESULTS_FORMATS
            asked = f"?format={format_param}" if format_param else accept or "*/*"
            raise conneg.NotAcceptable(
                f"a {exc.kind} answer cannot be sent in any accepted media type ({asked}); "
                f"available: {conneg.describe(offers)}",
                offers,
            ) from None
        chosen = conneg.by_media_type(result.media_type)
        content_type = chosen.content_type if chosen else result.media_type
        return Response(result.body, media_type=content_type, headers={"Vary": "Accept"})

    responses: dict[int | str, dict[str, Any]] = {
        200: {
            "description": "Query answer (SELECT/ASK: SPARQL results; CONSTRUCT/DESCRIBE: RDF), "
            "or with no query the service description (RDF) or the query page (HTML)",
            "content": {f.media_type: {} for f in (*ANSWER_FORMATS, conneg.HTML)},
        },
        400: {"description": "Malformed query (parser message and position) or bad parameters"},
        403: {"description": "SPARQL Update, or SERVICE outside the allow-list"},
        406: {"description": "No acceptable media type for this kind of answer"},
        413: {"description": "Request body too large"},
        415: {"description": "Unsupported request media type or charset"},
        422: {"description": "Answer larger than the result-size limit"},
        503: {"description": "Query timed out (stopped) or every worker busy"},
    }

    @get_and_head(api, "/sparql",
                  summary="SPARQL 1.1 query (GET), query page, service description",
                  response_class=Response, responses=responses)
    async def sparql_get(request: Request) -> Response:
        return await answer(request, *_query_and_params(request))

    @api.post("/sparql", summary="SPARQL 1.1 query (POST form-encoded or application/sparql-query)",
              response_class=Response, responses=responses,
              openapi_extra={"requestBody": {"content": {
                  FORM: {"schema": {"type": "object", "properties": {
                      "query": {"type": "string"},
                      "default-graph-uri": {"type": "array", "items": {"type": "string"}},
                      "named-graph-uri": {"type": "array", "items": {"type": "string"}}},
                      "required": ["query"]}},
                  SPARQL_QUERY: {"schema": {"type": "string"}}}}})
    async def sparql_post(request: Request) -> Response:
        sparql, params = await read_post(request)
        if sparql is None:
            raise ProtocolError("the form has no 'query' field")
        return await answer(request, sparql, params)

    return api


def static_dir() -> Path:
    """The query page's own vendored JavaScript and CSS (served at ``/static``)."""
    return Path(__file__).with_name("static")
