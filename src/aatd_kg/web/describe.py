"""What the server says about one IRI: the triples of its page and of its RDF answers.

An entity's representation is one RDF graph, built by one CONSTRUCT query on the store:
its outgoing triples, its incoming triples (capped), and the ``rdfs:label`` of every node
and property either links. The HTML page and the Turtle/JSON-LD/N-Triples/RDF-XML answers
are made from that one graph, so they cannot disagree. Where each statement comes from (the
source section and its date) is read from the named graphs that hold the entity's triples.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import XSD, BNode, Graph, Literal, URIRef
from rdflib.term import Identifier

from aatd_kg.prefixes import sparql_prologue
from aatd_kg.store.base import QueryResult, Store, StoreFault, Term

#: Incoming links kept at most (a class can have very many instances).
INBOUND_LIMIT = 1000

#: Characters that cannot occur in an IRI written ``<…>`` in SPARQL.
_IRI_FORBIDDEN = frozenset('<>"{}|^`\\ \t\r\n')


class InvalidIRIError(ValueError):
    """A path cannot be turned into an IRI (it holds characters IRIs may not contain)."""


def to_rdflib(term: Term) -> Identifier:
    """A store :class:`Term` as an rdflib term."""
    if term.kind == "uri":
        return URIRef(term.value)
    if term.kind == "bnode":
        return BNode(term.value)
    if term.kind == "literal":
        if term.lang:
            return Literal(term.value, lang=term.lang)
        if term.datatype is None or term.datatype == str(XSD.string):
            return Literal(term.value)  # a simple literal (RDF 1.1: the same as xsd:string)
        return Literal(term.value, datatype=URIRef(term.datatype))
    raise StoreFault(f"a {term.kind} term cannot be shown on a page: {term.value}")


def construct(store: Store, query: str) -> Graph:
    """Run a CONSTRUCT *query* on *store* and return its triples as an rdflib graph."""
    result: QueryResult = store.query(query)
    graph = Graph()
    for row in result.rows:
        s, p, o = (to_rdflib(t) for t in row if t is not None)
        graph.add((s, p, o))
    return graph


def select(store: Store, query: str) -> list[dict[str, Identifier]]:
    """Run a SELECT *query* on *store*; each solution maps bound variables to rdflib terms."""
    return [
        {name: to_rdflib(term) for name, term in row.items()}
        for row in store.query(query).bindings()
    ]


def checked_iri(iri: str) -> URIRef:
    """*iri* as a :class:`URIRef`, or :class:`InvalidIRIError` if it could break a query."""
    bad = sorted({c for c in iri if c in _IRI_FORBIDDEN or ord(c) < 0x20})
    if bad or not iri:
        raise InvalidIRIError(f"not a valid IRI (characters {bad!r} are not allowed): {iri!r}")
    return URIRef(iri)


@dataclass(frozen=True)
class SourceRecord:
    """A named graph holding some of the entity's triples and the section it was derived from."""

    graph: URIRef
    section: URIRef | None
    section_label: Literal | None
    modified: Literal | None


@dataclass
class Description:
    """Everything the server shows about one IRI."""

    iri: URIRef
    graph: Graph
    sources: list[SourceRecord] = field(default_factory=list)
    inbound_truncated: bool = False

    @property
    def exists(self) -> bool:
        """True when the store holds at least one triple with this IRI as subject or object."""
        return any(self.graph.triples((self.iri, None, None))) or any(
            self.graph.triples((None, None, self.iri))
        )


def _description_query(iri: URIRef, base: str, limit: int) -> str:
    """One CONSTRUCT: outgoing triples, incoming ones (at most *limit* pairs), their labels."""
    body = f"""
CONSTRUCT {{
  <{iri}> ?p ?o . ?o rdfs:label ?ol . ?p rdfs:label ?pl .
  ?s ?q <{iri}> . ?s rdfs:label ?sl . ?q rdfs:label ?ql .
}}
WHERE {{
  {{
    GRAPH ?g {{ <{iri}> ?p ?o }}
    OPTIONAL {{ GRAPH ?og {{ ?o rdfs:label ?ol }} }}
    OPTIONAL {{ GRAPH ?pg {{ ?p rdfs:label ?pl }} }}
  }} UNION {{
    {{ SELECT DISTINCT ?s ?q WHERE {{ GRAPH ?h {{ ?s ?q <{iri}> }} }}
       ORDER BY ?q ?s LIMIT {limit} }}
    OPTIONAL {{ GRAPH ?sg {{ ?s rdfs:label ?sl }} }}
    OPTIONAL {{ GRAPH ?qg {{ ?q rdfs:label ?ql }} }}
  }}
}}"""
    return sparql_prologue(base, body) + body


def _sources_query(iri: URIRef, base: str) -> str:
    body = f"""
SELECT DISTINCT ?g ?section ?label ?date WHERE {{
  GRAPH ?g {{ <{iri}> ?p ?o }}
  OPTIONAL {{ GRAPH ?pg {{ ?g prov:wasDerivedFrom ?section }}
    OPTIONAL {{ GRAPH ?dg {{ ?section dcterms:modified ?date }} }}
    OPTIONAL {{ GRAPH ?lg {{ ?section rdfs:label ?label }} }} }}
}} ORDER BY ?g ?section"""
    return sparql_prologue(base, body) + body


def describe(store: Store, iri: URIRef, base: str) -> Description:
    """The description of *iri* (possibly empty: check :attr:`Description.exists`)."""
    graph = construct(store, _description_query(iri, base, INBOUND_LIMIT + 1))
    truncated = len(set(graph.subject_predicates(iri))) > INBOUND_LIMIT
    rows = select(store, _sources_query(iri, base)) if any(graph) else []
    sources = [
        SourceRecord(
            graph=URIRef(row["g"]),
            section=URIRef(row["section"]) if "section" in row else None,
            section_label=_literal(row.get("label")),
            modified=_literal(row.get("date")),
        )
        for row in rows
    ]
    return Description(iri=iri, graph=graph, sources=sources, inbound_truncated=truncated)


def _literal(term: Identifier | None) -> Literal | None:
    return term if isinstance(term, Literal) else None


def ontology_graph(store: Store, base: str) -> Graph:
    """Every triple of the ontology's named graph (``{base}graph/ontology``)."""
    body = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{base}graph/ontology> {{ ?s ?p ?o }} }}"
    return construct(store, body)
