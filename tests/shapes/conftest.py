"""Shared fixtures of the SHACL and QC tests: the real shapes, loaded as validate loads them."""

from __future__ import annotations

import pytest
from rdflib import Graph
from shapes_testlib import BASE, ROOT

from aatd_kg.build.load import load_shapes
from aatd_kg.validate import derived_shapes


@pytest.fixture(scope="session")
def shapes_graph() -> Graph:
    """Every shape of shapes/*.ttl plus those derived from the prefix map, as validate adds."""
    return load_shapes(ROOT, BASE) + derived_shapes(BASE)
