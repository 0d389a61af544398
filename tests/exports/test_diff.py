"""`aatd-kg diff`: changes grouped by entity, and retirements that keep IRIs answering."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import OWL, RDFS, XSD, Dataset, Literal, URIRef

from aatd_kg.cli import main
from aatd_kg.prefixes import converter


def _write(dataset: Dataset, path: Path) -> Path:
    path.write_text(dataset.serialize(format="nquads"), encoding="utf-8")
    return path


def _edit(dataset: Dataset, base: str) -> Dataset:
    """A copy of *dataset* to edit as the next release."""
    copy = Dataset()
    for quad in dataset.quads((None, None, None, None)):
        copy.add(quad)
    return copy


def _graph(dataset: Dataset, base: str, name: str):
    return dataset.graph(URIRef(f"{base}graph/{name}"))


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["diff", *args])
    return code, capsys.readouterr().out


def test_changes_are_grouped_by_entity(
    dataset: Dataset, base: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    new = _edit(dataset, base)
    protein = URIRef(base + "protein/AAT")
    new.remove((protein, RDFS.label, None, None))
    _graph(new, base, "disease").add((protein, RDFS.label, Literal("AAT protein")))
    old_path, new_path = _write(dataset, tmp_path / "old.nq"), _write(new, tmp_path / "new.nq")
    code, out = _run(capsys, str(old_path), str(new_path), "--json", "--base", base)
    assert code == 0
    report = json.loads(out)
    assert (report["added"], report["removed"]) == (1, 1)
    (entity,) = report["entities"]
    assert entity["iri"] == str(protein)
    assert entity["status"] == "changed"
    assert entity["added"] == [[f"<{RDFS.label}>", '"AAT protein"']]
    assert entity["removed"] == [[f"<{RDFS.label}>", '"alpha-1 antitrypsin"']]
    assert report["errors"] == []


def test_an_entity_that_disappears_without_a_record_is_an_error(
    dataset: Dataset, base: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    new = _edit(dataset, base)
    gone = URIRef(base + "org/alpha-1-foundation")
    new.remove((gone, None, None, None))
    old_path, new_path = _write(dataset, tmp_path / "old.nq"), _write(new, tmp_path / "new.nq")
    code, out = _run(capsys, str(old_path), str(new_path), "--base", base)
    assert code == 1
    assert "AATDKG:org/alpha-1-foundation [removed]" in out
    assert "  - schema:name" in out
    assert f"ERROR: {gone} disappears without a retirement record" in out
    assert "<org/alpha-1-foundation> owl:deprecated true ." in out


def test_a_retired_entity_with_its_replacement_is_fine(
    dataset: Dataset, base: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    new = _edit(dataset, base)
    old_iri, new_iri = URIRef(base + "therapy/augmentation"), URIRef(base + "therapy/aug")
    for s, p, o, g in list(new.quads((old_iri, None, None, None))):
        new.remove((s, p, o, g))
        new.add((new_iri, p, o, g))
    for s, p, o, g in list(new.quads((None, None, old_iri, None))):
        new.remove((s, p, o, g))
        new.add((s, p, new_iri, g))
    retired = _graph(new, base, "retired")
    retired.add((old_iri, OWL.deprecated, Literal(True, datatype=XSD.boolean)))
    is_replaced_by = URIRef(converter(base).expand_strict("dcterms:isReplacedBy"))
    retired.add((old_iri, is_replaced_by, new_iri))
    old_path, new_path = _write(dataset, tmp_path / "old.nq"), _write(new, tmp_path / "new.nq")
    code, out = _run(capsys, str(old_path), str(new_path), "--json", "--base", base)
    report = json.loads(out)
    assert code == 0, report["errors"]
    statuses = {e["iri"]: (e["status"], e["replaced_by"]) for e in report["entities"]}
    assert statuses[str(old_iri)] == ("retired", [str(new_iri)])
    assert statuses[str(new_iri)] == ("added", [])

    # the next release must keep the retirement record
    newer = _edit(new, base)
    newer.remove((old_iri, None, None, None))
    code, out = _run(capsys, str(new_path), str(_write(newer, tmp_path / "newer.nq")),
                     "--json", "--base", base)
    assert code == 1
    assert "drops its retirement record" in json.loads(out)["errors"][0]


def test_a_replacement_that_does_not_exist_is_an_error(
    dataset: Dataset, base: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    new = _edit(dataset, base)
    old_iri = URIRef(base + "protein/AAT")
    new.remove((old_iri, None, None, None))
    retired = _graph(new, base, "retired")
    retired.add((old_iri, OWL.deprecated, Literal(True)))
    is_replaced_by = URIRef(converter(base).expand_strict("dcterms:isReplacedBy"))
    retired.add((old_iri, is_replaced_by, URIRef(base + "protein/nowhere")))
    code, out = _run(capsys, str(_write(dataset, tmp_path / "old.nq")),
                     str(_write(new, tmp_path / "new.nq")), "--json", "--base", base)
    assert code == 1
    assert "protein/nowhere" in json.loads(out)["errors"][0]


def test_release_directories_give_version_and_base(
    dataset: Dataset, base: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for version in ("1.0.0", "1.1.0"):
        folder = tmp_path / version
        folder.mkdir()
        _write(dataset, folder / "aatd-kg.nq")
        (folder / "release.json").write_text(json.dumps({"version": version, "base_iri": base}))
    code, out = _run(capsys, str(tmp_path / "1.0.0"), str(tmp_path / "1.1.0"))
    assert code == 0
    assert "(version 1.0.0) ->" in out and "(version 1.1.0)" in out
    assert "0 triples added, 0 removed, 0 entities changed" in out


def test_unreadable_input_says_what_is_expected(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["diff", str(tmp_path), str(tmp_path)]) == 2
    assert "no aatd-kg.nq in this directory" in capsys.readouterr().err
