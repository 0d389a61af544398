"""The exports of the real release of this repository, read back with other people's tools."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox
from pyshacl import validate
from rdflib import Graph
from sssom.parsers import parse_sssom_table

from aatd_kg.build.load import parse_source
from aatd_kg.cli import main
from aatd_kg.exports.context import jsonld_context
from aatd_kg.exports.sssom import MAPPING_PREDICATES
from aatd_kg.prefixes import converter, sparql_prologue

if TYPE_CHECKING:
    import pytest
    from conftest import BiolinkModel

SSSOM_CLI = Path(sys.executable).with_name("sssom")
SHAPES = Path(__file__).parent / "fixtures" / "fdp-shapes.ttl"


def test_sssom_of_the_release_validates_and_round_trips(release_dir: Path, base: str) -> None:
    path = release_dir / "aatd-kg.sssom.tsv"
    run = subprocess.run([str(SSSOM_CLI), "validate", "-V", "JsonSchema", "-V",
                          "PrefixMapCompleteness", "-V", "StrictCurieFormat", str(path)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-2000:]
    msdf = parse_sssom_table(path)
    conv = msdf.converter
    read_back = {(conv.expand_strict(r.subject_id), conv.expand_strict(r.predicate_id),
                  conv.expand_strict(r.object_id)) for r in msdf.df.itertuples()}
    values = " ".join(MAPPING_PREDICATES)
    query = f"SELECT DISTINCT ?s ?p ?o {{ VALUES ?p {{ {values} }} ?s ?p ?o }}"
    store = ox.Store()
    store.load(path=str(release_dir / "aatd-kg.nq"), format=ox.RdfFormat.N_QUADS)
    expand = converter(base).expand_strict
    in_graph = set()
    for row in store.query(sparql_prologue(base, query) + query, use_default_graph_as_union=True):
        obj = row["o"]
        obj_iri = obj.value if isinstance(obj, ox.NamedNode) else expand(obj.value)
        in_graph.add((row["s"].value, row["p"].value, obj_iri))
    assert read_back == in_graph
    assert len(in_graph) > 50


def test_kgx_of_the_release_uses_biolink_names(release_dir: Path, biolink: BiolinkModel) -> None:
    def rows(name: str) -> list[dict[str, str]]:
        with (release_dir / name).open(newline="", encoding="utf-8") as handle:
            return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))

    nodes, edges = rows("aatd-kg_nodes.tsv"), rows("aatd-kg_edges.tsv")
    ids = {n["id"] for n in nodes}
    for node in nodes:
        assert all(c in biolink.class_names for c in node["category"].split("|")), node
    for edge in edges:
        assert edge["predicate"] in biolink.slot_names, edge
        assert not biolink.slots[biolink.slot_names[edge["predicate"]]].get("deprecated")
        assert {edge["subject"], edge["object"]} <= ids, edge
    found = {(e["subject"], e["predicate"], e["object"]) for e in edges}
    assert ("AATDKG.gene:SERPINA1", "biolink:causes", "AATDKG.disease:AATD") in found
    assert ("AATDKG.disease:AATD", "biolink:has_mode_of_inheritance", "HP:0000007") in found
    assert any(p == "biolink:has_phenotype" for _, p, _ in found)
    assert any(p == "biolink:treats" for _, p, _ in found)


def test_the_published_context_is_the_one_of_the_release(release_dir: Path, base: str) -> None:
    published = json.loads((release_dir / "context.jsonld").read_text())["@context"]
    graph = Graph().parse(release_dir / "aatd-kg.jsonld", format="json-ld")
    assert published["exactMatch"] == {"@id": "skos:exactMatch", "@type": "@id"}
    assert published == jsonld_context(base, graph)
    release = json.loads((release_dir / "release.json").read_text())
    assert len(graph) == release["triples"]


def test_the_catalogue_in_void_conforms_to_the_fdp_shapes(release_dir: Path, base: str) -> None:
    void = Graph().parse(release_dir / "void.ttl", format="turtle")
    conforms, _, text = validate(void, shacl_graph=parse_source(SHAPES, base,
                                                                allow_blank_nodes=True))
    assert conforms, text
    release = json.loads((release_dir / "release.json").read_text())
    query = sparql_prologue(base, "dcat: dcterms: spdx:") + """
        SELECT ?name ?sum WHERE {
          ?d dcterms:title ?name ; spdx:checksum/spdx:checksumValue ?sum
        }"""
    described = {(str(r[0]), str(r[1])) for r in void.query(query)}  # type: ignore[index]
    listed = {(name, f["sha256"]) for name, f in release["files"].items() if name != "void.ttl"}
    assert listed <= described


def test_diff_of_a_release_with_itself_is_empty(
    release_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["diff", str(release_dir), str(release_dir), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["added"], report["removed"], report["entities"]) == (0, 0, [])
