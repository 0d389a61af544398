"""Labels of the external terms the real release maps to: the SSSOM ``object_label`` column and
the KGX node names come from the ``sssom:object_label`` of the mapping records, and only there."""

from __future__ import annotations

import csv
from pathlib import Path

import pyoxigraph as ox
from sssom.parsers import parse_sssom_table

from aatd_kg.prefixes import converter, sparql_prologue

_RECORD_LABELS = """
SELECT ?s ?p ?o ?label WHERE {
  ?record a aatd:MappingRecord ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
          sssom:object_label ?label .
}
"""


def _store(release_dir: Path) -> ox.Store:
    store = ox.Store()
    store.load(path=str(release_dir / "aatd-kg.nq"), format=ox.RdfFormat.N_QUADS)
    return store


def _record_labels(store: ox.Store, base: str) -> dict[tuple[str, str, str], str]:
    """(subject, predicate, object) as CURIEs → the label its mapping record gives the object."""
    conv = converter(base)
    query = sparql_prologue(base, _RECORD_LABELS) + _RECORD_LABELS
    found: dict[tuple[str, str, str], str] = {}
    for row in store.query(query, use_default_graph_as_union=True):
        label = row["label"]
        assert isinstance(label, ox.Literal)
        assert label.datatype.value.endswith("#string") and label.language is None, label
        s, p, o = (conv.compress_strict(row[v].value) for v in ("s", "p", "o"))
        found[(s, p, o)] = label.value
    return found


def _sssom_labels(release_dir: Path) -> dict[tuple[str, str, str], str]:
    df = parse_sssom_table(release_dir / "aatd-kg.sssom.tsv").df
    return {
        (row.subject_id, row.predicate_id, row.object_id): row.object_label
        for row in df.itertuples()
        if isinstance(row.object_label, str) and row.object_label
    }


def test_every_object_label_of_the_sssom_file_is_its_records_label(
    release_dir: Path, base: str
) -> None:
    in_graph = _record_labels(_store(release_dir), base)
    in_file = _sssom_labels(release_dir)
    subject = "AATDKG:disease/AATD"
    assert in_file[(subject, "skos:exactMatch", "MONDO:0013282")] == (
        "alpha 1-antitrypsin deficiency")
    assert in_file == in_graph
    assert len(in_file) >= 50
    # a term whose label identifiers.md does not give has none
    assert (subject, "skos:exactMatch", "Orphanet:60") not in in_file


def test_external_kgx_nodes_are_named_with_the_recorded_labels(
    release_dir: Path, base: str
) -> None:
    with (release_dir / "aatd-kg_nodes.tsv").open(newline="", encoding="utf-8") as handle:
        nodes = {n["id"]: n for n in csv.DictReader(handle, delimiter="\t",
                                                     quoting=csv.QUOTE_NONE)}
    assert nodes["MONDO:0013282"]["name"] == "alpha 1-antitrypsin deficiency"
    assert nodes["MONDO:0013282"]["category"] == "biolink:Disease"
    assert "MONDO:0013282" in nodes["AATDKG.disease:AATD"]["xref"].split("|")
    labels = {obj: label for (_, _, obj), label in
              _record_labels(_store(release_dir), base).items()}
    external = {node_id: node["name"] for node_id, node in nodes.items()
                if not node_id.startswith("AATDKG")}
    assert {node_id: name for node_id, name in external.items() if name} == labels
