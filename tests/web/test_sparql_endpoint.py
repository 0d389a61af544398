"""``/sparql`` over the real release and the real app: answers parsed and checked."""

from __future__ import annotations

import json
import os
import re
import signal
import threading
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, URIRef

from aatd_kg.prefixes import DEFAULT_BASE, prefix_map, sparql_prologue
from aatd_kg.settings import Settings
from aatd_kg.store.oxigraph import OxigraphStore
from aatd_kg.web import conneg
from aatd_kg.web.app import create_app

NS = prefix_map(DEFAULT_BASE)
PUBLIC = "https://kg.example.org/aatd/"
SERPINA1 = f"{DEFAULT_BASE}gene/SERPINA1"
LABEL_QUERY = f"SELECT ?label WHERE {{ <{SERPINA1}> <{NS['rdfs']}label> ?label }}"
DESCRIBE_QUERY = f"CONSTRUCT {{ <{SERPINA1}> ?p ?o }} WHERE {{ <{SERPINA1}> ?p ?o }}"


@pytest.fixture(scope="module")
def settings(release_dir: Path) -> Settings:
    return Settings(release=release_dir, public_base=PUBLIC, max_results=2_000,
                    max_request_bytes=20_000)


@pytest.fixture(scope="module")
def client(settings: Settings) -> Iterator[TestClient]:
    with OxigraphStore.from_release(
        settings.release, workers=2, max_results=settings.max_results
    ) as store:
        yield TestClient(create_app(settings, store))


def labels(response_body: bytes, fmt: ox.QueryResultsFormat) -> list[str]:
    return [s["label"].value for s in ox.parse_query_results(response_body, fmt)]


