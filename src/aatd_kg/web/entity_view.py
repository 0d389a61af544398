"""Turn an entity's description (one RDF graph) into what its page shows.

Links to IRIs under the data's base are rewritten to where this server answers them
(``served_base``); every other IRI is linked as it is. RDF answers are never rewritten.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.term import Node

from aatd_kg.prefixes import converter
from aatd_kg.web.describe import Description
from aatd_kg.web.diagram import DiagramEdge, entity_diagram

#: Properties whose values name the node (first found wins, English or untagged first).
LABEL_CURIES = ("rdfs:label", "skos:prefLabel", "schema:name", "dcterms:title", "foaf:name")
#: Properties whose values define or describe the node.
DEFINITION_CURIES = (
    "skos:definition", "IAO:0000115", "dcterms:description", "schema:description", "rdfs:comment",
)
#: Properties that link to the same or a similar thing in another resource.
MATCH_CURIES = (
    "skos:exactMatch", "skos:closeMatch", "skos:broadMatch", "skos:narrowMatch",
    "skos:relatedMatch", "owl:sameAs", "owl:equivalentClass", "oboInOwl:hasDbXref",
)
_LINKABLE_SCHEMES = ("http://", "https://", "mailto:", "ftp://")


@dataclass(frozen=True)
class Link:
    """A link as shown: visible text, target, and the full IRI as a tooltip."""

    text: str
    href: str | None
    iri: str


@dataclass(frozen=True)
class Value:
    """One object of a property: a link or a literal (with its language or datatype)."""

    link: Link | None = None
    text: str = ""
    note: str = ""


@dataclass(frozen=True)
class PropertyRow:
    """A property and all its values, for one direction."""

    prop: Link
    values: list[Value]
    label: str | None = None


@dataclass
class EntityPage:
    """All the facts of an entity page."""

    iri: str
    label: str
    types: list[Link]
    definitions: list[str]
    properties: list[PropertyRow]
    inverse: list[PropertyRow]
    matches: list[tuple[Link, Link]]
    sources: list[dict[str, str | Link | None]]
    diagram: Markup
    inbound_truncated: bool
    alternates: list[tuple[str, str, str]] = field(default_factory=list)


class Linker:
    """Labels, CURIEs and hrefs for IRIs, for one data base and one served base."""

    def __init__(self, base_iri: str, served_base: str) -> None:
        self.base_iri = base_iri
        self.served_base = served_base
        self.converter = converter(base_iri)
        self._vocab = self.converter.expand("aatd:", strict=True)
        self._expanded: dict[str, URIRef] = {}
        self._compressed: dict[str, str] = {}
        self._label_props = [self.iri(c) for c in LABEL_CURIES]

    def iri(self, curie: str) -> URIRef:
        """The IRI of *curie* (from the one prefix map); cached, the map is fixed."""
        found = self._expanded.get(curie)
        if found is None:
            found = self._expanded[curie] = URIRef(self.converter.expand(curie, strict=True))
        return found

    def href(self, iri: str) -> str | None:
        """Where *iri* resolves: on this server when under the data's base, else itself."""
        iri = str(iri)  # rdflib's URIRef.startswith does not take a tuple
        if iri.startswith(self.base_iri):
            return self.served_base + iri[len(self.base_iri) :]
        return iri if iri.startswith(_LINKABLE_SCHEMES) else None

    def curie(self, iri: str) -> str:
        """*iri* as a CURIE when a prefix fits (not the bare entity prefix), else the IRI."""
        iri = str(iri)
        found = self._compressed.get(iri)
        if found is None:
            if iri.startswith(self.base_iri) and not iri.startswith(self._vocab):
                found = iri[len(self.base_iri) :]
            else:
                found = self.converter.compress(iri, strict=False) or iri
            if len(self._compressed) < 100_000:
                self._compressed[iri] = found
        return found

    def label(self, graph: Graph, node: Node) -> str | None:
        """The best label of *node* in *graph* (English or untagged first)."""
        for prop in self._label_props:
            found = _best_literal(graph.objects(node, prop))
            if found is not None:
                return str(found)
        return None

    def link(self, graph: Graph, iri: URIRef) -> Link:
        """A link to *iri* showing its label, or its CURIE when it has none."""
        return Link(text=self.label(graph, iri) or self.curie(iri), href=self.href(iri), iri=iri)

    def value(self, graph: Graph, node: Node) -> Value:
        """How one object is shown."""
        if isinstance(node, URIRef):
            return Value(link=self.link(graph, node))
        if isinstance(node, Literal):
            if node.language:
                note = f"@{node.language}"
            elif node.datatype:
                note = self.curie(node.datatype)
            else:
                note = ""
            return Value(text=str(node), note=note)
        return Value(text=str(node))


