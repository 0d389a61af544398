"""The KGX export: the KGX specification's columns, Biolink names checked against the model."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from aatd_kg.exports.export_context import ExportContext
from aatd_kg.exports.kgx import (
    CLASS_CATEGORIES,
    EDGES_FILE,
    NODES_FILE,
    PREDICATES,
    export_kgx,
)

if TYPE_CHECKING:
    from conftest import BiolinkModel



Kgx = tuple[list[dict[str, str]], list[dict[str, str]]]


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


@pytest.fixture
def kgx(export_context: ExportContext) -> Kgx:
    nodes_path, edges_path = export_kgx(export_context)
    assert (nodes_path.name, edges_path.name) == (NODES_FILE, EDGES_FILE)
    return _read(nodes_path), _read(edges_path)


def test_required_columns_are_filled(kgx: Kgx) -> None:
    nodes, edges = kgx
    assert nodes and edges
    for node in nodes:
        assert node["id"] and node["category"], node
    for edge in edges:
        for column in ("subject", "predicate", "object", "primary_knowledge_source",
                       "knowledge_level", "agent_type"):
            assert edge[column], (column, edge)
    node_ids = {node["id"] for node in nodes}
    assert len(node_ids) == len(nodes)
    for edge in edges:
        assert {edge["subject"], edge["object"]} <= node_ids, edge


def _is_kgx_curie(value: str) -> bool:
    """KGX's CURIE rule: ``prefix:local``, the local part without ``/``, ``:`` or spaces."""
    prefix, sep, local = value.partition(":")
    bad = set(" <()>")
    return bool(sep and local) and not (bad & set(prefix)) and not (set("/: ") & set(local))


def _expand_entity(node_id: str, base: str) -> str:
    """The documented rule: ``AATDKG.a.b:c`` is ``{base}a/b/c``."""
    prefix, local = node_id.split(":", 1)
    folders = prefix.removeprefix("AATDKG").lstrip(".").replace(".", "/")
    return base + (f"{folders}/" if folders else "") + local


def test_ids_are_curies_that_expand_to_our_iris(
    kgx: Kgx, export_context: ExportContext
) -> None:
    nodes, edges = kgx
    for node in nodes:
        assert _is_kgx_curie(node["id"]), node["id"]
    for edge in edges:
        assert _is_kgx_curie(edge["subject"]) and _is_kgx_curie(edge["object"]), edge
    subjects = {str(s) for s in export_context.union.subjects()}
    ours = [node["id"] for node in nodes if node["id"].startswith("AATDKG")]
    assert "AATDKG.disease:AATD" in ours
    for node_id in ours:
        assert _expand_entity(node_id, export_context.base) in subjects, node_id


def test_categories_and_predicates_are_biolink_names(kgx: Kgx, biolink: BiolinkModel) -> None:
    model = biolink
    assert model.version.startswith("4.")
    nodes, edges = kgx
    for node in nodes:
        for category in node["category"].split("|"):
            assert category in model.class_names, category
            spec = model.classes[model.class_names[category]]
            assert not spec.get("deprecated") and not spec.get("mixin"), category
            assert model.class_ancestors(category)[-1] == "entity", category
    for edge in edges:
        predicate = edge["predicate"]
        assert predicate in model.slot_names, predicate
        assert "related to" in model.slot_ancestors(predicate), predicate
        assert not model.slots[model.slot_names[predicate]].get("deprecated"), predicate
        assert edge["knowledge_level"] in model.enums["KnowledgeLevelEnum"]
        assert edge["agent_type"] in model.enums["AgentTypeEnum"]
        assert edge["primary_knowledge_source"] == "infores:aatd-kg"


def test_every_column_is_a_biolink_slot(kgx: Kgx, biolink: BiolinkModel) -> None:
    model = biolink
    nodes, edges = kgx
    for column in [*nodes[0], *edges[0]]:
        assert f"biolink:{column}" in model.slot_names, column


def test_property_table_agrees_with_biolink_mappings(biolink: BiolinkModel) -> None:
    model = biolink
    for curie, predicate in PREDICATES.items():
        spec = model.slots[model.slot_names[predicate]]
        mapped = (spec.get("exact_mappings") or []) + (spec.get("narrow_mappings") or [])
        assert curie in mapped, (curie, predicate)
    for curie, category in CLASS_CATEGORIES.items():
        if curie.startswith("schema:"):
            continue
        spec = model.classes[model.class_names[category]]
        assert curie in (spec.get("exact_mappings") or []), (curie, category)


def test_the_expected_statements_are_edges(kgx: Kgx) -> None:
    nodes, edges = kgx
    found = {(e["subject"], e["predicate"], e["object"], e["original_predicate"]) for e in edges}
    # exactly these: aatd:doesNotCauseCondition (a negative, skos:relatedMatch) gives no edge
    assert found == {
        ("AATDKG.gene:SERPINA1", "biolink:causes", "AATDKG.disease:AATD", "RO:0003303"),
        ("AATDKG.disease:AATD", "biolink:has_phenotype", "AATDKG.phenotype:emphysema",
         "RO:0002200"),
        ("AATDKG.therapy:augmentation", "biolink:treats", "AATDKG.disease:AATD", "aatd:treats"),
        ("AATDKG.therapy:example", "biolink:treats", "AATDKG.disease:example", "aatd:corrects"),
        ("AATDKG.gene:SERPINA1", "biolink:has_gene_product", "AATDKG.protein:AAT", "RO:0002205"),
        ("AATDKG.disease:AATD", "biolink:has_mode_of_inheritance", "HP:0000007", "RO:0000053"),
        ("AATDKG.gene:ELANE", "biolink:causes", "AATDKG.disease:example", "RO:0004003"),
    }
    inverted = next(e for e in edges if e["original_predicate"] == "RO:0004003")
    assert (inverted["original_subject"], inverted["original_object"]) == (
        "AATDKG.disease:example", "AATDKG.gene:ELANE")
    by_id = {node["id"]: node for node in nodes}
    aatd = by_id["AATDKG.disease:AATD"]
    assert aatd["category"] == "biolink:Disease"
    assert aatd["name"] == "alpha-1 antitrypsin deficiency"
    assert "MONDO:0013282" in aatd["xref"].split("|")
    assert by_id["HP:0000007"]["category"] == "biolink:GeneticInheritance"
    # an external term with a recorded label is a node named with it (no edge needed)
    assert by_id["MONDO:0013282"]["name"] == "alpha 1-antitrypsin deficiency"
    assert by_id["MONDO:0013282"]["category"] == "biolink:Disease"
    assert "HP:0002097" not in by_id  # mapped, but no record gives its label
    assert by_id["AATDKG.phenotype:emphysema"]["category"] == "biolink:PhenotypicFeature"
    assert by_id["AATDKG.org:alpha-1-foundation"]["category"] == "biolink:Agent"


def test_edge_ids_are_stable(export_context: ExportContext) -> None:
    first = export_kgx(export_context)[1].read_bytes()
    assert export_kgx(export_context)[1].read_bytes() == first
