"""A small release written by hand for the linked-data tests, and tools to read HTML answers.

Its facts come from the project's source page (section dates, labels) and the V rows of the
reference identifiers (HGNC:8941, MONDO:0013282, Orphanet:60, OMIM:613490); the two
``fixture/…`` entities exist only to test deprecation. (Named ``test_…`` so that it sits with
the tests it serves; it holds no tests itself.)
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph
from starlette.testclient import TestClient

from aatd_kg.prefixes import turtle_header
from aatd_kg.web.conneg import media_type_of_file

DATA_BASE = "https://w3id.org/aatd-kg/"
SERVED = "http://served.example:8080/"

FIXTURE_TRIG = """
<{B}graph/ontology> {{
  <{B}vocab> a owl:Ontology ; dcterms:title "AATD-KG vocabulary"@en ;
      dcterms:description "Classes and properties of the AATD knowledge graph."@en .
  aatd:Gene a owl:Class ; rdfs:label "gene"@en ; skos:definition "A gene."@en .
  aatd:Protein a owl:Class ; rdfs:label "protein"@en .
  aatd:Disease a owl:Class ; rdfs:label "disease"@en .
  aatd:encodes a owl:ObjectProperty ; rdfs:label "encodes"@en .
}}
<{B}graph/causes> {{
  <{B}graph/causes> prov:wasDerivedFrom <{B}source/gard-aatd/causes> .
  <{B}disease/AATD> a aatd:Disease , schema:MedicalCondition ;
      rdfs:label "alpha-1 antitrypsin deficiency"@en ;
      skos:altLabel "AATD"@en ;
      RO:0004003 <{B}gene/SERPINA1> ;
      skos:exactMatch MONDO:0013282 , Orphanet:60 , OMIM:613490 .
  <{B}gene/SERPINA1> a aatd:Gene , schema:Gene ;
      rdfs:label "SERPINA1"@en ;
      schema:description
"This gene gives the body instructions to make a protein called alpha-1 antitrypsin (AAT)."@en ;
      aatd:encodes <{B}protein/AAT> ;
      skos:exactMatch HGNC:8941 .
  <{B}protein/AAT> a aatd:Protein , schema:Protein ;
      rdfs:label "alpha-1 antitrypsin"@en .
}}
<{B}graph/source> {{
  <{B}graph/source> prov:wasDerivedFrom <{B}source/gard-aatd> .
  <{B}source/gard-aatd/causes>
      rdfs:label "Section: What causes alpha-1 antitrypsin deficiency?"@en ;
      dcterms:modified "2020-05-01"^^xsd:date .
}}
<{B}graph/fixture> {{
  <{B}fixture/retired> rdfs:label "retired fixture entity"@en ; owl:deprecated true .
  <{B}fixture/Würzburg> rdfs:label "fixture entity with a non-ASCII IRI"@en .
  <{B}fixture/dump.ttl> rdfs:label "fixture entity whose IRI ends in .ttl"@en .
  <{B}fixture/markup> rdfs:label "<script>alert('x')</script> & </script><b>bold</b>"@en ;
      skos:definition "Text that looks like markup must stay text."@en ;
      skos:exactMatch <javascript:alert(1)> .
  <{B}fixture/renamed> rdfs:label "renamed fixture entity"@en ; owl:deprecated true ;
      dcterms:isReplacedBy <{B}gene/SERPINA1> .
}}
"""

VOID_TTL = """
<{B}void> a void:Dataset ; dcterms:title "AATD-KG"@en ; void:triples {triples} ;
    void:sparqlEndpoint <{B}sparql> ; void:uriSpace "{B}" ; void:subset <{B}void#ontology> .
<{B}void#ontology> a void:Dataset ; void:triples 12 .
"""


def fixture_dataset(base: str = DATA_BASE) -> Dataset:
    """The fixture's quads."""
    dataset = Dataset()
    dataset.parse(data=turtle_header(base) + "\n" + FIXTURE_TRIG.format(B=base), format="trig")
    return dataset


def _entry(path: Path) -> dict[str, Any]:
    data = path.read_bytes()
    return {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest(),
            "media_type": media_type_of_file(path.name)}


