"""Generate SHACL shapes from the criterion resources of the graph.

Each criterion yields two node shapes targeting the patient (``sh:targetNode``), both linked to
the criterion by ``dcterms:source`` and carrying its exact text in ``sh:message``:

- a **requirement** shape (``sh:Violation``, ``sh:targetSubjectsOf`` the patient property, so it
  applies when the patient has a value): the value compared with the threshold
  (``sh:minExclusive`` / ``sh:maxExclusive`` / ``sh:minInclusive`` / ``sh:maxInclusive`` /
  ``sh:hasValue``), so a violation means *not met*;
- a **presence** shape (``sh:Info``, ``sh:targetNode`` the patient): the property has a value
  (``sh:minCount 1``), so a result means *unknown*, not a violation.

Where ``ontology/patient.ttl`` says a property ``aatd:holdsWithoutValueWhen`` a value of another
property (a never smoker and the months since the last cigarette), the presence shape becomes an
``sh:or`` with that alternative.
"""

from __future__ import annotations

from collections.abc import Sequence

from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, SH

from aatd_kg.eligibility.criteria import Criterion
from aatd_kg.prefixes import bind_all, vocab

#: Local name of each comparator in the vocabulary → SHACL constraint parameter.
COMPARATOR_CONSTRAINTS = {
    "greaterThan": SH.minExclusive,
    "lessThan": SH.maxExclusive,
    "greaterThanOrEqual": SH.minInclusive,
    "lessThanOrEqual": SH.maxInclusive,
    "equalTo": SH.hasValue,
}
#: Severity of the shape whose result means "not met" and of the one meaning "unknown".
NOT_MET_SEVERITY = SH.Violation
UNKNOWN_SEVERITY = SH.Info


class ShapeGenerationError(ValueError):
    """A criterion uses a comparator the generator does not know."""


def constraint_parameter(criterion: Criterion, base: str) -> URIRef:
    """The SHACL parameter (``sh:minExclusive`` …) of the criterion's comparator."""
    aatd = str(vocab(base))
    name = (
        str(criterion.comparator)[len(aatd) :] if str(criterion.comparator).startswith(aatd) else ""
    )
    if name not in COMPARATOR_CONSTRAINTS:
        raise ShapeGenerationError(
            f"criterion {criterion.iri} has comparator {criterion.comparator}; known: "
            + ", ".join(f"aatd:{n}" for n in COMPARATOR_CONSTRAINTS)
        )
    return COMPARATOR_CONSTRAINTS[name]


def _linked(
    graph: Graph, shape: BNode, criterion: Criterion, message: str, severity: URIRef | None
) -> BNode:
    """Link *shape* to its criterion (``dcterms:source``), with its message and severity.

    Shapes inside ``sh:or`` get no severity: an alternative fails or holds, and the result is
    reported by the enclosing node shape with that shape's severity.
    """
    graph.add((shape, DCTERMS.source, criterion.iri))
    graph.add((shape, SH.message, Literal(message, lang="en")))
    if severity is not None:
        graph.add((shape, SH.severity, severity))
    return shape


def _property_shape(
    graph: Graph, criterion: Criterion, message: str, severity: URIRef | None
) -> BNode:
    shape = _linked(graph, BNode(), criterion, message, severity)
    graph.add((shape, RDF.type, SH.PropertyShape))
    graph.add((shape, SH.path, criterion.patient_property))
    return shape


def _presence(graph: Graph, node_shape: BNode, criterion: Criterion, message: str) -> None:
    """``sh:minCount 1`` on the property, or ``sh:or (that, exemptions…)`` when there are any."""
    if not criterion.exemptions:
        present = _property_shape(graph, criterion, message, UNKNOWN_SEVERITY)
        graph.add((present, SH.minCount, Literal(1)))
        graph.add((node_shape, SH.property, present))
        return
    present = _property_shape(graph, criterion, message, None)
    graph.add((present, SH.minCount, Literal(1)))
    first = BNode()
    graph.add((first, SH.property, present))
    members = [first]
    for exemption in criterion.exemptions:
        alternative = _linked(graph, BNode(), criterion, message, None)
        graph.add((alternative, RDF.type, SH.PropertyShape))
        graph.add((alternative, SH.path, exemption.status_property))
        graph.add((alternative, SH.hasValue, exemption.value))
        wrapper = BNode()
        graph.add((wrapper, SH.property, alternative))
        members.append(wrapper)
    head = BNode()
    Collection(graph, head, list(members))
    graph.add((node_shape, SH["or"], head))


def _node_shape(graph: Graph, criterion: Criterion, severity: URIRef, message: str) -> BNode:
    shape = _linked(graph, BNode(), criterion, message, severity)
    graph.add((shape, RDF.type, SH.NodeShape))
    return shape


def add_criterion_shapes(graph: Graph, criterion: Criterion, patient: URIRef, base: str) -> None:
    """Add the requirement and presence shapes of one criterion to *graph*."""
    parameter = constraint_parameter(criterion, base)
    # The requirement applies when the patient has a value (sh:targetSubjectsOf), so that a
    # missing value (which sh:hasValue would flag) is reported once, as unknown, not as a
    # violation.
    requirement = _node_shape(graph, criterion, NOT_MET_SEVERITY, criterion.text)
    graph.add((requirement, SH.targetSubjectsOf, criterion.patient_property))
    compared = _property_shape(graph, criterion, criterion.text, NOT_MET_SEVERITY)
    graph.add((compared, parameter, criterion.target_value))
    graph.add((requirement, SH.property, compared))

    unknown = f"Not known: {criterion.property_label}. {criterion.text}"
    presence = _node_shape(graph, criterion, UNKNOWN_SEVERITY, unknown)
    graph.add((presence, SH.targetNode, patient))
    _presence(graph, presence, criterion, unknown)


def shapes_graph(criteria: Sequence[Criterion], patient: URIRef, base: str) -> Graph:
    """The SHACL shapes of every criterion, targeting *patient*."""
    graph = bind_all(Graph(), base)
    for criterion in criteria:
        add_criterion_shapes(graph, criterion, patient, base)
    return graph
