"""Turn an entity's description (one set of triples) into what its page shows.

Links to IRIs under the data's base are rewritten to where this server answers them
(``served_base``); every other IRI is linked as it is. RDF answers are never rewritten.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from markupsafe import Markup

from aatd_kg.prefixes import converter
from aatd_kg.store.base import Term
from aatd_kg.web.describe import Description, SourceRecord, TripleSet
from aatd_kg.web.diagram import MAX_EDGES, DiagramEdge, entity_diagram

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
        self._expanded: dict[str, Term] = {}
        self._compressed: dict[str, str] = {}
        self._label_props = [self.iri(c) for c in LABEL_CURIES]
        self.rdf_type = self.iri("rdf:type")

    def iri(self, curie: str) -> Term:
        """The IRI of *curie* (from the one prefix map); cached, the map is fixed."""
        found = self._expanded.get(curie)
        if found is None:
            found = self._expanded[curie] = Term("uri", self.converter.expand(curie, strict=True))
        return found

    def href(self, iri: str) -> str | None:
        """Where *iri* resolves: on this server when under the data's base, else itself."""
        if iri.startswith(self.base_iri):
            return self.served_base + iri[len(self.base_iri) :]
        return iri if iri.startswith(_LINKABLE_SCHEMES) else None

    def curie(self, iri: str) -> str:
        """*iri* as a CURIE when a prefix fits (not the bare entity prefix), else the IRI."""
        found = self._compressed.get(iri)
        if found is None:
            if iri.startswith(self.base_iri) and not iri.startswith(self._vocab):
                found = iri[len(self.base_iri) :]
            else:
                found = self.converter.compress(iri, strict=False) or iri
            if len(self._compressed) < 100_000:
                self._compressed[iri] = found
        return found

    def label(self, triples: TripleSet, node: Term) -> str | None:
        """The best label of *node* in *triples* (English or untagged first)."""
        for prop in self._label_props:
            found = best_literal(triples.objects(node, prop))
            if found is not None:
                return found.value
        return None

    def link(self, triples: TripleSet, iri: Term) -> Link:
        """A link to *iri* showing its label, or its CURIE when it has none."""
        return Link(
            text=self.label(triples, iri) or self.curie(iri.value),
            href=self.href(iri.value),
            iri=iri.value,
        )

    def curie_link(self, iri: Term) -> Link:
        """A link to *iri* showing its CURIE."""
        return Link(text=self.curie(iri.value), href=self.href(iri.value), iri=iri.value)

    def value(self, triples: TripleSet, node: Term) -> Value:
        """How one object is shown."""
        if node.kind == "uri":
            return Value(link=self.link(triples, node))
        if node.kind == "literal":
            if node.lang:
                note = f"@{node.lang}"
            elif node.datatype and not node.datatype.endswith("#string"):
                note = self.curie(node.datatype)
            else:
                note = ""
            return Value(text=node.value, note=note)
        return Value(text=node.value)

    def texts(self, triples: TripleSet, node: Term, curies: Iterable[str]) -> list[str]:
        """Literal values of *node* through each property of *curies*, in that order."""
        return [
            value.value
            for curie in curies
            for value in triples.objects(node, self.iri(curie))
            if value.kind == "literal"
        ]


def best_literal(values: Iterable[Term]) -> Term | None:
    """The English or untagged literal first (then by text), or None."""
    literals = [v for v in values if v.kind == "literal"]
    literals.sort(key=lambda lit: (lit.lang not in (None, "en"), lit.value))
    return literals[0] if literals else None


def _rows(linker: Linker, triples: TripleSet, pairs: list[tuple[Term, Term]]) -> list[PropertyRow]:
    grouped: dict[Term, list[Term]] = {}
    for prop, node in pairs:
        grouped.setdefault(prop, []).append(node)
    rows = []
    for prop in sorted(grouped, key=lambda p: linker.curie(p.value)):
        nodes = sorted(
            grouped[prop], key=lambda n: (linker.label(triples, n) or n.value).lower()
        )
        values = [linker.value(triples, node) for node in nodes]
        rows.append(
            PropertyRow(
                prop=linker.curie_link(prop), values=values, label=linker.label(triples, prop)
            )
        )
    return rows


