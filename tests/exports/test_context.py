"""The published JSON-LD context: readable keys that expand to the properties of the data."""

from __future__ import annotations

import json

import pyoxigraph as ox
from rdflib import OWL, RDF, RDFS, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic

from aatd_kg.exports.context import TERMS, context_document, jsonld_context
from aatd_kg.prefixes import DEFAULT_BASE, converter, prefix_map, vocab

BASE = DEFAULT_BASE


def _expand(curie: str) -> URIRef:
    return URIRef(converter(BASE).expand_strict(curie))


def test_every_prefix_of_the_map_is_in_the_context() -> None:
    context = jsonld_context(BASE)
    for prefix, namespace in prefix_map(BASE).items():
        value = context[prefix]
        assert (value if isinstance(value, str) else value["@id"]) == namespace


def test_no_namespace_is_written_outside_the_prefix_map() -> None:
    context = jsonld_context(BASE)
    namespaces = set(prefix_map(BASE).values())
    for key, value in context.items():
        if key in prefix_map(BASE) or key.startswith("@") or key in ("id", "type"):
            continue
        target = value if isinstance(value, str) else value["@id"]
        assert not target.startswith("http"), (key, target)
        assert target.split(":", 1)[0] in prefix_map(BASE), (key, target)
        assert not any(target.startswith(ns) for ns in namespaces)


def test_readable_keys_expand_to_the_right_triples() -> None:
    doc = {
        "@context": jsonld_context(BASE),
        "@graph": [
            {
                "id": "AATDKG:disease/AATD",
                "type": "aatd:Disease",
                "label": "alpha 1-antitrypsin deficiency",
                "exactMatch": "MONDO:0013282",
                "closeMatch": ["MedDRA:10001806"],
                "hasPhenotype": "HP:0002097",
                "modified": "2020-05-01",
            },
            {"id": "AATDKG:gene/SERPINA1", "causes": "AATDKG:disease/AATD"},
        ],
    }
    graph = Graph().parse(data=json.dumps(doc), format="json-ld")
    aatd = URIRef(BASE + "disease/AATD")
    assert (aatd, RDF.type, vocab(BASE).Disease) in graph
    assert (aatd, RDFS.label, Literal("alpha 1-antitrypsin deficiency")) in graph
    assert (aatd, _expand("skos:exactMatch"), _expand("MONDO:0013282")) in graph
    assert (aatd, _expand("skos:closeMatch"), _expand("MedDRA:10001806")) in graph
    assert (aatd, _expand("RO:0002200"), _expand("HP:0002097")) in graph
    date = Literal("2020-05-01", datatype=_expand("xsd:date"))
    assert (aatd, _expand("dcterms:modified"), date) in graph
    assert (URIRef(BASE + "gene/SERPINA1"), _expand("RO:0003303"), aatd) in graph
    assert len(graph) == 7


def test_with_the_graph_terms_follow_the_properties_the_data_uses() -> None:
    aatd = vocab(BASE)
    graph = Graph()
    disease, gene = URIRef(BASE + "disease/AATD"), URIRef(BASE + "gene/SERPINA1")
    graph.add((gene, aatd.causes, disease))
    graph.add((disease, RDFS.label, Literal("AATD")))
    graph.add((aatd.causes, RDF.type, OWL.ObjectProperty))
    graph.add((aatd.hasAgeLimit, RDF.type, OWL.DatatypeProperty))
    context = jsonld_context(BASE, graph)
    assert context["causes"] == {"@id": "aatd:causes", "@type": "@id"}
    assert context["label"] == "rdfs:label"
    assert context["hasAgeLimit"] == "aatd:hasAgeLimit"
    assert "hasPhenotype" not in context  # the data has no phenotype property


def test_the_published_document_round_trips_through_json() -> None:
    doc = context_document(BASE)
    assert json.loads(json.dumps(doc)) == doc
    assert set(TERMS) <= set(doc["@context"])


def test_schema_terms_follow_the_data_and_vocabulary_wins_clashes() -> None:
    aatd = vocab(BASE)
    schema = Namespace(prefix_map(BASE)["schema"])
    graph = Graph()
    org = URIRef(BASE + "org/alpha-1-foundation")
    graph.add((org, schema.telephone, Literal("+1-305-567-9888")))
    graph.add((org, schema.address, URIRef(BASE + "org/alpha-1-foundation/address")))
    graph.add((org, schema.contactPoint, URIRef(BASE + "org/alpha-1-foundation/contact")))
    graph.add((org, schema.purpose, Literal("x")))
    graph.add((aatd.purpose, RDF.type, OWL.DatatypeProperty))
    context = jsonld_context(BASE, graph)
    assert context["contactPoint"] == {"@id": "schema:contactPoint", "@type": "@id"}
    assert context["telephone"] == "schema:telephone"
    assert context["purpose"] == "aatd:purpose"


def test_a_release_graph_round_trips_through_compacted_json_ld(dataset: Dataset) -> None:
    union = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    context = jsonld_context(BASE, union)
    text = union.serialize(format="json-ld", context=context, auto_compact=True)
    document = json.loads(text)
    assert "label" in json.dumps(document)
    back = Graph().parse(data=text, format="json-ld")
    assert isomorphic(back, union)
    store = ox.Store()
    store.load(text.encode("utf-8"), format=ox.RdfFormat.JSON_LD)
    assert len(store) == len(union)
