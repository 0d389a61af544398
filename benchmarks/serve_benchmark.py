"""Serving benchmark: requests/s and p50/p99 latency of a fixed query mix over loopback.

Servers, each measured in the same run on the same file:
- ``aatd-kg serve`` (this project: protocol layer, worker processes, timeouts);
- ``minimal``: a bare FastAPI route running the same query on pyoxigraph
  (benchmarks/serve_minimal.py);
- ``rdflib-endpoint`` serving the same N-Quads file (the `bench` extra);
- ``constant``: a FastAPI route returning a constant (the framework's ceiling).

Graphs: the release (``--release``, default dist/) and a generated graph of ``--triples``
(default 1M) shaped like it (benchmarks/generate_graph.py). Load: Debian ``wrk`` cycling the
mix (entity DESCRIBE, label lookup, 2-hop join, text FILTER, COUNT by class, paged ORDER BY) at
1 and 32 connections; then entity lookups alone (DESCRIBE + label) at 32 connections, and entity
pages (``aatd-kg serve`` only). Prints a table and the target ratios and writes them to
benchmarks/out/. ``--quick``: shorter runs and a 100k-triple generated graph.

    python benchmarks/serve_benchmark.py [--quick] [--release dist] [--skip-rdflib]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import quote

import httpx
import pyoxigraph as ox

from aatd_kg.prefixes import prefix_map

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
PYTHON = sys.executable
BIN = Path(PYTHON).parent
#: Accept header of SELECT requests; DESCRIBE asks for Turtle (rdflib-endpoint cannot negotiate
#: between a results type and an RDF type in one header).
ACCEPT = "application/sparql-results+json"


@dataclass
class Row:
    graph: str
    server: str
    workload: str
    connections: int
    requests: int
    rps: float
    p50_ms: float
    p99_ms: float
    mean_ms: float
    errors: int


# ------------------------------------------------------------------------------- the query mix
def pick_entities(nquads: Path, base: str, count: int = 20) -> list[tuple[str, str]]:
    """(IRI, a word of its label) for *count* labelled entities, chosen reproducibly."""
    label = prefix_map(base)["rdfs"] + "label"
    found: dict[str, str] = {}
    for quad in ox.parse(path=str(nquads), format=ox.RdfFormat.N_QUADS):
        subject = quad.subject
        if (quad.predicate.value == label and isinstance(subject, ox.NamedNode)
                and subject.value.startswith(base)
                and not subject.value.startswith((base + "vocab", base + "graph/"))):
            word = re.findall(r"[A-Za-z]{4,}", quad.object.value)
            if word:
                found.setdefault(subject.value, word[0].lower())
    chosen = sorted(found.items())
    random.Random(0).shuffle(chosen)
    return chosen[:count]


def mix(base: str, entities: Sequence[tuple[str, str]]) -> dict[str, list[str]]:
    """SPARQL queries of each kind, one per entity."""
    ns = prefix_map(base)
    label = f"<{ns['rdfs']}label>"
    out: dict[str, list[str]] = {k: [] for k in
                                 ("describe", "label", "join", "filter", "count", "orderby")}
    for n, (iri, word) in enumerate(entities):
        out["describe"].append(f"DESCRIBE <{iri}>")
        out["label"].append(f"SELECT ?label WHERE {{ <{iri}> {label} ?label }}")
        out["join"].append(
            f"SELECT ?p ?mid ?q ?o WHERE {{ <{iri}> ?p ?mid . ?mid ?q ?o . FILTER(isIRI(?mid)) }}"
            " LIMIT 100")
        out["filter"].append(
            f'SELECT ?s ?l WHERE {{ ?s {label} ?l FILTER(REGEX(?l, "{word}", "i")) }} LIMIT 20')
        out["count"].append("SELECT ?c (COUNT(?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c")
        out["orderby"].append(
            f"SELECT ?s ?l WHERE {{ ?s {label} ?l }} ORDER BY ?l LIMIT 20 OFFSET {20 * n}")
    return out


def sparql_paths(path: str, queries: dict[str, list[str]], kinds: Sequence[str]) -> list[str]:
    """GET paths cycling through *kinds* (interleaved: one of each kind per entity)."""
    paths = []
    for i in range(len(next(iter(queries.values())))):
        for kind in kinds:
            paths.append(f"{path}?query={quote(queries[kind][i], safe='')}")
    return paths


# ----------------------------------------------------------------------------------- servers
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def group_cpu_seconds(pgid: int) -> float:
    """CPU seconds used so far by every process of the process group *pgid*."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # field 5 of stat: the process group
            total += int(fields[11]) + int(fields[12])  # utime + stime
    return total / os.sysconf("SC_CLK_TCK")


