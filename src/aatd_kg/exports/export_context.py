"""What every release exporter receives, and the exporter signature."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph


@dataclass(frozen=True)
class ExportContext:
    """What an exporter gets: the release dataset, its union graph and release metadata."""

    dataset: Dataset
    union: Graph
    base: str
    version: str
    date: str
    out_dir: Path


#: Functions writing extra release files into ``ctx.out_dir``; each returns the paths it wrote.
Exporter = Callable[[ExportContext], list[Path]]
