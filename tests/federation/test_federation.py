"""Federation: clients join AATD-KG with a MONDO-like endpoint through skos:exactMatch.

Every server is real and on loopback: the AATD-KG app (create_app + OxigraphStore under
uvicorn) and a second SPARQL endpoint with a slice of a MONDO-like graph. The joins run on
AATD-KG's public IRIs (``https://w3id.org/aatd-kg/...``), as another graph would link to them.

Two federating clients, neither written here: Oxigraph's query engine on the client side (an
empty local store evaluating both ``SERVICE`` clauses over HTTP), and rdflib's ``SERVICE``.
rdflib sends the text of the first SERVICE clause for every SERVICE of a query (RDFLib/rdflib
issue #3069), so its queries hold one SERVICE each.
"""

from __future__ import annotations

from pathlib import Path
from urllib.request import Request, urlopen

import pyoxigraph as ox
from rdflib import Graph

from aatd_kg.build.load import parse_source
from aatd_kg.prefixes import prefix_map, sparql_prologue

#: The MONDO-like slice (also what the second endpoint serves).
MONDO_SLICE = Path(__file__).parent / "fixtures" / "mondo-slice.ttl"

#: The federated query of docs/decisions/0009-mappings-and-exports.md, with the two endpoints.
FEDERATED_QUERY = """
SELECT ?entity ?label ?mondo ?mondoLabel ?orphanet WHERE {
  SERVICE <%(aatd)s> {
    ?entity skos:exactMatch ?mondo ; rdfs:label ?label .
    FILTER(STRSTARTS(STR(?mondo), "%(mondo_ns)s"))
  }
  SERVICE <%(mondo)s> {
    ?mondo rdfs:label ?mondoLabel ; skos:exactMatch ?orphanet .
    FILTER(STRSTARTS(STR(?orphanet), "%(orphanet_ns)s"))
  }
}
"""


def _query(base: str, text: str, **values: str) -> str:
    ns = prefix_map(base)
    text = text % {"mondo_ns": ns["MONDO"], "orphanet_ns": ns["Orphanet"], **values}
    return sparql_prologue(base, text) + text


def _expected(base: str) -> tuple[str, ...]:
    ns = prefix_map(base)
    return (base + "disease/AATD", "alpha-1 antitrypsin deficiency", ns["MONDO"] + "0013282",
            "alpha 1-antitrypsin deficiency", ns["Orphanet"] + "60")


def test_oxigraph_joins_both_endpoints_over_http(
    base: str, aatd_endpoint: str, mondo_endpoint: str
) -> None:
    client = ox.Store()  # empty: every triple comes from the two endpoints
    query = _query(base, FEDERATED_QUERY, aatd=aatd_endpoint, mondo=mondo_endpoint)
    rows = client.query(query)
    found = {tuple(row[v].value for v in ("entity", "label", "mondo", "mondoLabel", "orphanet"))
             for row in rows}  # type: ignore[union-attr]
    assert found == {_expected(base)}


def test_rdflib_service_to_aatd_kg_from_a_mondo_like_graph(
    base: str, aatd_endpoint: str
) -> None:
    mondo_graph = parse_source(MONDO_SLICE, base)  # what a MONDO curator holds locally
    query = _query(base, """
        SELECT ?entity ?label ?mondo ?mondoLabel ?orphanet WHERE {
          ?mondo rdfs:label ?mondoLabel ; skos:exactMatch ?orphanet .
          FILTER(STRSTARTS(STR(?orphanet), "%(orphanet_ns)s"))
          SERVICE <%(aatd)s> { ?entity skos:exactMatch ?mondo ; rdfs:label ?label . }
        }""", aatd=aatd_endpoint)
    found = {tuple(str(v) for v in row) for row in mondo_graph.query(query)}  # type: ignore
    assert found == {_expected(base)}


def test_rdflib_dereferences_a_public_iri_and_federates_with_mondo(
    base: str, aatd_app_url: str, mondo_endpoint: str
) -> None:
    public_iri = base + "disease/AATD"
    served = aatd_app_url + public_iri[len(base):]
    with urlopen(Request(served, headers={"Accept": "text/turtle"})) as response:
        assert response.headers["Content-Type"].startswith("text/turtle")
        local = Graph().parse(data=response.read().decode("utf-8"), format="turtle")
    query = _query(base, """
        SELECT ?entity ?label ?mondo ?mondoLabel ?orphanet WHERE {
          ?entity skos:exactMatch ?mondo ; rdfs:label ?label .
          SERVICE <%(mondo)s> {
            ?mondo rdfs:label ?mondoLabel ; skos:exactMatch ?orphanet .
            FILTER(STRSTARTS(STR(?orphanet), "%(orphanet_ns)s"))
          }
        }""", mondo=mondo_endpoint)
    found = {tuple(str(v) for v in row) for row in local.query(query)}  # type: ignore
    assert found == {_expected(base)}
