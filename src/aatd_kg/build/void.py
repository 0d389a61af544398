"""The VoID description of a release: counts, class and property partitions, named graphs.

Partitions get IRIs (no blank nodes) so the description is deterministic and linkable. DCAT
catalogue metadata (distributions, data service) is merged in by the release builder.
"""

from __future__ import annotations

import re

import pyoxigraph as ox
from rdflib import RDF, Graph, Literal, URIRef

from aatd_kg import prefixes

#: Path, relative to the base, of the dataset's description resource.
DATASET_PATH = "dataset"


def dataset_iri(base: str) -> URIRef:
    """IRI of the AATD-KG dataset (the thing VoID and DCAT describe)."""
    return URIRef(prefixes.normalize_base(base) + DATASET_PATH)


def _count(store: ox.Store, query: str) -> int:
    solutions = store.query(query, use_default_graph_as_union=True)
    row = next(iter(solutions))  # type: ignore[arg-type]
    return int(row[0].value)


def _slug(curie: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", curie)


def void_graph(store: ox.Store, base: str, named_graphs: list[str]) -> Graph:
    """VoID statistics of the release held in *store* (a dataset with named graphs)."""
    ns = prefixes.prefix_map(base)
    void, rdfs = ns["void"], ns["rdfs"]
    conv = prefixes.converter(base)
    dataset = dataset_iri(base)
    graph = prefixes.bind_all(Graph(), base)

    def add(subject: URIRef, local: str, value: object) -> None:
        graph.add((subject, URIRef(void + local), value))  # type: ignore[arg-type]

    graph.add((dataset, RDF.type, URIRef(void + "Dataset")))
    add(dataset, "uriSpace", Literal(prefixes.normalize_base(base)))
    # A triple stated in two named graphs counts once, as in the union dumps and release.json.
    add(dataset, "triples", Literal(_count(
        store, "SELECT (COUNT(*) AS ?n) { SELECT DISTINCT ?s ?p ?o {?s ?p ?o} }")))
    add(dataset, "distinctSubjects",
        Literal(_count(store, "SELECT (COUNT(DISTINCT ?s) AS ?n) {?s ?p ?o}")))
    add(dataset, "distinctObjects",
        Literal(_count(store, "SELECT (COUNT(DISTINCT ?o) AS ?n) {?s ?p ?o}")))
    add(dataset, "properties",
        Literal(_count(store, "SELECT (COUNT(DISTINCT ?p) AS ?n) {?s ?p ?o}")))
    add(dataset, "classes",
        Literal(_count(store, "SELECT (COUNT(DISTINCT ?c) AS ?n) {?s a ?c}")))
    add(dataset, "entities", Literal(_count(
        store, f"SELECT (COUNT(DISTINCT ?s) AS ?n) {{?s ?p ?o FILTER STRSTARTS(STR(?s), "
        f"\"{prefixes.normalize_base(base)}\")}}")))
    used = store.query("SELECT DISTINCT ?p {?s ?p ?o}", use_default_graph_as_union=True)
    namespaces = set()
    for row in used:  # type: ignore[union-attr]
        prefix, _ = conv.parse_uri(str(row[0].value))
        if prefix is not None:
            namespaces.add(ns[prefix])
    for namespace in sorted(namespaces):
        add(dataset, "vocabulary", URIRef(namespace))

    # (partition kind, its VoID property, the partitioned-by property, count, grouping query)
    partitions = (
        ("class", "classPartition", "class", "entities",
         "SELECT ?x (COUNT(DISTINCT ?s) AS ?n) {?s a ?x} GROUP BY ?x ORDER BY ?x"),
        ("property", "propertyPartition", "property", "triples",
         "SELECT ?x (COUNT(*) AS ?n) {?s ?x ?o} GROUP BY ?x ORDER BY ?x"),
    )
    for kind, link, by, count, query in partitions:
        for row in store.query(query, use_default_graph_as_union=True):  # type: ignore[union-attr]
            term = str(row[0].value)
            part = URIRef(f"{dataset}/{kind}/{_slug(conv.compress(term) or term)}")
            add(dataset, link, part)
            add(part, by, URIRef(term))
            add(part, count, Literal(int(row[1].value)))
    for name in sorted(named_graphs):
        subset = URIRef(name)
        n = _count(store, f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{name}> {{?s ?p ?o}} }}")
        add(dataset, "subset", subset)
        graph.add((subset, RDF.type, URIRef(void + "Dataset")))
        add(subset, "triples", Literal(n))
        label = URIRef(rdfs + "label")
        graph.add((subset, label, Literal(f"named graph {name.rsplit('/', 1)[-1]}", lang="en")))
    for feature in ("N-Quads", "N-Triples", "Turtle", "TriG", "JSON-LD"):
        add(dataset, "feature", URIRef(ns["formats"] + feature))
    return graph
