"""End to end: the real ``aatd-kg serve`` in a subprocess, spoken to over real HTTP."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef

from aatd_kg.prefixes import DEFAULT_BASE, prefix_map

pytestmark = pytest.mark.slow

NS = prefix_map(DEFAULT_BASE)
SERPINA1 = f"{DEFAULT_BASE}gene/SERPINA1"
#: Upper bound on waiting for the server to come up (a wait, not a performance assertion).
STARTUP_WAIT_S = 120


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def aatd_kg() -> list[str]:
    script = Path(sys.executable).with_name("aatd-kg")
    return [str(script)] if script.exists() else [sys.executable, "-m", "aatd_kg.cli"]


@pytest.fixture(scope="module")
def server(release_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    log_path = tmp_path_factory.mktemp("serve") / "serve.log"
    env = {**os.environ, "AATD_KG_QUERY_WORKERS": "1", "AATD_KG_PORT": "1"}  # flag wins
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [*aatd_kg(), "serve", "--release", str(release_dir), "--port", str(port),
             "--query-timeout", "5"],
            stdout=log, stderr=subprocess.STDOUT, env=env,
        )
        base = f"http://127.0.0.1:{port}/"
        try:
            deadline = time.monotonic() + STARTUP_WAIT_S
            while True:
                if process.poll() is not None:
                    pytest.fail(f"aatd-kg serve exited:\n{log_path.read_text()}")
                try:
                    if httpx.get(base + "health", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    pytest.fail(f"aatd-kg serve did not come up:\n{log_path.read_text()}")
                time.sleep(0.2)
            yield base
        finally:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    logged = log_path.read_text()
    assert "loaded release" in logged and "triples" in logged


def test_health_reports_the_release(server: str, release_dir: Path) -> None:
    health = httpx.get(server + "health").json()
    assert health["status"] == "ok"
    assert health["triples"] > 1_000


def test_select_over_http(server: str) -> None:
    query = f"SELECT ?label WHERE {{ <{SERPINA1}> <{NS['rdfs']}label> ?label }}"
    response = httpx.get(server + "sparql", params={"query": query},
                         headers={"Accept": "application/sparql-results+xml"})
    assert response.status_code == 200
    solutions = ox.parse_query_results(response.content, ox.QueryResultsFormat.XML)
    assert [(s["label"].value, s["label"].language) for s in solutions] == [("SERPINA1", "en")]


def test_construct_over_http(server: str) -> None:
    query = f"CONSTRUCT {{ <{SERPINA1}> ?p ?o }} WHERE {{ <{SERPINA1}> ?p ?o }}"
    response = httpx.post(server + "sparql", content=query.encode(),
                          headers={"Content-Type": "application/sparql-query",
                                   "Accept": "text/turtle"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=response.text, format="turtle")
    label = URIRef(NS["rdfs"] + "label")
    assert [str(o) for o in graph.objects(URIRef(SERPINA1), label)] == ["SERPINA1"]
    assert (URIRef(SERPINA1), URIRef(NS["rdf"] + "type"), None) in graph


def test_service_description_uses_the_served_address(server: str) -> None:
    response = httpx.get(server + "sparql", headers={"Accept": "text/turtle"})
    graph = Graph().parse(data=response.text, format="turtle")
    endpoints = {str(o) for o in graph.objects(None, URIRef(NS["sd"] + "endpoint"))}
    assert endpoints == {server + "sparql"}


def test_missing_release_says_to_build(tmp_path: Path) -> None:
    done = subprocess.run([*aatd_kg(), "serve", "--release", str(tmp_path)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "aatd-kg build" in done.stderr


def test_concurrent_clients_all_get_correct_answers(server: str) -> None:
    """More clients than workers: some requests wait for a worker in a thread, others are
    awaited on the event loop; every answer must be complete and correct."""
    query = f"SELECT ?label WHERE {{ <{SERPINA1}> <{NS['rdfs']}label> ?label }}"
    describe = f"DESCRIBE <{SERPINA1}>"

    def ask(i: int) -> tuple[int, str]:
        text = query if i % 2 else describe
        response = httpx.get(server + "sparql", params={"query": text},
                             headers={"Accept": "application/sparql-results+json, text/turtle"},
                             timeout=60)
        return response.status_code, response.text

    with ThreadPoolExecutor(max_workers=12) as pool:
        answers = list(pool.map(ask, range(60)))
    assert [status for status, _ in answers] == [200] * 60
    for i, (_, text) in enumerate(answers):
        if i % 2:
            assert '"value":"SERPINA1"' in text.replace(" ", "")
        else:
            graph = Graph().parse(data=text, format="turtle")
            assert (URIRef(SERPINA1), URIRef(NS["rdfs"] + "label"), None) in graph
