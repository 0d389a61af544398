"""The on-disk store option: the release is loaded once into RocksDB and opened read-only by
every query worker; it answers exactly as the in-memory store does."""

from __future__ import annotations

from pathlib import Path

from aatd_kg.store.oxigraph import DISK_STORE_MARK, OxigraphStore, build_disk_store

COUNT_BY_GRAPH = (
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
)


def _answer(store: OxigraphStore) -> list[tuple[str, str]]:
    result = store.query(COUNT_BY_GRAPH)
    return [(row["g"].value, row["n"].value) for row in result.bindings()]


def test_disk_store_answers_like_memory(release_dir: Path, tmp_path: Path) -> None:
    disk = build_disk_store(release_dir, tmp_path / "store")
    assert (disk / DISK_STORE_MARK).is_file()
    with OxigraphStore.from_release(release_dir, workers=1) as memory, \
            OxigraphStore.from_release(release_dir, workers=1, on_disk_store=disk) as on_disk:
        expected = _answer(memory)
        assert len(expected) >= 9
        assert _answer(on_disk) == expected


def test_disk_store_is_reused_for_the_same_release(release_dir: Path, tmp_path: Path) -> None:
    disk = build_disk_store(release_dir, tmp_path / "store")
    stamp = (disk / DISK_STORE_MARK).stat().st_mtime_ns
    assert build_disk_store(release_dir, tmp_path / "store") == disk
    assert (disk / DISK_STORE_MARK).stat().st_mtime_ns == stamp
