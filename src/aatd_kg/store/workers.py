"""Query worker processes: queries run where they can be stopped.

pyoxigraph has no query timeout or cancel, and a thread cannot be stopped, so every query runs
in one of a few worker PROCESSES. Each worker opens the release once (in memory from N-Quads,
or read-only on an on-disk RocksDB store), runs one job at a time, serializes the answer itself
and sends bytes back over a pipe. When a job overruns its timeout the pool kills that worker
(SIGKILL: the CPU is freed at once), answers :class:`QueryTimeout`, and starts a replacement in
the background. Callers block in :meth:`WorkerPool.run`; web handlers call it from a thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import csv
import io
import logging
import multiprocessing
import os
import signal
import threading
import time
import traceback
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from aatd_kg.store.base import (
    Dataset,
    QuerySyntaxError,
    QueryTimeout,
    ResultNotAcceptable,
    ResultTooLarge,
    SerializedResult,
    StoreBusy,
    StoreError,
    StoreFault,
    UpdateNotAllowed,
)
from aatd_kg.store.dispatch import FairQueue

log = logging.getLogger(__name__)

#: Replies larger than this are announced first, so an event loop reads them in a thread.
LARGE_REPLY_BYTES = 256 * 1024

#: Seconds a new worker may take to open the release before the pool gives up on it.
START_TIMEOUT = 900.0


@dataclass(frozen=True, slots=True)
class WorkerConfig:
    """What a worker opens: an N-Quads file loaded in memory, or an on-disk store read-only."""

    path: Path
    on_disk: bool = False
    #: Prefixes used when writing Turtle, TriG and RDF/XML answers.
    prefixes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Job:
    """One query to run, with the media type to answer in for each result kind."""

    sparql: str
    dataset: Dataset
    results_media_type: str | None
    graph_media_type: str | None
    max_results: int
    honour_query_dataset: bool = False
    #: IRI that relative IRIs in the query resolve against (None: relative IRIs are errors).
    base_iri: str | None = None


# ------------------------------------------------------------------------- in the worker process
def _open_store(config: WorkerConfig) -> Any:
    import pyoxigraph as ox

    if config.on_disk:
        return ox.Store.read_only(str(config.path))
    store = ox.Store()
    store.bulk_load(path=str(config.path), format=ox.RdfFormat.N_QUADS)
    return store


def _query_kwargs(job: Job) -> dict[str, Any]:
    import pyoxigraph as ox

    ds = job.dataset
    kwargs: dict[str, Any] = {"base_iri": job.base_iri} if job.base_iri else {}
    if ds.default_graph is not None:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in ds.default_graph]
    elif ds.named_graphs is not None:
        kwargs["default_graph"] = [ox.DefaultGraph()]
    elif ds.union_default_graph and not job.honour_query_dataset:
        kwargs["use_default_graph_as_union"] = True
    if ds.named_graphs is not None:
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in ds.named_graphs]
    return kwargs


def _serialize_solutions(solutions: Any, media_type: str, cap: int) -> tuple[bytes, int | None]:
    """Serialize SELECT solutions in *media_type*, refusing more than *cap* rows.

    Every row takes at least one byte in each results format, so an answer of at most *cap*
    bytes is under the cap and is not counted (count None); a bigger one is counted.
    """
    import pyoxigraph as ox

    from aatd_kg.web.conneg import by_media_type

    fmt = by_media_type(media_type)
    assert fmt is not None and isinstance(fmt.oxigraph, ox.QueryResultsFormat)
    body = solutions.serialize(format=fmt.oxigraph)
    if len(body) <= cap:
        return body, None
    count = count_rows(body, fmt.oxigraph)
    if count > cap:
        raise ResultTooLarge(
            f"the answer has {count} rows, more than this endpoint's limit of {cap}; "
            "add LIMIT and OFFSET to page through it, or download the release files"
        )
    return body, count


def count_rows(body: bytes, fmt: Any) -> int:
    """Rows of a serialized SELECT answer (TSV: one line per row; CSV read as CSV)."""
    import pyoxigraph as ox

    if fmt == ox.QueryResultsFormat.TSV:
        return body.count(b"\n") - 1
    if fmt == ox.QueryResultsFormat.CSV:
        return sum(1 for _ in csv.reader(io.StringIO(body.decode("utf-8")))) - 1
    return sum(1 for _ in ox.parse_query_results(body, fmt))


def used_prefixes(triples: list[Any], prefixes: dict[str, str]) -> dict[str, str]:
    """The entries of *prefixes* whose namespace some IRI of *triples* is in (keeps answers short).

    A namespace is matched on the IRI cut after its last ``/``, ``#``, ``_`` or ``:``.
    """
    import pyoxigraph as ox

    by_namespace = {ns: p for p, ns in prefixes.items()}
    iris = set()
    for triple in triples:
        for term in (triple.subject, triple.predicate, triple.object):
            if isinstance(term, ox.NamedNode):
                iris.add(term.value)
            elif isinstance(term, ox.Literal):
                iris.add(term.datatype.value)
    used: dict[str, str] = {}
    for iri in iris:
        for sep in "/#_:":
            cut = iri.rfind(sep)
            if cut > 0 and (prefix := by_namespace.get(iri[: cut + 1])) is not None:
                used[prefix] = iri[: cut + 1]
    return used


def _serialize_triples(triples: Any, media_type: str, cap: int, prefixes: dict[str, str]):
    import pyoxigraph as ox

    from aatd_kg.web.conneg import by_media_type

    fmt = by_media_type(media_type)
    assert fmt is not None and isinstance(fmt.oxigraph, ox.RdfFormat)
    collected = []
    for triple in triples:
        collected.append(triple)
        if len(collected) > cap:
            raise ResultTooLarge(
                f"the answer has more than this endpoint's limit of {cap} triples; narrow "
                "the CONSTRUCT/DESCRIBE, add LIMIT, or download the release files"
            )
    items: list[Any] = collected
    if fmt.quads:
        items = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in collected]
    with_prefixes = fmt.oxigraph in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG, ox.RdfFormat.RDF_XML)
    used = used_prefixes(collected, prefixes) if with_prefixes else None
    body = ox.serialize(items, format=fmt.oxigraph, prefixes=used)
    return body, len(collected)


def run_job(store: Any, job: Job, prefixes: dict[str, str]) -> SerializedResult:
    """Run *job* on a pyoxigraph *store* and serialize the answer (raises StoreError)."""
    import pyoxigraph as ox

    from aatd_kg.store.guard import looks_like_update

    try:
        answer = store.query(job.sparql, **_query_kwargs(job))
    except SyntaxError as exc:
        if looks_like_update(job.sparql):
            raise UpdateNotAllowed(
                "SPARQL Update is not allowed: this endpoint is read-only "
                "(download the release files to change a copy of the graph)"
            ) from None
        raise QuerySyntaxError(f"malformed SPARQL query: {exc}") from None
    if isinstance(answer, ox.QueryBoolean):
        kind, media_type = "boolean", job.results_media_type
    elif isinstance(answer, ox.QuerySolutions):
        kind, media_type = "bindings", job.results_media_type
    else:
        kind, media_type = "graph", job.graph_media_type
    if media_type is None:
        raise ResultNotAcceptable(kind, f"no accepted media type can carry a {kind} answer")
    if kind == "boolean":
        from aatd_kg.web.conneg import by_media_type

        fmt = by_media_type(media_type)
        assert fmt is not None and fmt.oxigraph is not None
        return SerializedResult(kind, media_type, answer.serialize(format=fmt.oxigraph), 1)
    if kind == "bindings":
        body, count = _serialize_solutions(answer, media_type, job.max_results)
    else:
        body, count = _serialize_triples(answer, media_type, job.max_results, prefixes)
    return SerializedResult(kind, media_type, body, count)


def worker_main(conn: Connection, config: WorkerConfig) -> None:
    """Entry point of a worker process: open the store, then answer jobs until EOF."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when workers stop
    try:
        store = _open_store(config)
        conn.send(("ready", len(store)))
    except Exception as exc:  # noqa: BLE001 (reported to the parent, which raises StoreFault)
        conn.send(("fault", f"could not open {config.path}: {exc!r}"))
        return
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            reply: tuple[Any, ...] = ("ok", run_job(store, job, config.prefixes))
        except StoreError as exc:
            reply = ("error", exc)
        except Exception:  # noqa: BLE001 (a bug or an engine failure: the parent answers 500)
            reply = ("fault", traceback.format_exc())
        if reply[0] == "ok" and len(reply[1].body) > LARGE_REPLY_BYTES:
            conn.send(("large",))  # lets an event loop read the big reply in a thread
        conn.send(reply)


