"""The landing page (``/``) and the ontology as a whole (``/vocab``).

The landing page says what the graph is (the ontology header, else the VoID title), the
release's version, date and triple count, and links to the endpoint, the downloads, the VoID
description, the API docs and the main entities. The store serves one release for the
server's lifetime, so what the page reads is computed once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from aatd_kg.prefixes import VOCAB_PATH, sparql_prologue
from aatd_kg.settings import Settings
from aatd_kg.store.base import Store, Term
from aatd_kg.web.describe import TripleSet, construct, read_triples, select
from aatd_kg.web.entity_view import DEFINITION_CURIES, Link, Linker
from aatd_kg.web.release_info import VOID_FILE, ReleaseInfo

#: Kinds of entity (decision 0001) listed on the landing page, in this order.
MAIN_KINDS = ("disease", "gene", "protein", "therapy")
#: Entities listed per kind at most (labelled ones: the query scans labels, not every triple).
PER_KIND = 25

_TERM_KINDS = (
    ("Classes", "owl:Class"),
    ("Object properties", "owl:ObjectProperty"),
    ("Datatype properties", "owl:DatatypeProperty"),
    ("Annotation properties", "owl:AnnotationProperty"),
)


@dataclass
class Overview:
    """What the landing page shows."""

    title: str
    description: str | None
    version: str | None
    date: str | None
    triples: int
    entities: dict[str, list[Link]] = field(default_factory=dict)


def ontology_iri(settings: Settings) -> Term:
    """The ontology's IRI, ``{base}vocab``."""
    return Term("uri", settings.base_iri + VOCAB_PATH.rstrip("/"))


class Pages:
    """Data of the landing and vocabulary pages, read once from the store."""

    def __init__(self, settings: Settings, store: Store, release: ReleaseInfo | None) -> None:
        self.settings = settings
        self.store = store
        self.release = release
        self.linker = Linker(settings.base_iri, settings.served_base)

    @cached_property
    def ontology(self) -> TripleSet:
        """Every triple of the ontology's named graph."""
        graph_iri = f"{self.settings.base_iri}graph/ontology"
        return construct(
            self.store, f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph_iri}> {{ ?s ?p ?o }} }}"
        )

    @cached_property
    def version_paths(self) -> frozenset[str]:
        """Paths (under the base) of the ontology's ``owl:versionIRI``: they serve the ontology."""
        base = self.settings.base_iri
        version_iri = self.linker.iri("owl:versionIRI")
        versions = self.ontology.objects(ontology_iri(self.settings), version_iri)
        return frozenset(
            v.value[len(base) :] for v in versions if v.kind == "uri" and v.value.startswith(base)
        )

    def _void_header(self) -> tuple[str | None, str | None]:
        """Title and description of the release's top VoID/DCAT dataset, when it has them."""
        path = self.release.path(VOID_FILE) if self.release else None
        if path is None:
            return None, None
        void = read_triples(path)
        datasets = {
            d for kind in ("void:Dataset", "dcat:Dataset")
            for d in void.subjects(self.linker.rdf_type, self.linker.iri(kind))
        }
        subsets = {o for _, p, o in void if p == self.linker.iri("void:subset")}
        for dataset in sorted(datasets - subsets, key=lambda t: t.value):
            title = self.linker.label(void, dataset)
            if title:
                descriptions = self.linker.texts(void, dataset, DEFINITION_CURIES)
                return title, descriptions[0] if descriptions else None
        return None, None

    def _header(self) -> tuple[str | None, str | None]:
        iri = ontology_iri(self.settings)
        descriptions = self.linker.texts(self.ontology, iri, DEFINITION_CURIES)
        return self.linker.label(self.ontology, iri), descriptions[0] if descriptions else None

    def _entities(self, kind: str) -> list[Link]:
        prefix = f"{self.settings.base_iri}{kind}/"
        body = f"""
SELECT ?s (SAMPLE(?l) AS ?label) WHERE {{
  GRAPH ?g {{ ?s rdfs:label ?l }}
  FILTER(ISIRI(?s) && STRSTARTS(STR(?s), "{prefix}"))
}} GROUP BY ?s ORDER BY LCASE(STR(?label)) ?s LIMIT {PER_KIND}"""
        rows = select(self.store, sparql_prologue(self.settings.base_iri, body) + body)
        return [
            Link(
                text=row["label"].value if "label" in row else row["s"].value[len(prefix) :],
                href=self.linker.href(row["s"].value),
                iri=row["s"].value,
            )
            for row in rows
        ]

    @cached_property
    def overview(self) -> Overview:
        """The landing page's facts."""
        title, description = self._void_header()
        ontology_title, ontology_description = self._header()
        title, description = title or ontology_title, description or ontology_description
        release = self.release
        return Overview(
            title=title or "AATD-KG",
            description=description,
            version=release.version if release else getattr(self.store, "version", None),
            date=release.date if release else None,
            triples=int(
                getattr(self.store, "triple_count", 0) or (release.triples if release else 0) or 0
            ),
            entities={kind: self._entities(kind) for kind in MAIN_KINDS},
        )

    @cached_property
    def vocabulary(self) -> dict[str, list[tuple[Link, str | None]]]:
        """Terms of the ontology by kind: (link, definition) sorted by label."""
        triples = self.ontology
        out: dict[str, list[tuple[Link, str | None]]] = {}
        for title, owl_type in _TERM_KINDS:
            terms = triples.subjects(self.linker.rdf_type, self.linker.iri(owl_type))
            rows = []
            for term in (t for t in terms if t.kind == "uri"):
                definitions = self.linker.texts(triples, term, DEFINITION_CURIES)
                rows.append(
                    (self.linker.link(triples, term), definitions[0] if definitions else None)
                )
            rows.sort(key=lambda r: r[0].text.lower())
            if rows:
                out[title] = rows
        return out

    def ontology_label(self) -> str:
        """The ontology's label, for the vocabulary page's heading."""
        iri = ontology_iri(self.settings)
        return self.linker.label(self.ontology, iri) or iri.value

    def ontology_comment(self) -> str | None:
        """The ontology's description, if it has one."""
        return self._header()[1]

