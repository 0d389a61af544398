"""``/downloads`` and ``/.well-known/void`` over the real app: listing, checksums, gzip,
ETag/Last-Modified revalidation, ``.gz`` files as they are, VoID in every RDF format."""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import RDF, Graph, Literal, URIRef
from starlette.testclient import TestClient
from test_linked_data_fixture import (
    DATA_BASE,
    SERVED,
    HtmlFacts,
    client_for,
    write_fixture_release,
)

from aatd_kg.prefixes import converter

C = converter()


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A release directory in the real layout."""
    return write_fixture_release(tmp_path_factory.mktemp("dl") / "dist")


@pytest.fixture(scope="module")
def client(release: Path) -> Iterator[TestClient]:
    yield from client_for(release, public_base=SERVED)


def files_of(release: Path) -> dict[str, dict[str, object]]:
    return json.loads((release / "release.json").read_text())["files"]


def test_listing_as_json_matches_release_json(client: TestClient, release: Path) -> None:
    response = client.get("/downloads", headers={"Accept": "application/json"})
    assert response.status_code == 200
    doc = response.json()
    meta = json.loads((release / "release.json").read_text())
    assert doc["version"] == meta["version"] and doc["date"] == meta["date"]
    listed = {f["name"]: f for f in doc["files"]}
    assert set(listed) == set(meta["files"])
    for name, entry in meta["files"].items():
        assert listed[name]["bytes"] == entry["bytes"]
        assert listed[name]["sha256"] == entry["sha256"]
        assert listed[name]["media_type"] == entry["media_type"]
        assert listed[name]["url"] == f"{SERVED}downloads/{name}"


def test_listing_page_shows_size_type_and_checksum(client: TestClient, release: Path) -> None:
    response = client.get("/downloads", headers={"Accept": "text/html"})
    assert response.headers["content-type"].startswith("text/html")
    page = HtmlFacts(response.text)
    table = page.by_id["files"]
    for name, entry in files_of(release).items():
        assert (f"{SERVED}downloads/{name}", name) in page.links
        assert str(entry["sha256"]) in table
        assert str(entry["media_type"]) in table
    assert f'data-bytes="{files_of(release)["aatd-kg.nq"]["bytes"]}"' in response.text


def test_file_identity_matches_its_checksum(client: TestClient, release: Path) -> None:
    entry = files_of(release)["aatd-kg.ttl"]
    response = client.get("/downloads/aatd-kg.ttl", headers={"Accept-Encoding": "identity"})
    assert response.status_code == 200
    assert "content-encoding" not in response.headers
    assert response.headers["content-type"].startswith("text/turtle")
    assert hashlib.sha256(response.content).hexdigest() == entry["sha256"]
    assert response.headers["etag"] == f'"{entry["sha256"]}"'
    assert len(Graph().parse(data=response.content, format="turtle")) > 10


def test_file_with_gz_sibling_is_sent_gzip_coded(client: TestClient, release: Path) -> None:
    files = files_of(release)
    with client.stream("GET", "/downloads/aatd-kg.nq", headers={"Accept-Encoding": "gzip"}) as r:
        raw = b"".join(r.iter_raw())
        assert r.status_code == 200
        assert r.headers["content-encoding"] == "gzip"
        assert r.headers["content-type"].startswith("application/n-quads")
        assert "Accept-Encoding" in r.headers["vary"]
        etag = r.headers["etag"]
    assert hashlib.sha256(raw).hexdigest() == files["aatd-kg.nq.gz"]["sha256"]
    assert hashlib.sha256(gzip.decompress(raw)).hexdigest() == files["aatd-kg.nq"]["sha256"]
    assert etag != f'"{files["aatd-kg.nq"]["sha256"]}"'  # another representation, another tag


def test_small_file_without_sibling_is_gzipped_in_memory(client: TestClient, release: Path) -> None:
    with client.stream("GET", "/downloads/void.ttl", headers={"Accept-Encoding": "gzip"}) as r:
        raw = b"".join(r.iter_raw())
        assert r.headers["content-encoding"] == "gzip"
    assert gzip.decompress(raw) == (release / "void.ttl").read_bytes()


def test_gz_file_is_served_as_it_is(client: TestClient, release: Path) -> None:
    entry = files_of(release)["aatd-kg.nq.gz"]
    with client.stream("GET", "/downloads/aatd-kg.nq.gz", headers={"Accept-Encoding": "gzip"}) as r:
        raw = b"".join(r.iter_raw())
        assert "content-encoding" not in r.headers
        assert r.headers["content-type"] == "application/gzip"
    assert hashlib.sha256(raw).hexdigest() == entry["sha256"]
    assert gzip.decompress(raw) == (release / "aatd-kg.nq").read_bytes()


def test_revalidation_answers_304(client: TestClient) -> None:
    first = client.get("/downloads/aatd-kg.ttl", headers={"Accept-Encoding": "identity"})
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    same = client.get("/downloads/aatd-kg.ttl",
                      headers={"Accept-Encoding": "identity", "If-None-Match": etag})
    assert same.status_code == 304 and same.content == b""
    assert same.headers["etag"] == etag
    weak = client.get("/downloads/aatd-kg.ttl",
                      headers={"Accept-Encoding": "identity", "If-None-Match": f'"x", W/{etag}'})
    assert weak.status_code == 304
    since = client.get("/downloads/aatd-kg.ttl",
                       headers={"Accept-Encoding": "identity", "If-Modified-Since": modified})
    assert since.status_code == 304
    old = client.get("/downloads/aatd-kg.ttl", headers={
        "Accept-Encoding": "identity", "If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"})
    assert old.status_code == 200 and len(old.content) > 0
    changed = client.get("/downloads/aatd-kg.ttl",
                         headers={"Accept-Encoding": "identity", "If-None-Match": '"other"',
                                  "If-Modified-Since": modified})
    assert changed.status_code == 200  # If-None-Match wins over If-Modified-Since
    gz_first = client.get("/downloads/aatd-kg.nq", headers={"Accept-Encoding": "gzip"})
    gz_again = client.get("/downloads/aatd-kg.nq", headers={
        "Accept-Encoding": "gzip", "If-None-Match": gz_first.headers["etag"]})
    assert gz_again.status_code == 304


def test_unknown_or_unlisted_files_are_404(client: TestClient) -> None:
    missing = client.get("/downloads/nope.ttl")
    assert missing.status_code == 404
    assert "no file called 'nope.ttl'" in HtmlFacts(missing.text).by_id["message"]
    for path in ("/downloads/..%2Frelease.json", "/downloads/%2E%2E%2Frelease.json"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert '"files"' not in response.text


@pytest.mark.parametrize(
    ("media_type", "rdflib_format"),
    [("text/turtle", "turtle"), ("application/ld+json", "json-ld"),
     ("application/n-triples", "nt"), ("application/rdf+xml", "xml")],
)
def test_void_in_every_rdf_format(
    client: TestClient, release: Path, media_type: str, rdflib_format: str
) -> None:
    response = client.get("/.well-known/void", headers={"Accept": media_type})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    graph = Graph().parse(data=response.content, format=rdflib_format)
    reference = Graph().parse(release / "void.ttl", format="turtle")
    assert set(graph) == set(reference)
    dataset = URIRef(f"{DATA_BASE}void")
    assert (dataset, RDF.type, URIRef(C.expand("void:Dataset"))) in graph
    triples = json.loads((release / "release.json").read_text())["triples"]
    assert (dataset, URIRef(C.expand("void:triples")), Literal(triples)) in graph
    again = client.get("/.well-known/void", headers={
        "Accept": media_type, "If-None-Match": response.headers["etag"]})
    assert again.status_code == 304


def test_checksums_file_and_release_json_are_served(client: TestClient, release: Path) -> None:
    sums = client.get("/downloads/SHA256SUMS", headers={"Accept-Encoding": "identity"})
    assert sums.status_code == 200 and sums.content == (release / "SHA256SUMS").read_bytes()
    listed = dict(reversed(line.split("  ")) for line in sums.text.splitlines())
    for name, entry in files_of(release).items():
        assert listed[name] == entry["sha256"]
        body = client.get(f"/downloads/{name}", headers={"Accept-Encoding": "identity"}).content
        assert hashlib.sha256(body).hexdigest() == listed[name]
    meta = client.get("/downloads/release.json").json()
    assert meta["files"] == files_of(release)