def settle(pgid: int, limit_s: float = 300) -> None:
    """Wait until the server's processes are idle (work left over from the previous run)."""
    deadline = time.monotonic() + limit_s
    before = group_cpu_seconds(pgid)
    while time.monotonic() < deadline:
        time.sleep(1.0)
        now = group_cpu_seconds(pgid)
        if now - before < 0.05:
            return
        before = now


@contextmanager
def running(command: list[str], ready_url: str, wait_s: float, log: Path) -> Iterator[int]:
    """Run *command* (its own process group) until the block ends; wait for *ready_url*."""
    with log.open("wb") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        try:
            deadline = time.monotonic() + wait_s
            while True:
                if process.poll() is not None:
                    raise RuntimeError(f"{command[:3]} exited:\n{log.read_text()[-3000:]}")
                try:
                    if httpx.get(ready_url, timeout=5).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{command[:3]} not ready after {wait_s} s")
                time.sleep(0.5)
            yield process.pid
        finally:
            os.killpg(process.pid, signal.SIGINT)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def check_answers(base_url: str, paths: Sequence[str]) -> list[str]:
    """Each distinct path once: the problems (non-2xx answers) found."""
    problems = []
    for path in dict.fromkeys(paths):
        accept = ("text/turtle" if "DESCRIBE" in path else ACCEPT) if "query=" in path else (
            "text/html")
        response = httpx.get(base_url + path, headers={"Accept": accept}, timeout=600)
        if response.status_code >= 300:
            problems.append(f"{response.status_code} {path[:80]}: {response.text[:200]}")
    return problems


# ----------------------------------------------------------------------------------- wrk
LUA = """
local paths = {%s}
local counter = 0
request = function()
  counter = counter + 1
  local path = paths[(counter %% #paths) + 1]
  local accept = "%s"
  if string.find(path, "DESCRIBE", 1, true) then accept = "text/turtle" end
  if not string.find(path, "query=", 1, true) then accept = "text/html" end
  return wrk.format("GET", path, {["Accept"] = accept})
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %%d %%f %%f %%f %%f %%d\\n", summary.requests,
    summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    latency.mean / 1000, e.connect + e.read + e.write + e.status + e.timeout))
end
"""


def wrk(url: str, paths: Sequence[str], connections: int,
        duration: float) -> tuple[int, float, float, float, float, int]:
    """(requests, rps, p50 ms, p99 ms, mean ms, errors) of one wrk run."""
    script = LUA % (", ".join(f'"{p}"' for p in paths), ACCEPT)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    try:
        threads = 1 if connections == 1 else 2
        done = subprocess.run(
            ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{duration:g}s",
             "--timeout", "120s", "-s", handle.name, url],
            capture_output=True, text=True, check=True,
        )
    finally:
        Path(handle.name).unlink()
    match = re.search(r"RESULT (\d+) ([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+) (\d+)", done.stdout)
    if match is None:
        raise RuntimeError(f"wrk said:\n{done.stdout}\n{done.stderr}")
    requests, seconds, p50, p99, mean, errors = match.groups()
    return (int(requests), int(requests) / float(seconds), float(p50), float(p99), float(mean),
            int(errors))


# ----------------------------------------------------------------------------------- the run
def measure(rows: list[Row], graph: str, target: tuple[str, int], url: str, workload: str,
            paths: Sequence[str], connections: Sequence[int], duration: float) -> None:
    """wrk runs of *paths* against *target* (name, process group), one per connection count."""
    server, pgid = target
    for conns in connections:
        settle(pgid)
        requests, rps, p50, p99, mean, errors = wrk(url, paths, conns, duration)
        row = Row(graph, server, workload, conns, requests, round(rps, 1), round(p50, 2),
                  round(p99, 2), round(mean, 2), errors)
        rows.append(row)
        print(f"  {server:18} {workload:15} c={conns:<3} {rps:9.1f} req/s  p50 {p50:8.2f} ms"
              f"  p99 {p99:8.2f} ms  mean {mean:8.2f} ms  errors {errors}", flush=True)


