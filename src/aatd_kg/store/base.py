"""The small store interface that pages, the SPARQL endpoint and the eligibility check code against.

A store answers SPARQL 1.1 queries over one release. Two calls matter:

- :meth:`Store.query` returns a :class:`QueryResult` of plain Python values (:class:`Term`), for
  pages and checks that read the answer;
- :meth:`Store.query_serialized` returns the answer already serialized in a negotiated media type,
  for the SPARQL endpoint (so an embedded store can serialize in its worker process).

:meth:`Store.about` gives a page the triples about an IRI and the triples pointing to it, with the
named graph each comes from. Errors are typed (:class:`StoreError` and subclasses) and carry the
HTTP status the web layer answers with. Nothing here depends on a particular engine: a remote
SPARQL store implements the same protocol.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol, runtime_checkable

ResultKind = Literal["bindings", "boolean", "graph"]
TermKind = Literal["uri", "bnode", "literal", "triple"]


# --------------------------------------------------------------------------------------- errors
class StoreError(Exception):
    """Base of every error a store raises; ``status`` is the HTTP status the web layer uses."""

    status: int = 500


class QuerySyntaxError(StoreError):
    """The query text is not valid SPARQL 1.1 Query; the message has the parser's position."""

    status = 400


class UpdateNotAllowed(StoreError):
    """A SPARQL Update was sent to a read-only store."""

    status = 403


class ServiceNotAllowed(StoreError):
    """The query calls ``SERVICE`` on an IRI that is not in the allow-list."""

    status = 403


class ResultTooLarge(StoreError):
    """The answer has more rows or triples than the configured maximum."""

    status = 422


class QueryTimeout(StoreError):
    """The query ran longer than its timeout and was stopped."""

    status = 503


class StoreBusy(StoreError):
    """No query worker became free within the timeout."""

    status = 503


class ResultNotAcceptable(StoreError):
    """No media type the client accepts can carry this kind of result."""

    status = 406

    def __init__(self, kind: ResultKind, message: str) -> None:
        super().__init__(message)
        self.kind = kind

    def __reduce__(self) -> tuple[type, tuple[str, str]]:
        return (type(self), (self.kind, str(self)))


class StoreFault(StoreError):
    """The store itself failed (a bug or a crashed worker): a server error, never the user's."""

    status = 500


class ReleaseNotFound(StoreError):
    """The release directory does not hold a built release."""

    status = 500


# ---------------------------------------------------------------------------------------- values
@dataclass(frozen=True, slots=True)
class Term:
    """An RDF term as plain values, the same shape as a SPARQL JSON results term.

    ``kind`` is ``uri``, ``bnode``, ``literal`` or ``triple``; ``lang`` and ``datatype`` are
    set for literals only; as in SPARQL JSON results, ``datatype`` is ``None`` for simple
    (``xsd:string``) and language-tagged literals.
    """

    kind: TermKind
    value: str
    lang: str | None = None
    datatype: str | None = None

    @property
    def is_iri(self) -> bool:
        """True for an IRI (named node)."""
        return self.kind == "uri"

    def n3(self) -> str:
        """The term in N-Triples / SPARQL syntax."""
        if self.kind == "uri":
            return f"<{self.value}>"
        if self.kind == "bnode":
            return f"_:{self.value}"
        if self.kind == "triple":
            return f"<< {self.value} >>"
        escaped = (
            self.value.replace("\\", "\\\\")
            .replace('"', '\\"')
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
        if self.lang:
            return f'"{escaped}"@{self.lang}'
        if self.datatype and not self.datatype.endswith("#string"):
            return f'"{escaped}"^^<{self.datatype}>'
        return f'"{escaped}"'

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, slots=True)
class QueryResult:
    """The answer of a query as plain values.

    - ``kind == "bindings"``: ``variables`` names the columns; each row is a tuple aligned with
      them (``None`` where a variable is unbound).
    - ``kind == "boolean"``: ``boolean`` holds the ASK answer; no rows.
    - ``kind == "graph"``: ``variables`` is ``("subject", "predicate", "object")`` and each row
      a triple of terms.
    """

    kind: ResultKind
    variables: tuple[str, ...] = ()
    rows: tuple[tuple[Term | None, ...], ...] = ()
    boolean: bool | None = None

    def bindings(self) -> list[dict[str, Term]]:
        """Rows as dicts (variable → term), unbound variables left out."""
        return [
            {v: t for v, t in zip(self.variables, row, strict=True) if t is not None}
            for row in self.rows
        ]

    def column(self, variable: str) -> list[Term | None]:
        """Every value of one variable, in row order."""
        index = self.variables.index(variable)
        return [row[index] for row in self.rows]

    def serialize(self, media_type: str) -> bytes:
        """The answer in *media_type* (any type of :mod:`aatd_kg.web.conneg` fit for the kind)."""
        from aatd_kg.store.terms import serialize_result

        return serialize_result(self, media_type)


