"""Fixtures of the export tests: a small release dataset parsed by the real source loader,
and the Biolink Model as shipped by the PyPI package ``biolink-model``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml
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


def _camel(name: str) -> str:
    return "".join(word[:1].upper() + word[1:] for word in name.split(" "))


def _snake(name: str) -> str:
    return name.replace(" ", "_")


@dataclass(frozen=True)
class BiolinkModel:
    """Classes by CamelCase CURIE, slots by snake_case CURIE, enums by name."""

    version: str
    classes: dict[str, dict[str, Any]]
    slots: dict[str, dict[str, Any]]
    enums: dict[str, set[str]]
    class_names: dict[str, str]
    slot_names: dict[str, str]

    def class_ancestors(self, curie: str) -> list[str]:
        """*curie* and its ``is_a`` ancestors, as model names."""
        name: str | None = self.class_names[curie]
        chain = []
        while name is not None:
            chain.append(name)
            name = self.classes[name].get("is_a")
        return chain

    def slot_ancestors(self, curie: str) -> list[str]:
        """*curie* and its ``is_a`` ancestors, as model names."""
        name: str | None = self.slot_names[curie]
        chain = []
        while name is not None:
            chain.append(name)
            name = (self.raw_slot(name) or {}).get("is_a")
        return chain

    def raw_slot(self, name: str) -> dict[str, Any]:
        return self.slots[name]


@lru_cache(maxsize=1)
def load_biolink() -> BiolinkModel:
    """Read ``biolink_model/schema/biolink_model.yaml`` from the installed package."""
    text = resources.files("biolink_model").joinpath("schema/biolink_model.yaml").read_text()
    model = yaml.safe_load(text)
    classes = {name: (spec or {}) for name, spec in model["classes"].items()}
    slots = {name: (spec or {}) for name, spec in model["slots"].items()}
    enums = {
        name: set((spec or {}).get("permissible_values") or {})
        for name, spec in model["enums"].items()
    }
    return BiolinkModel(
        version=str(model["version"]),
        classes=classes,
        slots=slots,
        enums=enums,
        class_names={f"biolink:{_camel(name)}": name for name in classes},
        slot_names={f"biolink:{_snake(name)}": name for name in slots},
    )


@pytest.fixture
def biolink() -> BiolinkModel:
    """The Biolink Model of the installed ``biolink-model`` package (skip when it is missing)."""
    pytest.importorskip("biolink_model", reason="the test extra needs biolink-model")
    return load_biolink()
