"""``aatd-kg build [--out DIR]``: compile the sources into a release (default ``dist/``)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from aatd_kg.build.load import SourceError
from aatd_kg.build.release import build_release
from aatd_kg.settings import Settings, project_root
from aatd_kg.validate import ReleaseInvalid

HELP = "Compile ontology/ + data/ into a validated release (Turtle, JSON-LD, N-Triples, …)."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the options of ``aatd-kg build``."""
    parser.add_argument("--out", type=Path, default=None, help="release directory (default dist/)")
    parser.add_argument("--root", type=Path, default=None, help="project root (default: found "
                        "from the current directory)")
    parser.add_argument("--base-iri", default=None, help="base of every IRI (AATD_KG_BASE_IRI)")


def run(args: argparse.Namespace) -> int:
    """Build; on a broken source or a violation print why and keep the previous release."""
    overrides = {"base_iri": args.base_iri} if args.base_iri else {}
    settings = Settings(**overrides)
    out = args.out or settings.release
    root = args.root or project_root()
    started = time.perf_counter()
    try:
        release = build_release(root, out, settings.base_iri)
    except (SourceError, ReleaseInvalid) as exc:
        print(f"aatd-kg build: {exc}", file=sys.stderr)
        print(f"aatd-kg build: nothing written; {out} is unchanged.", file=sys.stderr)
        return 1
    print(f"built release {release['version']} ({release['date']}) into {out}: "
          f"{release['triples']} triples in {len(release['graphs'])} named graphs, "
          f"{len(release['files'])} files, {time.perf_counter() - started:.2f} s")
    return 0
