"""What the server says about one IRI: the triples of its page and of its RDF answers.

An entity's representation is one set of triples, built by one CONSTRUCT query on the store:
its outgoing triples, its incoming triples (capped), and the ``rdfs:label`` of every node
and property either links. The HTML page and the Turtle/JSON-LD/N-Triples/RDF-XML answers
are made from that one set, so they cannot disagree. Where each statement comes from (the
source section and its date) is read from the named graphs that hold the entity's triples.

The triples stay plain store :class:`~aatd_kg.store.base.Term` values (no rdflib objects on
the serving path); RDF answers are written by pyoxigraph.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Identifier

from aatd_kg.prefixes import prefix_map, sparql_prologue
from aatd_kg.store.base import Store, StoreFault, Term
from aatd_kg.store.terms import from_oxigraph, to_oxigraph

#: Incoming links kept at most (a class can have very many instances).
INBOUND_LIMIT = 1000

#: Characters that cannot occur in an IRI written ``<…>`` in SPARQL.
_IRI_FORBIDDEN = frozenset('<>"{}|^`\\ \t\r\n')

Triple = tuple[Term, Term, Term]


class InvalidIRIError(ValueError):
    """A path cannot be turned into an IRI (it holds characters IRIs may not contain)."""


def iri_term(iri: str) -> Term:
    """*iri* as a store term."""
    return Term("uri", iri)


def checked_iri(iri: str) -> Term:
    """*iri* as a term, or :class:`InvalidIRIError` if it could break a query."""
    bad = sorted({c for c in iri if c in _IRI_FORBIDDEN or ord(c) < 0x20})
    if bad or not iri:
        raise InvalidIRIError(f"not a valid IRI (characters {bad!r} are not allowed): {iri!r}")
    return iri_term(iri)


class TripleSet:
    """A small set of triples of store terms, indexed by subject and by object."""

    def __init__(self, triples: Iterator[Triple] | list[Triple] = ()) -> None:
        self._triples: list[Triple] = []
        self._seen: set[Triple] = set()
        self._out: dict[Term, list[tuple[Term, Term]]] = {}
        self._in: dict[Term, list[tuple[Term, Term]]] = {}
        for triple in triples:
            self.add(triple)

    def add(self, triple: Triple) -> None:
        """Add one triple (duplicates are ignored)."""
        if triple in self._seen:
            return
        self._seen.add(triple)
        self._triples.append(triple)
        s, p, o = triple
        self._out.setdefault(s, []).append((p, o))
        self._in.setdefault(o, []).append((s, p))

    def __iter__(self) -> Iterator[Triple]:
        return iter(self._triples)

    def __len__(self) -> int:
        return len(self._triples)

    def __contains__(self, triple: object) -> bool:
        return triple in self._seen

    def predicate_objects(self, subject: Term) -> list[tuple[Term, Term]]:
        """(predicate, object) of every triple with *subject*."""
        return self._out.get(subject, [])

    def subject_predicates(self, obj: Term) -> list[tuple[Term, Term]]:
        """(subject, predicate) of every triple with object *obj*."""
        return self._in.get(obj, [])

    def subjects_with_prefix(self, prefix: str) -> list[Term]:
        """Subjects whose IRI starts with *prefix* (a scan: for small sets such as VoID)."""
        return sorted((s for s in self._out if s.value.startswith(prefix)), key=lambda t: t.value)

    def subjects(self, predicate: Term, obj: Term) -> list[Term]:
        """Subjects linked to *obj* through *predicate*."""
        return [s for s, p in self._in.get(obj, []) if p == predicate]

    def objects(self, subject: Term, predicate: Term) -> list[Term]:
        """Objects of *subject* through *predicate*."""
        return [o for p, o in self._out.get(subject, []) if p == predicate]


@dataclass(frozen=True)
class SourceRecord:
    """A named graph holding some of the entity's triples and the section it was derived from."""

    graph: Term
    section: Term | None
    section_label: Term | None
    modified: Term | None


@dataclass
class Description:
    """Everything the server shows about one IRI."""

    iri: Term
    triples: TripleSet
    sources: list[SourceRecord] = field(default_factory=list)
    inbound_truncated: bool = False

    @property
    def exists(self) -> bool:
        """True when the store holds at least one triple with this IRI as subject or object."""
        return bool(
            self.triples.predicate_objects(self.iri) or self.triples.subject_predicates(self.iri)
        )


def construct(store: Store, query: str) -> TripleSet:
    """Run a CONSTRUCT *query* on *store* and return its triples."""
    result = store.query(query)
    triples = TripleSet()
    for s, p, o in result.rows:
        if s is None or p is None or o is None:
            raise StoreFault("a CONSTRUCT answer held an incomplete triple")
        triples.add((s, p, o))
    return triples


def select(store: Store, query: str) -> list[dict[str, Term]]:
    """Run a SELECT *query* on *store*; each solution maps bound variables to terms."""
    return store.query(query).bindings()


def to_rdflib(term: Term) -> Identifier:
    """A store :class:`Term` as an rdflib term (for pages computed once, not per request)."""
    if term.kind == "uri":
        return URIRef(term.value)
    if term.kind == "bnode":
        return BNode(term.value)
    if term.kind == "literal":
        if term.lang:
            return Literal(term.value, lang=term.lang)
        if term.datatype is None or term.datatype.endswith("#string"):
            return Literal(term.value)  # a simple literal (RDF 1.1: the same as xsd:string)
        return Literal(term.value, datatype=URIRef(term.datatype))
    raise StoreFault(f"a {term.kind} term cannot be shown on a page: {term.value}")


