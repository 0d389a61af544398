"""schema.org (Bioschemas) JSON-LD for an entity page, for search engines.

The type comes from the entity's kind (the first path segment of its IRI, see decision 0001),
or from an ``rdf:type`` already in the schema.org namespace. The context is inline (``@vocab``)
so the block is a complete JSON-LD document that needs no network to read.
"""

from __future__ import annotations

from typing import Any

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
    for rdf_type in description.triples.objects(description.iri, linker.rdf_type):
        if rdf_type.kind == "uri" and rdf_type.value.startswith(schema_ns):
            return rdf_type.value[len(schema_ns) :]
    iri = description.iri.value
    path = iri[len(linker.base_iri) :] if iri.startswith(linker.base_iri) else ""
    return KIND_TYPES.get(path.split("/", 1)[0], "Thing")


def schema_org_jsonld(linker: Linker, description: Description, page_url: str) -> dict[str, Any]:
    """A schema.org JSON-LD object describing the entity of *description*."""
    triples, iri = description.triples, description.iri
    doc: dict[str, Any] = {
        "@context": {"@vocab": linker.converter.expand("schema:")},
        "@id": iri.value,
        "@type": _schema_type(linker, description),
        "url": page_url,
        "identifier": iri.value,
    }
    label = linker.label(triples, iri)
    if label:
        doc["name"] = label
    definitions = linker.texts(triples, iri, DEFINITION_CURIES)
    if definitions:
        doc["description"] = definitions[0]
    alt = sorted(linker.texts(triples, iri, ("skos:altLabel",)))
    if alt:
        doc["alternateName"] = alt
    same = sorted(
        {o.value for o in triples.objects(iri, linker.iri("skos:exactMatch")) if o.kind == "uri"}
    )
    if same:
        doc["sameAs"] = same
    return doc
