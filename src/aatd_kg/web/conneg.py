"""THE one media-type table and content negotiation (``Accept`` with q-values, ``?format=``).

Every route that answers in more than one format picks it here: :func:`negotiate` takes the
``Accept`` header, an optional ``?format=`` override and the formats the route can offer, and
returns the chosen :class:`MediaFormat` or raises :class:`NotAcceptable` (HTTP 406) listing what
is available, or :class:`UnknownFormat` (HTTP 400) for a ``?format=`` value nobody knows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from pyoxigraph import QueryResultsFormat, RdfFormat

FormatKind = Literal["results", "rdf", "html"]


@dataclass(frozen=True, slots=True)
class MediaFormat:
    """One format: its short name (``?format=``), media type, file extension and parsers."""

    name: str
    media_type: str
    extension: str
    kind: FormatKind
    label: str
    oxigraph: RdfFormat | QueryResultsFormat | None = None
    rdflib: str | None = None
    #: Other media types clients send for it (matched in ``Accept``, never answered with).
    aliases: tuple[str, ...] = ()
    #: True when the format can hold named graphs (quads).
    quads: bool = False
    #: Local name of the format's IRI in the W3C formats namespace (``formats:`` prefix).
    w3c: str | None = None

    @property
    def content_type(self) -> str:
        """The ``Content-Type`` header value (UTF-8 declared for textual types)."""
        if self.media_type.startswith("text/"):
            return f"{self.media_type}; charset=utf-8"
        return self.media_type

    @property
    def media_types(self) -> tuple[str, ...]:
        """The canonical media type first, then its aliases."""
        return (self.media_type, *self.aliases)


# The table. Order inside each group is the server's preference when the client is indifferent.
SPARQL_JSON = MediaFormat(
    "json", "application/sparql-results+json", "srj", "results", "SPARQL JSON",
    QueryResultsFormat.JSON, "json", ("application/json",), w3c="SPARQL_Results_JSON",
)
SPARQL_XML = MediaFormat(
    "xml", "application/sparql-results+xml", "srx", "results", "SPARQL XML",
    QueryResultsFormat.XML, "xml", ("application/xml", "text/xml"), w3c="SPARQL_Results_XML",
)
SPARQL_CSV = MediaFormat(
    "csv", "text/csv", "csv", "results", "SPARQL CSV", QueryResultsFormat.CSV, "csv",
    w3c="SPARQL_Results_CSV",
)
SPARQL_TSV = MediaFormat(
    "tsv", "text/tab-separated-values", "tsv", "results", "SPARQL TSV",
    QueryResultsFormat.TSV, "tsv", w3c="SPARQL_Results_TSV",
)
TURTLE = MediaFormat(
    "ttl", "text/turtle", "ttl", "rdf", "Turtle", RdfFormat.TURTLE, "turtle",
    ("application/x-turtle",), w3c="Turtle",
)
N_TRIPLES = MediaFormat(
    "nt", "application/n-triples", "nt", "rdf", "N-Triples", RdfFormat.N_TRIPLES, "nt",
    ("text/plain",), w3c="N-Triples",
)
JSON_LD = MediaFormat(
    "jsonld", "application/ld+json", "jsonld", "rdf", "JSON-LD", RdfFormat.JSON_LD, "json-ld",
    ("application/json",), w3c="JSON-LD",
)
RDF_XML = MediaFormat(
    "rdf", "application/rdf+xml", "rdf", "rdf", "RDF/XML", RdfFormat.RDF_XML, "xml",
    ("application/xml", "text/xml"), w3c="RDF_XML",
)
TRIG = MediaFormat(
    "trig", "application/trig", "trig", "rdf", "TriG", RdfFormat.TRIG, "trig",
    quads=True, w3c="TriG",
)
N_QUADS = MediaFormat(
    "nq", "application/n-quads", "nq", "rdf", "N-Quads", RdfFormat.N_QUADS, "nquads",
    quads=True, w3c="N-Quads",
)
HTML = MediaFormat("html", "text/html", "html", "html", "HTML", aliases=("application/xhtml+xml",))

#: Every format, in one table.
FORMATS: tuple[MediaFormat, ...] = (
    SPARQL_JSON, SPARQL_XML, SPARQL_CSV, SPARQL_TSV,
    TURTLE, N_TRIPLES, JSON_LD, RDF_XML, TRIG, N_QUADS, HTML,
)
#: Formats of SELECT / ASK answers (ASK has no CSV/TSV form in the standard; we offer JSON/XML).
RESULTS_FORMATS: tuple[MediaFormat, ...] = (SPARQL_JSON, SPARQL_XML, SPARQL_CSV, SPARQL_TSV)
BOOLEAN_FORMATS: tuple[MediaFormat, ...] = (SPARQL_JSON, SPARQL_XML)
#: Formats of CONSTRUCT / DESCRIBE answers and of any RDF document.
RDF_FORMATS: tuple[MediaFormat, ...] = (TURTLE, N_TRIPLES, JSON_LD, RDF_XML, TRIG, N_QUADS)

#: Plain JSON (download listings, eligibility answers); not a ``?format=`` of SPARQL answers.
PLAIN_JSON = MediaFormat("json", "application/json", "json", "results", "JSON")
#: Media types of release files that are neither RDF nor SPARQL results, by extension.
_OTHER_FILE_TYPES = {
    "gz": "application/gzip",
    "json": PLAIN_JSON.media_type,
    "rq": "application/sparql-query",
}

_BY_NAME = {f.name: f for f in FORMATS}
_BY_EXTENSION = {f.extension: f for f in FORMATS}
_BY_MEDIA_TYPE = {f.media_type: f for f in FORMATS}


class NegotiationError(ValueError):
    """Base of content-negotiation errors; ``status`` is the HTTP status to answer."""

    status = 406

    def __init__(self, message: str, available: Sequence[MediaFormat]) -> None:
        super().__init__(message)
        self.available = tuple(available)


class NotAcceptable(NegotiationError):
    """Nothing the client accepts is offered (HTTP 406)."""

    status = 406


class UnknownFormat(NegotiationError):
    """``?format=`` names no known format (HTTP 400)."""

    status = 400


def by_name(name: str) -> MediaFormat | None:
    """The format called *name* (``ttl``, ``json`` …), or None."""
    return _BY_NAME.get(name.lower())


def by_extension(extension: str) -> MediaFormat | None:
    """The format of a file extension (with or without the dot), or None."""
    return _BY_EXTENSION.get(extension.lower().lstrip("."))


def media_type_of_file(name: str) -> str:
    """Media type of a release file by its extension (``text/plain`` when nothing fits)."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    fmt = by_extension(extension)
    return fmt.media_type if fmt else _OTHER_FILE_TYPES.get(extension, "text/plain")


