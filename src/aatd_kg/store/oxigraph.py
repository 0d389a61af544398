"""The embedded default store: pyoxigraph over one release, queries run in worker processes."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

from aatd_kg.prefixes import DEFAULT_BASE, prefix_map
from aatd_kg.store.base import (
    Dataset,
    QueryResult,
    ReleaseNotFound,
    SerializedResult,
    StoreMixin,
)
from aatd_kg.store.guard import check_service, has_dataset_clause
from aatd_kg.store.terms import result_from_json, result_from_ntriples
from aatd_kg.store.workers import Job, WorkerConfig, WorkerPool

log = logging.getLogger(__name__)

#: The release file the store loads (every named graph kept).
NQUADS_FILE = "aatd-kg.nq"
RELEASE_JSON = "release.json"

_JSON = "application/sparql-results+json"
_NTRIPLES = "application/n-triples"


def read_release_info(release_dir: Path) -> dict[str, Any]:
    """``release.json`` of *release_dir*; :class:`ReleaseNotFound` says how to build one."""
    info_path = release_dir / RELEASE_JSON
    nquads = release_dir / NQUADS_FILE
    if not info_path.is_file() or not nquads.is_file():
        raise ReleaseNotFound(
            f"no release in {release_dir} ({RELEASE_JSON} and {NQUADS_FILE} are needed): "
            f"run `aatd-kg build --out {release_dir}` first, or pass --release DIR"
        )
    return json.loads(info_path.read_text(encoding="utf-8"))


class OxigraphStore(StoreMixin):
    """A read-only :class:`~aatd_kg.store.base.Store` backed by pyoxigraph worker processes."""

    def __init__(
        self,
        pool: WorkerPool,
        *,
        version: str,
        triple_count: int,
        release_info: dict[str, Any] | None = None,
        max_results: int = 100_000,
        default_timeout: float = 10.0,
        service_allowlist: Iterable[str] = (),
        release_dir: Path | None = None,
        base_iri: str | None = None,
    ) -> None:
        self.pool = pool
        self.version = version
        self.triple_count = triple_count
        self.release_info = release_info or {}
        self.release_dir = release_dir
        self.max_results = max_results
        self.default_timeout = default_timeout
        self.service_allowlist = tuple(service_allowlist)
        #: Relative IRIs in queries resolve against the data's base (``<gene/SERPINA1>``).
        self.base_iri = base_iri

    @classmethod
    def from_release(
        cls,
        release_dir: Path,
        *,
        workers: int = 2,
        max_results: int = 100_000,
        timeout: float = 10.0,
        service_allowlist: Iterable[str] = (),
        on_disk_store: Path | None = None,
    ) -> OxigraphStore:
        """Open the release in *release_dir* (``aatd-kg.nq`` + ``release.json``).

        Each of *workers* processes loads the N-Quads in memory, or, with *on_disk_store*
        (a RocksDB directory made by :func:`build_disk_store`), opens that read-only.
        """
        info = read_release_info(release_dir)
        base = info.get("base_iri", DEFAULT_BASE)
        prefixes = {p: ns for p, ns in prefix_map(base).items() if p != "AATDKG"}
        source = on_disk_store if on_disk_store is not None else release_dir / NQUADS_FILE
        started = time.monotonic()
        pool = WorkerPool(WorkerConfig(source, on_disk_store is not None, prefixes), workers)
        log.info(
            "opened release %s (%d triples) in %d worker(s) in %.2f s",
            info.get("version"), pool.triple_count, workers, time.monotonic() - started,
        )
        return cls(
            pool,
            version=str(info.get("version", "unknown")),
            triple_count=int(info.get("triples", pool.triple_count)),
            release_info=info,
            max_results=max_results,
            default_timeout=timeout,
            service_allowlist=service_allowlist,
            release_dir=release_dir,
            base_iri=base,
        )

    # ------------------------------------------------------------------------------- queries
    def _job(self, sparql: str, results_media_type: str | None, graph_media_type: str | None,
             dataset: Dataset | None) -> Job:
        check_service(sparql, self.service_allowlist)
        return Job(
            sparql=sparql,
            dataset=dataset or Dataset(),
            results_media_type=results_media_type,
            graph_media_type=graph_media_type,
            max_results=self.max_results,
            honour_query_dataset=has_dataset_clause(sparql),
            base_iri=self.base_iri,
        )

    def query_serialized(
        self,
        sparql: str,
        *,
        results_media_type: str | None,
        graph_media_type: str | None,
        dataset: Dataset | None = None,
        timeout: float | None = None,
    ) -> SerializedResult:
        """See :meth:`aatd_kg.store.base.Store.query_serialized`."""
        job = self._job(sparql, results_media_type, graph_media_type, dataset)
        return self.pool.run(job, timeout or self.default_timeout)

    async def aquery_serialized(
        self,
        sparql: str,
        *,
        results_media_type: str | None,
        graph_media_type: str | None,
        dataset: Dataset | None = None,
        timeout: float | None = None,
    ) -> SerializedResult:
        """:meth:`query_serialized` for an event loop (waits on the worker without a thread)."""
        job = self._job(sparql, results_media_type, graph_media_type, dataset)
        return await self.pool.run_async(job, timeout or self.default_timeout)

    def query(
        self,
        sparql: str,
        *,
        default_graph: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        union_default_graph: bool = True,
        timeout: float | None = None,
    ) -> QueryResult:
        """See :meth:`aatd_kg.store.base.Store.query`."""
        dataset = Dataset(
            tuple(default_graph) if default_graph is not None else None,
            tuple(named_graphs) if named_graphs is not None else None,
            union_default_graph,
        )
        answer = self.query_serialized(
            sparql,
            results_media_type=_JSON,
            graph_media_type=_NTRIPLES,
            dataset=dataset,
            timeout=timeout,
        )
        if answer.kind == "graph":
            return result_from_ntriples(answer.body)
        return result_from_json(answer.body)

    def close(self) -> None:
        """Stop the worker processes."""
        self.pool.close()

    def __enter__(self) -> OxigraphStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


#: File in an on-disk store naming the release (SHA-256 of its N-Quads) it was loaded from.
DISK_STORE_MARK = "aatd-kg-release.sha256"


def build_disk_store(release_dir: Path, store_dir: Path) -> Path:
    """Load the release into a RocksDB store in *store_dir* (once per release) and return it.

    Big graphs are then opened read-only by every query worker instead of being loaded into
    each worker's memory. A store made from another release is replaced.
    """
    import hashlib
    import shutil

    import pyoxigraph as ox

    read_release_info(release_dir)
    nquads = release_dir / NQUADS_FILE
    digest = hashlib.sha256(nquads.read_bytes()).hexdigest()
    mark = store_dir / DISK_STORE_MARK
    if mark.is_file() and mark.read_text(encoding="utf-8").strip() == digest:
        return store_dir
    if store_dir.exists():
        shutil.rmtree(store_dir)
    started = time.monotonic()
    store = ox.Store(str(store_dir))
    store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    store.flush()
    del store
    mark.write_text(digest + "\n", encoding="utf-8")
    log.info("loaded %s into the on-disk store %s in %.2f s", nquads, store_dir,
             time.monotonic() - started)
    return store_dir
