"""Helpers of the SHACL and QC tests (a uniquely named module: tests/ holds no packages)."""

from __future__ import annotations

from pathlib import Path

from aatd_kg import prefixes

#: Repository root (holds shapes/, ontology/, data/).
ROOT = Path(__file__).resolve().parents[2]
#: Base IRI of the fixtures; a non-default base proves no shape depends on the default one.
BASE = "https://example.org/kg/"


def iri(curie_or_path: str, base: str = BASE) -> str:
    """Expand a CURIE (``rdfs:label``), a base-relative path (``gene/SERPINA1``) or keep an IRI."""
    if curie_or_path.startswith(("http://", "https://")):
        return curie_or_path
    prefix, sep, _ = curie_or_path.partition(":")
    if sep and prefix in prefixes.prefix_map(base):
        return prefixes.converter(base).expand(curie_or_path, strict=True)
    return prefixes.normalize_base(base) + curie_or_path
