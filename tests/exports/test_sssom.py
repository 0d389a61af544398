"""The SSSOM mapping set: valid for sssom-py, and the same mappings as the graph."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from rdflib import Literal, URIRef
from sssom.parsers import parse_sssom_table

from aatd_kg.exports.registry import ExportContext
from aatd_kg.exports.sssom import (
    FILE_NAME,
    MAPPING_PREDICATES,
    SssomExportError,
    export_sssom,
    recorded_object_labels,
)
from aatd_kg.prefixes import converter, prefix_map

SSSOM_CLI = Path(sys.executable).with_name("sssom")


def _graph_mappings(ctx: ExportContext) -> set[tuple[str, str, str]]:
    """The mapping triples of the graph as full IRIs, read with plain rdflib."""
    conv = converter(ctx.base)
    found = set()
    for curie in MAPPING_PREDICATES:
        predicate = URIRef(conv.expand_strict(curie))
        for s, o in ctx.union.subject_objects(predicate):
            obj = conv.expand_strict(str(o)) if isinstance(o, Literal) else str(o)
            found.add((str(s), str(predicate), obj))
    return found


def _header(path: Path) -> dict:
    lines = [line[2:] for line in path.read_text().splitlines() if line.startswith("#")]
    return yaml.safe_load("\n".join(lines))


def test_the_file_passes_sssom_validate(export_context: ExportContext) -> None:
    (path,) = export_sssom(export_context)
    assert path.name == FILE_NAME
    checks = ("JsonSchema", "PrefixMapCompleteness", "StrictCurieFormat")
    command = [str(SSSOM_CLI), "validate", *(f"-V{check}" for check in checks), str(path)]
    run = subprocess.run(command, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-2000:]


def test_mappings_round_trip_through_sssom_py(
    export_context: ExportContext, caplog: pytest.LogCaptureFixture
) -> None:
    (path,) = export_sssom(export_context)
    # strict=True is unusable in sssom-py 0.4.21: it fails exactly when the metadata is regular
    # (inverted test in parsers.py); the same checks are made here on its log instead.
    with caplog.at_level(logging.WARNING):
        msdf = parse_sssom_table(path)
    complaints = [r.getMessage() for r in caplog.records
                  if "not a standard SSSOM" in r.getMessage() or "built-in" in r.getMessage()]
    assert complaints == []
    conv = msdf.converter
    read_back = {
        (conv.expand_strict(r.subject_id), conv.expand_strict(r.predicate_id),
         conv.expand_strict(r.object_id))
        for r in msdf.df.itertuples()
    }
    assert read_back == _graph_mappings(export_context)
    assert len(msdf.df) == 17


def test_labels_justification_and_source_per_mapping(export_context: ExportContext) -> None:
    (path,) = export_sssom(export_context)
    df = parse_sssom_table(path).df.set_index(["subject_id", "object_id"])
    row = df.loc[("AATDKG:disease/AATD", "MONDO:0013282")]
    assert row.subject_label == "alpha-1 antitrypsin deficiency"
    assert row.object_label == "alpha 1-antitrypsin deficiency"
    assert row.predicate_id == "skos:exactMatch"
    assert row.mapping_justification == "semapv:ManualMappingCuration"
    # from its mapping record
    assert row.mapping_provider == export_context.base + "source/ref/mondo-sssom"
    assert row.comment == "confidence of reading: V"
    xref = df.loc[("AATDKG:disease/AATD", "GARD:0005784")]
    assert xref.predicate_id == "oboInOwl:hasDbXref"
    # no record: what its graph was derived from
    mondo_mappings = "https://github.com/monarch-initiative/mondo/tree/master/src/ontology/mappings"
    assert xref.mapping_provider == mondo_mappings
    close = df.loc[("AATDKG:disease/AATD", "MedDRA:10001806")]
    assert close.predicate_id == "skos:closeMatch"
    assert not isinstance(close.object_label, str) or close.object_label == ""  # no label in data
    fallback = df.loc[("AATDKG:phenotype/emphysema", "HP:0002097")]
    assert fallback.object_label == "Emphysema"  # no record label: the graph's label of HP:0002097
    vocab_row = df.loc[("aatd:Disease", "biolink:Disease")]
    assert vocab_row.mapping_provider == export_context.base + "graph/ontology"


def test_header_metadata(export_context: ExportContext) -> None:
    (path,) = export_sssom(export_context)
    header = _header(path)
    base = export_context.base
    assert header["mapping_set_id"] == f"{base}mappings/{FILE_NAME}"
    assert header["mapping_set_version"] == "1.0.0"
    assert header["license"] == "https://creativecommons.org/publicdomain/zero/1.0/"
    used = {"AATDKG", "aatd", "biolink", "skos", "oboInOwl", "semapv", "MONDO", "Orphanet",
            "OMIM", "DOID", "MedDRA", "GARD", "HGNC", "HP", "MAXO", "RO"}
    assert set(header["curie_map"]) == used
    for prefix, namespace in header["curie_map"].items():
        assert prefix_map(base)[prefix] == namespace


def test_an_xref_with_an_unknown_prefix_is_refused(export_context: ExportContext) -> None:
    graph = export_context.dataset.graph(URIRef(export_context.base + "graph/identifiers"))
    xref = URIRef(converter(export_context.base).expand_strict("oboInOwl:hasDbXref"))
    graph.add((URIRef(export_context.base + "disease/AATD"), xref, Literal("ICD9:273.4")))
    with pytest.raises(SssomExportError, match=r"ICD9:273\.4"):
        export_sssom(export_context)


def _rdfs_label(ctx: ExportContext, curie: str, label: str) -> None:
    """Give the external term *curie* an ``rdfs:label`` in the graph (dataset and union)."""
    conv = converter(ctx.base)
    triple = (URIRef(conv.expand_strict(curie)), URIRef(conv.expand_strict("rdfs:label")),
              Literal(label))
    ctx.dataset.graph(URIRef(ctx.base + "graph/identifiers")).add(triple)
    ctx.union.add(triple)


def test_the_record_label_wins_over_a_label_in_the_graph(export_context: ExportContext) -> None:
    _rdfs_label(export_context, "MONDO:0013282", "a label the record does not give")
    (path,) = export_sssom(export_context)
    df = parse_sssom_table(path).df.set_index(["subject_id", "object_id"])
    assert df.loc[("AATDKG:disease/AATD", "MONDO:0013282")].object_label == (
        "alpha 1-antitrypsin deficiency")


def test_recorded_labels_by_term_and_a_conflict_is_refused(export_context: ExportContext) -> None:
    ctx = export_context
    conv = converter(ctx.base)
    mondo = URIRef(conv.expand_strict("MONDO:0013282"))
    assert recorded_object_labels(ctx.union, ctx.base) == {mondo: "alpha 1-antitrypsin deficiency"}
    second = URIRef(ctx.base + "mapping/disease/AATD/MONDO-0013282-again")
    for curie, value in (("rdf:type", URIRef(conv.expand_strict("aatd:MappingRecord"))),
                         ("rdf:object", mondo), ("sssom:object_label", Literal("AATD"))):
        ctx.union.add((second, URIRef(conv.expand_strict(curie)), value))
    with pytest.raises(SssomExportError, match="MONDO_0013282 has two labels"):
        recorded_object_labels(ctx.union, ctx.base)