def _matches(linker: Linker, triples: TripleSet, iri: Term) -> list[tuple[Link, Link]]:
    found = []
    for curie in MATCH_CURIES:
        prop = linker.iri(curie)
        for obj in sorted(triples.objects(iri, prop), key=lambda t: t.value):
            target = obj.value if obj.kind == "uri" else _expand_xref(linker, obj)
            if target is None:
                continue
            shown = linker.converter.compress(target, strict=False) or target
            found.append((linker.curie_link(prop), Link(shown, linker.href(target), target)))
    return found


def _expand_xref(linker: Linker, value: Term) -> str | None:
    # oboInOwl:hasDbXref values are CURIE strings; link them when the prefix map knows them.
    return linker.converter.expand(value.value, strict=False)


def _diagram(linker: Linker, triples: TripleSet, iri: Term, label: str) -> Markup:
    edges: list[DiagramEdge] = []
    type_edges: list[DiagramEdge] = []
    outgoing = sorted(triples.predicate_objects(iri), key=lambda po: (po[0].value, po[1].value))
    for prop, obj in outgoing:
        if obj.kind == "uri":
            edge = DiagramEdge(
                linker.curie(prop.value), linker.label(triples, obj) or linker.curie(obj.value),
                linker.href(obj.value), outgoing=True,
            )
            (type_edges if prop == linker.rdf_type else edges).append(edge)
    incoming = sorted(triples.subject_predicates(iri), key=lambda sp: (sp[1].value, sp[0].value))
    for subj, prop in incoming:
        if subj.kind == "uri" and subj != iri:
            edges.append(
                DiagramEdge(
                    linker.curie(prop.value),
                    linker.label(triples, subj) or linker.curie(subj.value),
                    linker.href(subj.value), outgoing=False,
                )
            )
    outgoing_edges = [e for e in edges if e.outgoing]
    incoming_edges = [e for e in edges if not e.outgoing]
    # Both directions get room: links out first, then links in, then the rest and the types.
    half = MAX_EDGES // 2
    first = outgoing_edges[:half] + incoming_edges[:half]
    first += (outgoing_edges[half:] + incoming_edges[half:])[: MAX_EDGES - len(first)]
    rest = [e for e in edges if e not in first]
    return entity_diagram(label, first + type_edges + rest)


def _source(
    linker: Linker, triples: TripleSet, record: SourceRecord
) -> dict[str, str | Link | None]:
    section: Link | None = None
    if record.section is not None:
        text = record.section_label.value if record.section_label else None
        section = Link(
            text=text or linker.curie(record.section.value),
            href=linker.href(record.section.value),
            iri=record.section.value,
        )
    return {
        "graph": linker.link(triples, record.graph),
        "section": section,
        "modified": record.modified.value if record.modified else None,
    }


def entity_page(linker: Linker, description: Description) -> EntityPage:
    """The facts an entity page shows, all read from *description*."""
    triples, iri = description.triples, description.iri
    label = linker.label(triples, iri) or linker.curie(iri.value)
    outgoing = [(p, o) for p, o in triples.predicate_objects(iri) if p.kind == "uri"]
    incoming = [(p, s) for s, p in triples.subject_predicates(iri) if p.kind == "uri"]
    types = sorted(
        (t for t in triples.objects(iri, linker.rdf_type) if t.kind == "uri"),
        key=lambda t: linker.curie(t.value),
    )
    return EntityPage(
        iri=iri.value,
        label=label,
        types=[linker.curie_link(t) for t in types],
        definitions=linker.texts(triples, iri, DEFINITION_CURIES),
        properties=_rows(linker, triples, outgoing),
        inverse=_rows(linker, triples, incoming),
        matches=_matches(linker, triples, iri),
        sources=[_source(linker, triples, record) for record in description.sources],
        diagram=_diagram(linker, triples, iri, label),
        inbound_truncated=description.inbound_truncated,
    )