def bench_graph(label: str, release: Path, args: argparse.Namespace, rows: list[Row],
                logs: Path) -> None:
    info = json.loads((release / "release.json").read_text())
    base = info["base_iri"]
    nquads = release / "aatd-kg.nq"
    entities = pick_entities(nquads, base)
    queries = mix(base, entities)
    kinds = list(queries)
    mix_paths = sparql_paths("/sparql", queries, kinds)
    lookup_paths = sparql_paths("/sparql", queries, ["describe", "label"])
    page_paths = ["/" + quote(iri[len(base):]) for iri, _ in entities]
    big = info["triples"] > 100_000
    duration = args.duration
    print(f"\n== {label}: {info['triples']} triples, {len(entities)} entities in the mix",
          flush=True)

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [str(BIN / "aatd-kg"), "serve", "--release", str(release), "--port", str(port),
               "--log-level", "warning", "--workers", str(args.workers),
               "--query-timeout", "120"]
    with running(command, url + "/health", 900, logs / f"aatd-kg-{label}.log") as pid:
        ours = ("aatd-kg serve", pid)
        problems = check_answers(url, mix_paths + page_paths[:3])
        for problem in problems:
            print("  ! aatd-kg serve:", problem)
        measure(rows, label, ours, url, "mix", mix_paths, (1, 32), duration)
        measure(rows, label, ours, url, "entity lookups", lookup_paths, (1, 32),
                duration)
        measure(rows, label, ours, url, "entity pages", page_paths, (1, 32), duration)

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [PYTHON, str(HERE / "serve_minimal.py"), "--nquads", str(nquads), "--port", str(port)]
    with running(command, url + "/sparql?query=ASK%7B%7D", 900,
                 logs / f"minimal-{label}.log") as pid:
        bare = ("minimal pyoxigraph", pid)
        for problem in check_answers(url, mix_paths):
            print("  ! minimal:", problem)
        measure(rows, label, bare, url, "mix", mix_paths, (1, 32), duration)
        measure(rows, label, bare, url, "entity lookups", lookup_paths, (1, 32),
                duration)

    if not args.skip_rdflib:
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        command = [str(BIN / "rdflib-endpoint"), "serve", "--host", "127.0.0.1",
                   "--port", str(port), str(nquads)]
        rdflib_paths = sparql_paths("/", queries, kinds)  # rdflib-endpoint answers at /
        with running(command, url + "/?query=ASK%7B%7D", 1800,
                     logs / f"rdflib-{label}.log") as pid:
            for problem in check_answers(url, rdflib_paths[: len(kinds)]):
                print("  ! rdflib-endpoint:", problem)
            slow = duration * 3 if big else duration
            measure(rows, label, ("rdflib-endpoint", pid), url, "mix", rdflib_paths, (1, 32), slow)


def bench_constant(args: argparse.Namespace, rows: list[Row], logs: Path) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [PYTHON, str(HERE / "serve_minimal.py"), "--constant", "--port", str(port)]
    with running(command, url + "/sparql", 60, logs / "constant.log") as pid:
        print("\n== constant route (no store)", flush=True)
        measure(rows, "-", ("constant route", pid), url, "constant", ["/sparql?query=x"], (1, 32),
                args.duration)


def find(rows: list[Row], graph: str, server: str, workload: str, conns: int) -> Row | None:
    return next((r for r in rows if (r.graph, r.server, r.workload, r.connections)
                 == (graph, server, workload, conns)), None)


