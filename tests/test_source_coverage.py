"""Every sentence of the source page is in the graph, in the named graph of its own section.

The page (sources/gard-aatd.txt) is split into its sections by their headings; each sentence
must be the text of an ``aatd:sourceText`` (or a sub-property) in the named graph derived from
that section, or a heading (``dcterms:title``/``alternative`` of the section, in graph/source).
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from aatd_kg.prefixes import DEFAULT_BASE, sparql_prologue

PAGE = Path(__file__).resolve().parents[1] / "sources" / "gard-aatd.txt"
#: First line of each section → the data file (named graph) holding its facts.
SECTIONS = {
    "What causes alpha-1 antitrypsin deficiency?": "causes",
    "How is alpha-1 antitrypsin deficiency diagnosed?": "diagnosis",
    "How might alpha-1 antitrypsin deficiency be treated?": "treatment",
    "Healthcare Resources": "healthcare-resources",
    "Selected Full-Text Journal Articles": "articles",
    "Name: Alpha-1 Antitrypsin Deficiency Canada Inc. Alpha-1 Canada 13300 Tecumseh Road East, "
    "Suite #241": "organizations",
    "Connect with other users with Alpha-1 antitrypsin deficiency on the RareGuru app": "source",
}
TEXTS = """
SELECT ?g ?text WHERE {
  { ?p rdfs:subPropertyOf* aatd:sourceText . GRAPH ?g { ?s ?p ?text } }
  UNION { GRAPH ?g { ?s dcterms:title|dcterms:alternative ?text } }
}"""


def _normalize(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("•", " ")).strip()


def _sentences_by_section() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {"source": []}
    section = "source"
    for line in PAGE.read_text(encoding="utf-8").splitlines():
        line = _normalize(line)
        section = SECTIONS.get(line, section)
        found.setdefault(section, [])
        found[section] += [s for s in re.split(r"(?<=[.:?])\s+", line) if s]
    return found


@pytest.fixture(scope="module")
def texts_by_graph(release_dir: Path) -> dict[str, str]:
    store = ox.Store()
    store.bulk_load(path=str(release_dir / "aatd-kg.nq"), format=ox.RdfFormat.N_QUADS)
    joined: dict[str, list[str]] = {}
    query = sparql_prologue(DEFAULT_BASE, used_in=TEXTS) + TEXTS
    for row in store.query(query, use_default_graph_as_union=True):  # type: ignore[union-attr]
        name = row["g"].value.rsplit("/", 1)[-1]
        joined.setdefault(name, []).append(_normalize(row["text"].value))
    return {name: " | ".join(texts) for name, texts in joined.items()}


@pytest.mark.parametrize("section", sorted(set(SECTIONS.values())))
def test_every_sentence_is_in_its_section_graph(
    section: str, texts_by_graph: dict[str, str]
) -> None:
    sentences = _sentences_by_section()[section]
    assert sentences, f"no text found for section {section}: is SECTIONS up to date?"
    own = texts_by_graph.get(section, "")
    page_level = texts_by_graph.get("source", "")  # headings and dates describe the sections
    missing = [
        s for s in sentences
        if s not in own and not (_is_heading_or_date(s) and s in page_level)
    ]
    assert missing == [], f"sentences of {section} missing from graph/{section}"


def _is_heading_or_date(sentence: str) -> bool:
    return (sentence in SECTIONS or sentence.startswith("Last updated on ")
            or sentence.endswith(" - articles"))