def write_fixture_release(out: Path, base: str = DATA_BASE) -> Path:
    """Write ``aatd-kg.nq`` (+ ``.gz``), ``aatd-kg.ttl``, ``void.ttl``, ``release.json`` and
    ``SHA256SUMS`` into *out*, the layout of a real release."""
    out.mkdir(parents=True, exist_ok=True)
    dataset = fixture_dataset(base)
    nquads = dataset.serialize(format="nquads", encoding="utf-8")
    (out / "aatd-kg.nq").write_bytes(nquads)
    (out / "aatd-kg.nq.gz").write_bytes(gzip.compress(nquads, mtime=0))
    union = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    (out / "aatd-kg.ttl").write_bytes(union.serialize(format="turtle", encoding="utf-8"))
    void = turtle_header(base) + VOID_TTL.format(B=base, triples=len(union))
    (out / "void.ttl").write_text(void, encoding="utf-8")
    names = ["aatd-kg.nq", "aatd-kg.nq.gz", "aatd-kg.ttl", "void.ttl"]
    files = {name: _entry(out / name) for name in names}
    graphs: dict[str, int] = {}
    for _, _, _, g in dataset.quads((None, None, None, None)):
        graphs[str(g)] = graphs.get(str(g), 0) + 1
    release = {"version": "0.0.1-fixture", "date": "2026-11-25", "base_iri": base,
               "triples": len(union), "graphs": graphs, "files": files}
    (out / "release.json").write_text(json.dumps(release, indent=1), encoding="utf-8")
    sums = "".join(f"{f['sha256']}  {n}\n" for n, f in sorted(files.items()))
    (out / "SHA256SUMS").write_text(sums, encoding="utf-8")
    return out


def open_store(release: Path) -> Any:
    """The project's embedded store over *release* (the real one the server uses)."""
    from aatd_kg.store.oxigraph import OxigraphStore

    return OxigraphStore.from_release(release)


def client_for(release: Path, **settings: Any) -> Iterator[TestClient]:
    """A client of the real app (``create_app``) over *release*."""
    from aatd_kg.settings import Settings
    from aatd_kg.web.app import create_app

    store = open_store(release)
    try:
        app = create_app(Settings(release=release, **settings), store)
        with TestClient(app) as client:
            yield client
    finally:
        store.close()


# ------------------------------------------------------------------------------ HTML reading
_VOID_TAGS = frozenset({"meta", "link", "br", "img", "input", "hr", "wbr", "source"})


class HtmlFacts(HTMLParser):
    """What a page shows: text by element id, every link, JSON-LD scripts, SVG count."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []  # (href, text)
        self.by_id: dict[str, str] = {}
        self.jsonld: list[str] = []
        self.svgs = 0
        self.text: list[str] = []
        self._open: list[tuple[str, str | None]] = []  # (tag, id)
        self._texts: dict[int, list[str]] = {}
        self._link: tuple[str, list[str]] | None = None
        self._script: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        if tag == "svg":
            self.svgs += 1
        if tag == "a" and attr.get("href"):
            self._link = (attr["href"] or "", [])
        if tag == "script" and attr.get("type") == "application/ld+json":
            self._script = []
        if tag in _VOID_TAGS:
            return
        self._open.append((tag, attr.get("id")))
        self._texts[len(self._open)] = []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "svg":
            self.svgs += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID_TAGS:
            return
        if tag == "a" and self._link is not None:
            self.links.append((self._link[0], "".join(self._link[1]).strip()))
            self._link = None
        if tag == "script" and self._script is not None:
            self.jsonld.append("".join(self._script))
            self._script = None
        while self._open:
            depth = len(self._open)
            open_tag, element_id = self._open.pop()
            content = "".join(self._texts.pop(depth, []))
            if self._open:
                self._texts[depth - 1].append(content)
            if element_id:
                self.by_id[element_id] = " ".join(content.split())
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._link is not None:
            self._link[1].append(data)
        if self._script is not None:
            self._script.append(data)
        if self._open:
            self._texts[len(self._open)].append(data)

    @property
    def all_text(self) -> str:
        """Every text node, whitespace collapsed."""
        return " ".join(" ".join(self.text).split())

    def hrefs(self) -> set[str]:
        """Every link target."""
        return {href for href, _ in self.links}
