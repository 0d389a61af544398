"""Answers over HTTP: JSON-LD uses the published context (readable keys, the same triples as
Turtle), and HEAD answers like GET on every GET route."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic
from starlette.testclient import TestClient
from test_linked_data_fixture import client_for


@pytest.fixture(scope="module")
def client(release_dir: Path) -> Iterator[TestClient]:
    yield from client_for(release_dir)


def test_context_is_served_at_its_published_iri(client: TestClient, release_dir: Path) -> None:
    response = client.get("/context.jsonld")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/ld+json")
    assert response.json() == json.loads((release_dir / "context.jsonld").read_text())
    assert client.get("/context.jsonld", headers={
        "If-None-Match": response.headers["etag"]}).status_code == 304


@pytest.mark.parametrize("path", ["gene/SERPINA1", "disease/AATD", "org/alpha-1-foundation"])
def test_entity_jsonld_is_compact_and_equals_turtle(
    client: TestClient, release_dir: Path, path: str
) -> None:
    published = json.loads((release_dir / "context.jsonld").read_text())["@context"]
    answer = client.get(f"/{path}", headers={"Accept": "application/ld+json"})
    assert answer.status_code == 200
    document = answer.json()
    assert document["@context"] == published
    nodes = document.get("@graph", [document])
    entity = next(n for n in nodes if n.get("id", n.get("@id", "")).endswith(path))
    assert "label" in entity, sorted(entity)
    as_jsonld = Graph().parse(data=answer.content, format="json-ld")
    as_turtle = Graph().parse(data=client.get(f"/{path}.ttl").content, format="turtle")
    assert len(as_turtle) > 5
    assert isomorphic(as_jsonld, as_turtle)


@pytest.mark.parametrize("path", ["/health", "/sparql?query=ASK%7B%7D", "/gene/SERPINA1"])
def test_head_answers_like_get(client: TestClient, path: str) -> None:
    get, head = client.get(path), client.head(path)
    assert head.status_code == get.status_code == 200
    assert head.headers["content-type"] == get.headers["content-type"]
    assert head.content == b""
