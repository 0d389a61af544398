"""The published JSON-LD context of AATD-KG: the prefix map plus readable term names.

Published with every release as ``context.jsonld`` and at ``{base}context.jsonld``; the JSON-LD
dump and entity JSON-LD use it, so a JSON developer reads ``label``, ``exactMatch``, ``causes``
… and the document is still valid RDF.

Every term is written as a CURIE of the one prefix map (:mod:`aatd_kg.prefixes`); no namespace
is spelled out here. A term lists the properties it may stand for, most preferred first; given
the release graph, :func:`jsonld_context` picks the one the data actually uses and adds every
property the AATD-KG vocabulary declares, under its own local name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from rdflib import OWL, RDF, Graph, Literal, URIRef

from aatd_kg.prefixes import converter, jsonld_prefixes, prefix_map, vocab

#: Characters after which JSON-LD 1.1 lets a plain string term act as a prefix.
_GEN_DELIMS = (":", "/", "?", "#", "[", "]", "@")

#: Value kinds of a term: an IRI (``@id``), a typed literal (a CURIE of a datatype) or a plain
#: literal (``None``).
ID = "@id"


@dataclass(frozen=True)
class Term:
    """A readable JSON key: the properties (CURIEs) it may stand for and the type of its values."""

    candidates: tuple[str, ...]
    value_type: str | None = None


#: Readable key → term. Order of candidates: preferred first.
TERMS: Mapping[str, Term] = {
    # Labels and documentation
    "label": Term(("rdfs:label",)),
    "prefLabel": Term(("skos:prefLabel",)),
    "altLabel": Term(("skos:altLabel", "oboInOwl:hasExactSynonym")),
    "definition": Term(("skos:definition", "IAO:0000115")),
    "comment": Term(("rdfs:comment",)),
    "notation": Term(("skos:notation",)),
    "broader": Term(("skos:broader",), ID),
    "seeAlso": Term(("rdfs:seeAlso",), ID),
    "subClassOf": Term(("rdfs:subClassOf",), ID),
    # Mappings
    "exactMatch": Term(("skos:exactMatch",), ID),
    "closeMatch": Term(("skos:closeMatch",), ID),
    "broadMatch": Term(("skos:broadMatch",), ID),
    "narrowMatch": Term(("skos:narrowMatch",), ID),
    "relatedMatch": Term(("skos:relatedMatch",), ID),
    "dbXref": Term(("oboInOwl:hasDbXref",)),
    "sameAs": Term(("owl:sameAs",), ID),
    # Biology and medicine
    "causes": Term(("RO:0003303", "aatd:causes"), ID),
    "hasMaterialBasisIn": Term(("RO:0004003",), ID),
    "hasPhenotype": Term(("RO:0002200", "aatd:hasPhenotype"), ID),
    "treats": Term(("RO:0002606", "aatd:treats"), ID),
    "hasGeneProduct": Term(("RO:0002205", "aatd:hasGeneProduct"), ID),
    "geneProductOf": Term(("RO:0002204",), ID),
    "hasModeOfInheritance": Term(("aatd:hasModeOfInheritance", "RO:0000053"), ID),
    "hasLocation": Term(("RO:0004026",), ID),
    "negativelyRegulates": Term(("RO:0002449",), ID),
    "hasAllele": Term(("GENO:0000413",), ID),
    "isAlleleOf": Term(("GENO:0000408",), ID),
    "hasZygosity": Term(("GENO:0000608",), ID),
    "hasGenotype": Term(("GENO:0000222",), ID),
    "contraindication": Term(("schema:contraindication", "aatd:contraindication"), ID),
    "relevantSpecialty": Term(("schema:relevantSpecialty",), ID),
    # Organisations and contact details
    "name": Term(("schema:name",)),
    "alternateName": Term(("schema:alternateName",)),
    "url": Term(("schema:url",), ID),
    "email": Term(("schema:email",)),
    "telephone": Term(("schema:telephone",)),
    "faxNumber": Term(("schema:faxNumber",)),
    "address": Term(("schema:address",), ID),
    "streetAddress": Term(("schema:streetAddress",)),
    "addressLocality": Term(("schema:addressLocality",)),
    "addressRegion": Term(("schema:addressRegion",)),
    "postalCode": Term(("schema:postalCode",)),
    "addressCountry": Term(("schema:addressCountry",)),
    # Provenance, versions and retirement
    "source": Term(("dcterms:source",), ID),
    "wasDerivedFrom": Term(("prov:wasDerivedFrom",), ID),
    "title": Term(("dcterms:title",)),
    "description": Term(("schema:description", "dcterms:description")),
    "identifier": Term(("dcterms:identifier",)),
    "license": Term(("dcterms:license",), ID),
    "hasPart": Term(("dcterms:hasPart", "schema:hasPart"), ID),
    "isPartOf": Term(("dcterms:isPartOf", "schema:isPartOf"), ID),
    "publisher": Term(("dcterms:publisher", "schema:publisher"), ID),
    "creator": Term(("dcterms:creator",)),
    "language": Term(("dcterms:language",)),
    "modified": Term(("dcterms:modified",), "xsd:date"),
    "issued": Term(("dcterms:issued",), "xsd:date"),
    "versionIRI": Term(("owl:versionIRI",), ID),
    "deprecated": Term(("owl:deprecated",), "xsd:boolean"),
    "isReplacedBy": Term(("dcterms:isReplacedBy",), ID),
}

#: Vocabularies whose properties, when the data uses them, get a term named by their local name.
AUTO_PREFIXES: tuple[str, ...] = ("schema",)

#: JSON-LD keyword aliases.
KEYWORD_ALIASES: Mapping[str, str] = {"id": "@id", "type": "@type"}


def _prefix_definitions(base: str) -> dict[str, Any]:
    """The prefix map as JSON-LD term definitions usable as prefixes in JSON-LD 1.1.

    A namespace that does not end in a gen-delim (``…/MONDO_``) needs ``"@prefix": true``,
    otherwise a JSON-LD 1.1 processor will not expand ``MONDO:0013282``.
    """
    out: dict[str, Any] = {}
    for prefix, namespace in jsonld_prefixes(base).items():
        if namespace.endswith(_GEN_DELIMS):
            out[prefix] = namespace
        else:
            out[prefix] = {"@id": namespace, "@prefix": True}
    return out


def _used_properties(graph: Graph) -> set[str]:
    return {str(p) for p in graph.predicates(unique=True)}


def choose_property(term: Term, used: set[str] | None, base: str) -> str:
    """The CURIE *term* stands for: the first candidate *used* holds, else the first one."""
    if used is not None:
        expand = converter(base).expand
        for curie in term.candidates:
            if expand(curie) in used:
                return curie
    return term.candidates[0]


def _term_definition(curie: str, value_type: str | None) -> str | dict[str, str]:
    if value_type is None:
        return curie
    return {"@id": curie, "@type": value_type}


def _literal_type(graph: Graph, prop: URIRef, base: str) -> str | None:
    """The datatype CURIE every literal value of *prop* in *graph* has, if there is one."""
    datatypes = {o.datatype for o in graph.objects(None, prop) if isinstance(o, Literal)}
    if len(datatypes) != 1 or None in datatypes:
        return None
    return converter(base).compress(str(datatypes.pop()))


def _value_type(graph: Graph, prop: URIRef, base: str) -> str | None:
    """``@id`` when every value of *prop* is an IRI, else the literals' one datatype, if any."""
    values = list(graph.objects(None, prop))
    if values and all(isinstance(v, URIRef) for v in values):
        return ID
    return _literal_type(graph, prop, base)


