"""``aatd-kg check patient.json [--on DATE] [--release DIR]``: check a patient description.

Prints the JSON answer and exits 0; on bad input prints each field and its problem to stderr and
exits 2; exits 1 when the release holds no criteria. The criteria are read from the release.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, date, datetime
from pathlib import Path

from aatd_kg.eligibility.criteria import CriteriaError, criteria_from_release
from aatd_kg.eligibility.patient import PatientInputError, Problem, parse_iso_date
from aatd_kg.eligibility.service import InputKind, check_document
from aatd_kg.settings import Settings

HELP = "Check a patient description against the augmentation-therapy criteria (JSON answer)."
EXIT_BAD_INPUT = 2
EXIT_NO_CRITERIA = 1
_KINDS: dict[str, InputKind] = {".json": "json", ".ttl": "turtle", ".jsonld": "json-ld"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the options of ``aatd-kg check``."""
    parser.add_argument(
        "patient",
        help="patient description: .json (the JSON form), .ttl or "
        ".jsonld (the patient vocabulary); '-' reads JSON from stdin",
    )
    parser.add_argument(
        "--on",
        metavar="YYYY-MM-DD",
        default=None,
        help="assessment date (default: assessed_on in the file, else today)",
    )
    parser.add_argument(
        "--release",
        type=Path,
        default=None,
        help="release directory holding aatd-kg.nq or aatd-kg.ttl (default dist/)",
    )
    parser.add_argument(
        "--format",
        choices=sorted(set(_KINDS.values())),
        default=None,
        help="input format (default: from the file extension)",
    )


def _fail(problems: list[Problem]) -> int:
    print("aatd-kg check: invalid patient description", file=sys.stderr)
    for problem in problems:
        print(f"  {problem.field}: {problem.problem}", file=sys.stderr)
    return EXIT_BAD_INPUT


def _read(args: argparse.Namespace) -> tuple[bytes, InputKind] | list[Problem]:
    kind: InputKind | None = args.format
    if args.patient == "-":
        return sys.stdin.buffer.read(), kind or "json"
    path = Path(args.patient)
    kind = kind or _KINDS.get(path.suffix.lower())
    if kind is None:
        return [Problem(args.patient, "unknown extension; use .json, .ttl or .jsonld, or --format")]
    try:
        return path.read_bytes(), kind
    except OSError as error:
        return [Problem(args.patient, f"cannot read the file: {error.strerror}")]


def run(args: argparse.Namespace) -> int:
    """Check the patient; print the JSON answer."""
    settings = Settings()
    problems: list[Problem] = []
    today = datetime.now(UTC).date()
    on: date | None = parse_iso_date(args.on, "--on", problems) if args.on else None
    read = _read(args)
    if isinstance(read, list):
        problems.extend(read)
    if problems or isinstance(read, list):
        return _fail(problems)
    text, kind = read
    try:
        criteria, base = criteria_from_release(args.release or settings.release, settings.base_iri)
    except CriteriaError as error:
        print(f"aatd-kg check: {error}", file=sys.stderr)
        return EXIT_NO_CRITERIA
    try:
        answer = check_document(text, kind, criteria, base, on or today)
    except PatientInputError as error:
        return _fail(error.problems)
    if on is not None and answer.patient.assessed_on != on:
        return _fail(
            [
                Problem(
                    "assessed_on",
                    f"the file says {answer.patient.assessed_on} but "
                    f"--on says {on}; give the date once",
                )
            ]
        )
    json.dump(answer.as_json(), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0
