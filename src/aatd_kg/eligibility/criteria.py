"""Read the eligibility criteria of a therapy from the graph (never from a list in code).

One CONSTRUCT query (:func:`criteria_query`) gathers the criterion resources of
``data/treatment.ttl``, the labels of the patient properties they test and the
``aatd:holdsWithoutValueWhen`` alternatives of ``ontology/patient.ttl``. It runs unchanged on a
release parsed by rdflib (CLI) and on the server's store; :func:`criteria_from_graph` turns its
answer into :class:`Criterion` values.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, RDFS, BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from aatd_kg.prefixes import bind_all, normalize_base, sparql_prologue, vocab
from aatd_kg.store.base import QueryResult, Store, Term
from aatd_kg.store.terms import from_oxigraph

#: Path of the therapy, relative to the base IRI (docs/decisions/0001).
AUGMENTATION_THERAPY = "therapy/augmentation-therapy"
#: Properties copied from each criterion resource.
_CRITERION_PROPERTIES = (
    "rdfs:label",
    "aatd:criterionText",
    "aatd:criterionOf",
    "aatd:criterionRole",
    "aatd:criterionOrder",
    "aatd:patientProperty",
    "aatd:comparator",
    "aatd:thresholdValue",
    "aatd:thresholdUnit",
    "aatd:requiredValue",
    "aatd:replacesCriterion",
    "aatd:rationale",
)

_QUERY_BODY = """
CONSTRUCT {
  ?criterion a aatd:EligibilityCriterion ; ?cp ?co .
  ?property rdfs:label ?propertyLabel ; aatd:holdsWithoutValueWhen ?value .
  ?value a ?valueClass ; rdfs:label ?valueLabel .
  ?statusProperty rdfs:range ?valueClass .
}
WHERE {
  ?criterion a aatd:EligibilityCriterion ; aatd:criterionOf <%(therapy)s> .
  {
    ?criterion ?cp ?co .
    FILTER (?cp IN (%(properties)s))
  } UNION {
    ?criterion aatd:patientProperty ?property .
    ?property rdfs:label ?propertyLabel .
  } UNION {
    ?criterion aatd:patientProperty ?property .
    ?property aatd:holdsWithoutValueWhen ?value .
    ?value a ?valueClass .
    ?statusProperty rdfs:range ?valueClass .
    OPTIONAL { ?value rdfs:label ?valueLabel }
  }
}
"""


class CriteriaError(RuntimeError):
    """The graph holds no usable criteria (a release or data problem, not the user's input)."""


@dataclass(frozen=True, slots=True)
class Exemption:
    """A value of another property under which a requirement holds without a value."""

    status_property: URIRef
    value: URIRef
    label: str


@dataclass(frozen=True, slots=True)
class Criterion:
    """One eligibility criterion, as the graph states it."""

    iri: URIRef
    label: str
    text: str
    therapy: URIRef
    role: URIRef
    order: int
    patient_property: URIRef
    property_label: str
    comparator: URIRef
    threshold: Literal | None
    unit: str | None
    required_value: Literal | None
    replaces: URIRef | None
    rationale: str | None
    exemptions: tuple[Exemption, ...]

    @property
    def slug(self) -> str:
        """The last path segment of the IRI (``age``, ``serum-aat`` …)."""
        return str(self.iri).rstrip("/").rsplit("/", 1)[-1]

    @property
    def target_value(self) -> Literal:
        """The value compared with: ``aatd:requiredValue``, else ``aatd:thresholdValue``."""
        value = self.required_value if self.required_value is not None else self.threshold
        assert value is not None  # checked when read
        return value


def therapy_iri(base: str, path: str = AUGMENTATION_THERAPY) -> URIRef:
    """The IRI of a therapy under *base*."""
    return URIRef(normalize_base(base) + path)


def criteria_query(base: str, therapy: URIRef | None = None) -> str:
    """The CONSTRUCT query that gathers the criteria of *therapy* (augmentation therapy)."""
    therapy = therapy if therapy is not None else therapy_iri(base)
    body = _QUERY_BODY % {"therapy": therapy, "properties": ", ".join(_CRITERION_PROPERTIES)}
    return sparql_prologue(base, used_in=body) + body


def _english(graph: Graph, subject: Node, predicate: URIRef) -> str | None:
    values = [o for o in graph.objects(subject, predicate) if isinstance(o, Literal)]
    for wanted in ("en", None):
        for value in sorted(values):
            if value.language == wanted:
                return str(value)
    return str(values[0]) if values else None


def _one(graph: Graph, subject: Node, predicate: URIRef) -> Node | None:
    values = sorted(graph.objects(subject, predicate))
    if len(values) > 1:
        raise CriteriaError(
            f"{subject.n3()} has {len(values)} values of {predicate.n3()}; expected one"
        )
    return values[0] if values else None


def _exemptions(graph: Graph, prop: URIRef, base: str) -> tuple[Exemption, ...]:
    aatd = vocab(base)
    found = []
    for value in sorted(graph.objects(prop, aatd.holdsWithoutValueWhen)):
        for value_class in sorted(graph.objects(value, RDF.type)):
            for status_property in sorted(graph.subjects(RDFS.range, value_class)):
                label = _english(graph, value, RDFS.label) or str(value)
                found.append(Exemption(URIRef(status_property), URIRef(value), label))
    return tuple(found)


def _criterion(graph: Graph, iri: URIRef, base: str) -> Criterion:
    aatd = vocab(base)

    def required(predicate: URIRef) -> Node:
        value = _one(graph, iri, predicate)
        if value is None:
            raise CriteriaError(f"criterion {iri} has no {predicate.n3(graph.namespace_manager)}")
        return value

    text = _english(graph, iri, aatd.criterionText)
    if text is None:
        raise CriteriaError(f"criterion {iri} has no aatd:criterionText")
    prop = URIRef(required(aatd.patientProperty))
    threshold = _one(graph, iri, aatd.thresholdValue)
    required_value = _one(graph, iri, aatd.requiredValue)
    if threshold is None and required_value is None:
        raise CriteriaError(
            f"criterion {iri} has neither aatd:thresholdValue nor aatd:requiredValue"
        )
    order = required(aatd.criterionOrder)
    unit = _one(graph, iri, aatd.thresholdUnit)
    replaces = _one(graph, iri, aatd.replacesCriterion)
    return Criterion(
        iri=iri,
        label=_english(graph, iri, RDFS.label) or text,
        text=text,
        therapy=URIRef(required(aatd.criterionOf)),
        role=URIRef(required(aatd.criterionRole)),
        order=int(order.toPython()) if isinstance(order, Literal) else 0,
        patient_property=prop,
        property_label=_english(graph, prop, RDFS.label) or prop.n3(graph.namespace_manager),
        comparator=URIRef(required(aatd.comparator)),
        threshold=threshold if isinstance(threshold, Literal) else None,
        unit=str(unit) if unit is not None else None,
        required_value=required_value if isinstance(required_value, Literal) else None,
        replaces=URIRef(replaces) if replaces is not None else None,
        rationale=_english(graph, iri, aatd.rationale),
        exemptions=_exemptions(graph, prop, base),
    )


def criteria_from_graph(graph: Graph, base: str) -> list[Criterion]:
    """The criteria in *graph* (the answer of :func:`criteria_query`), in criterion order."""
    aatd = vocab(base)
    bind_all(graph, base)
    iris = sorted(
        {s for s in graph.subjects(RDF.type, aatd.EligibilityCriterion) if isinstance(s, URIRef)}
    )
    if not iris:
        raise CriteriaError(
            f"the graph holds no aatd:EligibilityCriterion of {therapy_iri(base)}; "
            "build a release that includes data/treatment.ttl (aatd-kg build)"
        )
    criteria = [_criterion(graph, iri, base) for iri in iris]
    return sorted(criteria, key=lambda c: (c.order, str(c.iri)))


def criteria_from_dataset(dataset: Graph, base: str) -> list[Criterion]:
    """Run the criteria query on an rdflib graph or dataset (union of its named graphs)."""
    if isinstance(dataset, Dataset):
        union = Graph()
        for context in dataset.graphs():
            union += context
        dataset = union
    result = dataset.query(criteria_query(base))
    answer = Graph()
    for triple in result:
        answer.add(triple)  # type: ignore[arg-type]
    return criteria_from_graph(answer, base)


def load_release_store(release: Path) -> ox.Store:
    """An in-memory Oxigraph store of a release (``aatd-kg.nq``, else ``aatd-kg.ttl``)."""
    for name, rdf_format in (
        ("aatd-kg.nq", ox.RdfFormat.N_QUADS),
        ("aatd-kg.ttl", ox.RdfFormat.TURTLE),
    ):
        path = release / name
        if path.is_file():
            store = ox.Store()
            store.bulk_load(path=str(path), format=rdf_format)
            return store
    raise CriteriaError(
        f"{release} holds no release (aatd-kg.nq or aatd-kg.ttl); run `aatd-kg build` "
        "or pass --release DIR"
    )


def release_base(release: Path, default: str) -> str:
    """The base IRI the release was built with (``release.json``), else *default*."""
    info = release / "release.json"
    if info.is_file():
        try:
            base = json.loads(info.read_text(encoding="utf-8")).get("base_iri")
        except (OSError, json.JSONDecodeError) as error:
            raise CriteriaError(
                f"{info} is not readable JSON ({error}); rebuild the release"
            ) from error
        if isinstance(base, str) and base:
            return normalize_base(base)
    return normalize_base(default)


def criteria_from_release(release: Path, default_base: str) -> tuple[list[Criterion], str]:
    """The criteria of a release directory and the base IRI they were built with."""
    base = release_base(release, default_base)
    store = load_release_store(release)
    answer = Graph()
    for triple in store.query(criteria_query(base), use_default_graph_as_union=True):
        terms = (from_oxigraph(term) for term in triple)  # type: ignore[union-attr]
        s, p, o = (_to_rdflib(term) for term in terms if term is not None)
        answer.add((s, p, o))
    return criteria_from_graph(answer, base), base


def _to_rdflib(term: Term) -> Node:
    if term.kind == "uri":
        return URIRef(term.value)
    if term.kind == "bnode":
        return BNode(term.value)
    if term.kind == "literal":
        datatype = URIRef(term.datatype) if term.datatype and not term.lang else None
        return Literal(term.value, lang=term.lang, datatype=datatype)
    raise CriteriaError(f"unexpected term in the criteria: {term.n3()}")


def criteria_from_store(store: Store, base: str, timeout: float | None = None) -> list[Criterion]:
    """Run the criteria query on the server's store."""
    result: QueryResult = store.query(criteria_query(base), timeout=timeout)
    answer = Graph()
    for row in result.rows:
        s, p, o = (_to_rdflib(t) for t in row if t is not None)
        answer.add((s, p, o))
    return criteria_from_graph(answer, base)