def by_media_type(media_type: str) -> MediaFormat | None:
    """The format whose canonical media type is *media_type* (parameters ignored), or None."""
    return _BY_MEDIA_TYPE.get(media_type.split(";", 1)[0].strip().lower())


@dataclass(frozen=True, slots=True)
class AcceptItem:
    """One range of an ``Accept`` header."""

    media_range: str
    q: float
    order: int

    @property
    def specificity(self) -> int:
        """2 for ``type/sub``, 1 for ``type/*``, 0 for ``*/*``."""
        if self.media_range == "*/*":
            return 0
        return 1 if self.media_range.endswith("/*") else 2

    def matches(self, media_type: str) -> bool:
        """True when *media_type* falls in this range."""
        if self.media_range in ("*/*", media_type):
            return True
        if self.media_range.endswith("/*"):
            return media_type.startswith(self.media_range[:-1])
        return False


def parse_accept(header: str | None) -> list[AcceptItem]:
    """Parse an ``Accept`` header; a missing or empty header means ``*/*``.

    Malformed q-values count as ``q=1`` rather than failing (clients send odd headers).
    """
    if not header or not header.strip():
        return [AcceptItem("*/*", 1.0, 0)]
    items = []
    for order, part in enumerate(header.split(",")):
        pieces = [p.strip() for p in part.split(";")]
        media_range = pieces[0].lower()
        if not media_range:
            continue
        if media_range == "*":
            media_range = "*/*"
        if "/" not in media_range:
            continue
        q = 1.0
        for param in pieces[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = min(max(float(value.strip()), 0.0), 1.0)
                except ValueError:
                    q = 1.0
        items.append(AcceptItem(media_range, q, order))
    return items or [AcceptItem("*/*", 1.0, 0)]


def _quality(items: Sequence[AcceptItem], fmt: MediaFormat) -> tuple[float, int]:
    """(q, specificity) of the most specific range that matches *fmt*; q=0 if none."""
    best: tuple[int, float] | None = None
    for media_type in fmt.media_types:
        alias = media_type != fmt.media_type
        for item in items:
            # an alias counts only when named exactly: text/* must not pick text/xml's format
            if (item.media_range == media_type) if alias else item.matches(media_type):
                candidate = (item.specificity, item.q)
                if best is None or candidate[0] > best[0]:
                    best = candidate
    if best is None:
        return (0.0, -1)
    return (best[1], best[0])


def describe(formats: Iterable[MediaFormat]) -> str:
    """Human list of formats: ``text/turtle (ttl), application/n-triples (nt)``."""
    return ", ".join(f"{f.media_type} ({f.name})" for f in formats)


def negotiate(
    accept: str | None,
    offers: Sequence[MediaFormat],
    format_param: str | None = None,
) -> MediaFormat:
    """Choose one of *offers* for a request.

    ``format_param`` (``?format=``: a short name, an extension or a media type) overrides
    ``Accept``. Otherwise the highest q wins; ties go to the more specific range, then to the
    server's order of *offers*. Raises :class:`NotAcceptable` or :class:`UnknownFormat`.
    """
    if format_param:
        wanted = (
            by_name(format_param)
            or by_extension(format_param)
            or by_media_type(format_param)
            or next((f for f in offers if format_param.lower() in f.aliases), None)
        )
        if wanted is None:
            raise UnknownFormat(
                f"unknown format {format_param!r}; use one of: "
                + ", ".join(f.name for f in offers),
                offers,
            )
        if wanted not in offers:
            raise NotAcceptable(
                f"format {wanted.name!r} is not available here; available: {describe(offers)}",
                offers,
            )
        return wanted
    items = parse_accept(accept)
    best: MediaFormat | None = None
    best_key: tuple[float, int, int] = (0.0, -1, 0)
    for index, fmt in enumerate(offers):
        q, specificity = _quality(items, fmt)
        if q <= 0:
            continue
        key = (q, specificity, -index)
        if best is None or key > best_key:
            best, best_key = fmt, key
    if best is None:
        raise NotAcceptable(
            f"none of the accepted media types ({accept}) is available; available: "
            f"{describe(offers)}; or add ?format= with one of: "
            + ", ".join(f.name for f in offers),
            offers,
        )
    return best


def try_negotiate(
    accept: str | None, offers: Sequence[MediaFormat], format_param: str | None = None
) -> MediaFormat | None:
    """Like :func:`negotiate` but None when nothing fits (an unknown ``?format=`` still raises)."""
    try:
        return negotiate(accept, offers, format_param)
    except UnknownFormat:
        raise
    except NotAcceptable:
        return None
