"""Shared fixtures: the project root and one real release built once per test session."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from aatd_kg.build.release import build_release
from aatd_kg.prefixes import DEFAULT_BASE

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def project_root() -> Path:
    """The repository root (holds ontology/, data/, shapes/, release.toml)."""
    return ROOT


@pytest.fixture(scope="session")
def built_release(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """The real release of this repository, built once into a temporary directory."""
    out = tmp_path_factory.mktemp("release") / "dist"
    info = build_release(ROOT, out, DEFAULT_BASE)
    return out, info


@pytest.fixture(scope="session")
def release_dir(built_release: tuple[Path, dict[str, Any]]) -> Path:
    """Directory of the real release (``aatd-kg.nq``, ``release.json``, …)."""
    return built_release[0]
