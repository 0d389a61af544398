"""The release build: formats, determinism, metadata, and bad input that loses nothing."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import OWL, Dataset, Graph, URIRef
from rdflib.compare import isomorphic

from aatd_kg.build.load import SourceError
from aatd_kg.build.release import build_release
from aatd_kg.cli import main
from aatd_kg.prefixes import DEFAULT_BASE, prefix_map
from aatd_kg.validate import ReleaseInvalid

MINIMAL = Path(__file__).parent / "fixtures" / "minimal"
FORMATS = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld"}


@pytest.fixture
def minimal(tmp_path: Path) -> Path:
    """A writable copy of the minimal source tree."""
    root = tmp_path / "src"
    shutil.copytree(MINIMAL, root)
    return root


def _checksums(release: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(release.iterdir())}


def _graph(path: Path, fmt: str) -> Graph:
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    return Graph().parse(data=data, format=fmt)


def test_every_format_parses_to_the_same_graph(release_dir: Path) -> None:
    reference = _graph(release_dir / "aatd-kg.nt", "nt")
    assert len(reference) > 100
    for ext, fmt in FORMATS.items():
        for name in (f"aatd-kg.{ext}", f"aatd-kg.{ext}.gz"):
            assert isomorphic(_graph(release_dir / name, fmt), reference), name


def test_quad_formats_keep_the_named_graphs(release_dir: Path) -> None:
    nquads = Dataset().parse(release_dir / "aatd-kg.nq", format="nquads")
    trig = Dataset().parse(release_dir / "aatd-kg.trig", format="trig")
    quads = {(s, p, o, str(g)) for s, p, o, g in nquads.quads((None, None, None, None))}
    assert quads == {(s, p, o, str(g)) for s, p, o, g in trig.quads((None, None, None, None))}
    release = json.loads((release_dir / "release.json").read_text())
    assert {g for *_, g in quads} == set(release["graphs"])
    assert f"{DEFAULT_BASE}graph/ontology" in release["graphs"]


def test_release_json_lists_every_file_with_its_checksum(release_dir: Path) -> None:
    release = json.loads((release_dir / "release.json").read_text())
    sums = dict(
        reversed(line.split("  ")) for line in (release_dir / "SHA256SUMS").read_text().splitlines()
    )
    for name, entry in release["files"].items():
        data = (release_dir / name).read_bytes()
        assert entry["bytes"] == len(data)
        assert entry["sha256"] == hashlib.sha256(data).hexdigest() == sums[name]
    assert release["files"]["aatd-kg.ttl"]["media_type"] == "text/turtle"
    assert release["files"]["aatd-kg.jsonld"]["media_type"] == "application/ld+json"
    assert {"void.ttl", "context.jsonld", "shacl-report.ttl", "aatd-kg.nq.gz"} <= set(sums)


def test_ontology_carries_the_stamped_version(release_dir: Path) -> None:
    release = json.loads((release_dir / "release.json").read_text())
    graph = _graph(release_dir / "aatd-kg.ttl", "turtle")
    ontology = URIRef(DEFAULT_BASE + "vocab")
    assert graph.value(ontology, OWL.versionIRI) == URIRef(
        f"{DEFAULT_BASE}release/{release['version']}/vocab")
    assert str(graph.value(ontology, OWL.versionInfo)) == release["version"]


def test_jsonld_uses_the_published_context(release_dir: Path) -> None:
    dump = json.loads((release_dir / "aatd-kg.jsonld").read_text())
    published = json.loads((release_dir / "context.jsonld").read_text())
    assert dump["@context"] == published["@context"]
    assert "label" in published["@context"]


def test_two_builds_are_byte_identical(tmp_path: Path, project_root: Path) -> None:
    sums = []
    for seed in ("1", "2"):
        out = tmp_path / f"r{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-m", "aatd_kg.cli", "build", "--out", str(out),
                        "--root", str(project_root)], check=True, env=env, capture_output=True)
        sums.append(_checksums(out))
    assert sums[0] == sums[1]


def test_base_iri_is_configurable(minimal: Path, tmp_path: Path) -> None:
    info = build_release(minimal, tmp_path / "out", "http://example.org/kg")
    graph = _graph(tmp_path / "out" / "aatd-kg.nt", "nt")
    assert (URIRef("http://example.org/kg/gene/SERPINA1"), None, None) in graph
    assert info["base_iri"] == "http://example.org/kg/"


def _build_ok(root: Path, out: Path) -> dict[str, str]:
    build_release(root, out, DEFAULT_BASE)
    return _checksums(out)


def test_syntax_error_names_file_and_line_and_keeps_the_release(
    minimal: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "dist"
    before = _build_ok(minimal, out)
    data = minimal / "data" / "genes.ttl"
    data.write_text(data.read_text().replace('"SERPINA1"@en ;', '"SERPINA1@en ;'))
    with pytest.raises(SourceError) as err:
        build_release(minimal, out, DEFAULT_BASE)
    assert err.value.path == data and err.value.line == 4
    assert f"{data}:4" in str(err.value)
    assert main(["build", "--root", str(minimal), "--out", str(out)]) == 1
    assert f"{data}:4" in capsys.readouterr().err
    assert _checksums(out) == before


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("@prefix ex: <http://example.org/> .\n", "must not declare prefixes"),
        ("<gene/X> rdfs:seeAlso [ rdfs:label \"x\" ] .\n", "blank node"),
        ("<gene/X> nosuchprefix:thing <gene/Y> .\n", "Turtle"),
    ],
)
def test_bad_sources_are_refused(minimal: Path, tmp_path: Path, text: str, problem: str) -> None:
    (minimal / "data" / "bad.ttl").write_text(text)
    with pytest.raises(SourceError, match=problem) as err:
        build_release(minimal, tmp_path / "dist", DEFAULT_BASE)
    assert err.value.path.name == "bad.ttl"
    assert not (tmp_path / "dist").exists()


def test_shacl_violation_lists_focus_path_message_and_keeps_the_release(
    minimal: Path, tmp_path: Path
) -> None:
    out = tmp_path / "dist"
    before = _build_ok(minimal, out)
    data = minimal / "data" / "genes.ttl"
    data.write_text(data.read_text().replace('rdfs:label "SERPINA1"@en ;', ""))
    with pytest.raises(ReleaseInvalid) as err:
        build_release(minimal, out, DEFAULT_BASE)
    (violation,) = err.value.report.violations
    assert violation.focus == f"{DEFAULT_BASE}gene/SERPINA1"
    assert violation.path.endswith("rdf-schema#label")
    assert violation.message == "a gene needs exactly one rdfs:label: add one"
    assert violation.focus in str(err.value)
    assert _checksums(out) == before


def test_validate_command_exit_codes(minimal: Path, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    build_release(minimal, out, DEFAULT_BASE)
    assert main(["validate", str(out), "--root", str(minimal)]) == 0
    nquads = out / "aatd-kg.nq"
    nquads.write_text("".join(
        line + "\n" for line in nquads.read_text().splitlines() if "rdf-schema#label" not in line))
    assert main(["validate", str(out), "--root", str(minimal)]) == 1
    assert main(["validate", str(tmp_path / "missing"), "--root", str(minimal)]) == 2




def test_void_counts_agree_with_the_dumps(release_dir: Path) -> None:
    release = json.loads((release_dir / "release.json").read_text())
    void = Graph().parse(release_dir / "void.ttl", format="turtle")
    dataset = URIRef(f"{DEFAULT_BASE}dataset")
    triples = URIRef(prefix_map()["void"] + "triples")
    assert int(void.value(dataset, triples)) == release["triples"] == len(
        _graph(release_dir / "aatd-kg.nt", "nt"))
    for name, count in release["graphs"].items():
        assert int(void.value(URIRef(name), triples)) == count, name
