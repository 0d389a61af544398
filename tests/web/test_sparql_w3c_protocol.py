"""The W3C SPARQL 1.1 Protocol tests (vendored: fixtures/w3c/sparql11-protocol) on ``/sparql``.

Each test of the manifest becomes one case: its requests are sent to the real app over a real
store holding the manifest's data in named graphs, and the answers are parsed and checked. This
server is read-only, so every update request must get 403 (the manifest expects 2xx from an
updatable store); the query requests that follow an update depend on it and are not run.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Namespace
from rdflib.collection import Collection
from rdflib.term import Node

from aatd_kg.settings import Settings
from aatd_kg.store.oxigraph import OxigraphStore
from aatd_kg.web import conneg
from aatd_kg.web.app import create_app

W3C = Path(__file__).parent / "fixtures" / "w3c" / "sparql11-protocol"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
RDFS_LABEL = Namespace("http://www.w3.org/2000/01/rdf-schema#")["label"]

@dataclass
class HttpRequest:
    method: str
    path: str
    body: bytes | None
    headers: dict[str, str]
    statuses: set[str]
    boolean: bool | None
    fmt: str | None

    @property
    def is_update(self) -> bool:
        content_type = self.headers.get("content-type", "")
        body = (self.body or b"").decode("utf-8", "replace")
        return (
            "sparql-update" in content_type
            or body.startswith("update=")
            or "?update=" in self.path
        )


@dataclass
class ProtocolCase:
    name: str
    requests: list[HttpRequest]
    graphs: dict[str, Path]


def _value(graph: Graph, node: Node, prop: Node) -> Any:
    found = graph.value(node, prop)
    return None if found is None else found.toPython()


def load_cases() -> list[ProtocolCase]:
    """Every test of the manifest, in its order."""
    if not W3C.is_dir():
        return []
    graph = Graph().parse(W3C / "manifest.ttl", format="turtle")
    manifest = next(graph.subjects(MF.entries, None))
    cases = []
    for test in Collection(graph, graph.value(manifest, MF.entries)):
        graphs = {
            str(graph.value(g, RDFS_LABEL)): W3C / Path(str(graph.value(g, UT.graph))).name
            for g in graph.objects(test, UT.graphData)
        }
        action = graph.value(test, MF.action)
        requests = []
        for req in Collection(graph, graph.value(action, HT.requests)):
            body_node = graph.value(req, HT.body)
            body = None
            if body_node is not None:
                encoding = _value(graph, body_node, CNT.characterEncoding) or "UTF-8"
                body = str(_value(graph, body_node, CNT.chars)).encode(encoding)
            headers = {}
            headers_node = graph.value(req, HT.headers)
            if headers_node is not None:
                for header in Collection(graph, headers_node):
                    headers[str(_value(graph, header, HT.fieldName)).lower()] = str(
                        _value(graph, header, HT.fieldValue)
                    )
            resp = graph.value(req, HT.resp)
            statuses = {str(s).rsplit("#", 1)[1] for s in graph.objects(resp, MF.expectedStatus)}
            requests.append(HttpRequest(
                method=str(_value(graph, req, HT.methodName)),
                path="/sparql" + str(_value(graph, req, HT.absolutePath))[len("/sparql/") :],
                body=body,
                headers=headers,
                statuses=statuses,
                boolean=_value(graph, resp, MF.expectedBoolean),
                fmt=_value(graph, resp, MF.expectedFormat),
            ))
        cases.append(ProtocolCase(str(test).rsplit("#", 1)[1], requests, graphs))
    return cases


CASES = load_cases()


def write_release(folder: Path, graphs: dict[str, Path]) -> Path:
    """A minimal release (``aatd-kg.nq`` + ``release.json``) holding *graphs*."""
    folder.mkdir(parents=True, exist_ok=True)
    quads = []
    counts = {}
    for name, path in graphs.items():
        triples = list(ox.parse(path=str(path), format=ox.RdfFormat.N_TRIPLES))
        counts[name] = len(triples)
        quads += [ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(name)) for t in triples]
    ox.serialize(quads, str(folder / "aatd-kg.nq"), ox.RdfFormat.N_QUADS)
    info = {"version": "w3c", "date": "2026-11-25", "base_iri": "https://w3id.org/aatd-kg/",
            "triples": len(quads), "graphs": counts, "files": {}}
    (folder / "release.json").write_text(json.dumps(info), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    all_graphs: dict[str, Path] = {}
    for case in CASES:
        all_graphs.update(case.graphs)
    release = write_release(tmp_path_factory.mktemp("w3c"), all_graphs)
    settings = Settings(release=release)
    with OxigraphStore.from_release(release, workers=1) as store:
        yield TestClient(create_app(settings, store))


def _check_answer(case: str, req: HttpRequest, response: Any) -> None:
    media_type = response.headers.get("content-type", "").split(";")[0]
    fmt = conneg.by_media_type(media_type)
    if req.fmt == "RDF":
        assert fmt is not None and fmt.kind == "rdf", (case, media_type)
        Graph().parse(data=response.content, format=fmt.rdflib)
    if req.fmt in ("boolean", "tabular"):
        assert fmt is not None and fmt.kind == "results", (case, media_type)
        parsed = ox.parse_query_results(response.content, fmt.oxigraph)
        if req.fmt == "boolean":
            assert isinstance(parsed, ox.QueryBoolean), case
        else:
            assert isinstance(parsed, ox.QuerySolutions), case
            assert [str(v) for v in parsed.variables] == ["?value"]
            assert [str(s["value"].value) for s in parsed] == ["1"]
    if req.boolean is not None:
        assert fmt is not None
        parsed = ox.parse_query_results(response.content, fmt.oxigraph)
        assert bool(parsed) is req.boolean, case
    assert response.headers.get("vary", "").lower().startswith("accept"), case


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_w3c_protocol_case(client: TestClient, case: ProtocolCase) -> None:
    for req in case.requests:
        response = client.request(req.method, req.path, content=req.body, headers=req.headers)
        if req.is_update:
            # a read-only endpoint: every update (valid or not) is refused with a 4xx;
            # valid ones get 403 with the reason
            assert 400 <= response.status_code < 500, (case.name, response.status_code)
            if "StatusCode2xx" in req.statuses:
                assert response.status_code == 403, response.text
                assert "read-only" in response.text
            return
        if req.statuses == {"StatusCode4xx"}:
            assert 400 <= response.status_code < 500, (case.name, response.status_code)
            assert response.text.strip(), "a 4xx answer says what is wrong"
            continue
        assert response.status_code < 400, (case.name, response.status_code, response.text)
        _check_answer(case.name, req, response)


def test_the_manifest_was_read() -> None:
    names = {c.name for c in CASES}
    assert {"query_post_form", "query_get", "bad_query_syntax", "update_post_form"} <= names
    assert len(CASES) >= 30
