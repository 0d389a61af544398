"""Shared fixtures of the SHACL and QC tests: the real shapes, loaded as validate loads them."""

from __future__ import annotations

import pytest
from rdflib import Graph
from shapes_testlib import BASE, ROOT

from aatd_kg.build.load import load_shapes
from aatd_kg.validate import shacl_declarations


@pytest.fixture(scope="session")
def shapes_graph() -> Graph:
    """Every shape of shapes/*.ttl plus the sh:declare of the prefix map (as validate adds it)."""
    return load_shapes(ROOT, BASE) + shacl_declarations(BASE)
