"""The one prefix map of AATD-KG and everything derived from it.

Every namespace used anywhere (sources, SHACL, SPARQL, JSON-LD, SSSOM, KGX, pages) comes from
here. The project's own namespaces depend on the configured base IRI, so the map is built by
:func:`prefix_map` for a given base; external namespaces are fixed.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

import curies
from rdflib import Graph, Namespace

#: Default base of every AATD-KG IRI (entities, vocabulary, graphs, releases).
DEFAULT_BASE = "https://w3id.org/aatd-kg/"

#: Prefix of the AATD-KG vocabulary (classes and properties), relative to the base.
VOCAB_PATH = "vocab/"

#: Project prefixes, as paths relative to the base IRI.
PROJECT_PREFIXES: Mapping[str, str] = {
    "aatd": VOCAB_PATH,
    "AATDKG": "",
}

#: External namespaces. Where sources disagree on a form (OMIM, MESH, UMLS), the form chosen
#: here is the one MONDO's SSSOM files use (see docs/decisions/0002-prefix-map.md).
EXTERNAL_PREFIXES: Mapping[str, str] = {
    # W3C and general-purpose vocabularies
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "void": "http://rdfs.org/ns/void#",
    "prov": "http://www.w3.org/ns/prov#",
    "sh": "http://www.w3.org/ns/shacl#",
    "sd": "http://www.w3.org/ns/sparql-service-description#",
    "formats": "http://www.w3.org/ns/formats/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "schema": "https://schema.org/",
    "oboInOwl": "http://www.geneontology.org/formats/oboInOwl#",
    "IAO": "http://purl.obolibrary.org/obo/IAO_",
    "biolink": "https://w3id.org/biolink/vocab/",
    "semapv": "https://w3id.org/semapv/vocab/",
    "sssom": "https://w3id.org/sssom/",
    "infores": "https://w3id.org/infores/",
    "fdp": "https://w3id.org/fdp/fdp-o#",
    "spdx": "http://spdx.org/rdf/terms#",
    "iana": "https://www.iana.org/assignments/media-types/",
    # OBO Foundry ontologies
    "MONDO": "http://purl.obolibrary.org/obo/MONDO_",
    "HP": "http://purl.obolibrary.org/obo/HP_",
    "RO": "http://purl.obolibrary.org/obo/RO_",
    "GENO": "http://purl.obolibrary.org/obo/GENO_",
    "MAXO": "http://purl.obolibrary.org/obo/MAXO_",
    "SO": "http://purl.obolibrary.org/obo/SO_",
    "GO": "http://purl.obolibrary.org/obo/GO_",
    "CL": "http://purl.obolibrary.org/obo/CL_",
    "UBERON": "http://purl.obolibrary.org/obo/UBERON_",
    "CHEBI": "http://purl.obolibrary.org/obo/CHEBI_",
    "NCIT": "http://purl.obolibrary.org/obo/NCIT_",
    "DOID": "http://purl.obolibrary.org/obo/DOID_",
    "EFO": "http://www.ebi.ac.uk/efo/EFO_",
    "SIO": "http://semanticscience.org/resource/SIO_",
    # Disease, gene, protein, variant and other identifier systems
    "Orphanet": "http://www.orpha.net/ORDO/Orphanet_",
    "OMIM": "https://omim.org/entry/",
    "UMLS": "http://linkedlifedata.com/resource/umls/id/",
    "MESH": "http://id.nlm.nih.gov/mesh/",
    "ICD10CM": "http://purl.bioontology.org/ontology/ICD10CM/",
    "icd11.foundation": "http://id.who.int/icd/entity/",
    "SNOMEDCT": "http://snomed.info/id/",
    "MEDGEN": "http://identifiers.org/medgen/",
    "MedDRA": "http://identifiers.org/meddra/",
    "GARD": "https://rarediseases.info.nih.gov/diseases/",
    "NORD": "https://bioregistry.io/nord:",
    "HGNC": "http://identifiers.org/hgnc/",
    "NCBIGene": "http://identifiers.org/ncbigene/",
    "ENSEMBL": "http://identifiers.org/ensembl/",
    "UniProtKB": "http://purl.uniprot.org/uniprot/",
    "dbSNP": "http://identifiers.org/dbsnp/",
    "ClinVar": "http://identifiers.org/clinvar/",
    "LOINC": "http://loinc.org/rdf/",
    "ROR": "https://ror.org/",
    "doi": "https://doi.org/",
}


class PrefixMapError(ValueError):
    """The prefix map is inconsistent (a duplicate prefix or namespace)."""


def _check_unique(prefix_map: Mapping[str, str]) -> None:
    seen: dict[str, str] = {}
    for prefix, uri in prefix_map.items():
        if uri in seen:
            raise PrefixMapError(f"namespace {uri} is bound to both {seen[uri]!r} and {prefix!r}")
        seen[uri] = prefix


def normalize_base(base: str) -> str:
    """Return *base* with exactly one trailing slash; reject what is not an http(s) IRI."""
    if not base.startswith(("http://", "https://")):
        raise PrefixMapError(f"base IRI must start with http:// or https://, got {base!r}")
    return base.rstrip("/") + "/"


@lru_cache(maxsize=8)
def _prefix_map(base: str) -> tuple[tuple[str, str], ...]:
    base = normalize_base(base)
    merged = {name: base + path for name, path in PROJECT_PREFIXES.items()}
    clash = set(merged) & set(EXTERNAL_PREFIXES)
    if clash:
        raise PrefixMapError(f"project prefixes clash with external ones: {sorted(clash)}")
    merged.update(EXTERNAL_PREFIXES)
    _check_unique(merged)
    return tuple(merged.items())


def prefix_map(base: str = DEFAULT_BASE) -> dict[str, str]:
    """The full prefix map (prefix → namespace IRI) for *base*."""
    return dict(_prefix_map(base))


@lru_cache(maxsize=8)
def converter(base: str = DEFAULT_BASE) -> curies.Converter:
    """A :class:`curies.Converter` for the prefix map of *base* (CURIE ↔ IRI)."""
    return curies.Converter.from_prefix_map(prefix_map(base))


def vocab(base: str = DEFAULT_BASE) -> Namespace:
    """The AATD-KG vocabulary namespace for *base*."""
    return Namespace(normalize_base(base) + VOCAB_PATH)


def bind_all(graph: Graph, base: str = DEFAULT_BASE) -> Graph:
    """Bind every prefix of the map on *graph* (replacing rdflib's defaults) and return it."""
    for prefix, uri in prefix_map(base).items():
        if prefix == "AATDKG":  # entity IRIs contain '/', which Turtle prefixed names cannot hold
            continue
        graph.bind(prefix, uri, override=True, replace=True)
    return graph


def turtle_header(base: str = DEFAULT_BASE) -> str:
    """`@prefix` declarations for Turtle sources, on one line (so line numbers shift by one)."""
    decls = (
        f"@prefix {p}: <{u}> ." for p, u in prefix_map(base).items() if p != "AATDKG"
    )
    return " ".join(decls)


def sparql_prologue(base: str = DEFAULT_BASE, used_in: str | None = None) -> str:
    """`PREFIX` lines for SPARQL; with *used_in*, only the prefixes that text mentions."""
    lines = []
    for p, u in prefix_map(base).items():
        if p == "AATDKG":
            continue
        if used_in is None or f"{p}:" in used_in:
            lines.append(f"PREFIX {p}: <{u}>")
    return "\n".join(lines) + ("\n" if lines else "")


def jsonld_prefixes(base: str = DEFAULT_BASE) -> dict[str, str]:
    """The prefix part of the JSON-LD context (the readable term names are added elsewhere)."""
    return prefix_map(base)
