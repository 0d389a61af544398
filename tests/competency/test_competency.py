"""Competency questions: each ``NN-name.rq`` runs on the real release and must give exactly
the rows of ``NN-name.expected.tsv`` (a header of variable names, then one row per answer;
cells as described in :mod:`competency_terms`). Order matters only when the query has
ORDER BY. Each query starts with ``# Q: <question>`` and ``# Section: <page section>``.

The release is built once per session (``built_release`` in tests/conftest.py) and loaded
from its N-Quads into Oxigraph with the default graph as the union of the named graphs.
Queries carry no PREFIX lines: the prefixes they use come from the one prefix map, and
relative IRIs (``<gene/SERPINA1>``) resolve against the base.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from competency_terms import cell

from aatd_kg import prefixes

HERE = Path(__file__).parent
QUESTIONS = sorted(HERE.glob("[0-9][0-9]-*.rq"))
BASE = prefixes.DEFAULT_BASE
#: The sections of the source page (data/source.ttl) plus the cross-references of identifiers.md.
SECTIONS = {
    "causes", "diagnosis", "treatment", "healthcare-resources", "articles", "organizations",
    "source", "identifiers",
}
_HEADER = re.compile(r"^# Q: (?P<q>.+)\n# Section: (?P<section>[a-z-]+)\n", re.MULTILINE)


@pytest.fixture(scope="module")
def store(release_dir: Path) -> ox.Store:
    """The built release's N-Quads in an in-memory Oxigraph store."""
    store = ox.Store()
    store.bulk_load(path=str(release_dir / "aatd-kg.nq"), format=ox.RdfFormat.N_QUADS)
    return store


def _header(query: Path) -> re.Match[str]:
    found = _HEADER.match(query.read_text(encoding="utf-8"))
    assert found, f"{query.name} must start with '# Q: ...' and '# Section: ...' lines"
    return found


def _expected(query: Path) -> tuple[list[str], list[tuple[str, ...]]]:
    path = query.with_suffix(".expected.tsv")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    return rows[0], [tuple(row) for row in rows[1:]]


def run(store: ox.Store, query: Path) -> tuple[list[str], list[tuple[str, ...]]]:
    """Run *query* on *store*; return its variable names and its rows as cells."""
    text = query.read_text(encoding="utf-8")
    solutions = store.query(
        prefixes.sparql_prologue(BASE, used_in=text) + text,
        base_iri=BASE, use_default_graph_as_union=True,
    )
    assert isinstance(solutions, ox.QuerySolutions), f"{query.name} must be a SELECT query"
    names = [v.value for v in solutions.variables]
    return names, [tuple(cell(s[name], BASE) for name in names) for s in solutions]


def test_enough_questions_cover_every_section() -> None:
    assert len(QUESTIONS) >= 30
    assert {_header(q)["section"] for q in QUESTIONS} == SECTIONS


@pytest.mark.parametrize("query", QUESTIONS, ids=[q.stem for q in QUESTIONS])
def test_question_gives_the_expected_answer(query: Path, store: ox.Store) -> None:
    assert _header(query)["section"] in SECTIONS
    names, rows = run(store, query)
    expected_names, expected_rows = _expected(query)
    assert names == expected_names
    assert rows, "a competency question must have an answer"
    if re.search(r"\bORDER\s+BY\b", query.read_text(encoding="utf-8"), re.IGNORECASE):
        assert rows == expected_rows
    else:
        assert sorted(rows) == sorted(expected_rows)
        assert len(rows) == len(set(rows)), "duplicate rows: use SELECT DISTINCT"
