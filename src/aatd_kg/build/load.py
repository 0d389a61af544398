"""Parse the hand-edited sources (``ontology/``, ``data/``, ``shapes/``) into RDF.

Sources carry no ``@prefix`` lines: the declarations generated from the one prefix map are
prepended on a single line, and reported line numbers are corrected for it. Relative IRIs
resolve against the configured base. See docs/decisions/0001-iri-scheme-and-source-layout.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.plugins.parsers.notation3 import BadSyntax

from aatd_kg import prefixes

#: Folder of each kind of source, relative to the project root.
ONTOLOGY_DIR = "ontology"
DATA_DIR = "data"
SHAPES_DIR = "shapes"
#: Path, relative to the base, of the named graphs (one per source file).
GRAPH_PATH = "graph/"
#: Name of the graph holding every ontology file.
ONTOLOGY_GRAPH = "ontology"
#: A line declaring a prefix or a base, which sources must not do.
_DECLARATION = re.compile(r"^\s*(@prefix|@base|PREFIX\s|BASE\s)", re.IGNORECASE)


class SourceError(ValueError):
    """A source file cannot be used; the message names the file and, when known, the line."""

    def __init__(self, path: Path, message: str, line: int | None = None) -> None:
        self.path = path
        self.line = line
        where = f"{path}:{line}" if line is not None else str(path)
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class Source:
    """One source file and the named graph it is loaded into."""

    path: Path
    graph: URIRef


def graph_iri(base: str, name: str) -> URIRef:
    """IRI of the named graph called *name* (a data file's stem, or ``ontology``)."""
    return URIRef(prefixes.normalize_base(base) + GRAPH_PATH + name)


def parse_source(
    path: Path, base: str, into: Graph | None = None, *, allow_blank_nodes: bool = False
) -> Graph:
    """Parse one prefix-less Turtle source file into *into* (or a new graph).

    Raises :class:`SourceError` naming the file and line on a syntax error, and, unless
    *allow_blank_nodes* (SHACL shapes), when the file holds a blank node (decision 0001).
    """
    graph = into if into is not None else Graph()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(path, f"cannot read: {exc}") from exc
    for number, row in enumerate(text.splitlines(), 1):
        if _DECLARATION.match(row):
            raise SourceError(path, "sources must not declare prefixes or a base: the build "
                              "prepends the prefix map (run `aatd-kg prefixes`)", number)
    scratch = Graph()
    document = prefixes.turtle_header(base) + "\n" + text
    try:
        scratch.parse(data=document, format="turtle", publicID=prefixes.normalize_base(base))
    except BadSyntax as exc:
        raise SourceError(path, f"Turtle syntax error: {exc._why}", exc.lines) from exc
    except (ValueError, SyntaxError) as exc:  # rdflib reports some term errors this way
        raise SourceError(path, f"Turtle error: {exc}") from exc
    for triple in scratch:
        if not allow_blank_nodes and any(isinstance(term, BNode) for term in triple):
            raise SourceError(path, f"blank node in {triple}: give every node an IRI")
        graph.add(triple)
    return graph


def sources(root: Path, base: str) -> list[Source]:
    """Every ontology and data source of *root* with its named graph, in a stable order."""
    found = [Source(p, graph_iri(base, ONTOLOGY_GRAPH))
             for p in sorted((root / ONTOLOGY_DIR).glob("*.ttl"))]
    found += [Source(p, graph_iri(base, p.stem)) for p in sorted((root / DATA_DIR).glob("*.ttl"))]
    if not found:
        raise SourceError(root, f"no sources: expected {ONTOLOGY_DIR}/*.ttl and {DATA_DIR}/*.ttl")
    names = [s.graph for s in found if s.path.parent.name == DATA_DIR]
    if graph_iri(base, ONTOLOGY_GRAPH) in names:
        raise SourceError(root / DATA_DIR / "ontology.ttl", "name reserved for the ontology graph")
    return found


def load_sources(root: Path, base: str) -> Dataset:
    """Parse every source of *root* into a dataset with one named graph per data file."""
    dataset = Dataset()
    prefixes.bind_all(dataset, base)
    for source in sources(root, base):
        parse_source(source.path, base, into=dataset.graph(source.graph))
    return dataset


def load_shapes(root: Path, base: str) -> Graph:
    """Parse every SHACL shape file of ``shapes/`` into one graph."""
    graph = prefixes.bind_all(Graph(), base)
    for path in sorted((root / SHAPES_DIR).glob("*.ttl")):
        parse_source(path, base, into=graph, allow_blank_nodes=True)
    return graph
