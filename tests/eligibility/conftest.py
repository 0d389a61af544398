"""Fixtures of the eligibility tests: the criteria as the graph states them, a release, a store.

The criteria come from the repository's own sources (``ontology/*.ttl`` and ``data/*.ttl``).
Until ``data/treatment.ttl`` exists, the contract copy in ``fixtures/project/data/`` stands in
for it; as soon as the real file is there, every test runs on it.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rdflib import Dataset

from aatd_kg.build.load import load_sources
from aatd_kg.build.release import build_release
from aatd_kg.eligibility.criteria import Criterion, criteria_from_dataset
from aatd_kg.prefixes import DEFAULT_BASE
from aatd_kg.store.oxigraph import OxigraphStore

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"
BASE = DEFAULT_BASE


def real_treatment_file() -> Path | None:
    """``data/treatment.ttl`` of the repository when it states eligibility criteria."""
    path = ROOT / "data" / "treatment.ttl"
    if path.is_file() and "EligibilityCriterion" in path.read_text(encoding="utf-8"):
        return path
    return None


@pytest.fixture(scope="session")
def sources_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project sources, with the contract fixture when the real file is missing."""
    root = tmp_path_factory.mktemp("eligibility-project")
    for name in ("ontology", "data", "shapes"):
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, root / name)
    for name in ("release.toml",):
        if (ROOT / name).is_file():
            shutil.copy(ROOT / name, root / name)
    if real_treatment_file() is None:
        (root / "data").mkdir(exist_ok=True)
        shutil.copy(
            FIXTURES / "project" / "data" / "treatment.ttl", root / "data" / "treatment.ttl"
        )
    return root


@pytest.fixture(scope="session")
def source_dataset(sources_root: Path) -> Dataset:
    """Every source parsed into named graphs, as the build does."""
    return load_sources(sources_root, BASE)


@pytest.fixture(scope="session")
def criteria(source_dataset: Dataset) -> list[Criterion]:
    """The augmentation-therapy criteria read from the graph."""
    return criteria_from_dataset(source_dataset, BASE)


@pytest.fixture(scope="session")
def eligibility_release(
    request: pytest.FixtureRequest, sources_root: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, dict[str, Any]]:
    """The repository's release (built once per session), or one built with the fixture."""
    if real_treatment_file() is not None:
        built: tuple[Path, dict[str, Any]] = request.getfixturevalue("built_release")
        return built
    out = tmp_path_factory.mktemp("eligibility-release") / "dist"
    info = build_release(sources_root, out, BASE)
    return out, info


@pytest.fixture(scope="session")
def query_store(eligibility_release: tuple[Path, dict[str, Any]]) -> Iterator[Any]:
    """The server's real store over the eligibility release."""
    store = OxigraphStore.from_release(eligibility_release[0], workers=1)
    try:
        yield store
    finally:
        store.close()
