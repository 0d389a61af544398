"""Fixtures of the export tests: a small release dataset parsed by the real source loader."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Dataset, Graph

from aatd_kg.build.load import load_sources
from aatd_kg.exports.registry import ExportContext
from aatd_kg.prefixes import DEFAULT_BASE

#: Prefix-less sources in the layout of the repository (ontology/, data/).
FIXTURE_SOURCES = Path(__file__).parent / "fixtures" / "sources"


def union_of(dataset: Dataset) -> Graph:
    """Every triple of every named graph in one graph."""
    union = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    return union


@pytest.fixture
def base() -> str:
    return DEFAULT_BASE


@pytest.fixture
def dataset(base: str) -> Dataset:
    return load_sources(FIXTURE_SOURCES, base)


@pytest.fixture
def export_context(dataset: Dataset, base: str, tmp_path: Path) -> ExportContext:
    return ExportContext(
        dataset=dataset, union=union_of(dataset), base=base, version="1.0.0",
        date="2026-11-25", out_dir=tmp_path,
    )