def report(rows: list[Row], graphs: list[str]) -> str:
    lines = ["| graph | server | workload | conns | req/s | p50 ms | p99 ms | mean ms | errors |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r.graph} | {r.server} | {r.workload} | {r.connections} | {r.rps:,.1f} "
                     f"| {r.p50_ms:.2f} | {r.p99_ms:.2f} | {r.mean_ms:.2f} | {r.errors} |")
    lines.append("")
    lines.append("Targets (ratios from this run):")
    for graph in graphs:
        ours = find(rows, graph, "aatd-kg serve", "mix", 32)
        rdflib = find(rows, graph, "rdflib-endpoint", "mix", 32)
        ours1 = find(rows, graph, "aatd-kg serve", "mix", 1)
        rdflib1 = find(rows, graph, "rdflib-endpoint", "mix", 1)
        if ours and rdflib and rdflib.rps:
            lines.append(f"- {graph}: throughput on the mix vs rdflib-endpoint: "
                         f"{ours.rps / rdflib.rps:.1f}x at 32 conns"
                         + (f", {ours1.rps / rdflib1.rps:.1f}x at 1 conn"
                            if ours1 and rdflib1 and rdflib1.rps else "")
                         + " (target >= 10x at 1M)")
        for workload in ("mix", "entity lookups"):
            ours = find(rows, graph, "aatd-kg serve", workload, 1)
            bare = find(rows, graph, "minimal pyoxigraph", workload, 1)
            if ours and bare and bare.p50_ms:
                lines.append(f"- {graph}: median latency, {workload}, 1 conn, protocol layer vs "
                             f"minimal route: {ours.p50_ms / bare.p50_ms:.2f}x "
                             f"({ours.p50_ms:.2f} vs {bare.p50_ms:.2f} ms; target <= 1.5x); "
                             f"mean {ours.mean_ms / bare.mean_ms:.2f}x")
        lookups = find(rows, graph, "aatd-kg serve", "entity lookups", 32)
        if lookups:
            verdict = "met" if lookups.p99_ms < 50 else "NOT met"
            lines.append(f"- {graph}: p99 of entity lookups at 32 conns: {lookups.p99_ms:.1f} ms "
                         f"(target < 50 ms: {verdict})")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--release", type=Path, default=Path("dist"))
    parser.add_argument("--triples", type=int, default=None,
                        help="size of the generated graph (default 1M; 100k with --quick)")
    parser.add_argument("--duration", type=float, default=None,
                        help="seconds per wrk run (default 10; 3 with --quick)")
    parser.add_argument("--workers", type=int, default=2, help="query workers of aatd-kg serve")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--skip-rdflib", action="store_true")
    args = parser.parse_args()
    args.triples = args.triples or (100_000 if args.quick else 1_000_000)
    args.duration = args.duration or (3.0 if args.quick else 10.0)
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: run scripts/install-system-deps.sh (Debian package wrk)")
    if not (args.release / "aatd-kg.nq").is_file():
        sys.exit(f"no release in {args.release}: run `aatd-kg build --out {args.release}` first")
    sys.path.insert(0, str(HERE))
    from generate_graph import generate

    OUT.mkdir(exist_ok=True)
    logs = OUT / "logs"
    logs.mkdir(exist_ok=True)
    generated = OUT / f"graph-{args.triples}"
    info_path = generated / "release.json"
    if not info_path.is_file():
        print(f"generating a {args.triples}-triple graph shaped like {args.release} …", flush=True)
        generate(args.release, generated, args.triples)
    big_label = f"generated {json.loads(info_path.read_text())['triples']:,}"
    rows: list[Row] = []
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    release_info = json.loads((args.release / "release.json").read_text())
    release_label = f"release {release_info['triples']:,}"
    bench_constant(args, rows, logs)
    bench_graph(release_label, args.release, args, rows, logs)
    bench_graph(big_label, generated, args, rows, logs)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    text = (f"# Serving benchmark, {started}\n\n{os.cpu_count()} CPUs (load average at the end: "
            f"{load}), loopback, wrk, "
            f"{args.duration:g} s per run (rdflib-endpoint on the generated graph: "
            f"{args.duration * 3:g} s).\n\n"
            + report(rows, [release_label, big_label]) + "\n")
    print("\n" + text)
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
    (OUT / f"serve-benchmark-{stamp}.md").write_text(text, encoding="utf-8")
    (OUT / f"serve-benchmark-{stamp}.json").write_text(
        json.dumps([asdict(r) for r in rows], indent=2), encoding="utf-8")
    print(f"written to {OUT}/serve-benchmark-{stamp}.md")


if __name__ == "__main__":
    main()
