"""The KGX export of a release (Biolink Model 4.x): ``aatd-kg_nodes.tsv`` and ``aatd-kg_edges.tsv``.

Edges: every triple whose property has a Biolink predicate, either from :data:`PREDICATES`
(RO/GENO properties with the Biolink predicate that lists them as exact or narrow mapping)
or declared in the ontology (``aatd:p skos:exactMatch|owl:equivalentProperty|rdfs:subPropertyOf
biolink:q``). Nodes: every typed entity whose class has a Biolink category, and every edge end.
A node's category comes from its classes (the ontology's mapping of the class to Biolink, or
:data:`CLASS_CATEGORIES`), else from the range of a Biolink predicate pointing at it, else
from its identifier prefix, else ``biolink:NamedThing``. All CURIEs come from the prefix map.
An external term the data gives a label for (``sssom:object_label`` on the mapping record that
maps an entity to it) is a node too, named with that label, so the ``xref`` of an entity names
a node of the file; an external node's ``name`` is its graph label, else that recorded label.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef

from aatd_kg.exports.export_context import ExportContext
from aatd_kg.exports.metadata import KNOWLEDGE_SOURCE, STEM
from aatd_kg.exports.sssom import MAPPING_PREDICATES, best_label, recorded_object_labels
from aatd_kg.prefixes import converter

NODES_FILE = f"{STEM}_nodes.tsv"
EDGES_FILE = f"{STEM}_edges.tsv"

NODE_COLUMNS: tuple[str, ...] = ("id", "category", "name", "description", "xref", "provided_by")
EDGE_COLUMNS: tuple[str, ...] = (
    "id",
    "subject",
    "predicate",
    "object",
    "original_subject",
    "original_predicate",
    "original_object",
    "primary_knowledge_source",
    "knowledge_level",
    "agent_type",
)

#: Every statement of AATD-KG is asserted by hand-curation from its cited sources.
KNOWLEDGE_LEVEL = "knowledge_assertion"
AGENT_TYPE = "manual_agent"
DEFAULT_CATEGORY = "biolink:NamedThing"
#: Categories dropped from a node that also has a more specific one.
GENERAL_CATEGORIES = frozenset({DEFAULT_CATEGORY, "biolink:DiseaseOrPhenotypicFeature"})

#: Properties the data may use → Biolink predicate (Biolink lists each as exact or narrow
#: mapping of that predicate; checked against the Biolink model in the tests).
PREDICATES: Mapping[str, str] = {
    "RO:0003303": "biolink:causes",
    "RO:0002200": "biolink:has_phenotype",
    "RO:0002606": "biolink:treats",
    "RO:0002205": "biolink:has_gene_product",
    "RO:0002204": "biolink:gene_product_of",
    "RO:0004026": "biolink:disease_has_location",
    "RO:0002436": "biolink:directly_physically_interacts_with",
    "RO:0003307": "biolink:ameliorates_condition",
    "RO:0003309": "biolink:exacerbates_condition",
    "RO:0002326": "biolink:contributes_to",
    "RO:0002206": "biolink:expressed_in",
    "RO:0002448": "biolink:regulates",
    "GENO:0000382": "biolink:has_variant_part",
    "RO:0004019": "biolink:caused_by",
    "RO:0004020": "biolink:caused_by",
}

#: Properties read in the other direction: ``s p o`` gives the edge ``o predicate s``.
#: ``disease RO:0004003 gene`` (has material basis in germline mutation in) → ``gene causes
#: disease``, as Monarch writes causal gene-disease edges (decision 0009).
INVERSE_PREDICATES: Mapping[str, str] = {
    "RO:0004003": "biolink:causes",
}

#: Properties that give a Biolink edge only for some objects: property → (predicate, objects).
#: ``disease RO:0000053 (has characteristic) HP:0000007`` is MONDO's pattern for a mode of
#: inheritance (identifiers.md §11); the objects are the inheritance terms of identifiers.md §1.
QUALIFIED_PREDICATES: Mapping[str, tuple[str, frozenset[str]]] = {
    "RO:0000053": ("biolink:has_mode_of_inheritance", frozenset({
        "HP:0000007", "HP:0032113", "GENO:0000143", "GENO:0000148"})),
}

#: Classes the data may use → Biolink category (Biolink's exact mappings; schema.org by name).
CLASS_CATEGORIES: Mapping[str, str] = {
    "MONDO:0000001": "biolink:Disease",
    "SO:0000704": "biolink:Gene",
    "GENO:0000536": "biolink:Genotype",
    "GENO:0000141": "biolink:GeneticInheritance",
    "HP:0000005": "biolink:GeneticInheritance",
    "UBERON:0001062": "biolink:AnatomicalEntity",
    "CL:0000000": "biolink:Cell",
    "CHEBI:24431": "biolink:ChemicalEntity",
    "schema:MedicalCondition": "biolink:DiseaseOrPhenotypicFeature",
    "schema:Gene": "biolink:Gene",
    "schema:Protein": "biolink:Protein",
    "schema:Drug": "biolink:Drug",
    "schema:ScholarlyArticle": "biolink:Article",
    "schema:Organization": "biolink:Agent",
    "schema:MedicalOrganization": "biolink:Agent",
}

#: Category implied for the object of a predicate (its Biolink range), when nothing else says.
PREDICATE_RANGES: Mapping[str, str] = {
    "biolink:has_mode_of_inheritance": "biolink:GeneticInheritance",
    "biolink:has_phenotype": "biolink:PhenotypicFeature",
    "biolink:has_gene_product": "biolink:Protein",
    "biolink:disease_has_location": "biolink:AnatomicalEntity",
}

#: Category implied by an identifier's prefix, the last resort before NamedThing.
PREFIX_CATEGORIES: Mapping[str, str] = {
    "MONDO": "biolink:Disease",
    "Orphanet": "biolink:Disease",
    "DOID": "biolink:Disease",
    "HGNC": "biolink:Gene",
    "NCBIGene": "biolink:Gene",
    "ENSEMBL": "biolink:Gene",
    "UniProtKB": "biolink:Protein",
    "MAXO": "biolink:Procedure",
    "UBERON": "biolink:AnatomicalEntity",
    "CL": "biolink:Cell",
    "CHEBI": "biolink:ChemicalEntity",
    "dbSNP": "biolink:SequenceVariant",
    "ClinVar": "biolink:SequenceVariant",
    "doi": "biolink:Publication",
}

#: Ontology properties aligning a class or property of ours with a Biolink term, preferred first.
#: (``skos:relatedMatch`` is not one: negative properties use it, decision 0009.)
_ALIGNMENTS = ("skos:exactMatch", "owl:equivalentClass", "owl:equivalentProperty",
               "rdfs:subClassOf", "rdfs:subPropertyOf", "skos:closeMatch")


#: Prefix of the entity IRIs in the prefix map (``{base}``); see :meth:`_Curies.node_id`.
ENTITY_PREFIX = "AATDKG"


class KgxExportError(ValueError):
    """A node or edge cannot be written as KGX; the message names it and the fix."""


@dataclass
class Node:
    """One row of the nodes file."""

    id: str
    category: set[str] = field(default_factory=set)
    name: str = ""
    description: str = ""
    xref: set[str] = field(default_factory=set)

    def row(self) -> list[str]:
        """The TSV cells of this node, in :data:`NODE_COLUMNS` order."""
        category = (self.category - GENERAL_CATEGORIES) or self.category or {DEFAULT_CATEGORY}
        cells = [self.id, _multi(category), self.name, self.description, _multi(self.xref),
                 KNOWLEDGE_SOURCE]
        return [_clean(cell) for cell in cells]


@dataclass(frozen=True, order=True)
class Edge:
    """One row of the edges file."""

    subject: str
    predicate: str
    object: str
    original_predicate: str
    inverted: bool = False

    @property
    def id(self) -> str:
        """A stable edge id: a name-based UUID of the statement it was read from."""
        key = f"{self.subject} {self.predicate} {self.object} {self.original_predicate}"
        return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, key)}"

    def row(self) -> list[str]:
        """The TSV cells of this edge, in :data:`EDGE_COLUMNS` order."""
        original = (self.object, self.subject) if self.inverted else ("", "")
        return [self.id, self.subject, self.predicate, self.object, original[0],
                self.original_predicate, original[1], KNOWLEDGE_SOURCE, KNOWLEDGE_LEVEL,
                AGENT_TYPE]


def _multi(values: Iterable[str]) -> str:
    return "|".join(sorted(values))


def _clean(text: str) -> str:
    return " ".join(text.split())


class _Curies:
    """CURIE ↔ IRI for one base, with errors that name the offending term."""

    def __init__(self, base: str) -> None:
        self.conv = converter(base)

    def iri(self, curie: str) -> URIRef:
        return URIRef(self.conv.expand_strict(curie))

    def curie(self, iri: URIRef, what: str) -> str:
        curie = self.conv.compress(str(iri))
        if curie is None:
            raise KgxExportError(f"{what} {iri} has no prefix in the prefix map; add its "
                                 f"namespace to src/aatd_kg/prefixes.py or correct the IRI")
        return curie

    def node_id(self, iri: URIRef) -> str:
        """The KGX id of *iri*: a CURIE whose local part has no ``/`` (KGX requires it).

        An entity ``{base}disease/AATD`` is ``AATDKG.disease:AATD``; ``{base}a/b/c`` is
        ``AATDKG.a.b:c`` (the path's folders join the prefix with dots).
        """
        curie = self.curie(iri, "node")
        prefix, local = curie.split(":", 1)
        if prefix != ENTITY_PREFIX or "/" not in local:
            return curie
        folders, name = local.rsplit("/", 1)
        return f"{prefix}.{folders.replace('/', '.')}:{name}"


def _biolink_alignment(graph: Graph, term: URIRef, c: _Curies) -> str | None:
    """The Biolink term the ontology aligns *term* with (strongest alignment first), if any."""
    for curie in _ALIGNMENTS:
        found = []
        for target in graph.objects(term, c.iri(curie)):
            mapped = c.conv.compress(str(target)) if isinstance(target, URIRef) else None
            if mapped is not None and mapped.startswith("biolink:"):
                found.append(mapped)
        if found:
            return min(found)
    return None


def _inherit(graph: Graph, direct: dict[URIRef, str], parent: URIRef) -> dict[URIRef, str]:
    """*direct* plus every term below one of its keys (via *parent*) that has none of its own."""
    out = dict(direct)
    for term in set(graph.subjects(parent)) - set(direct):
        if not isinstance(term, URIRef):
            continue
        for ancestor in graph.transitiveClosure(lambda n, g: g.objects(n, parent), term):
            if ancestor in direct:
                out[term] = direct[ancestor]
                break
    return out


def predicate_map(graph: Graph, base: str) -> dict[URIRef, tuple[str, bool]]:
    """Property IRI → (Biolink predicate, inverted), from the tables and the ontology.

    A property of the ontology without an alignment of its own inherits its super-property's.
    """
    c = _Curies(base)
    direct = {c.iri(curie): (biolink, False) for curie, biolink in PREDICATES.items()}
    direct.update({c.iri(curie): (biolink, True) for curie, biolink in INVERSE_PREDICATES.items()})
    for kind in (OWL.ObjectProperty, RDF.Property):
        for prop in graph.subjects(RDF.type, kind, unique=True):
            if isinstance(prop, URIRef) and prop not in direct:
                aligned = _biolink_alignment(graph, prop, c)
                if aligned is not None:
                    direct[prop] = (aligned, False)
    return _inherit(graph, direct, RDFS.subPropertyOf)


def class_categories(graph: Graph, base: str) -> dict[URIRef, str]:
    """Class IRI → Biolink category, from the ontology's alignments and :data:`CLASS_CATEGORIES`.

    A class without an alignment of its own inherits its superclass's (``rdfs:subClassOf*``).
    """
    c = _Curies(base)
    direct = {c.iri(curie): category for curie, category in CLASS_CATEGORIES.items()}
    for cls in set(graph.subjects(RDF.type, OWL.Class)) | set(graph.subjects(RDF.type, RDFS.Class)):
        if isinstance(cls, URIRef):
            aligned = _biolink_alignment(graph, cls, c)
            if aligned is not None:
                direct[cls] = aligned
    return _inherit(graph, direct, RDFS.subClassOf)


def build(graph: Graph, base: str) -> tuple[list[Node], list[Edge]]:
    """The KGX nodes and edges of *graph* (the union of a release), sorted."""
    c = _Curies(base)
    predicates = predicate_map(graph, base)
    categories = class_categories(graph, base)
    nodes: dict[URIRef, Node] = {}

    def node(iri: URIRef) -> Node:
        if iri not in nodes:
            nodes[iri] = Node(id=c.node_id(iri))
        return nodes[iri]

    for subject, cls in graph.subject_objects(RDF.type):
        if isinstance(subject, URIRef) and cls in categories:
            node(subject).category.add(categories[cls])
    external_labels = recorded_object_labels(graph, base)
    for term in external_labels:
        node(term)

    edges: set[Edge] = set()
    for curie, (biolink, objects) in QUALIFIED_PREDICATES.items():
        for subject, obj in graph.subject_objects(c.iri(curie)):
            if isinstance(subject, URIRef) and isinstance(obj, URIRef):
                target_curie = c.conv.compress(str(obj))
                if target_curie in objects:
                    target = node(obj)
                    target.category.add(PREDICATE_RANGES.get(biolink, DEFAULT_CATEGORY))
                    edges.add(Edge(node(subject).id, biolink, target.id, curie))
    for prop, (biolink, inverted) in predicates.items():
        original = c.curie(prop, "property")
        for subject, obj in graph.subject_objects(prop):
            if not (isinstance(subject, URIRef) and isinstance(obj, URIRef)):
                continue
            if inverted:
                subject, obj = obj, subject
            source, target = node(subject), node(obj)
            if not target.category and biolink in PREDICATE_RANGES:
                target.category.add(PREDICATE_RANGES[biolink])
            edges.add(Edge(source.id, biolink, target.id, original, inverted))

    definition = c.iri("skos:definition")
    mapping_props = [c.iri(curie) for curie in MAPPING_PREDICATES]
    for iri, entry in nodes.items():
        if not entry.category:
            prefix = entry.id.split(":", 1)[0]
            entry.category.add(PREFIX_CATEGORIES.get(prefix, DEFAULT_CATEGORY))
        entry.name = best_label(graph, iri, base) or external_labels.get(iri, "")
        entry.description = next(
            (str(d) for d in sorted(graph.objects(iri, definition)) if isinstance(d, Literal)), ""
        )
        for prop in mapping_props:
            for target in graph.objects(iri, prop):
                xref = str(target) if isinstance(target, Literal) else c.conv.compress(str(target))
                if xref:
                    entry.xref.add(xref)
    return sorted(nodes.values(), key=lambda n: n.id), sorted(edges)


def _tsv(columns: tuple[str, ...], rows: Iterable[list[str]]) -> str:
    lines = ["\t".join(columns), *("\t".join(row) for row in rows)]
    return "\n".join(lines) + "\n"


def export_kgx(ctx: ExportContext) -> list[Path]:
    """Exporter: write the KGX nodes and edges files into the release directory."""
    nodes, edges = build(ctx.union, ctx.base)
    nodes_path, edges_path = ctx.out_dir / NODES_FILE, ctx.out_dir / EDGES_FILE
    nodes_path.write_text(_tsv(NODE_COLUMNS, (n.row() for n in nodes)), encoding="utf-8")
    edges_path.write_text(_tsv(EDGE_COLUMNS, (e.row() for e in edges)), encoding="utf-8")
    return [nodes_path, edges_path]
