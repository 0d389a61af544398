"""The DCAT / FAIR Data Point catalogue of a release."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pyoxigraph as ox
import pytest
from pyshacl import validate
from rdflib import Graph

from aatd_kg.build.load import parse_source
from aatd_kg.exports.catalog import CatalogError, catalog_graph
from aatd_kg.prefixes import sparql_prologue

SHAPES = Path(__file__).parent / "fixtures" / "fdp-shapes.ttl"


def _entry(data: bytes, media_type: str) -> dict[str, object]:
    return {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest(),
            "media_type": media_type}


@pytest.fixture
def files() -> dict[str, dict[str, object]]:
    return {
        "aatd-kg.ttl": _entry(b"turtle", "text/turtle"),
        "aatd-kg.ttl.gz": _entry(b"gzipped turtle", "application/gzip"),
        "aatd-kg.sssom.tsv": _entry(b"sssom", "text/tab-separated-values"),
        "aatd-kg_nodes.tsv": _entry(b"nodes", "text/tab-separated-values"),
    }


@pytest.fixture
def catalog(base: str, files: dict[str, dict[str, object]]) -> Graph:
    return catalog_graph(base, "1.0.0", "2026-11-25", files, base + "sparql")


def _select(graph: Graph, base: str, query: str) -> list[tuple[str, ...]]:
    store = ox.Store()
    store.load(graph.serialize(format="nt").encode(), format=ox.RdfFormat.N_TRIPLES)
    rows = store.query(sparql_prologue(base, query) + query)
    return sorted(tuple(term.value for term in row) for row in rows)  # type: ignore[union-attr]


def test_the_catalogue_conforms_to_the_fdp_shapes(catalog: Graph, base: str) -> None:
    shapes = parse_source(SHAPES, base, allow_blank_nodes=True)
    conforms, _, text = validate(catalog, shacl_graph=shapes)
    assert conforms, text


def test_a_shape_violation_is_reported(catalog: Graph, base: str) -> None:
    shapes = parse_source(SHAPES, base, allow_blank_nodes=True)
    for triple in list(catalog.triples((None, None, None))):
        if str(triple[1]).endswith("#theme"):
            catalog.remove(triple)
    conforms, _, text = validate(catalog, shacl_graph=shapes)
    assert not conforms
    assert "Less than 1 values on <https://w3id.org/aatd-kg/dataset>->dcat:theme" in text


def test_one_distribution_per_file_with_size_type_and_checksum(
    catalog: Graph, base: str, files: dict[str, dict[str, object]]
) -> None:
    rows = _select(catalog, base, """
        SELECT ?title ?url ?size ?type ?sum WHERE {
          ?dataset a dcat:Dataset ; dcat:distribution ?d .
          ?d dcterms:title ?title ; dcat:downloadURL ?url ; dcat:byteSize ?size ;
             dcat:mediaType ?type ; spdx:checksum [ spdx:checksumValue ?sum ] .
        }""")
    iana = "https://www.iana.org/assignments/media-types/"
    expected = []
    for name, entry in files.items():
        media = "text/turtle" if name == "aatd-kg.ttl.gz" else entry["media_type"]
        expected.append((name, f"{base}downloads/{name}", str(entry["bytes"]), iana + media,
                         entry["sha256"]))
    assert rows == sorted(expected)
    gz = _select(catalog, base, "SELECT ?f { ?d dcterms:title 'aatd-kg.ttl.gz' ; "
                                "dcat:compressFormat ?f }")
    assert gz == [(iana + "application/gzip",)]


def test_dataset_service_and_fdp(catalog: Graph, base: str) -> None:
    rows = _select(catalog, base, """
        SELECT ?version ?issued ?license ?endpoint ?fdp WHERE {
          ?fdp a fdp:FAIRDataPoint ; fdp:metadataCatalog ?catalog .
          ?catalog a dcat:Catalog ; dcat:dataset ?dataset ; dcat:service ?service .
          ?dataset dcat:version ?version ; dcterms:issued ?issued ; dcterms:license ?license .
          ?service a dcat:DataService ; dcat:endpointURL ?endpoint ; dcat:servesDataset ?dataset .
        }""")
    assert rows == [("1.0.0", "2026-11-25", "https://creativecommons.org/publicdomain/zero/1.0/",
                     base + "sparql", base + "fdp")]
    themes = _select(catalog, base, "SELECT ?t { ?d a dcat:Dataset ; dcat:theme ?t }")
    assert themes == [("http://purl.obolibrary.org/obo/MONDO_0013282",),
                      ("http://www.orpha.net/ORDO/Orphanet_60",)]


def test_no_blank_nodes(catalog: Graph) -> None:
    assert not any(term.n3().startswith("_:") for triple in catalog for term in triple)


def test_a_file_entry_without_its_checksum_is_refused(base: str) -> None:
    with pytest.raises(CatalogError, match=r"aatd-kg\.nt.*sha256"):
        catalog_graph(base, "1", "2026-11-25", {"aatd-kg.nt": {"bytes": 1}}, base + "sparql")