def vocabulary_terms(graph: Graph, base: str) -> dict[str, str | dict[str, str]]:
    """A term for every property the AATD-KG vocabulary declares in *graph*, by local name."""
    aatd = str(vocab(base))
    out: dict[str, str | dict[str, str]] = {}
    for kind in (OWL.ObjectProperty, OWL.DatatypeProperty):
        for prop in sorted(graph.subjects(RDF.type, kind, unique=True)):
            if isinstance(prop, URIRef) and str(prop).startswith(aatd):
                local = str(prop)[len(aatd) :]
                if local in prefix_map(base):  # a term must not shadow a prefix
                    continue
                value_type = ID if kind == OWL.ObjectProperty else _literal_type(graph, prop, base)
                out[local] = _term_definition(f"aatd:{local}", value_type)
    return out


def used_terms(
    graph: Graph, base: str, prefixes: tuple[str, ...] = AUTO_PREFIXES
) -> dict[str, Any]:
    """A term for every property of *prefixes* the data uses, by local name (first prefix wins)."""
    conv = converter(base)
    prefixes_of_map = prefix_map(base)  # a term must not shadow a prefix
    out: dict[str, Any] = {}
    for prefix in prefixes:
        for prop in sorted(set(graph.predicates())):
            curie = conv.compress(str(prop)) if isinstance(prop, URIRef) else None
            if curie is None or curie.split(":", 1)[0] != prefix:
                continue
            local = curie.split(":", 1)[1]
            if local.isidentifier() and local not in out and local not in prefixes_of_map:
                out[local] = _term_definition(curie, _value_type(graph, prop, base))
    return out


def jsonld_context(base: str, graph: Graph | None = None) -> dict[str, Any]:
    """The ``@context`` object of AATD-KG for *base*.

    Without *graph* every term takes its preferred property. With the release *graph* (the
    union of ontology and data), each term takes the property the data uses, terms whose
    properties the data does not use are left out, and the vocabulary's own properties and the
    schema.org properties the data uses are added under their local names. On a name clash a
    term of :data:`TERMS` wins over the vocabulary's, which wins over schema.org's.
    """
    used = None if graph is None else _used_properties(graph)
    context: dict[str, Any] = {"@version": 1.1}
    context.update(_prefix_definitions(base))
    if graph is not None:
        context.update(used_terms(graph, base))
        context.update(vocabulary_terms(graph, base))
    expand = converter(base).expand
    for key, term in TERMS.items():
        curie = choose_property(term, used, base)
        if used is not None and expand(curie) not in used:
            continue
        context[key] = _term_definition(curie, term.value_type)
    context.update(KEYWORD_ALIASES)
    return context


def context_document(base: str, graph: Graph | None = None) -> dict[str, Any]:
    """The published ``context.jsonld`` document: ``{"@context": …}``."""
    return {"@context": jsonld_context(base, graph)}


def compact_jsonld(expanded: bytes, context: Mapping[str, Any]) -> bytes:
    """Expanded JSON-LD (as pyoxigraph writes it) compacted with *context* (the ``@context``
    object of the published context document), so entity answers read like the dump."""
    graph = Graph().parse(data=expanded, format="json-ld")
    text = graph.serialize(format="json-ld", context=dict(context), auto_compact=True)
    return text.encode("utf-8")
