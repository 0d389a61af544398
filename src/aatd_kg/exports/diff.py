"""``aatd-kg diff OLD NEW``: what changed between two releases, grouped by entity.

OLD and NEW are release directories (their ``aatd-kg.nq``) or N-Quads files (``.nq``,
``.nq.gz``). Triples are compared over the union of the named graphs and grouped by subject.

Retirement (decision 0009): an entity IRI a release retires stays in the data as
``<iri> owl:deprecated true`` (and ``dcterms:isReplacedBy <new>`` when it has a successor), in
``data/retired.ttl``. The server answers such an IRI with 410 Gone or 301 to its replacement.
An entity of OLD that NEW neither keeps nor retires would become a silent 404: the diff reports
it as an error and exits with status 1, as it does for a retirement record that is dropped or a
replacement that does not exist in NEW.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from aatd_kg.prefixes import converter, normalize_base, prefix_map
from aatd_kg.settings import Settings

HELP = "Compare two releases: added and removed triples by entity; retirements checked."

#: File of a release directory holding every quad.
NQUADS_FILE = "aatd-kg.nq"
RELEASE_JSON = "release.json"

#: A triple as N-Triples terms (subject, predicate, object).
Triple = tuple[str, str, str]


class DiffInputError(ValueError):
    """OLD or NEW cannot be read; the message names the path and what is expected."""


@dataclass(frozen=True)
class Release:
    """The triples of one release and what is known about it."""

    label: str
    version: str | None
    base: str | None
    triples: frozenset[Triple]


@dataclass
class EntityChange:
    """What changed about one entity (one subject IRI)."""

    iri: str
    status: str  # added | removed | changed | retired
    added: list[Triple] = field(default_factory=list)
    removed: list[Triple] = field(default_factory=list)
    replaced_by: list[str] = field(default_factory=list)


@dataclass
class Diff:
    """The comparison of two releases."""

    old: Release
    new: Release
    base: str
    added: int
    removed: int
    entities: list[EntityChange]
    errors: list[str]


def _read_quads(path: Path) -> frozenset[Triple]:
    try:
        data = path.read_bytes()
        if path.name.endswith(".gz"):
            data = gzip.decompress(data)
        quads = ox.parse(data, format=ox.RdfFormat.N_QUADS)
        return frozenset((str(q.subject), str(q.predicate), str(q.object)) for q in quads)
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise DiffInputError(f"{path}: cannot read: {exc}") from exc
    except SyntaxError as exc:
        raise DiffInputError(f"{path}: not valid N-Quads: {exc}") from exc


def load_release(path: Path) -> Release:
    """Read a release directory (its ``aatd-kg.nq[.gz]`` and ``release.json``) or an .nq file."""
    if path.is_dir():
        nquads = next((path / name for name in (NQUADS_FILE, f"{NQUADS_FILE}.gz")
                       if (path / name).is_file()), None)
        if nquads is None:
            raise DiffInputError(f"{path}: no {NQUADS_FILE} in this directory; give a release "
                                 f"directory built by `aatd-kg build` or an .nq file")
        meta: dict[str, Any] = {}
        if (path / RELEASE_JSON).is_file():
            try:
                meta = json.loads((path / RELEASE_JSON).read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise DiffInputError(f"{path / RELEASE_JSON}: not readable JSON: {exc}") from exc
        return Release(str(path), meta.get("version"), meta.get("base_iri"), _read_quads(nquads))
    if path.is_file() and path.name.endswith((".nq", ".nq.gz")):
        return Release(str(path), None, None, _read_quads(path))
    raise DiffInputError(f"{path}: expected a release directory or an .nq / .nq.gz file")


def _iri(term: str) -> str | None:
    return term[1:-1] if term.startswith("<") and term.endswith(">") else None


@dataclass(frozen=True)
class _State:
    """Entities of one release: live ones and retired ones with their replacements."""

    live: frozenset[str]
    retired: dict[str, list[str]]


def _state(release: Release, base: str) -> _State:
    ns = prefix_map(base)
    deprecated = f"<{ns['owl']}deprecated>"
    replaced = f"<{ns['dcterms']}isReplacedBy>"
    true_values = {'"true"^^<' + ns["xsd"] + 'boolean>', '"1"^^<' + ns["xsd"] + 'boolean>'}
    retired: dict[str, list[str]] = {}
    for s, p, o in release.triples:
        iri = _iri(s)
        if iri and p == deprecated and o in true_values:
            retired.setdefault(iri, [])
    for s, p, o in release.triples:
        iri, target = _iri(s), _iri(o)
        if iri in retired and p == replaced and target:
            retired[iri].append(target)
    subjects = {_iri(s) for s, _, _ in release.triples}
    live = frozenset(i for i in subjects if i and i.startswith(base) and i not in retired)
    return _State(live, {iri: sorted(targets) for iri, targets in retired.items()})


def compare(old: Release, new: Release, base: str) -> Diff:
    """Compare *old* with *new*: changes grouped by subject, and retirement errors."""
    added, removed = new.triples - old.triples, old.triples - new.triples
    by_subject: dict[str, EntityChange] = {}
    for bucket, triples in (("added", added), ("removed", removed)):
        for triple in sorted(triples):
            change = by_subject.setdefault(triple[0], EntityChange(triple[0], "changed"))
            getattr(change, bucket).append(triple)
    before, after = _state(old, base), _state(new, base)
    errors: list[str] = []
    for iri in sorted(before.live - after.live):
        change = by_subject.setdefault(f"<{iri}>", EntityChange(f"<{iri}>", "removed"))
        if iri in after.retired:
            change.status, change.replaced_by = "retired", after.retired[iri]
            for target in after.retired[iri]:
                if target.startswith(base) and target not in after.live:
                    errors.append(f"{iri} is replaced by {target}, which {new.label} does not "
                                  f"hold: point dcterms:isReplacedBy at a live entity")
        else:
            change.status = "removed"
            errors.append(f"{iri} disappears without a retirement record: add "
                          f"`<{iri[len(base):]}> owl:deprecated true .` (and dcterms:isReplacedBy "
                          f"<new>) to data/retired.ttl, so that it answers 410 or 301, not 404")
    for iri in sorted(set(before.retired) - set(after.retired) - after.live):
        errors.append(f"{iri} was retired in {old.label} but {new.label} drops its retirement "
                      f"record: keep it in data/retired.ttl (a retired IRI stays retired)")
    for iri in sorted(after.live - before.live - set(before.retired)):
        if f"<{iri}>" in by_subject:
            by_subject[f"<{iri}>"].status = "added"
    entities = sorted(by_subject.values(), key=lambda c: c.iri)
    return Diff(old, new, base, len(added), len(removed), entities, errors)


def _short(term: str, base: str) -> str:
    iri = _iri(term)
    if iri is None:
        return term
    return converter(base).compress(iri) or term


def as_json(diff: Diff) -> dict[str, Any]:
    """The diff as a JSON-ready dict (full IRIs, N-Triples terms)."""
    def side(release: Release) -> dict[str, Any]:
        return {"source": release.label, "version": release.version,
                "triples": len(release.triples)}

    return {
        "old": side(diff.old), "new": side(diff.new), "base_iri": diff.base,
        "added": diff.added, "removed": diff.removed,
        "entities": [
            {"iri": _iri(c.iri) or c.iri, "status": c.status, "replaced_by": c.replaced_by,
             "added": [list(t[1:]) for t in c.added], "removed": [list(t[1:]) for t in c.removed]}
            for c in diff.entities
        ],
        "errors": diff.errors,
    }


def as_text(diff: Diff) -> str:
    """The diff for people: a summary, then each entity with its removed (-) and added (+)."""
    def name(release: Release) -> str:
        return f"{release.label}" + (f" (version {release.version})" if release.version else "")

    lines = [f"{name(diff.old)} -> {name(diff.new)}",
             f"{diff.added} triples added, {diff.removed} removed, "
             f"{len(diff.entities)} entities changed"]
    for change in diff.entities:
        note = f" [{change.status}"
        if change.replaced_by:
            note += " -> " + ", ".join(_short(f"<{t}>", diff.base) for t in change.replaced_by)
        lines.append("")
        lines.append(_short(change.iri, diff.base) + note + "]")
        for sign, triples in (("-", change.removed), ("+", change.added)):
            lines.extend(f"  {sign} {_short(p, diff.base)} {_short(o, diff.base)}"
                         for _, p, o in triples)
    for error in diff.errors:
        lines.append(f"ERROR: {error}")
    return "\n".join(lines) + "\n"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the options of ``aatd-kg diff``."""
    parser.add_argument("old", type=Path, help="older release directory or .nq file")
    parser.add_argument("new", type=Path, help="newer release directory or .nq file")
    parser.add_argument("--json", action="store_true", help="print the diff as JSON")
    parser.add_argument("--base", default=None,
                        help="base IRI of the entities (default: the releases' release.json, "
                             "else AATD_KG_BASE_IRI)")


def run(args: argparse.Namespace) -> int:
    """Print the diff; 1 when an entity disappears without a retirement record, 2 on bad input."""
    try:
        old, new = load_release(args.old), load_release(args.new)
    except DiffInputError as exc:
        print(f"aatd-kg diff: {exc}", file=sys.stderr)
        return 2
    base = normalize_base(args.base or new.base or old.base or Settings().base_iri)
    diff = compare(old, new, base)
    if args.json:
        print(json.dumps(as_json(diff), indent=1))
    else:
        print(as_text(diff), end="")
    return 1 if diff.errors else 0
