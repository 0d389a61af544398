"""The one media-type table and negotiation: q-values, wildcards, ?format=, 406 and 400."""

from __future__ import annotations

import pytest

from aatd_kg.web import conneg
from aatd_kg.web.conneg import (
    FORMATS,
    RDF_FORMATS,
    RESULTS_FORMATS,
    NotAcceptable,
    UnknownFormat,
    negotiate,
    parse_accept,
)

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"


def test_the_table_is_consistent() -> None:
    assert len({f.name for f in FORMATS}) == len(FORMATS)
    assert len({f.media_type for f in FORMATS}) == len(FORMATS)
    assert len({f.extension for f in FORMATS}) == len(FORMATS)
    for fmt in FORMATS:
        assert conneg.by_name(fmt.name) is fmt
        assert conneg.by_extension("." + fmt.extension) is fmt
        assert conneg.by_media_type(fmt.media_type + "; charset=utf-8") is fmt
        if fmt.kind != "html":
            assert fmt.oxigraph is not None and fmt.rdflib and fmt.w3c
    assert {f.name for f in RESULTS_FORMATS} == {"json", "xml", "csv", "tsv"}
    assert {f.name for f in RDF_FORMATS} == {"ttl", "nt", "jsonld", "rdf", "trig", "nq"}
    assert conneg.TURTLE.content_type == "text/turtle; charset=utf-8"
    assert conneg.JSON_LD.content_type == "application/ld+json"


@pytest.mark.parametrize(("accept", "offers", "expected"), [
    (None, RDF_FORMATS, "ttl"),
    ("", RESULTS_FORMATS, "json"),
    ("*/*", RESULTS_FORMATS, "json"),
    ("text/turtle;q=0.5, application/ld+json", RDF_FORMATS, "jsonld"),
    ("application/n-triples, text/turtle;q=0.9", RDF_FORMATS, "nt"),
    ("text/*", RESULTS_FORMATS, "csv"),
    ("application/*;q=0.2, text/tab-separated-values", RESULTS_FORMATS, "tsv"),
    ("application/json", RDF_FORMATS, "jsonld"),
    ("application/json", RESULTS_FORMATS, "json"),
    (BROWSER, (*RDF_FORMATS, conneg.HTML), "html"),
    (BROWSER, RESULTS_FORMATS, "xml"),
    ("*/*, text/turtle;q=0", RDF_FORMATS, "nt"),
    ("text/turtle;q=abc", RDF_FORMATS, "ttl"),
    ("TEXT/TURTLE", RDF_FORMATS, "ttl"),
])
def test_negotiate(accept: str | None, offers: tuple[conneg.MediaFormat, ...],
                   expected: str) -> None:
    assert negotiate(accept, offers).name == expected


def test_format_parameter_overrides_and_errors() -> None:
    assert negotiate("text/turtle", RDF_FORMATS, "nt").name == "nt"
    assert negotiate(None, RDF_FORMATS, "application/rdf+xml").name == "rdf"
    assert negotiate(None, RDF_FORMATS, ".jsonld").name == "jsonld"
    with pytest.raises(UnknownFormat) as unknown:
        negotiate(None, RDF_FORMATS, "yaml")
    assert unknown.value.status == 400 and "ttl" in str(unknown.value)
    with pytest.raises(NotAcceptable) as wrong_kind:
        negotiate(None, RDF_FORMATS, "csv")
    assert wrong_kind.value.status == 406 and "text/turtle" in str(wrong_kind.value)
    with pytest.raises(NotAcceptable) as none:
        negotiate("image/png, text/html;q=0.5", RESULTS_FORMATS)
    assert set(none.value.available) == set(RESULTS_FORMATS)
    assert "application/sparql-results+json (json)" in str(none.value)
    assert conneg.try_negotiate("image/png", RDF_FORMATS) is None


def test_parse_accept() -> None:
    items = parse_accept("text/turtle;q=0.5, */*;q=0.1, application/ld+json")
    assert [(i.media_range, i.q, i.specificity) for i in items] == [
        ("text/turtle", 0.5, 2), ("*/*", 0.1, 0), ("application/ld+json", 1.0, 2)]
    assert [i.media_range for i in parse_accept(None)] == ["*/*"]
