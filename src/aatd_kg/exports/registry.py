"""Release exporters called by the build: each writes extra files into the release directory.

The build calls every function of :data:`EXPORTERS` with an :class:`ExportContext` and adds the
files they return to SHA256SUMS, release.json and the DCAT description.
"""

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


def _export_sssom(ctx: ExportContext) -> list[Path]:
    from aatd_kg.exports.sssom import export_sssom  # imported late: sssom imports this module

    return export_sssom(ctx)


EXPORTERS: list[Exporter] = [_export_sssom]
