"""Dereferenceable IRIs, entity pages, /vocab and the landing page, over the real app and store.

Every answer is parsed: RDF with rdflib and queried, HTML read for the facts it must show.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from starlette.testclient import TestClient
from test_linked_data_fixture import DATA_BASE, SERVED, HtmlFacts, client_for, write_fixture_release

from aatd_kg.prefixes import converter

C = converter(DATA_BASE)
B = DATA_BASE


def iri(curie_or_path: str) -> URIRef:
    """An IRI from a CURIE of the prefix map, or from a path under the data's base."""
    if ":" in curie_or_path:
        return URIRef(C.expand(curie_or_path, strict=True))
    return URIRef(B + curie_or_path)


@pytest.fixture(scope="module")
def fixture_release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hand-written fixture release (it has deprecated entities)."""
    return write_fixture_release(tmp_path_factory.mktemp("ld") / "dist")


@pytest.fixture(scope="module")
def client(fixture_release: Path) -> Iterator[TestClient]:
    """The real app and store over the fixture release, served at a base other than the data's."""
    yield from client_for(fixture_release, public_base=SERVED)


GENE, PROTEIN, DISEASE = iri("gene/SERPINA1"), iri("protein/AAT"), iri("disease/AATD")

RDF_TYPES = {
    "text/turtle": ("ttl", "turtle"),
    "application/ld+json": ("jsonld", "json-ld"),
    "application/n-triples": ("nt", "nt"),
    "application/rdf+xml": ("rdf", "xml"),
}


def vary(response) -> set[str]:  # type: ignore[no-untyped-def]
    """The header names of ``Vary``."""
    return {v.strip() for v in response.headers.get("vary", "").split(",") if v.strip()}


def parse(response, rdflib_format: str) -> Graph:  # type: ignore[no-untyped-def]
    return Graph().parse(data=response.content, format=rdflib_format)


# --------------------------------------------------------------------------------- RDF answers
@pytest.mark.parametrize("media_type", sorted(RDF_TYPES))
def test_entity_negotiates_rdf_by_accept(client: TestClient, media_type: str) -> None:
    ext, rdflib_format = RDF_TYPES[media_type]
    response = client.get("/gene/SERPINA1", headers={"Accept": media_type})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    assert "Accept" in vary(response)
    assert response.headers["content-location"] == f"{SERVED}gene/SERPINA1.{ext}"
    graph = parse(response, rdflib_format)
    # Its own statements, with the data's IRIs (never the served base) ...
    assert (GENE, RDFS.label, Literal("SERPINA1", lang="en")) in graph
    assert (GENE, iri("aatd:encodes"), PROTEIN) in graph
    assert (GENE, RDF.type, iri("schema:Gene")) in graph
    assert (GENE, iri("skos:exactMatch"), iri("HGNC:8941")) in graph
    # ... the statements pointing to it, and the labels of what it links.
    assert (DISEASE, iri("RO:0004003"), GENE) in graph
    assert (PROTEIN, RDFS.label, Literal("alpha-1 antitrypsin", lang="en")) in graph
    assert not any(SERVED in str(term) for triple in graph for term in triple)
    links = response.headers["link"]
    for other_ext in ("ttl", "jsonld", "nt", "rdf", "html"):
        assert f"<{SERVED}gene/SERPINA1.{other_ext}>; rel=\"alternate\"" in links


