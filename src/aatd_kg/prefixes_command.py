"""``aatd-kg prefixes``: print the one prefix map as Turtle, SPARQL, JSON or a JSON-LD context."""

from __future__ import annotations

import argparse
import json
import sys

from aatd_kg import prefixes
from aatd_kg.settings import Settings

HELP = "Print the prefix map (Turtle @prefix, SPARQL PREFIX, JSON or JSON-LD context)."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the options of ``aatd-kg prefixes``."""
    parser.add_argument("--as", dest="form", choices=["turtle", "sparql", "json"], default="turtle")


def run(args: argparse.Namespace) -> int:
    """Print the map in the asked form."""
    base = Settings().base_iri
    pm = prefixes.prefix_map(base)
    if args.form == "json":
        text = json.dumps(pm, indent=2) + "\n"
    elif args.form == "sparql":
        text = prefixes.sparql_prologue(base)
    else:
        text = "".join(f"@prefix {p}: <{u}> .\n" for p, u in pm.items() if p != "AATDKG")
    sys.stdout.write(text)
    return 0
