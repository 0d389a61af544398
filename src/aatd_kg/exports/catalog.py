"""DCAT catalogue of a release, compatible with the FAIR Data Point model (decision 0009).

Describes, with IRIs only (no blank nodes):

- ``{base}fdp``: the FAIR Data Point (``fdp:FAIRDataPoint``) listing the catalogue;
- ``{base}catalog``: the ``dcat:Catalog`` of the dataset and the SPARQL service;
- ``{base}dataset`` (the IRI VoID uses): the ``dcat:Dataset``, its version, issue date,
  licence (CC0), publisher, landing page, themes (the disease, as MONDO and Orphanet IRIs);
- ``{base}release/{version}/distribution/{file}``: one ``dcat:Distribution`` per release
  file, with ``dcat:downloadURL {base}downloads/{file}`` (where the server serves the current
  release), byte size, IANA media-type IRI (a ``.gz`` file: the media type of its content plus
  ``dcat:compressFormat``) and its SHA-256 as an ``spdx:Checksum``;
- ``{dataset}/service/sparql``: the SPARQL endpoint as a ``dcat:DataService``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rdflib import XSD, Graph, Literal, URIRef

from aatd_kg.exports.metadata import LICENSE_IRI, TITLE
from aatd_kg.prefixes import bind_all, converter, normalize_base, prefix_map

#: What the dataset is about: alpha-1 antitrypsin deficiency (identifiers.md §1, rows V).
THEMES: tuple[str, ...] = ("MONDO:0013282", "Orphanet:60")
KEYWORDS: tuple[str, ...] = (
    "alpha-1 antitrypsin deficiency",
    "AATD",
    "SERPINA1",
    "rare disease",
    "knowledge graph",
)
DESCRIPTION = (
    "A linked-data knowledge graph of alpha-1 antitrypsin deficiency: its cause, diagnosis, "
    "treatment, eligibility for augmentation therapy, recommendations, healthcare resources "
    "and literature, built from the GARD-derived RareGuru page and mapped to MONDO, Orphanet, "
    "OMIM, HPO, MAXO, GENO and the Biolink Model."
)
PUBLISHER_PATH = "org/aatd-kg"
PUBLISHER_NAME = "AATD-KG project"
#: Release files whose content follows a published format (file name suffix → namespace CURIE
#: prefix whose IRI names that format).
CONFORMS_TO: Mapping[str, str] = {".sssom.tsv": "sssom", "_nodes.tsv": "biolink",
                                  "_edges.tsv": "biolink"}
GZIP = "application/gzip"


class CatalogError(ValueError):
    """The file list cannot be described; the message names the file and the missing field."""


def _check(name: str, entry: Mapping[str, Any]) -> None:
    missing = [key for key in ("bytes", "sha256", "media_type") if key not in entry]
    if missing:
        raise CatalogError(f"release file {name!r} lacks {', '.join(missing)} in its entry")


def catalog_graph(
    base: str,
    version: str,
    date: str,
    files: Mapping[str, Mapping[str, Any]],
    served_sparql: str,
) -> Graph:
    """The DCAT/FDP description of release *version* (issued *date*) and its *files*."""
    base = normalize_base(base)
    ns = prefix_map(base)
    conv = converter(base)
    graph = bind_all(Graph(), base)

    def iri(curie: str) -> URIRef:
        return URIRef(conv.expand_strict(curie))

    def add(subject: URIRef, curie: str, value: URIRef | Literal) -> None:
        graph.add((subject, iri(curie), value))

    def media(media_type: str) -> URIRef:
        return URIRef(ns["iana"] + media_type)

    fdp, catalog = URIRef(base + "fdp"), URIRef(base + "catalog")
    dataset, publisher = URIRef(base + "dataset"), URIRef(base + PUBLISHER_PATH)
    service = URIRef(f"{dataset}/service/sparql")
    issued = Literal(date, datatype=XSD.date)
    license_iri, landing = URIRef(LICENSE_IRI), URIRef(base)

    add(publisher, "rdf:type", iri("foaf:Agent"))
    add(publisher, "foaf:name", Literal(PUBLISHER_NAME))
    for resource, title in ((fdp, f"{TITLE}: FAIR Data Point"), (catalog, f"{TITLE}: catalogue"),
                            (dataset, TITLE), (service, f"{TITLE}: SPARQL endpoint")):
        add(resource, "dcterms:title", Literal(title, lang="en"))
        add(resource, "dcterms:publisher", publisher)
        add(resource, "dcterms:license", license_iri)
        add(resource, "dcterms:issued", issued)
        add(resource, "dcterms:modified", issued)
        add(resource, "fdp:metadataIssued", issued)
        add(resource, "fdp:metadataModified", issued)

    add(fdp, "rdf:type", iri("fdp:FAIRDataPoint"))
    add(fdp, "rdf:type", iri("dcat:DataService"))
    add(fdp, "fdp:metadataCatalog", catalog)
    add(fdp, "dcat:endpointURL", landing)
    add(fdp, "dcterms:hasVersion", Literal(version))

    add(catalog, "rdf:type", iri("dcat:Catalog"))
    add(catalog, "dcat:dataset", dataset)
    add(catalog, "dcat:service", service)
    add(catalog, "foaf:homepage", landing)
    add(catalog, "dcterms:hasVersion", Literal(version))

    add(dataset, "rdf:type", iri("dcat:Dataset"))
    add(dataset, "dcterms:description", Literal(DESCRIPTION, lang="en"))
    add(dataset, "dcat:version", Literal(version))
    add(dataset, "dcterms:hasVersion", Literal(version))
    add(dataset, "owl:versionIRI", URIRef(f"{base}release/{version}/vocab"))
    add(dataset, "dcat:landingPage", landing)
    add(dataset, "dcterms:language", Literal("en"))
    for curie in THEMES:
        add(dataset, "dcat:theme", iri(curie))
    for keyword in KEYWORDS:
        add(dataset, "dcat:keyword", Literal(keyword, lang="en"))

    add(service, "rdf:type", iri("dcat:DataService"))
    add(service, "dcat:endpointURL", URIRef(served_sparql))
    add(service, "dcat:endpointDescription", URIRef(served_sparql))
    add(service, "dcat:servesDataset", dataset)
    add(service, "dcterms:conformsTo", URIRef(ns["sd"]))
    through_service = URIRef(f"{dataset}/distribution/sparql")
    add(dataset, "dcat:distribution", through_service)
    add(through_service, "rdf:type", iri("dcat:Distribution"))
    add(through_service, "dcterms:title", Literal("SPARQL endpoint", lang="en"))
    add(through_service, "dcterms:license", license_iri)
    add(through_service, "dcat:accessService", service)
    add(through_service, "dcat:accessURL", URIRef(served_sparql))

    for name in sorted(files):
        entry = files[name]
        _check(name, entry)
        dist = URIRef(f"{base}release/{version}/distribution/{name}")
        add(dataset, "dcat:distribution", dist)
        add(dist, "rdf:type", iri("dcat:Distribution"))
        add(dist, "dcterms:title", Literal(name))
        add(dist, "dcterms:license", license_iri)
        add(dist, "dcterms:issued", issued)
        add(dist, "dcat:accessURL", URIRef(base + "downloads"))
        add(dist, "dcat:downloadURL", URIRef(f"{base}downloads/{name}"))
        add(dist, "dcat:byteSize", Literal(int(entry["bytes"]), datatype=XSD.nonNegativeInteger))
        media_type = str(entry["media_type"])
        inner = files.get(name[: -len(".gz")]) if name.endswith(".gz") else None
        if inner is not None:
            add(dist, "dcat:compressFormat", media(GZIP))
            media_type = str(inner["media_type"])
        add(dist, "dcat:mediaType", media(media_type))
        for suffix, prefix in CONFORMS_TO.items():
            if name.removesuffix(".gz").endswith(suffix):
                add(dist, "dcterms:conformsTo", URIRef(ns[prefix]))
        checksum = URIRef(f"{dist}#sha256")
        add(dist, "spdx:checksum", checksum)
        add(checksum, "rdf:type", iri("spdx:Checksum"))
        add(checksum, "spdx:algorithm", iri("spdx:checksumAlgorithm_sha256"))
        add(checksum, "spdx:checksumValue", Literal(str(entry["sha256"]), datatype=XSD.hexBinary))
    return graph