def _best_literal(values: object) -> Literal | None:
    literals = [v for v in values if isinstance(v, Literal)]  # type: ignore[attr-defined]
    literals.sort(key=lambda lit: (lit.language not in (None, "en"), str(lit)))
    return literals[0] if literals else None


def _rows(linker: Linker, graph: Graph, pairs: list[tuple[URIRef, Node]]) -> list[PropertyRow]:
    grouped: dict[URIRef, list[Node]] = {}
    for prop, node in pairs:
        grouped.setdefault(prop, []).append(node)
    rows = []
    for prop in sorted(grouped, key=lambda p: linker.curie(p)):
        nodes = sorted(grouped[prop], key=lambda n: (linker.label(graph, n) or str(n)).lower())
        values = [linker.value(graph, node) for node in nodes]
        link = Link(text=linker.curie(prop), href=linker.href(prop), iri=prop)
        rows.append(PropertyRow(prop=link, values=values, label=linker.label(graph, prop)))
    return rows


def _curie_link(linker: Linker, iri: URIRef) -> Link:
    """A link showing the CURIE of *iri*."""
    return Link(text=linker.curie(iri), href=linker.href(iri), iri=iri)


def _matches(linker: Linker, graph: Graph, iri: URIRef) -> list[tuple[Link, Link]]:
    found = []
    for curie in MATCH_CURIES:
        prop = linker.iri(curie)
        for obj in sorted(graph.objects(iri, prop), key=str):
            target = URIRef(obj) if isinstance(obj, URIRef) else _expand_xref(linker, obj)
            if target is None:
                continue
            shown = linker.converter.compress(target, strict=False) or str(target)
            found.append(
                (Link(curie, linker.href(prop), prop), Link(shown, linker.href(target), target))
            )
    return found


def _expand_xref(linker: Linker, value: Node) -> URIRef | None:
    # oboInOwl:hasDbXref values are CURIE strings; link them when the prefix map knows them.
    expanded = linker.converter.expand(str(value), strict=False)
    return URIRef(expanded) if expanded else None


def _diagram(linker: Linker, graph: Graph, iri: URIRef, label: str) -> Markup:
    edges: list[DiagramEdge] = []
    type_edges: list[DiagramEdge] = []
    for prop, obj in sorted(graph.predicate_objects(iri), key=lambda po: (str(po[0]), str(po[1]))):
        if isinstance(obj, URIRef):
            edge = DiagramEdge(
                linker.curie(prop), linker.label(graph, obj) or linker.curie(obj),
                linker.href(obj), outgoing=True,
            )
            (type_edges if prop == RDF.type else edges).append(edge)
    incoming = sorted(graph.subject_predicates(iri), key=lambda sp: (str(sp[1]), str(sp[0])))
    for subj, prop in incoming:
        if isinstance(subj, URIRef) and subj != iri:
            edges.append(
                DiagramEdge(
                    linker.curie(prop), linker.label(graph, subj) or linker.curie(subj),
                    linker.href(subj), outgoing=False,
                )
            )
    return entity_diagram(label, edges + type_edges)


def entity_page(linker: Linker, description: Description) -> EntityPage:
    """The facts an entity page shows, all read from *description*."""
    graph, iri = description.graph, description.iri
    label = linker.label(graph, iri) or linker.curie(iri)
    definitions: list[str] = []
    for curie in DEFINITION_CURIES:
        definitions.extend(
            str(v) for v in graph.objects(iri, linker.iri(curie)) if isinstance(v, Literal)
        )
    outgoing = [(p, o) for p, o in graph.predicate_objects(iri) if isinstance(p, URIRef)]
    incoming = [(p, s) for s, p in graph.subject_predicates(iri) if isinstance(p, URIRef)]
    sources = [
        {
            "graph": linker.link(graph, record.graph),
            "section": Link(
                text=str(record.section_label or linker.curie(record.section)),
                href=linker.href(record.section), iri=record.section,
            ) if record.section else None,
            "section_label": str(record.section_label) if record.section_label else None,
            "modified": str(record.modified) if record.modified else None,
        }
        for record in description.sources
    ]
    return EntityPage(
        iri=str(iri),
        label=label,
        types=[_curie_link(linker, t) for t in sorted(graph.objects(iri, RDF.type), key=str)
               if isinstance(t, URIRef)],
        definitions=definitions,
        properties=_rows(linker, graph, outgoing),
        inverse=_rows(linker, graph, incoming),
        matches=_matches(linker, graph, iri),
        sources=sources,
        diagram=_diagram(linker, graph, iri, label),
        inbound_truncated=description.inbound_truncated,
    )