@pytest.mark.parametrize("media_type", sorted(RDF_TYPES))
def test_extension_fixes_the_format_and_all_formats_agree(
    client: TestClient, media_type: str
) -> None:
    ext, rdflib_format = RDF_TYPES[media_type]
    response = client.get(f"/gene/SERPINA1.{ext}", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    assert "Accept" not in vary(response)
    reference = parse(client.get("/gene/SERPINA1.nt"), "nt")
    assert set(parse(response, rdflib_format)) == set(reference)
    assert len(reference) >= 8


def test_format_parameter_overrides_accept(client: TestClient) -> None:
    response = client.get("/protein/AAT?format=ttl", headers={"Accept": "text/html"})
    graph = parse(response, "turtle")
    assert (GENE, iri("aatd:encodes"), PROTEIN) in graph


def test_nothing_acceptable_is_406(client: TestClient) -> None:
    response = client.get("/gene/SERPINA1", headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert "text/turtle" in response.text


def test_star_accept_gets_the_page(client: TestClient) -> None:
    response = client.get("/gene/SERPINA1", headers={"Accept": "*/*"})
    assert response.headers["content-type"].startswith("text/html")
    assert HtmlFacts(response.text).by_id["label"] == "SERPINA1"


# --------------------------------------------------------------------------------- HTML pages
def test_entity_page_shows_the_facts(client: TestClient) -> None:
    response = client.get("/gene/SERPINA1", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["content-location"] == f"{SERVED}gene/SERPINA1.html"
    page = HtmlFacts(response.text)
    assert page.by_id["label"] == "SERPINA1"
    assert page.by_id["iri"] == str(GENE)
    # types as CURIEs, linked to where they resolve
    assert set(page.by_id["types"].split()) == {"aatd:Gene", "schema:Gene"}
    assert (f"{SERVED}vocab/Gene", "aatd:Gene") in page.links
    assert "instructions to make a protein called alpha-1 antitrypsin" in page.all_text
    # a property with its linked object, rewritten to where it resolves
    assert (f"{SERVED}protein/AAT", "alpha-1 antitrypsin") in page.links
    assert "aatd:encodes" in page.by_id["properties"]
    # an inverse link: the disease points here
    assert "RO:0004003" in page.by_id["inverse"]
    assert (f"{SERVED}disease/AATD", "alpha-1 antitrypsin deficiency") in page.links
    # the external match links to the IRI itself
    assert (str(iri("HGNC:8941")), "HGNC:8941") in page.links
    # the source section and its date, through the named graph
    assert "2020-05-01" in page.by_id["sources"]
    assert "What causes alpha-1 antitrypsin deficiency?" in page.by_id["sources"]
    assert f"{SERVED}source/gard-aatd/causes" in page.hrefs()
    # the diagram, drawn on the server, links the neighbours
    assert page.svgs == 1
    assert "alpha-1 antitrypsin" in page.by_id["diagram"]
    assert "None" not in page.hrefs()
    # no asset from elsewhere
    assert "<script src" not in response.text and "stylesheet" not in response.text


def test_entity_page_embeds_schema_org_jsonld(client: TestClient) -> None:
    page = HtmlFacts(client.get("/gene/SERPINA1.html").text)
    assert len(page.jsonld) == 1
    graph = Graph().parse(data=page.jsonld[0], format="json-ld")
    assert (GENE, RDF.type, iri("schema:Gene")) in graph
    assert (GENE, iri("schema:name"), Literal("SERPINA1")) in graph
    assert (GENE, iri("schema:url"), Literal(f"{SERVED}gene/SERPINA1")) in graph
    assert (GENE, iri("schema:sameAs"), Literal(str(iri("HGNC:8941")))) in graph
    disease = Graph().parse(
        data=HtmlFacts(client.get("/disease/AATD.html").text).jsonld[0], format="json-ld"
    )
    assert (DISEASE, RDF.type, iri("schema:MedicalCondition")) in disease


def test_disease_page_links_its_matches(client: TestClient) -> None:
    page = HtmlFacts(client.get("/disease/AATD.html").text)
    matches = {href for href, _ in page.links}
    for curie in ("MONDO:0013282", "Orphanet:60", "OMIM:613490"):
        assert (str(iri(curie)), curie) in page.links
        assert str(iri(curie)) in matches
    assert page.by_id["label"] == "alpha-1 antitrypsin deficiency"


def test_page_and_rdf_show_the_same_links(client: TestClient) -> None:
    graph = parse(client.get("/disease/AATD.ttl"), "turtle")
    hrefs = HtmlFacts(client.get("/disease/AATD.html").text).hrefs()
    linked = {o for o in graph.objects(DISEASE, None) if isinstance(o, URIRef)}
    linked |= {s for s in graph.subjects(None, DISEASE) if isinstance(s, URIRef)}
    assert linked
    for target in linked:
        expected = SERVED + target[len(B):] if target.startswith(B) else str(target)
        assert expected in hrefs, target


def test_vocabulary_term_dereferences(client: TestClient) -> None:
    graph = parse(client.get("/vocab/Gene", headers={"Accept": "text/turtle"}), "turtle")
    assert (iri("aatd:Gene"), RDF.type, OWL.Class) in graph
    assert (GENE, RDF.type, iri("aatd:Gene")) in graph  # what points here
    page = HtmlFacts(client.get("/vocab/Gene", headers={"Accept": "text/html"}).text)
    assert page.by_id["label"] == "gene"


def test_vocab_is_the_whole_ontology(client: TestClient) -> None:
    response = client.get("/vocab", headers={"Accept": "text/turtle"})
    assert response.headers["content-location"] == f"{SERVED}vocab.ttl"
    graph = parse(response, "turtle")
    assert (iri("vocab"), RDF.type, OWL.Ontology) in graph
    assert {iri("aatd:Gene"), iri("aatd:Protein"), iri("aatd:Disease")} <= set(
        graph.subjects(RDF.type, OWL.Class)
    )
    assert not list(graph.triples((GENE, None, None)))  # data is not in the ontology
    same = parse(client.get("/vocab.jsonld"), "json-ld")
    assert set(same) == set(graph)
    page = HtmlFacts(client.get("/vocab", headers={"Accept": "text/html"}).text)
    assert (f"{SERVED}vocab/Gene", "gene") in page.links
    assert (f"{SERVED}vocab/encodes", "encodes") in page.links


# --------------------------------------------------------------------------- 404, 410 and 301
def test_unknown_iri_is_404_as_negotiated(client: TestClient) -> None:
    html = client.get("/gene/NOT-A-GENE", headers={"Accept": "text/html"})
    assert html.status_code == 404
    assert HtmlFacts(html.text).by_id["message"] == "Nothing in this graph has this IRI."
    turtle = client.get("/gene/NOT-A-GENE", headers={"Accept": "text/turtle"})
    assert turtle.status_code == 404
    assert turtle.headers["content-type"].startswith("text/turtle")
    assert len(parse(turtle, "turtle")) == 0
    assert client.get("/gene/a%3Cb%3E.ttl").status_code == 404  # not an IRI: still a 404


def test_deprecated_without_replacement_is_410(client: TestClient) -> None:
    html = client.get("/fixture/retired", headers={"Accept": "text/html"})
    assert html.status_code == 410
    page = HtmlFacts(html.text)
    assert "Deprecated" in page.all_text and page.by_id["label"] == "retired fixture entity"
    turtle = client.get("/fixture/retired.ttl")
    assert turtle.status_code == 410
    graph = parse(turtle, "turtle")
    assert (iri("fixture/retired"), OWL.deprecated, Literal(True)) in graph


def test_deprecated_with_replacement_is_301(client: TestClient) -> None:
    moved = client.get("/fixture/renamed", headers={"Accept": "text/turtle"},
                       follow_redirects=False)
    assert moved.status_code == 301
    assert moved.headers["location"] == f"{SERVED}gene/SERPINA1"
    with_ext = client.get("/fixture/renamed.nt", follow_redirects=False)
    assert with_ext.status_code == 301
    assert with_ext.headers["location"] == f"{SERVED}gene/SERPINA1.nt"


# ------------------------------------------------------------------------------ landing page
def test_landing_page(client: TestClient, fixture_release: Path) -> None:
    release = json.loads((fixture_release / "release.json").read_text())
    response = client.get("/")
    assert response.status_code == 200
    page = HtmlFacts(response.text)
    assert page.by_id["title"] == "AATD-KG"  # the VoID dataset's title
    assert "Classes and properties" in page.by_id["description"]  # the ontology's
    assert page.by_id["version"] == release["version"]
    assert page.by_id["date"] == release["date"]
    assert page.by_id["triples"].replace(",", "") == str(release["triples"])
    for path in ("sparql", "downloads", ".well-known/void", "docs", "vocab"):
        assert f"{SERVED}{path}" in page.hrefs()
    assert (f"{SERVED}gene/SERPINA1", "SERPINA1") in page.links
    assert (f"{SERVED}protein/AAT", "alpha-1 antitrypsin") in page.links
    assert (f"{SERVED}disease/AATD", "alpha-1 antitrypsin deficiency") in page.links


# --------------------------------------------------------------------------- protocol details
def test_browser_accept_header_gets_html_and_json_gets_jsonld(client: TestClient) -> None:
    chrome = ("text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,"
              "image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7")
    page = client.get("/protein/AAT", headers={"Accept": chrome})
    assert page.headers["content-type"].startswith("text/html")
    assert HtmlFacts(page.text).by_id["label"] == "alpha-1 antitrypsin"
    as_json = client.get("/protein/AAT", headers={"Accept": "application/json"})
    assert as_json.headers["content-type"].startswith("application/ld+json")
    assert (GENE, iri("aatd:encodes"), PROTEIN) in parse(as_json, "json-ld")
    prefers_turtle = client.get(
        "/protein/AAT", headers={"Accept": "text/html;q=0.5, text/turtle;q=0.9"}
    )
    assert prefers_turtle.headers["content-type"].startswith("text/turtle")


def test_head_answers_like_get_without_a_body(client: TestClient) -> None:
    head = client.head("/gene/SERPINA1", headers={"Accept": "text/turtle"})
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-location"] == f"{SERVED}gene/SERPINA1.ttl"
    assert client.head("/gene/NOT-A-GENE").status_code == 404


def test_openapi_lists_the_real_media_types(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    entity = paths["/{path}"]["get"]["responses"]["200"]["content"]
    assert {"text/html", "text/turtle", "application/ld+json", "application/n-triples",
            "application/rdf+xml"} <= set(entity)
    void = paths["/.well-known/void"]["get"]["responses"]["200"]["content"]
    assert "text/turtle" in void
    assert "head" not in paths["/{path}"]  # HEAD is served but documented once, as GET


def test_entity_answers_revalidate_with_304(client: TestClient) -> None:
    first = client.get("/gene/SERPINA1", headers={"Accept": "text/turtle"})
    etag = first.headers["etag"]
    again = client.get("/gene/SERPINA1", headers={"Accept": "text/turtle", "If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["content-location"] == f"{SERVED}gene/SERPINA1.ttl"
    page = client.get("/gene/SERPINA1", headers={"Accept": "text/html"})
    assert page.headers["etag"] != etag  # another representation, another tag
    changed = client.get("/gene/SERPINA1", headers={"Accept": "text/html", "If-None-Match": etag})
    assert changed.status_code == 200 and HtmlFacts(changed.text).by_id["label"] == "SERPINA1"
    vocab = client.get("/vocab.ttl")
    cached = client.get("/vocab.ttl", headers={"If-None-Match": vocab.headers["etag"]})
    assert cached.status_code == 304


def test_non_ascii_iri_dereferences(client: TestClient) -> None:
    response = client.get("/fixture/W%C3%BCrzburg", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert response.headers["content-location"] == f"{SERVED}fixture/W%C3%BCrzburg.ttl"
    graph = parse(response, "turtle")
    assert (iri("fixture/Würzburg"), RDFS.label,
            Literal("fixture entity with a non-ASCII IRI", lang="en")) in graph


def test_markup_in_the_data_stays_text(client: TestClient) -> None:
    label = "<script>alert('x')</script> & </script><b>bold</b>"
    response = client.get("/fixture/markup", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert "<script>alert" not in response.text and "<b>bold" not in response.text
    page = HtmlFacts(response.text)
    assert page.by_id["label"] == label  # shown as text, exactly
    assert len(page.jsonld) == 1  # the label did not close the JSON-LD script early
    jsonld = Graph().parse(data=page.jsonld[0], format="json-ld")
    assert (iri("fixture/markup"), iri("schema:name"), Literal(label)) in jsonld
    assert not any(href.startswith("javascript:") for href in page.hrefs())


def test_dataset_iri_of_the_void_description_dereferences(client: TestClient) -> None:
    response = client.get("/void", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    graph = parse(response, "turtle")
    assert (iri("void"), RDF.type, iri("void:Dataset")) in graph
    assert (iri("void"), iri("void:sparqlEndpoint"), iri("sparql")) in graph
    # a hash IRI is described by its document
    assert (iri("void#ontology"), iri("void:triples"), Literal(12)) in graph
    page = HtmlFacts(client.get("/void", headers={"Accept": "text/html"}).text)
    assert page.by_id["label"] == "AATD-KG"


def test_an_extension_that_is_part_of_the_iri(client: TestClient) -> None:
    # /fixture/dump.ttl is an IRI of its own (no /fixture/dump exists): it is not "dump as Turtle"
    response = client.get("/fixture/dump.ttl", headers={"Accept": "application/n-triples"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/n-triples")
    graph = parse(response, "nt")
    assert (iri("fixture/dump.ttl"), RDFS.label,
            Literal("fixture entity whose IRI ends in .ttl", lang="en")) in graph
    page = client.get("/fixture/dump.ttl", headers={"Accept": "text/html"})
    assert HtmlFacts(page.text).by_id["iri"] == str(iri("fixture/dump.ttl"))
    # while a real entity's extension still picks the format
    assert client.get("/gene/SERPINA1.nt").headers["content-type"].startswith(
        "application/n-triples")
