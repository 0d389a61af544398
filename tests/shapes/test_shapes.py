"""Every SHACL shape has a conforming and a violating fixture; the violation is checked exactly.

The table is ``cases.yaml``: one entry per shape with its two fixture files (prefix-less Turtle,
as in ``data/``) and the results the violating one must produce (focus node, path, message).
Adding a shape means adding a fixture pair and an entry; ``test_every_shape_has_a_case`` fails
until you do.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from pyshacl import validate
from rdflib import RDF, Graph, URIRef
from rdflib.namespace import SH
from shapes_testlib import BASE, iri

from aatd_kg.build.load import parse_source

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures"
CASES = yaml.safe_load((HERE / "cases.yaml").read_text(encoding="utf-8"))


@dataclass(frozen=True, order=True)
class Result:
    """The part of a SHACL validation result a test checks."""

    focus: str
    path: str
    message: str
    value: str


def _text(term: object) -> str:
    return "" if term is None else str(term)


def _results(data: Graph, shapes: Graph) -> tuple[bool, set[Result]]:
    conforms, report, _ = validate(
        data, shacl_graph=shapes, advanced=True, inference="none", allow_warnings=False
    )
    found = set()
    for node in report.subjects(RDF.type, SH.ValidationResult):
        found.add(Result(
            focus=str(report.value(node, SH.focusNode)),
            path=str(report.value(node, SH.resultPath)),
            message=str(report.value(node, SH.resultMessage)),
            value=_text(report.value(node, SH.value)),
        ))
    return bool(conforms), found


def _fixture(name: str) -> Graph:
    return parse_source(FIXTURES / name, BASE)


def _expected(case: dict) -> set[Result]:
    """The rows of *case*: CURIEs or base-relative paths; ``value`` an IRI, ``literal`` a text."""
    return {
        Result(
            focus=iri(row["focus"]),
            path="None" if row["path"] is None else iri(row["path"]),
            message=row["message"],
            value=iri(row["value"]) if "value" in row else str(row.get("literal", "")),
        )
        for row in case["violations"]
    }


@pytest.mark.parametrize("case", CASES, ids=[c["shape"] for c in CASES])
def test_conforming_fixture_conforms(case: dict, shapes_graph: Graph) -> None:
    conforms, found = _results(_fixture(case["conforms"]), shapes_graph)
    assert found == set()
    assert conforms


@pytest.mark.parametrize("case", CASES, ids=[c["shape"] for c in CASES])
def test_violating_fixture_gives_exactly_the_expected_results(
    case: dict, shapes_graph: Graph
) -> None:
    conforms, found = _results(_fixture(case["violates"]), shapes_graph)
    assert not conforms
    assert sorted(found) == sorted(_expected(case))


def test_every_shape_has_a_case(shapes_graph: Graph) -> None:
    node_shapes = {
        str(s) for s in shapes_graph.subjects(RDF.type, SH.NodeShape) if isinstance(s, URIRef)
    }
    covered = {iri("shape/" + case["shape"]) for case in CASES}
    assert node_shapes - covered == set(), "add a fixture pair to cases.yaml for these shapes"
    assert covered - node_shapes == set(), "cases.yaml names shapes that do not exist"


@pytest.mark.parametrize("case", CASES, ids=[c["shape"] for c in CASES])
def test_every_message_says_what_to_do(case: dict) -> None:
    for row in case["violations"]:
        assert len(row["message"]) > 30
