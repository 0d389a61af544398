"""OxigraphStore over the real release: answers, datasets, errors, the result cap, and a runaway
query that is really stopped (its worker process is gone) while other queries are answered."""

from __future__ import annotations

import asyncio
import csv
import io
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph

from aatd_kg.prefixes import DEFAULT_BASE, prefix_map
from aatd_kg.store.base import (
    QuerySyntaxError,
    QueryTimeout,
    ReleaseNotFound,
    ResultNotAcceptable,
    ResultTooLarge,
    ServiceNotAllowed,
    Store,
    Term,
    UpdateNotAllowed,
)
from aatd_kg.store.oxigraph import OxigraphStore

NS = prefix_map(DEFAULT_BASE)
SERPINA1 = f"{DEFAULT_BASE}gene/SERPINA1"
LABEL = NS["rdfs"] + "label"
#: A cartesian product of the graph with itself four times: never finishes on any release.
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def store(release_dir: Path) -> Iterator[OxigraphStore]:
    with OxigraphStore.from_release(release_dir, workers=2, max_results=1_000) as opened:
        yield opened


def test_is_a_store_with_version_and_size(store: OxigraphStore, release_dir: Path) -> None:
    assert isinstance(store, Store)
    info = store.release_info
    assert store.version == info["version"]
    assert store.triple_count == info["triples"] > 1_000


def test_select_returns_plain_terms(store: OxigraphStore) -> None:
    result = store.query(f"SELECT ?label WHERE {{ <{SERPINA1}> <{LABEL}> ?label }}")
    assert result.kind == "bindings"
    assert result.variables == ("label",)
    assert result.rows == ((Term("literal", "SERPINA1", "en", None),),)
    assert result.bindings() == [{"label": Term("literal", "SERPINA1", "en", None)}]


def test_relative_iris_resolve_against_the_data_base(store: OxigraphStore) -> None:
    result = store.query(f"SELECT ?label WHERE {{ <gene/SERPINA1> <{LABEL}> ?label }}")
    assert [t.value for t in result.column("label") if t] == ["SERPINA1"]


def test_ask_and_construct(store: OxigraphStore) -> None:
    assert store.query(f"ASK {{ <{SERPINA1}> ?p ?o }}").boolean is True
    assert store.query("ASK { <urn:nothing> ?p ?o }").boolean is False
    graph = store.query(f"CONSTRUCT {{ <{SERPINA1}> ?p ?o }} WHERE {{ <{SERPINA1}> ?p ?o }}")
    assert graph.kind == "graph"
    assert (Term("uri", SERPINA1), Term("uri", LABEL), Term("literal", "SERPINA1", "en")) in {
        (s, p, o) for s, p, o in graph.rows
    }


def test_serialized_answers_parse(store: OxigraphStore) -> None:
    query = f"CONSTRUCT {{ <{SERPINA1}> ?p ?o }} WHERE {{ <{SERPINA1}> ?p ?o }}"
    for media_type, rdflib_format in [("text/turtle", "turtle"), ("application/ld+json", "json-ld"),
                                      ("application/rdf+xml", "xml"), ("application/trig", "trig")]:
        answer = store.query_serialized(query, results_media_type=None, graph_media_type=media_type)
        assert answer.media_type == media_type
        graph = Graph().parse(data=answer.body, format=rdflib_format)
        labels = {str(o) for s, p, o in graph if str(p) == LABEL}
        assert labels == {"SERPINA1"}, media_type
        assert answer.count == len(graph)


def test_select_in_every_results_format(store: OxigraphStore) -> None:
    query = f"SELECT ?label WHERE {{ <{SERPINA1}> <{LABEL}> ?label }}"
    formats = {"application/sparql-results+json": ox.QueryResultsFormat.JSON,
               "application/sparql-results+xml": ox.QueryResultsFormat.XML,
               "text/tab-separated-values": ox.QueryResultsFormat.TSV}
    for media_type, fmt in formats.items():
        answer = store.query_serialized(query, results_media_type=media_type, graph_media_type=None)
        solutions = ox.parse_query_results(answer.body, fmt)
        assert [s["label"].value for s in solutions] == ["SERPINA1"], media_type
    answer = store.query_serialized(query, results_media_type="text/csv", graph_media_type=None)
    rows = list(csv.reader(io.StringIO(answer.body.decode())))
    assert rows == [["label"], ["SERPINA1"]]


def test_about_gives_outgoing_and_incoming_links_with_graphs(store: OxigraphStore) -> None:
    about = store.about(SERPINA1)
    assert about.exists
    labels = [link.other.value for link in about.outgoing if link.predicate.value == LABEL]
    assert labels == ["SERPINA1"]
    assert all(link.graph is not None and link.graph.value.startswith(DEFAULT_BASE + "graph/")
               for link in about.outgoing + about.incoming)
    assert about.incoming, "something in the graph points to the gene"
    assert not store.about(f"{DEFAULT_BASE}gene/NOPE").exists


