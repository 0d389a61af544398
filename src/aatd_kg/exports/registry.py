"""Release exporters called by the build: each writes extra files into the release directory.

The build calls every function of :data:`EXPORTERS` with an :class:`ExportContext` and adds the
files they return to SHA256SUMS, release.json and the DCAT description.
"""

from __future__ import annotations

from aatd_kg.exports.export_context import ExportContext, Exporter
from aatd_kg.exports.kgx import export_kgx
from aatd_kg.exports.sssom import export_sssom

__all__ = ["EXPORTERS", "ExportContext", "Exporter"]

#: Every exporter of a release, in the order the build runs them.
EXPORTERS: list[Exporter] = [export_sssom, export_kgx]