@dataclass(frozen=True, slots=True)
class SerializedResult:
    """An answer already serialized: ``body`` in ``media_type``; ``count`` rows or triples
    (None when a small SELECT answer was not counted)."""

    kind: ResultKind
    media_type: str
    body: bytes
    count: int | None


@dataclass(frozen=True, slots=True)
class Link:
    """One triple next to an entity: ``other`` is the object (outgoing) or subject (incoming)."""

    predicate: Term
    other: Term
    graph: Term | None


@dataclass(frozen=True, slots=True)
class EntityTriples:
    """What a store holds about one IRI: triples from it and triples pointing to it."""

    iri: str
    outgoing: tuple[Link, ...] = field(default_factory=tuple)
    incoming: tuple[Link, ...] = field(default_factory=tuple)

    @property
    def exists(self) -> bool:
        """True when the IRI occurs as subject or object in the store."""
        return bool(self.outgoing or self.incoming)


@dataclass(frozen=True, slots=True)
class Dataset:
    """The RDF dataset of a query (SPARQL protocol ``default-graph-uri`` / ``named-graph-uri``).

    With neither list given, the default graph is the union of all named graphs (when
    ``union_default_graph``) and every named graph is available to ``GRAPH``.
    """

    default_graph: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    union_default_graph: bool = True


# ------------------------------------------------------------------------------------- interface
@runtime_checkable
class Store(Protocol):
    """A read-only SPARQL store over one release."""

    version: str
    triple_count: int

    def query(
        self,
        sparql: str,
        *,
        default_graph: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        union_default_graph: bool = True,
        timeout: float | None = None,
    ) -> QueryResult:
        """Run a SPARQL query and return its answer as plain values.

        Raises :class:`QuerySyntaxError`, :class:`UpdateNotAllowed`, :class:`ServiceNotAllowed`,
        :class:`ResultTooLarge`, :class:`QueryTimeout` or :class:`StoreFault`.
        """
        ...

    def query_serialized(
        self,
        sparql: str,
        *,
        results_media_type: str | None,
        graph_media_type: str | None,
        dataset: Dataset | None = None,
        timeout: float | None = None,
    ) -> SerializedResult:
        """Run a query and serialize its answer: SELECT/ASK in *results_media_type*,
        CONSTRUCT/DESCRIBE in *graph_media_type*; ``None`` means the client accepts no
        format for that kind, which raises :class:`ResultNotAcceptable`.
        """
        ...

    # Optional: ``async def aquery_serialized(...)`` with the same arguments, for event loops
    # (the SPARQL endpoint uses it when present, else runs query_serialized in a thread).

    def about(self, iri: str, *, limit: int = 10_000) -> EntityTriples:
        """Triples with *iri* as subject (outgoing) and as object (incoming), with graphs."""
        ...

    def close(self) -> None:
        """Release the store's resources (worker processes, files)."""
        ...


class StoreMixin:
    """Store-agnostic helpers built on :meth:`Store.query` (mix into an implementation)."""

    def query(self, sparql: str, **kwargs: object) -> QueryResult:  # pragma: no cover
        raise NotImplementedError

    def about(self, iri: str, *, limit: int = 10_000) -> EntityTriples:
        """Triples from and to *iri* (see :meth:`Store.about`)."""
        if any(c in iri for c in '<>"{}|^`\\ \n'):
            raise QuerySyntaxError(f"not a valid IRI: {iri!r}")
        out = self.query(
            f"SELECT ?p ?o ?g WHERE {{ GRAPH ?g {{ <{iri}> ?p ?o }} }} LIMIT {int(limit)}"
        )
        inc = self.query(
            f"SELECT ?s ?p ?g WHERE {{ GRAPH ?g {{ ?s ?p <{iri}> }} }} LIMIT {int(limit)}"
        )
        outgoing = tuple(Link(p, o, g) for p, o, g in out.rows if p is not None and o is not None)
        incoming = tuple(Link(p, s, g) for s, p, g in inc.rows if p is not None and s is not None)
        return EntityTriples(iri=iri, outgoing=outgoing, incoming=incoming)
