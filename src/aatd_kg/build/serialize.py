"""Deterministic dumps of a release: the same sources always give the same bytes.

N-Triples and N-Quads are sorted line by line; Turtle and TriG come from rdflib's sorted
writers; JSON-LD is compacted with the published context and then canonically ordered.
Gzip files carry no timestamp or name.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph

#: Base name of every dump file in a release.
DUMP_STEM = "aatd-kg"


def _sorted_lines(text: str) -> bytes:
    lines = sorted({line for line in text.splitlines() if line.strip()})
    return ("\n".join(lines) + "\n").encode("utf-8")


def ntriples(union: Graph, dataset: Dataset, context: dict[str, Any]) -> bytes:
    """The union of all graphs as sorted N-Triples."""
    return _sorted_lines(union.serialize(format="nt11"))


def nquads(union: Graph, dataset: Dataset, context: dict[str, Any]) -> bytes:
    """Every quad with its named graph, sorted."""
    return _sorted_lines(dataset.serialize(format="nquads"))


def turtle(union: Graph, dataset: Dataset, context: dict[str, Any]) -> bytes:
    """The union of all graphs as Turtle, with the prefix map's prefixes."""
    return union.serialize(format="turtle", encoding="utf-8")


def trig(union: Graph, dataset: Dataset, context: dict[str, Any]) -> bytes:
    """Every named graph as TriG, graphs in IRI order (rdflib's own TriG order varies)."""
    declarations: set[str] = set()
    blocks = []
    for named in sorted(dataset.graphs(), key=lambda g: str(g.identifier)):
        if not len(named):
            continue
        body = Graph(namespace_manager=union.namespace_manager)
        for triple in named:
            body.add(triple)
        lines = body.serialize(format="turtle").splitlines()
        declarations.update(line for line in lines if line.startswith("@prefix"))
        # Not indented: a long literal's lines must stay exactly as they are.
        inner = [line for line in lines if not line.startswith("@prefix")]
        blocks.append(f"<{named.identifier}> {{\n" + "\n".join(inner).strip("\n") + "\n}\n")
    text = "\n".join(sorted(declarations)) + "\n\n" + "\n".join(blocks)
    return text.encode("utf-8")


def _canonical(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _canonical(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        items = [_canonical(item) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True))
    return value


def jsonld(union: Graph, dataset: Dataset, context: dict[str, Any]) -> bytes:
    """The union of all graphs as compact JSON-LD using *context*, canonically ordered.

    Lists are sorted because RDF has no order apart from rdf:List, which the sources avoid.
    """
    text = union.serialize(format="json-ld", context=context, auto_compact=True)
    document = json.loads(text)
    body = {key: _canonical(value) for key, value in document.items() if key != "@context"}
    out = {"@context": document.get("@context", context), **body}
    return (json.dumps(out, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


#: Dump extension → writer. The media type of each extension lives in the conneg table.
Writer = Callable[[Graph, Dataset, dict[str, Any]], bytes]
DUMPS: dict[str, Writer] = {
    "ttl": turtle,
    "nt": ntriples,
    "nq": nquads,
    "trig": trig,
    "jsonld": jsonld,
}


def write_bytes(path: Path, data: bytes) -> Path:
    """Write *data* to *path* and return it."""
    path.write_bytes(data)
    return path


def write_gzip(path: Path, data: bytes) -> Path:
    """Write *data* gzip-compressed to ``path``, with no timestamp or file name inside."""
    with path.open("wb") as raw, gzip.GzipFile(
        filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9
    ) as zipped:
        zipped.write(data)
    return path
