"""The one command-line entry point, ``aatd-kg``: thin, each command lives in its own module.

A command module exposes ``HELP: str``, ``add_arguments(parser)`` and ``run(args) -> int``.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

#: Command name → module implementing it.
COMMANDS: dict[str, str] = {
    "build": "aatd_kg.build.command",
    "validate": "aatd_kg.validate",
    "serve": "aatd_kg.web.command",
    "check": "aatd_kg.eligibility.command",
    "diff": "aatd_kg.exports.diff",
    "prefixes": "aatd_kg.prefixes_command",
}


def make_parser() -> argparse.ArgumentParser:
    """Build the parser of every command."""
    parser = argparse.ArgumentParser(
        prog="aatd-kg", description="Build, validate and serve the AATD knowledge graph."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, module_name in COMMANDS.items():
        module = importlib.import_module(module_name)
        command = sub.add_parser(name, help=module.HELP, description=module.HELP)
        module.add_arguments(command)
        command.set_defaults(_run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``aatd-kg`` with *argv* and return its exit code."""
    args = make_parser().parse_args(argv)
    return int(args._run(args))


if __name__ == "__main__":
    sys.exit(main())