def construct_graph(store: Store, query: str) -> Graph:
    """Run a CONSTRUCT *query* and return an rdflib graph (for data read once at start)."""
    graph = Graph()
    for s, p, o in construct(store, query):
        graph.add((to_rdflib(s), to_rdflib(p), to_rdflib(o)))  # type: ignore[arg-type]
    return graph


def serialize_triples(
    triples: TripleSet, oxigraph_format: object, base: str, first: Term | None = None
) -> bytes:
    """*triples* in an RDF format of pyoxigraph, declaring only the prefixes they use, grouped
    by subject (*first* first, then the others in IRI order)."""
    rdf_type = Term("uri", prefix_map(base)["rdf"] + "type")
    iris = {t.value for triple in triples for t in triple if t.kind == "uri"}
    iris |= {t.datatype for triple in triples for t in triple if t.datatype}
    used = {
        prefix: namespace
        for prefix, namespace in prefix_map(base).items()
        if prefix != "AATDKG" and any(iri.startswith(namespace) for iri in iris)
    }
    return ox.serialize(
        [
            ox.Triple(*(to_oxigraph(t) for t in triple))
            for triple in sorted(
                triples,
                key=lambda t: (t[0] != first, t[0].value, t[1] != rdf_type, t[1].value),
            )
        ],
        format=oxigraph_format,  # type: ignore[arg-type]
        prefixes=used,
    )


def _description_query(iri: Term, base: str, limit: int) -> str:
    """One CONSTRUCT: outgoing triples, incoming ones (at most *limit* pairs), their labels."""
    body = f"""
CONSTRUCT {{
  <{iri.value}> ?p ?o . ?o rdfs:label ?ol . ?p rdfs:label ?pl .
  ?s ?q <{iri.value}> . ?s rdfs:label ?sl . ?q rdfs:label ?ql .
}}
WHERE {{
  {{
    GRAPH ?g {{ <{iri.value}> ?p ?o }}
    OPTIONAL {{ GRAPH ?og {{ ?o rdfs:label ?ol }} }}
    OPTIONAL {{ GRAPH ?pg {{ ?p rdfs:label ?pl }} }}
  }} UNION {{
    {{ SELECT DISTINCT ?s ?q WHERE {{ GRAPH ?h {{ ?s ?q <{iri.value}> }} }}
       ORDER BY ?q ?s LIMIT {limit} }}
    OPTIONAL {{ GRAPH ?sg {{ ?s rdfs:label ?sl }} }}
    OPTIONAL {{ GRAPH ?qg {{ ?q rdfs:label ?ql }} }}
  }}
}}"""
    return sparql_prologue(base, body) + body


def _sources_query(iri: Term, base: str) -> str:
    body = f"""
SELECT DISTINCT ?g ?section ?label ?date WHERE {{
  GRAPH ?g {{ <{iri.value}> ?p ?o }}
  OPTIONAL {{ GRAPH ?pg {{ ?g prov:wasDerivedFrom ?section }}
    OPTIONAL {{ GRAPH ?dg {{ ?section dcterms:modified ?date }} }}
    OPTIONAL {{ GRAPH ?lg {{ ?section rdfs:label ?label }} }} }}
}} ORDER BY ?g ?section"""
    return sparql_prologue(base, body) + body


def describe(store: Store, iri: Term, base: str) -> Description:
    """The description of *iri* (possibly empty: check :attr:`Description.exists`)."""
    triples = construct(store, _description_query(iri, base, INBOUND_LIMIT + 1))
    truncated = len(triples.subject_predicates(iri)) > INBOUND_LIMIT
    rows = select(store, _sources_query(iri, base)) if triples.predicate_objects(iri) else []
    sources = [
        SourceRecord(
            graph=row["g"],
            section=row.get("section"),
            section_label=row.get("label"),
            modified=row.get("date"),
        )
        for row in rows
    ]
    return Description(iri=iri, triples=triples, sources=sources, inbound_truncated=truncated)


def read_triples(path: Path) -> TripleSet:
    """The triples of a Turtle file of the release (for example ``void.ttl``)."""
    triples = TripleSet()
    for triple in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
        s, p, o = (from_oxigraph(t) for t in (triple.subject, triple.predicate, triple.object))
        if s is None or p is None or o is None:
            raise StoreFault(f"{path}: a parsed triple held an empty term")
        triples.add((s, p, o))
    return triples


def describe_in(triples: TripleSet, iri: Term, label_predicate: Term) -> Description:
    """The description of *iri* read from *triples* (a release file, not the store): its
    triples both ways, those of its hash IRIs, and the labels of what they link."""
    found = TripleSet()
    same_document = [iri] + [
        s for s in triples.subjects_with_prefix(iri.value + "#") if s.kind == "uri"
    ]
    for subject in same_document:  # hash IRIs (``…/file#sha256``) share their document
        for p, o in triples.predicate_objects(subject):
            found.add((subject, p, o))
    for s, p in triples.subject_predicates(iri)[: INBOUND_LIMIT]:
        found.add((s, p, iri))
    neighbours = {t for triple in list(found) for t in triple if t.kind == "uri"}
    for node in neighbours:
        for label in triples.objects(node, label_predicate):
            found.add((node, label_predicate, label))
    return Description(iri=iri, triples=found)
