"""Every entity of the real release dereferences to exactly its triples in the dump.

Built once per session by ``aatd_kg.build.release.build_release`` (``release_dir`` fixture):
for each IRI under the base that is the subject of a triple, the N-Triples answer holds the
same outgoing and incoming triples as ``aatd-kg.nq``, and the page shows its label.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import RDFS, Dataset, Graph, Literal, URIRef
from starlette.testclient import TestClient
from test_linked_data_fixture import HtmlFacts, client_for

from aatd_kg.prefixes import DEFAULT_BASE, converter
from aatd_kg.web.describe import INBOUND_LIMIT

C = converter(DEFAULT_BASE)


@pytest.fixture(scope="module")
def dump(release_dir: Path) -> Graph:
    """The union of the release's named graphs, read from ``aatd-kg.nq``."""
    dataset = Dataset()
    dataset.parse(release_dir / "aatd-kg.nq", format="nquads")
    union = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    return union


@pytest.fixture(scope="module")
def client(release_dir: Path) -> Iterator[TestClient]:
    yield from client_for(release_dir)


def entities(dump: Graph) -> list[URIRef]:
    return sorted(
        {s for s in dump.subjects() if isinstance(s, URIRef) and s.startswith(DEFAULT_BASE)}
    )


def test_every_entity_answers_its_own_triples(client: TestClient, dump: Graph) -> None:
    checked = 0
    for iri in entities(dump):
        path = iri[len(DEFAULT_BASE):]
        if path in ("vocab",):  # the ontology IRI answers the whole ontology
            continue
        response = client.get(f"/{path}.nt")
        assert response.status_code in (200, 410), (iri, response.status_code)
        graph = Graph().parse(data=response.content, format="nt")
        assert set(graph.triples((iri, None, None))) == set(dump.triples((iri, None, None))), iri
        incoming = set(dump.triples((None, None, iri)))
        if len({s for s, _, _ in incoming}) <= INBOUND_LIMIT:
            assert set(graph.triples((None, None, iri))) == incoming, iri
        for neighbour in graph.objects(iri, None):
            for label in dump.objects(neighbour, RDFS.label):
                assert (neighbour, RDFS.label, label) in graph
        checked += 1
    assert checked > 50


def test_every_entity_page_shows_its_label(client: TestClient, dump: Graph) -> None:
    for iri in entities(dump)[::3]:
        path = iri[len(DEFAULT_BASE):]
        if path == "vocab":
            continue
        response = client.get(f"/{path}", headers={"Accept": "text/html"})
        assert response.status_code in (200, 410), iri
        page = HtmlFacts(response.text)
        labels = {str(v) for v in dump.objects(iri, RDFS.label)}
        if labels:
            assert page.by_id["label"] in labels, iri
        assert page.by_id["iri"] == str(iri)
        assert page.svgs == 1


def test_disease_page_has_its_source_section_and_date(client: TestClient, dump: Graph) -> None:
    iri = URIRef(f"{DEFAULT_BASE}disease/AATD")
    page = HtmlFacts(client.get("/disease/AATD", headers={"Accept": "text/html"}).text)
    dates = {
        str(date)
        for graph_iri in {URIRef(f"{DEFAULT_BASE}graph/causes")}
        for section in dump.objects(graph_iri, URIRef(C.expand("prov:wasDerivedFrom")))
        for date in dump.objects(section, URIRef(C.expand("dcterms:modified")))
    }
    assert dates, "the causes graph should name its section and the section its date"
    assert any(date in page.by_id["sources"] for date in dates)
    label = next(dump.objects(iri, RDFS.label))
    assert isinstance(label, Literal) and page.by_id["label"] == str(label)


def test_ontology_version_iri_serves_the_ontology(client: TestClient, dump: Graph) -> None:
    ontology = URIRef(f"{DEFAULT_BASE}vocab")
    versions = list(dump.objects(ontology, URIRef(C.expand("owl:versionIRI"))))
    assert versions, "the build stamps owl:versionIRI on the ontology"
    path = str(versions[0])[len(DEFAULT_BASE):]
    response = client.get(f"/{path}", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    graph = Graph().parse(data=response.content, format="turtle")
    assert (ontology, URIRef(C.expand("owl:versionIRI")), versions[0]) in graph
    assert set(graph) == set(Graph().parse(data=client.get("/vocab.ttl").content, format="turtle"))


def test_void_dataset_and_partitions_dereference(
    client: TestClient, release_dir: Path, dump: Graph
) -> None:
    """IRIs under the base that only the VoID/DCAT file describes answer with its triples."""
    void = Graph().parse(release_dir / "void.ttl", format="turtle")
    only_in_void = sorted(
        s for s in set(void.subjects())
        if isinstance(s, URIRef) and s.startswith(DEFAULT_BASE)
        and (s, None, None) not in dump and (None, None, s) not in dump
    )
    assert only_in_void, "the VoID description names the dataset and its partitions"
    for subject in only_in_void[:: max(1, len(only_in_void) // 40)]:
        document = subject.split("#", 1)[0]  # a hash IRI is described by its document
        response = client.get(f"/{document[len(DEFAULT_BASE):]}",
                              headers={"Accept": "application/n-triples"})
        assert response.status_code == 200, subject
        graph = Graph().parse(data=response.content, format="nt")
        assert set(graph.triples((subject, None, None))) == set(
            void.triples((subject, None, None))
        ), subject
