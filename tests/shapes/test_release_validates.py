"""The shapes and QC queries hold on the real release, and catch a fault planted in it."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import RDFS, Graph, Literal, URIRef
from shapes_testlib import ROOT

from aatd_kg import prefixes
from aatd_kg.build.load import load_shapes
from aatd_kg.validate import qc_queries, run_qc, run_shacl, validate_release

BASE = prefixes.DEFAULT_BASE


@pytest.fixture(scope="module")
def release_graph(release_dir: Path) -> Graph:
    """Every triple of the built release in one graph (as validate checks it)."""
    graph = Graph()
    graph.parse(str(release_dir / "aatd-kg.nt"), format="nt")
    return graph


def test_release_conforms_to_every_shape_and_qc_query(release_dir: Path) -> None:
    report = validate_release(release_dir, ROOT, BASE)
    assert [str(v) for v in report.violations if v.severity == "Violation"] == []
    assert [r.name for r in report.qc if r.fails] == []
    assert report.conforms


def _entity(path: str) -> URIRef:
    return URIRef(BASE + path)


def test_a_label_removed_from_the_release_is_reported(release_graph: Graph) -> None:
    broken = Graph() + release_graph
    broken.remove((_entity("disease/AATD"), RDFS.label, None))
    _, found = run_shacl(broken, load_shapes(ROOT, BASE), BASE)
    assert [(v.focus, v.path) for v in found] == [(str(_entity("disease/AATD")), str(RDFS.label))]
    assert found[0].message.startswith("An AATD-KG entity needs exactly one rdfs:label")


def test_a_text_date_in_the_release_is_reported(release_graph: Graph) -> None:
    section = _entity("source/gard-aatd/treatment")
    modified = URIRef(prefixes.prefix_map(BASE)["dcterms"] + "modified")
    broken = Graph() + release_graph
    broken.set((section, modified, Literal("05-01-20")))
    _, found = run_shacl(broken, load_shapes(ROOT, BASE), BASE)
    assert [(v.focus, v.path) for v in found] == [(str(section), str(modified))]
    assert found[0].message.startswith("dcterms:modified of a section is its")


def test_an_obsolete_term_in_the_release_is_reported(release_dir: Path) -> None:
    store = ox.Store()
    store.bulk_load(path=str(release_dir / "aatd-kg.nq"), format=ox.RdfFormat.N_QUADS)
    obsolete = prefixes.converter(BASE).expand("MAXO:0000069")
    store.add(ox.Quad(
        ox.NamedNode(str(_entity("therapy/lung-transplantation"))),
        ox.NamedNode(prefixes.converter(BASE).expand("skos:exactMatch")),
        ox.NamedNode(obsolete),
        ox.NamedNode(BASE + "graph/identifiers"),
    ))
    failing = [r for r in run_qc(store, qc_queries(ROOT), BASE) if r.fails]
    assert [r.name for r in failing] == ["qc-obsolete-term-violation"]
    assert failing[0].rows[0]["term"] == f"<{obsolete}>"
