"""The server-drawn SVG diagram: well-formed, escaped, linked, bounded."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from aatd_kg.web.diagram import MAX_EDGES, DiagramEdge, entity_diagram


def parse_svg(markup: str) -> ET.Element:
    # Inline SVG in HTML carries no namespace declaration; XML parsing needs none either.
    return ET.fromstring(markup)


def test_diagram_is_well_formed_and_links_neighbours() -> None:
    edges = [
        DiagramEdge("aatd:encodes", "alpha-1 antitrypsin", "http://h/protein/AAT", outgoing=True),
        DiagramEdge("RO:0004003", "alpha-1 antitrypsin deficiency", "http://h/disease/AATD",
                    outgoing=False),
        DiagramEdge("skos:exactMatch", "HGNC:8941", None, outgoing=True),
    ]
    svg = parse_svg(entity_diagram("SERPINA1", edges))
    assert svg.tag == "svg" and svg.get("role") == "img"
    texts = [t.text for t in svg.iter("text")]
    assert "SERPINA1" in texts and "alpha-1 antitrypsin" in texts
    assert {"aatd:encodes", "RO:0004003", "skos:exactMatch"} <= set(texts)
    assert [a.get("href") for a in svg.iter("a")] == ["http://h/protein/AAT", "http://h/disease/AATD"]
    assert len(list(svg.iter("line"))) == 3


def test_diagram_escapes_text_and_counts_what_it_leaves_out() -> None:
    hostile = '<script>alert("x")</script> & "quotes"'
    edges = [DiagramEdge("p", f"{hostile} {i}", f'http://h/"{i}', outgoing=True)
             for i in range(MAX_EDGES + 3)]
    markup = str(entity_diagram(hostile, edges))
    assert "<script>" not in markup
    svg = parse_svg(markup)
    assert len(list(svg.iter("a"))) == MAX_EDGES
    assert svg.find("title").text == f"Direct links of {hostile}"
    assert any(t.text == "+3 more links (listed below)" for t in svg.iter("text"))
    assert svg.find(".//a").get("href") == 'http://h/"0'
