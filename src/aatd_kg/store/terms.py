"""Conversions between pyoxigraph terms, SPARQL JSON results and plain :class:`Term` values."""

from __future__ import annotations

import json
from typing import Any

import pyoxigraph as ox

from aatd_kg.prefixes import EXTERNAL_PREFIXES
from aatd_kg.store.base import QueryResult, StoreFault, Term

_XSD_STRING = EXTERNAL_PREFIXES["xsd"] + "string"


def from_oxigraph(term: Any) -> Term | None:
    """A pyoxigraph term (or None) as a :class:`Term`."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return Term("uri", term.value)
    if isinstance(term, ox.BlankNode):
        return Term("bnode", term.value)
    if isinstance(term, ox.Literal):
        # as in SPARQL JSON results: no datatype for simple and language-tagged literals
        datatype = term.datatype.value
        simple = term.language is not None or datatype == _XSD_STRING
        return Term("literal", term.value, term.language, None if simple else datatype)
    if isinstance(term, ox.Triple):
        return Term("triple", str(term))
    raise StoreFault(f"unexpected term type {type(term).__name__}")


def to_oxigraph(term: Term) -> Any:
    """A :class:`Term` as a pyoxigraph term (quoted triples are not supported)."""
    if term.kind == "uri":
        return ox.NamedNode(term.value)
    if term.kind == "bnode":
        return ox.BlankNode(term.value)
    if term.kind == "literal":
        if term.lang:
            return ox.Literal(term.value, language=term.lang)
        if term.datatype:
            return ox.Literal(term.value, datatype=ox.NamedNode(term.datatype))
        return ox.Literal(term.value)
    raise StoreFault(f"cannot convert a {term.kind} term back to RDF")


def from_json_term(data: dict[str, str]) -> Term:
    """A SPARQL 1.1 JSON results term as a :class:`Term`."""
    kind = data["type"]
    if kind == "typed-literal":  # SPARQL 1.0 JSON form
        kind = "literal"
    if kind not in ("uri", "bnode", "literal", "triple"):
        raise StoreFault(f"unexpected SPARQL JSON term type {kind!r}")
    return Term(kind, data.get("value", ""), data.get("xml:lang"), data.get("datatype"))  # type: ignore[arg-type]


def result_from_json(body: bytes) -> QueryResult:
    """Parse a SPARQL 1.1 JSON results document into a :class:`QueryResult`."""
    doc = json.loads(body)
    if "boolean" in doc:
        return QueryResult("boolean", boolean=bool(doc["boolean"]))
    variables = tuple(doc["head"].get("vars", []))
    rows = tuple(
        tuple(
            from_json_term(binding[v]) if v in binding else None for v in variables
        )
        for binding in doc["results"]["bindings"]
    )
    return QueryResult("bindings", variables, rows)


def result_from_ntriples(body: bytes) -> QueryResult:
    """Parse N-Triples (a CONSTRUCT/DESCRIBE answer) into a graph :class:`QueryResult`."""
    rows = tuple(
        (from_oxigraph(t.subject), from_oxigraph(t.predicate), from_oxigraph(t.object))
        for t in ox.parse(body, ox.RdfFormat.N_TRIPLES)
    )
    return QueryResult("graph", ("subject", "predicate", "object"), rows)


def result_to_json(result: QueryResult) -> bytes:
    """A bindings or boolean :class:`QueryResult` as SPARQL 1.1 JSON results."""
    if result.kind == "boolean":
        return json.dumps({"head": {}, "boolean": bool(result.boolean)}).encode()

    def term(t: Term) -> dict[str, str]:
        out = {"type": t.kind, "value": t.value}
        if t.lang:
            out["xml:lang"] = t.lang
        elif t.datatype:
            out["datatype"] = t.datatype
        return out

    bindings = [
        {v: term(t) for v, t in zip(result.variables, row, strict=True) if t is not None}
        for row in result.rows
    ]
    doc = {"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}}
    return json.dumps(doc).encode()


def serialize_result(result: QueryResult, media_type: str) -> bytes:
    """Serialize *result* in *media_type* (a type from :mod:`aatd_kg.web.conneg`)."""
    from aatd_kg.web import conneg

    fmt = conneg.by_media_type(media_type)
    if fmt is None or fmt.oxigraph is None:
        raise ValueError(f"cannot serialize a query result as {media_type!r}")
    if result.kind == "graph":
        if not isinstance(fmt.oxigraph, ox.RdfFormat):
            raise ValueError(f"a graph cannot be written as {media_type!r}")
        triples = [
            ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o))  # type: ignore[arg-type]
            for s, p, o in result.rows
        ]
        return ox.serialize(triples, format=fmt.oxigraph)
    if not isinstance(fmt.oxigraph, ox.QueryResultsFormat):
        raise ValueError(f"query solutions cannot be written as {media_type!r}")
    body = result_to_json(result)
    if fmt.oxigraph == ox.QueryResultsFormat.JSON:
        return body
    parsed = ox.parse_query_results(body, ox.QueryResultsFormat.JSON)
    return parsed.serialize(format=fmt.oxigraph)  # type: ignore[union-attr]