def test_get_select_as_sparql_json(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": LABEL_QUERY})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/sparql-results+json"
    assert "accept" in response.headers["vary"].lower()
    doc = response.json()
    assert doc["head"]["vars"] == ["label"]
    assert doc["results"]["bindings"] == [
        {"label": {"type": "literal", "value": "SERPINA1", "xml:lang": "en"}}
    ]


@pytest.mark.parametrize(("accept", "fmt"), [
    ("application/sparql-results+xml", conneg.SPARQL_XML),
    ("text/csv;q=0.5, text/tab-separated-values", conneg.SPARQL_TSV),
    ("text/csv", conneg.SPARQL_CSV),
    ("text/html, application/xml;q=0.9, */*;q=0.8", conneg.SPARQL_XML),
    ("*/*", conneg.SPARQL_JSON),
    ("application/json", conneg.SPARQL_JSON),
])
def test_select_negotiation(client: TestClient, accept: str, fmt: conneg.MediaFormat) -> None:
    response = client.post("/sparql", data={"query": LABEL_QUERY}, headers={"Accept": accept})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == fmt.media_type
    if fmt is conneg.SPARQL_CSV:
        assert response.text.splitlines() == ["label", "SERPINA1"]
    else:
        assert labels(response.content, fmt.oxigraph) == ["SERPINA1"]  # type: ignore[arg-type]


@pytest.mark.parametrize("fmt", conneg.RDF_FORMATS, ids=lambda f: f.name)
def test_construct_in_every_rdf_format(client: TestClient, fmt: conneg.MediaFormat) -> None:
    response = client.post("/sparql", content=DESCRIBE_QUERY,
                           headers={"Content-Type": "application/sparql-query",
                                    "Accept": fmt.media_type})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == fmt.media_type
    graph = Graph().parse(data=response.content, format=fmt.rdflib)
    assert {str(o) for o in graph.objects(URIRef(SERPINA1), URIRef(NS["rdfs"] + "label"))} == {
        "SERPINA1"
    }
    assert len(graph) > 5


def test_format_parameter_overrides_accept(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": DESCRIBE_QUERY, "format": "nt"},
                          headers={"Accept": "text/turtle"})
    assert response.headers["content-type"] == "application/n-triples"
    graph = Graph().parse(data=response.content, format="nt")
    assert (URIRef(SERPINA1), URIRef(NS["rdfs"] + "label"), None) in graph
    tsv = client.get("/sparql", params={"query": LABEL_QUERY, "format": "tsv"})
    assert labels(tsv.content, ox.QueryResultsFormat.TSV) == ["SERPINA1"]


def test_not_acceptable_lists_what_is_available(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": LABEL_QUERY},
                          headers={"Accept": "text/turtle"})
    assert response.status_code == 406
    assert "application/sparql-results+json" in response.text
    assert "accept" in response.headers["vary"].lower()
    response = client.get("/sparql", params={"query": LABEL_QUERY},
                          headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert "text/tab-separated-values" in response.text
    unknown = client.get("/sparql", params={"query": LABEL_QUERY, "format": "yaml"})
    assert unknown.status_code == 400
    assert "json" in unknown.text and "ttl" in unknown.text


def test_protocol_dataset(client: TestClient, release_dir: Path) -> None:
    graphs = json.loads((release_dir / "release.json").read_text())["graphs"]
    name, size = sorted(graphs.items())[0]
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    response = client.get("/sparql", params={"query": count, "default-graph-uri": name})
    solutions = ox.parse_query_results(response.content, ox.QueryResultsFormat.JSON)
    assert [int(s["n"].value) for s in solutions] == [size]
    named = client.post("/sparql", data={
        "query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", "named-graph-uri": name})
    rows = ox.parse_query_results(named.content, ox.QueryResultsFormat.JSON)
    assert [s["g"].value for s in rows] == [name]


def test_malformed_query_is_a_400_with_position(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p }"})
    assert response.status_code == 400
    assert re.search(r"error at 1:\d+", response.text), response.text


def test_update_and_service_are_refused(client: TestClient) -> None:
    update = client.post("/sparql", content="DELETE WHERE { ?s ?p ?o }",
                         headers={"Content-Type": "application/sparql-update"})
    assert update.status_code == 403 and "read-only" in update.text
    as_query = client.get("/sparql", params={"query": "CLEAR ALL"})
    assert as_query.status_code == 403 and "read-only" in as_query.text
    service = client.get("/sparql", params={
        "query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"})
    assert service.status_code == 403
    assert "SERVICE <http://127.0.0.1:9/sparql> is not allowed" in service.text


def test_result_cap_and_request_size(client: TestClient) -> None:
    too_many = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert too_many.status_code == 422
    assert "limit of 2000" in too_many.text and "LIMIT" in too_many.text
    big = "SELECT * WHERE { ?s ?p ?o } # " + "x" * 30_000
    response = client.post("/sparql", content=big,
                           headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 413
    assert "20000 bytes" in response.text
    wrong_type = client.post("/sparql", content=LABEL_QUERY, headers={"Content-Type": "text/plain"})
    assert wrong_type.status_code == 415 and "application/sparql-query" in wrong_type.text


def test_query_page_for_browsers(client: TestClient) -> None:
    response = client.get("/sparql", headers={"Accept": "text/html,*/*;q=0.8"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    for element in ('id="query"', 'id="run"', 'id="results"'):
        assert element in page
    assert "PREFIX rdfs: &lt;" + NS["rdfs"] + "&gt;" in page  # the prefix map is pre-filled
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    scripts = [s for s in sources if s.endswith((".js", ".css"))]
    assert scripts and all(not s.startswith(("http:", "https:", "//")) for s in scripts)
    for asset in scripts:
        assert client.get("/" + asset.lstrip("/")).status_code == 200
    examples = json.loads(re.search(
        r'<script type="application/json" id="example-data">(.*?)</script>', page, re.S
    ).group(1))  # type: ignore[union-attr]
    assert examples and all(e["title"] and e["query"] for e in examples)


def test_example_queries_run(client: TestClient) -> None:
    page = client.get("/sparql", headers={"Accept": "text/html"}).text
    examples = json.loads(re.search(
        r'id="example-data">(.*?)</script>', page, re.S).group(1))  # type: ignore[union-attr]
    for example in examples:
        query = sparql_prologue(DEFAULT_BASE, example["query"]) + example["query"]
        response = client.post("/sparql", data={"query": query})
        assert response.status_code == 200, (example["title"], response.text)


def test_service_description_names_the_public_endpoint(client: TestClient) -> None:
    sd = NS["sd"]
    for accept, fmt in [("text/turtle", "turtle"), ("application/ld+json", "json-ld"),
                        ("*/*", "turtle")]:
        response = client.get("/sparql", headers={"Accept": accept})
        assert response.status_code == 200
        graph = Graph().parse(data=response.content, format=fmt)
        endpoints = {str(o) for o in graph.objects(None, URIRef(sd + "endpoint"))}
        assert endpoints == {PUBLIC + "sparql"}
        formats = {str(o) for o in graph.objects(None, URIRef(sd + "resultFormat"))}
        assert NS["formats"] + "SPARQL_Results_JSON" in formats
        assert NS["formats"] + "Turtle" in formats


def test_health_cors_gzip_and_openapi(client: TestClient, release_dir: Path) -> None:
    info = json.loads((release_dir / "release.json").read_text())
    health = client.get("/health").json()
    assert health == {"status": "ok", "version": info["version"], "triples": info["triples"]}
    cors = client.get("/sparql", params={"query": LABEL_QUERY},
                      headers={"Origin": "https://elsewhere.example"})
    assert cors.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in cors.headers
    big = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 500"},
                     headers={"Accept-Encoding": "gzip"})
    assert big.headers["content-encoding"] == "gzip"
    assert len(big.json()["results"]["bindings"]) == 500  # httpx decompressed it
    spec = client.get("/openapi.json").json()
    content = spec["paths"]["/sparql"]["get"]["responses"]["200"]["content"]
    assert {"application/sparql-results+json", "text/turtle", "text/html"} <= set(content)
    post = spec["paths"]["/sparql"]["post"]["requestBody"]["content"]
    assert {"application/x-www-form-urlencoded", "application/sparql-query"} <= set(post)


def test_runaway_query_over_http_is_a_503(release_dir: Path) -> None:
    settings = Settings(release=release_dir, query_timeout=1.0)
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    with OxigraphStore.from_release(release_dir, workers=2, timeout=1.0) as store:
        client = TestClient(create_app(settings, store))
        slow: list[int] = []
        thread = threading.Thread(
            target=lambda: slow.append(client.get("/sparql", params={"query": runaway}).status_code)
        )
        thread.start()
        quick = [client.get("/sparql", params={"query": LABEL_QUERY}) for _ in range(3)]
        answered_meanwhile = thread.is_alive()
        thread.join()
        assert [labels(r.content, ox.QueryResultsFormat.JSON) for r in quick] == [["SERPINA1"]] * 3
        assert answered_meanwhile
        assert slow == [503]
        again = client.get("/sparql", params={"query": runaway})
        assert again.status_code == 503
        assert "longer than the 1 s limit" in again.text


def test_a_crashed_worker_is_a_500_not_a_400(release_dir: Path) -> None:
    settings = Settings(release=release_dir)
    with OxigraphStore.from_release(release_dir, workers=1) as store:
        client = TestClient(create_app(settings, store), raise_server_exceptions=False)
        for pid in store.pool.worker_pids():
            os.kill(pid, signal.SIGKILL)
        response = client.get("/sparql", params={"query": LABEL_QUERY})
        assert response.status_code == 500
        assert "worker died" in response.text
        assert store.pool.wait_until_full(1, timeout=60)
        healed = client.get("/sparql", params={"query": LABEL_QUERY})
        assert labels(healed.content, ox.QueryResultsFormat.JSON) == ["SERPINA1"]