# ------------------------------------------------------------------------ in the server process
class _Worker:
    def __init__(self, ctx: Any, config: WorkerConfig) -> None:
        self.conn, child = ctx.Pipe(duplex=True)
        self.process = ctx.Process(
            target=worker_main, args=(child, config), name="aatd-kg-query-worker", daemon=True
        )
        self.process.start()
        child.close()

    def wait_ready(self, timeout: float) -> int:
        if not self.conn.poll(timeout):
            self.kill()
            raise StoreFault(f"a query worker did not open the store within {timeout:.0f} s")
        try:
            status, value = self.conn.recv()
        except (EOFError, OSError) as exc:
            self.kill()
            raise StoreFault("a query worker died while opening the store") from exc
        if status != "ready":
            self.kill()
            raise StoreFault(str(value))
        return int(value)

    def kill(self) -> None:
        """Stop the process and close the pipe; safe to call twice and from two threads
        (the pool's close() and a starting worker's failure path may both get here)."""
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=10)
        with contextlib.suppress(OSError):  # already closed by the other caller
            self.conn.close()


class WorkerPool:
    """A fixed number of query worker processes; thread-safe, blocking :meth:`run`."""

    def __init__(self, config: WorkerConfig, size: int, start_timeout: float = START_TIMEOUT):
        if size < 1:
            raise ValueError("a worker pool needs at least one worker")
        self._ctx = multiprocessing.get_context("spawn")
        self._config = config
        self._start_timeout = start_timeout
        self._idle: FairQueue[_Worker] = FairQueue()
        self._lock = threading.Lock()
        self._all: set[_Worker] = set()
        self._starting: set[_Worker] = set()
        self._closed = False
        self.triple_count = 0
        self.replaced = 0
        started = [_Worker(self._ctx, config) for _ in range(size)]
        try:
            for worker in started:
                self.triple_count = worker.wait_ready(start_timeout)
        except StoreError:
            for worker in started:
                worker.kill()
            raise
        for worker in started:
            self._all.add(worker)
            self._idle.put(worker)

    def worker_pids(self) -> list[int]:
        """Process ids of the live workers (for tests and diagnostics)."""
        with self._lock:
            return [w.process.pid for w in self._all if w.process.pid is not None]

    def _take(self, timeout: float) -> _Worker:
        if self._closed:
            raise StoreFault("the store is closed")
        worker = self._idle.get(timeout)
        if worker is None:
            raise self._busy(timeout)
        return worker

    @staticmethod
    def _busy(timeout: float) -> StoreBusy:
        return StoreBusy(f"every query worker stayed busy for {timeout:g} s; try again shortly")

    def _timed_out(self, worker: _Worker, timeout: float) -> QueryTimeout:
        self._replace(worker)
        return QueryTimeout(
            f"the query ran longer than the {timeout:g} s limit and was stopped; "
            "narrow it (LIMIT, more specific patterns) or download the release files"
        )

    def _died(self, worker: _Worker, exc: BaseException) -> StoreFault:
        self._replace(worker)
        return StoreFault(f"a query worker died while running a query: {exc!r}")

    def _finish(self, worker: _Worker, reply: tuple[Any, ...]) -> SerializedResult:
        self._idle.put(worker)
        status, value = reply
        if status == "ok":
            return value  # type: ignore[no-any-return]
        if status == "error":
            raise value
        log.error("query worker fault:\n%s", value)
        raise StoreFault("the query engine failed on this query (the error is in the log)")

    def run(self, job: Job, timeout: float) -> SerializedResult:
        """Run *job* on a free worker; stop it after *timeout* seconds (raises StoreError)."""
        worker = self._take(timeout)
        try:
            worker.conn.send(job)
            if not worker.conn.poll(timeout):
                raise self._timed_out(worker, timeout)
            reply = worker.conn.recv()
            if reply == ("large",):
                reply = worker.conn.recv()
        except (EOFError, OSError) as exc:
            raise self._died(worker, exc) from exc
        return self._finish(worker, reply)

    async def run_async(self, job: Job, timeout: float) -> SerializedResult:
        """Like :meth:`run`, awaited on an event loop without a thread.

        The loop waits for a free worker (first come, first served), then for the worker's pipe
        to become readable; large replies are read in a thread. If the awaiting task is
        cancelled (the client left), a thread takes the worker back once its job ends, or kills
        it at the timeout.
        """
        if self._closed:
            raise StoreFault("the store is closed")
        worker = self._idle.get_nowait() or await self._idle.aget(timeout)
        if worker is None:
            raise self._busy(timeout)
        loop = asyncio.get_running_loop()
        readable = loop.create_future()
        fd = worker.conn.fileno()
        started = time.monotonic()

        def wake() -> None:
            if not readable.done():
                readable.set_result(None)

        try:
            loop.add_reader(fd, wake)
            try:
                worker.conn.send(job)
                await asyncio.wait_for(readable, timeout)
            finally:
                loop.remove_reader(fd)
                os.set_blocking(fd, True)  # uvloop leaves watched fds non-blocking
            reply = worker.conn.recv()
            if reply == ("large",):
                reply = await asyncio.to_thread(worker.conn.recv)
        except TimeoutError:
            raise self._timed_out(worker, timeout) from None
        except (EOFError, OSError) as exc:
            raise self._died(worker, exc) from exc
        except asyncio.CancelledError:
            remaining = max(timeout - (time.monotonic() - started), 0.0)
            threading.Thread(target=self._reclaim, args=(worker, remaining), daemon=True).start()
            raise
        return self._finish(worker, reply)

    def _reclaim(self, worker: _Worker, timeout: float) -> None:
        """Wait for an abandoned job: put its worker back, or kill it at the timeout."""
        try:
            if not worker.conn.poll(timeout):
                self._replace(worker)
                return
            if worker.conn.recv() == ("large",):
                worker.conn.recv()
        except (EOFError, OSError):
            self._replace(worker)
            return
        self._idle.put(worker)

    def _replace(self, worker: _Worker) -> None:
        """Kill *worker* now and start a new one in the background."""
        with self._lock:
            self._all.discard(worker)
        worker.kill()
        self.replaced += 1
        if not self._closed:
            threading.Thread(
                target=self._start_one, name="aatd-kg-worker-start", daemon=True
            ).start()

    def _start_one(self) -> None:
        with self._lock:
            if self._closed:
                return
            worker = _Worker(self._ctx, self._config)
            self._starting.add(worker)
        try:
            worker.wait_ready(self._start_timeout)
        except StoreError:
            if not self._closed:
                log.exception("could not start a replacement query worker")
            return
        finally:
            with self._lock:
                self._starting.discard(worker)
        with self._lock:
            if self._closed:
                worker.kill()
                return
            self._all.add(worker)
        self._idle.put(worker)

    def wait_until_full(self, size: int, timeout: float) -> bool:
        """Block until *size* workers are alive (after replacements); False on timeout."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if len(self._all) >= size:
                    return True
            time.sleep(0.05)
        return False

    def close(self) -> None:
        """Stop every worker."""
        self._closed = True
        with self._lock:
            workers = [*self._all, *self._starting]
            self._all, self._starting = set(), set()
        for worker in workers:
            worker.kill()
