"""Every class of the ontology is the target of a shape, and every constraint says what to do.

Classes of the patient description (ontology/patient.ttl) are exempt: patients are input of the
eligibility check, never part of a release, and that check validates them itself.
"""

from __future__ import annotations

from rdflib import OWL, RDF, Graph, URIRef
from rdflib.namespace import SH
from shapes_testlib import BASE, ROOT

from aatd_kg import prefixes
from aatd_kg.build.load import parse_source

EXEMPT = {"PatientDescription", "SmokingStatus", "EligibilityOutcome"}


def _ontology_classes() -> set[URIRef]:
    graph = Graph()
    for path in sorted((ROOT / "ontology").glob("*.ttl")):
        parse_source(path, BASE, into=graph)
    return {c for c in graph.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef)}


def test_every_ontology_class_has_a_shape(shapes_graph: Graph) -> None:
    vocab = prefixes.vocab(BASE)
    targeted = set(shapes_graph.objects(None, SH.targetClass))
    missing = {c for c in _ontology_classes() - targeted if c.removeprefix(vocab) not in EXEMPT}
    assert missing == set(), "add a shape with sh:targetClass (and its fixtures) for these"


def test_every_constraint_carries_a_message(shapes_graph: Graph) -> None:
    """Property shapes of named shapes, SPARQL constraints, and node-level constraints.

    (Shapes nested in sh:or/sh:xone lists report through their parent, which has the message.)
    """
    node_level = (SH["or"], SH.xone, SH["not"], SH["and"])
    named = {s for s in shapes_graph.subjects(RDF.type, SH.NodeShape) if isinstance(s, URIRef)}
    silent = [
        shape for node in named for shape in shapes_graph.objects(node, SH.property)
        if shapes_graph.value(shape, SH.message) is None
    ]
    silent += [c for c in shapes_graph.objects(None, SH.sparql)
               if shapes_graph.value(c, SH.message) is None]
    silent += [s for s in shapes_graph.subjects(RDF.type, SH.NodeShape)
               if any(shapes_graph.value(s, p) is not None for p in node_level)
               and shapes_graph.value(s, SH.message) is None]
    assert silent == []