def test_dataset_from_the_protocol(store: OxigraphStore) -> None:
    graphs = sorted(store.release_info["graphs"])
    one = graphs[0]
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"

    def n(**kwargs: object) -> int:
        value = store.query(count, **kwargs).rows[0][0]
        assert value is not None
        return int(value.value)

    # the default graph is the union of the named graphs
    assert n() == sum(store.release_info["graphs"].values())
    assert n(default_graph=[one]) == store.release_info["graphs"][one]
    named = store.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", named_graphs=[one])
    assert [t.value for t in named.column("g") if t] == [one]
    from_clause = store.query(f"SELECT (COUNT(*) AS ?n) FROM <{one}> WHERE {{ ?s ?p ?o }}")
    assert from_clause.rows[0][0] == Term("literal", str(store.release_info["graphs"][one]),
                                          None, NS["xsd"] + "integer")


def test_errors_are_typed(store: OxigraphStore) -> None:
    with pytest.raises(QuerySyntaxError, match=r"1:\d+"):
        store.query("SELECT * WHERE { ?s ?p }")
    with pytest.raises(UpdateNotAllowed, match="read-only"):
        store.query("PREFIX ex: <http://example.org/> INSERT DATA { ex:a ex:b ex:c }")
    with pytest.raises(UpdateNotAllowed):
        store.query("DROP ALL")
    with pytest.raises(ServiceNotAllowed, match="not allowed"):
        store.query("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    with pytest.raises(ResultNotAcceptable) as refused:
        store.query_serialized("ASK {}", results_media_type=None, graph_media_type="text/turtle")
    assert refused.value.kind == "boolean"


def test_result_cap(store: OxigraphStore) -> None:
    with pytest.raises(ResultTooLarge, match="limit of 1000"):
        store.query("SELECT * WHERE { ?s ?p ?o }")
    with pytest.raises(ResultTooLarge):
        store.query("CONSTRUCT WHERE { ?s ?p ?o }")
    assert len(store.query("SELECT * WHERE { ?s ?p ?o } LIMIT 1000").rows) == 1000


@pytest.mark.parametrize("media_type", [
    "application/sparql-results+json", "application/sparql-results+xml", "text/csv",
    "text/tab-separated-values"])
def test_result_cap_in_every_results_format(store: OxigraphStore, media_type: str) -> None:
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT %d"
    with pytest.raises(ResultTooLarge, match="1001 rows"):
        store.query_serialized(query % 1001, results_media_type=media_type, graph_media_type=None)
    answer = store.query_serialized(query % 1000, results_media_type=media_type,
                                    graph_media_type=None)
    assert answer.count == 1000  # a big answer is counted


def test_missing_release_says_what_to_run(tmp_path: Path) -> None:
    with pytest.raises(ReleaseNotFound, match="aatd-kg build"):
        OxigraphStore.from_release(tmp_path)


def test_runaway_query_is_stopped_and_its_worker_killed(release_dir: Path) -> None:
    with OxigraphStore.from_release(release_dir, workers=2, timeout=1.0) as store:
        before = set(store.pool.worker_pids())
        assert len(before) == 2
        outcome: list[object] = []

        def runaway() -> None:
            try:
                store.query(RUNAWAY)
                outcome.append("finished")
            except QueryTimeout as exc:
                outcome.append(exc)

        thread = threading.Thread(target=runaway)
        thread.start()
        # meanwhile, the other worker keeps answering
        answers = [store.query(f"ASK {{ <{SERPINA1}> ?p ?o }}").boolean for _ in range(5)]
        still_running = thread.is_alive()
        thread.join()
        assert answers == [True] * 5
        assert still_running, "the quick queries were answered while the runaway ran"
        assert len(outcome) == 1 and isinstance(outcome[0], QueryTimeout)
        assert "1 s limit" in str(outcome[0])
        gone = before - set(store.pool.worker_pids())
        assert len(gone) == 1, "exactly the worker that ran the runaway query was replaced"
        pid = gone.pop()
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)  # the process no longer exists: its CPU is free
        assert store.pool.replaced == 1
        assert store.pool.wait_until_full(2, timeout=60)
        assert store.query(f"ASK {{ <{SERPINA1}> ?p ?o }}").boolean is True


def test_abandoned_runaway_query_is_killed_at_its_timeout(release_dir: Path) -> None:
    """A cancelled await (the client left): the abandoned runaway job is still killed at its
    timeout, and the replacement worker answers the next query."""

    async def abandon(store: OxigraphStore, query: str) -> None:
        task = asyncio.create_task(store.aquery_serialized(
            query, results_media_type="application/sparql-results+json", graph_media_type=None))
        await asyncio.sleep(0.2)  # let the job reach its worker
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    with OxigraphStore.from_release(release_dir, workers=1, timeout=1.0) as store:
        before = store.pool.worker_pids()
        asyncio.run(abandon(store, RUNAWAY))
        deadline = time.monotonic() + 60  # a wait for the kill, not a timing assertion
        while store.pool.replaced == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert store.pool.replaced == 1
        assert store.pool.wait_until_full(1, timeout=60)
        after = store.pool.worker_pids()
        assert after != before
        with pytest.raises(ProcessLookupError):
            os.kill(before[0], 0)
        answer = asyncio.run(store.aquery_serialized(
            f"ASK {{ <{SERPINA1}> ?p ?o }}", results_media_type="application/sparql-results+json",
            graph_media_type=None))
        assert b"true" in answer.body
        assert store.pool.worker_pids() == after
