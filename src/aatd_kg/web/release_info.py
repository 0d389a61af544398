"""The release being served, as ``release.json`` describes it (version, date, files)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from aatd_kg.web.conneg import media_type_of_file

RELEASE_JSON = "release.json"
#: The release file describing the dataset (VoID + DCAT).
VOID_FILE = "void.ttl"
#: The published JSON-LD context, also served at ``{base}context.jsonld``.
CONTEXT_FILE = "context.jsonld"
#: Files of every release that ``release.json`` cannot list (it lists what they checksum).
EXTRA_FILES = ("SHA256SUMS", RELEASE_JSON)


class ReleaseMetadataError(ValueError):
    """``release.json`` is missing a field or is not valid JSON; rebuild with ``aatd-kg build``."""


@dataclass(frozen=True)
class ReleaseFile:
    """One downloadable file of the release."""

    name: str
    bytes: int
    sha256: str
    media_type: str


@dataclass(frozen=True)
class ReleaseInfo:
    """What ``release.json`` says, plus the directory the files are in."""

    directory: Path
    version: str
    date: str
    triples: int | None
    base_iri: str | None
    files: dict[str, ReleaseFile] = field(default_factory=dict)
    graphs: dict[str, int] = field(default_factory=dict)
    extras: dict[str, ReleaseFile] = field(default_factory=dict)

    def entry(self, name: str) -> ReleaseFile | None:
        """The listed or extra file called *name*, or None."""
        return self.files.get(name) or self.extras.get(name)

    @cached_property
    def jsonld_context(self) -> dict[str, Any] | None:
        """The ``@context`` object of the release's published ``context.jsonld`` (read once)."""
        path = self.path(CONTEXT_FILE)
        if path is None:
            return None
        return dict(json.loads(path.read_text(encoding="utf-8"))["@context"])

    def path(self, name: str) -> Path | None:
        """The file called *name* if the release has it and it exists on disk, else None."""
        if self.entry(name) is None:
            return None
        candidate = self.directory / name
        return candidate if candidate.is_file() else None


def _file(name: str, entry: Any, source: Path) -> ReleaseFile:
    try:
        return ReleaseFile(
            name=name,
            bytes=int(entry["bytes"]),
            sha256=str(entry["sha256"]),
            media_type=str(entry["media_type"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ReleaseMetadataError(
            f"{source}: entry {name!r} of \"files\" needs bytes, sha256 and media_type ({exc})"
        ) from exc


def _extras(directory: Path) -> dict[str, ReleaseFile]:
    extras = {}
    for name in EXTRA_FILES:
        path = directory / name
        if path.is_file():
            data = path.read_bytes()
            extras[name] = ReleaseFile(
                name, len(data), hashlib.sha256(data).hexdigest(), media_type_of_file(name)
            )
    return extras


def read_release(directory: Path) -> ReleaseInfo | None:
    """The release in *directory*, or None when it holds no ``release.json``."""
    source = directory / RELEASE_JSON
    if not source.is_file():
        return None
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
        files = {name: _file(name, entry, source) for name, entry in data.get("files", {}).items()}
        return ReleaseInfo(
            directory=directory,
            version=str(data["version"]),
            date=str(data["date"]),
            triples=int(data["triples"]) if "triples" in data else None,
            base_iri=data.get("base_iri"),
            files=files,
            graphs={str(k): int(v) for k, v in data.get("graphs", {}).items()},
            extras=_extras(directory),
        )
    except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, ReleaseMetadataError):
            raise
        raise ReleaseMetadataError(
            f"{source} is not a valid release description ({exc}); rebuild it with aatd-kg build"
        ) from exc
