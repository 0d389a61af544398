"""Writing RDF terms as table cells, so expected answers read like the data (no full IRIs).

A cell is ``<gene/SERPINA1>`` (an AATD-KG IRI relative to the base), a CURIE of the prefix map
(``MONDO:0013282``, ``aatd:greaterThan``), a literal in N-Triples style with a CURIE datatype
(``"text"@en``, ``"18"^^xsd:integer``, ``"+1-800-245-6809"``), or ``<http://...>`` for an
IRI outside every namespace; an empty cell is an unbound variable.
"""

from __future__ import annotations

import pyoxigraph as ox

from aatd_kg import prefixes

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _iri_cell(iri: str, base: str) -> str:
    curie = prefixes.converter(base).compress(iri)
    if curie is not None and not curie.startswith("AATDKG:"):
        return curie
    if iri.startswith(base):
        return f"<{iri[len(base):]}>"
    return f"<{iri}>"


def cell(term: object, base: str) -> str:
    """The table cell of a query-result term (``None`` → empty)."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return _iri_cell(term.value, base)
    if isinstance(term, ox.Literal):
        text = f'"{term.value}"'
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype.value != XSD_STRING:
            return f"{text}^^{_iri_cell(term.datatype.value, base)}"
        return text
    raise TypeError(f"a competency answer cannot hold the blank node or triple {term!r}")
