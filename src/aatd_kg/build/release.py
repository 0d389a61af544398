"""Compile the sources into a release directory, atomically.

The way of the data: parse ``ontology/`` + ``data/`` (one named graph per file) → stamp the
version → validate (SHACL + QC; a violation stops the build) → write every dump, its gzip,
the context, the VoID/DCAT description, the exporters' files, ``release.json`` and
``SHA256SUMS`` into a temporary directory → swap it in place of the previous release. On any
error the previous release is left untouched.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import OWL, RDF, XSD, Dataset, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph

from aatd_kg import prefixes
from aatd_kg.build import serialize
from aatd_kg.build.load import SourceError, graph_iri, load_sources
from aatd_kg.build.void import void_graph
from aatd_kg.exports.catalog import catalog_graph
from aatd_kg.exports.context import context_document, jsonld_context
from aatd_kg.exports.registry import EXPORTERS, ExportContext
from aatd_kg.validate import ReleaseInvalid, Report, validate_graphs
from aatd_kg.web import conneg

RELEASE_TOML = "release.toml"
RELEASE_JSON = "release.json"
CHECKSUMS = "SHA256SUMS"


@dataclass(frozen=True)
class ReleaseMeta:
    """Version and date of a release, read from ``release.toml``."""

    version: str
    date: str

    @classmethod
    def read(cls, root: Path) -> ReleaseMeta:
        """Read ``release.toml`` of *root*; errors name the file."""
        path = root / RELEASE_TOML
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
            return cls(version=str(data["version"]), date=str(data["date"]))
        except (OSError, tomllib.TOMLDecodeError, KeyError) as exc:
            raise SourceError(path, f"needs version and date: {exc}") from exc


def version_iri(base: str, version: str) -> URIRef:
    """``owl:versionIRI`` of the ontology in release *version*."""
    return URIRef(f"{prefixes.normalize_base(base)}release/{version}/vocab")


def stamp_version(dataset: Dataset, base: str, meta: ReleaseMeta) -> None:
    """Add version IRI, version info and issue date to the ontology header."""
    ontology_graph = dataset.graph(graph_iri(base, "ontology"))
    issued = URIRef(prefixes.prefix_map(base)["dcterms"] + "issued")
    for ontology in set(ontology_graph.subjects(RDF.type, OWL.Ontology)):
        ontology_graph.add((ontology, OWL.versionIRI, version_iri(base, meta.version)))
        ontology_graph.add((ontology, OWL.versionInfo, Literal(meta.version)))
        ontology_graph.add((ontology, issued, Literal(meta.date, datatype=XSD.date)))


def union_graph(dataset: Dataset, base: str) -> Graph:
    """Every triple of every named graph in one graph, with the prefix map bound."""
    union = prefixes.bind_all(Graph(), base)
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    return union


def oxigraph_store(nquads: bytes) -> ox.Store:
    """An in-memory Oxigraph store holding *nquads*."""
    store = ox.Store()
    store.load(nquads, format=ox.RdfFormat.N_QUADS)
    return store


def _file_entry(path: Path) -> dict[str, Any]:
    data = path.read_bytes()
    return {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest(),
            "media_type": conneg.media_type_of_file(path.name)}


def _swap(tmp: Path, out: Path) -> None:
    """Put *tmp* where *out* is; the previous release is removed only once the new one is in."""
    old = out.with_name(f".{out.name}.old-{os.getpid()}")
    if out.exists():
        out.rename(old)
    tmp.rename(out)
    shutil.rmtree(old, ignore_errors=True)


def write_release(dataset: Dataset, union: Graph, report: Report, out_dir: Path, base: str,
                  meta: ReleaseMeta) -> dict[str, Any]:
    """Write every file of the release into *out_dir* and return the ``release.json`` content."""
    context = jsonld_context(base, union)
    written: list[Path] = []
    nquads = b""
    for ext, writer in serialize.DUMPS.items():
        data = writer(union, dataset, context)
        name = f"{serialize.DUMP_STEM}.{ext}"
        written.append(serialize.write_bytes(out_dir / name, data))
        written.append(serialize.write_gzip(out_dir / f"{name}.gz", data))
        if ext == "nq":
            nquads = data
    context_doc = context_document(base, union)
    written.append(serialize.write_bytes(
        out_dir / "context.jsonld",
        (json.dumps(context_doc, indent=1, sort_keys=True) + "\n").encode("utf-8")))
    shacl_report = prefixes.bind_all(Graph(), base)
    for triple in to_canonical_graph(report.shacl_graph):
        shacl_report.add(triple)
    written.append(serialize.write_bytes(
        out_dir / "shacl-report.ttl", shacl_report.serialize(format="turtle", encoding="utf-8")))
    ctx = ExportContext(dataset, union, base, meta.version, meta.date, out_dir)
    for exporter in EXPORTERS:
        written.extend(exporter(ctx))
    files = {p.name: _file_entry(p) for p in sorted(written)}

    named = sorted(str(g.identifier) for g in dataset.graphs() if len(g))
    void = void_graph(oxigraph_store(nquads), base, named)
    void += catalog_graph(base, meta.version, meta.date, files, base + "sparql")
    prefixes.bind_all(void, base)
    void_path = serialize.write_bytes(out_dir / "void.ttl",
                                      void.serialize(format="turtle", encoding="utf-8"))
    files[void_path.name] = _file_entry(void_path)

    counts = {name: len(dataset.graph(URIRef(name))) for name in named}
    release = {
        "version": meta.version, "date": meta.date, "base_iri": prefixes.normalize_base(base),
        "triples": len(union), "quads": sum(counts.values()), "graphs": counts,
        "files": dict(sorted(files.items())),
    }
    json_path = serialize.write_bytes(
        out_dir / RELEASE_JSON, (json.dumps(release, indent=1) + "\n").encode("utf-8"))
    sums = {**{n: f["sha256"] for n, f in files.items()},
            RELEASE_JSON: _file_entry(json_path)["sha256"]}
    (out_dir / CHECKSUMS).write_text(
        "".join(f"{digest}  {name}\n" for name, digest in sorted(sums.items())), encoding="utf-8")
    return release


def build_release(root: Path, out: Path, base: str = prefixes.DEFAULT_BASE) -> dict[str, Any]:
    """Build the release of the sources in *root* into *out*; return its ``release.json``.

    Raises :class:`SourceError` (file and line) or :class:`ReleaseInvalid` (focus node, path,
    message); in both cases *out* is left as it was.
    """
    base = prefixes.normalize_base(base)
    meta = ReleaseMeta.read(root)
    dataset = load_sources(root, base)
    stamp_version(dataset, base, meta)
    union = union_graph(dataset, base)
    nquads = serialize.nquads(union, dataset, {})
    report = validate_graphs(union, oxigraph_store(nquads), root, base)
    if not report.conforms:
        raise ReleaseInvalid(report)
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    try:
        release = write_release(dataset, union, report, tmp, base, meta)
        tmp.chmod(0o755)
        _swap(tmp, out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return release
