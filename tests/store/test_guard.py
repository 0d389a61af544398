"""The lexical checks made before a query runs: SERVICE targets, FROM, update detection."""

from __future__ import annotations

import pytest

from aatd_kg.store.base import ServiceNotAllowed
from aatd_kg.store.guard import (
    check_service,
    first_keyword,
    has_dataset_clause,
    looks_like_update,
    service_targets,
)

ALLOWED = "https://sparql.example.org/sparql"


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <http://evil.example/> { ?s ?p ?o } }",
    "select * where { service silent <http://evil.example/> { ?s ?p ?o } }",
    "PREFIX e: <http://evil.example/> SELECT * WHERE { SERVICE e:sparql { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE ?endpoint { ?s ?p ?o } }",
    "SELECT * WHERE { \\u0053ERVICE <http://evil.example/> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o . SERVICE <http://evil.example/> {} SERVICE <" + ALLOWED + "> {} }",
])
def test_service_outside_the_allow_list_is_refused(query: str) -> None:
    with pytest.raises(ServiceNotAllowed, match="not allowed"):
        check_service(query, [ALLOWED])


@pytest.mark.parametrize("query", [
    "SELECT ?service WHERE { ?service ?p 'SERVICE <http://evil.example/>' }",
    "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://evil.example/>",
    'SELECT * WHERE { ?s ?p """\nSERVICE <http://evil.example/> {}\n""" }',
    "SELECT * WHERE { SERVICE <" + ALLOWED + "> { ?s ?p ?o } }",
    "PREFIX ok: <https://sparql.example.org/> SELECT * WHERE { SERVICE ok:sparql { ?s ?p ?o } }",
])
def test_allowed_or_absent_service_passes(query: str) -> None:
    check_service(query, [ALLOWED])


def test_with_an_empty_allow_list_every_service_is_refused() -> None:
    with pytest.raises(ServiceNotAllowed, match="allows no federated queries"):
        check_service("SELECT * { SERVICE <" + ALLOWED + "> {} }", [])
    assert service_targets("SELECT * { SERVICE ?x {} SERVICE <http://a/> {} }") == [
        None, "http://a/"]


def test_dataset_clause_and_update_detection() -> None:
    assert has_dataset_clause("SELECT * FROM <http://g/> WHERE { ?s ?p ?o }")
    assert has_dataset_clause("SELECT * FROM NAMED <http://g/> WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert not has_dataset_clause("SELECT ?from WHERE { ?from ?p 'FROM' }")
    assert looks_like_update("PREFIX ex: <http://e/> INSERT DATA { ex:a ex:b ex:c }")
    assert looks_like_update("# comment\nBASE <http://e/> DELETE WHERE { ?s ?p ?o }")
    assert looks_like_update("LOAD <http://example.org/data.ttl>")
    assert not looks_like_update("SELECT * WHERE { ?s ?p ?o }")
    assert first_keyword("PREFIX a: <http://a/> PREFIX b: <http://b/>\nask {}") == "ASK"
