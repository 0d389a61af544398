"""Every QC query of shapes/qc/ accepts a clean dataset and finds exactly the planted faults.

The table is ``qc_cases.yaml``; the datasets are prefix-less TriG files in ``qc/``. Each query
runs through :func:`aatd_kg.validate.run_qc` (default graph = union of the named graphs, as
``aatd-kg validate`` runs it) and on a plain default graph, and must give the same rows in both.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
import yaml
from shapes_testlib import BASE, ROOT, iri

from aatd_kg import prefixes
from aatd_kg.validate import qc_queries, run_qc

HERE = Path(__file__).parent
CASES = yaml.safe_load((HERE / "qc_cases.yaml").read_text(encoding="utf-8"))
QUERIES = {path.stem: path for path in qc_queries(ROOT)}


def _store(name: str) -> ox.Store:
    text = (HERE / "qc" / name).read_text(encoding="utf-8")
    store = ox.Store()
    store.load(prefixes.turtle_header(BASE) + "\n" + text, format=ox.RdfFormat.TRIG, base_iri=BASE)
    return store


def _term(spec: str) -> str:
    """The N-Triples form of a table cell (``blank`` stays as is)."""
    if spec == "blank" or spec.startswith('"'):
        return spec
    return f"<{iri(spec)}>"


def _normalize(row: dict[str, str]) -> frozenset[tuple[str, str]]:
    return frozenset((k, "blank" if v.startswith("_:") else v) for k, v in row.items())


def _rows(store: ox.Store, query: Path, union: bool) -> set[frozenset[tuple[str, str]]]:
    if union:
        rows = run_qc(store, [query], BASE)[0].rows
    else:
        text = query.read_text(encoding="utf-8")
        solutions = store.query(prefixes.sparql_prologue(BASE, used_in=text) + text)
        rows = [{v.value: str(s[v]) for v in solutions.variables if s[v] is not None}
                for s in solutions]
    return {_normalize(row) for row in rows}


def test_every_query_has_a_case() -> None:
    assert set(QUERIES) == {case["query"] for case in CASES}


@pytest.mark.parametrize("union", [False, True], ids=["plain", "union"])
@pytest.mark.parametrize("case", CASES, ids=[c["query"] for c in CASES])
def test_clean_dataset_gives_no_rows(case: dict, union: bool) -> None:
    assert _rows(_store("good.trig"), QUERIES[case["query"]], union) == set()


@pytest.mark.parametrize("union", [False, True], ids=["plain", "union"])
@pytest.mark.parametrize("case", CASES, ids=[c["query"] for c in CASES])
def test_faulty_dataset_gives_exactly_the_planted_rows(case: dict, union: bool) -> None:
    expected = {_normalize({k: _term(v) for k, v in row.items()}) for row in case["rows"]}
    assert _rows(_store(case["violates"]), QUERIES[case["query"]], union) == expected
