"""The SHACL shapes generated from the criterion resources: parameters, messages, links."""

from __future__ import annotations

import pytest
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SH

from aatd_kg.eligibility.criteria import Criterion
from aatd_kg.eligibility.shapes import ShapeGenerationError, constraint_parameter, shapes_graph
from aatd_kg.prefixes import vocab

from .conftest import BASE

PATIENT = URIRef("urn:example:patient")
AATD = vocab(BASE)
#: Criterion → (SHACL parameter, value) the generator must derive from the graph's statements.
EXPECTED = {
    "age": (SH.minExclusive, Literal(18)),
    "serum-aat": (SH.maxExclusive, Literal(11)),
    "airway-obstruction": (SH.hasValue, Literal(True)),
    "not-smoking": (SH.minInclusive, Literal(6)),
    "weekly-infusions": (SH.hasValue, Literal(True)),
    "no-iga-deficiency": (SH.hasValue, Literal(False)),
    "ct-emphysema-exception": (SH.hasValue, Literal(True)),
}


@pytest.fixture(scope="module")
def shapes(criteria: list[Criterion]) -> Graph:
    return shapes_graph(criteria, PATIENT, BASE)


def _shapes_of(shapes: Graph, criterion: Criterion) -> list[object]:
    return [s for s in shapes.subjects(DCTERMS.source, criterion.iri)
            if (s, RDF.type, SH.NodeShape) in shapes]


def test_two_node_shapes_per_criterion(shapes: Graph, criteria: list[Criterion]) -> None:
    for criterion in criteria:
        node_shapes = _shapes_of(shapes, criterion)
        severities = sorted(str(shapes.value(s, SH.severity)) for s in node_shapes)
        assert severities == sorted([str(SH.Info), str(SH.Violation)]), criterion.slug


@pytest.mark.parametrize("slug", list(EXPECTED))
def test_requirement_from_comparator_and_threshold(shapes: Graph, criteria: list[Criterion],
                                                   slug: str) -> None:
    criterion = next(c for c in criteria if c.slug == slug)
    parameter, value = EXPECTED[slug]
    requirement = next(s for s in _shapes_of(shapes, criterion)
                       if shapes.value(s, SH.severity) == SH.Violation)
    assert shapes.value(requirement, SH.targetSubjectsOf) == criterion.patient_property
    assert shapes.value(requirement, SH.message) == Literal(criterion.text, lang="en")
    prop = shapes.value(requirement, SH.property)
    assert shapes.value(prop, SH.path) == criterion.patient_property
    assert shapes.value(prop, parameter) == value
    assert shapes.value(prop, DCTERMS.source) == criterion.iri


def test_presence_targets_the_patient(shapes: Graph, criteria: list[Criterion]) -> None:
    for criterion in criteria:
        presence = next(s for s in _shapes_of(shapes, criterion)
                        if shapes.value(s, SH.severity) == SH.Info)
        assert shapes.value(presence, SH.targetNode) == PATIENT
        assert criterion.text in str(shapes.value(presence, SH.message))


def test_never_smoker_is_an_alternative(shapes: Graph, criteria: list[Criterion]) -> None:
    criterion = next(c for c in criteria if c.slug == "not-smoking")
    presence = next(s for s in _shapes_of(shapes, criterion)
                    if shapes.value(s, SH.severity) == SH.Info)
    assert shapes.value(presence, SH["or"]) is not None
    assert (None, SH.hasValue, AATD.NeverSmoker) in shapes
    others = [c for c in criteria if c.slug != "not-smoking"]
    assert all(not c.exemptions for c in others)


def test_unknown_comparator_is_named(criteria: list[Criterion]) -> None:
    import dataclasses

    odd = dataclasses.replace(criteria[0], comparator=AATD.roughly)
    with pytest.raises(ShapeGenerationError, match="roughly"):
        constraint_parameter(odd, BASE)
