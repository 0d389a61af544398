"""Placeholder for `aatd-kg command`: replaced by the module's owner."""

from __future__ import annotations

import argparse

HELP = "(not implemented yet)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the options of this command."""


def run(args: argparse.Namespace) -> int:
    """Not implemented yet."""
    raise SystemExit("not implemented yet")
