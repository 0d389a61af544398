"""schema.org (Bioschemas) JSON-LD for an entity page, for search engines.

The type comes from the entity's kind (the first path segment of its IRI, see decision 0001),
or from an ``rdf:type`` already in the schema.org namespace. The context is inline (``@vocab``)
so the block is a complete JSON-LD document that needs no network to read.
"""

from __future__ import annotations

from typing import Any

from rdflib import RDF, Literal, URIRef

from aatd_kg.web.describe import Description
from aatd_kg.web.entity_view import DEFINITION_CURIES, Linker

#: Entity kind (decision 0001) → schema.org type; Gene and Protein are Bioschemas profiles.
KIND_TYPES: dict[str, str] = {
    "disease": "MedicalCondition",
    "condition": "MedicalCondition",
    "phenotype": "MedicalSignOrSymptom",
    "gene": "Gene",
    "protein": "Protein",
    "test": "MedicalTest",
    "therapy": "MedicalTherapy",
    "recommendation": "MedicalGuidelineRecommendation",
    "org": "Organization",
    "article": "ScholarlyArticle",
    "source": "WebPage",
    "vocab": "DefinedTerm",
}


def _schema_type(linker: Linker, description: Description) -> str:
    schema_ns = linker.converter.expand("schema:")
    for rdf_type in description.graph.objects(description.iri, RDF.type):
        if isinstance(rdf_type, URIRef) and rdf_type.startswith(schema_ns):
            return rdf_type[len(schema_ns) :]
    path = description.iri[len(linker.base_iri) :] if description.iri.startswith(
        linker.base_iri
    ) else ""
    kind = path.split("/", 1)[0]
    return KIND_TYPES.get(kind, "Thing")


def schema_org_jsonld(linker: Linker, description: Description, page_url: str) -> dict[str, Any]:
    """A schema.org JSON-LD object describing the entity of *description*."""
    graph, iri = description.graph, description.iri
    doc: dict[str, Any] = {
        "@context": {"@vocab": linker.converter.expand("schema:")},
        "@id": str(iri),
        "@type": _schema_type(linker, description),
        "url": page_url,
        "identifier": str(iri),
    }
    label = linker.label(graph, iri)
    if label:
        doc["name"] = label
    for curie in DEFINITION_CURIES:
        values = graph.objects(iri, linker.iri(curie))
        text = next((v for v in values if isinstance(v, Literal)), None)
        if text is not None:
            doc["description"] = str(text)
            break
    alt = sorted(str(v) for v in graph.objects(iri, linker.iri("skos:altLabel")))
    if alt:
        doc["alternateName"] = alt
    same = sorted(
        {str(o) for o in graph.objects(iri, linker.iri("skos:exactMatch")) if isinstance(o, URIRef)}
    )
    if same:
        doc["sameAs"] = same
    return doc
