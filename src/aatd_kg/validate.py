"""Validate a release: SHACL shapes and named QC queries; ``aatd-kg validate [DIR]``.

QC queries are files ``shapes/qc/qc-<rule>-violation.rq`` (must return no rows) or
``…-warning.rq`` (rows are reported, the release still passes). They are written without
``PREFIX`` lines: the prefixes they use are prepended from the one prefix map.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from pyshacl import validate as pyshacl_validate
from rdflib import RDF, RDFS, XSD, Dataset, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.processor import SPARQLProcessor, translateQuery

from aatd_kg import prefixes
from aatd_kg.build.load import SHAPES_DIR, load_shapes
from aatd_kg.settings import Settings, project_root

HELP = "Run SHACL and the QC queries on a release; exit 1 on a violation."
QC_DIR = "qc"
NQUADS = "aatd-kg.nq"


@dataclass(frozen=True)
class Violation:
    """One SHACL result: the focus node, the path, the message and the severity."""

    focus: str
    path: str
    message: str
    severity: str

    def __str__(self) -> str:
        return f"{self.severity}: {self.focus} {self.path}: {self.message}"


@dataclass(frozen=True)
class QcResult:
    """The rows a QC query returned; a ``-violation`` query with rows fails the release."""

    name: str
    rows: list[dict[str, str]]

    @property
    def fails(self) -> bool:
        """True when this is a violation query that found something."""
        return self.name.endswith("-violation") and bool(self.rows)


@dataclass
class Report:
    """Everything a validation found."""

    shacl_graph: Graph
    violations: list[Violation] = field(default_factory=list)
    qc: list[QcResult] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        """True when no SHACL violation and no QC violation was found."""
        shacl_ok = not any(v.severity == "Violation" for v in self.violations)
        return shacl_ok and not any(result.fails for result in self.qc)

    def lines(self) -> list[str]:
        """The report as human-readable lines."""
        out = [str(v) for v in self.violations]
        for result in self.qc:
            if result.rows:
                kind = "FAIL" if result.fails else "warn"
                out.append(f"{kind} {result.name}: {len(result.rows)} row(s)")
                out += [f"    {row}" for row in result.rows[:20]]
        return out


class ReleaseInvalid(RuntimeError):
    """The release breaks a shape or a QC rule; the message lists what and where."""

    def __init__(self, report: Report) -> None:
        self.report = report
        super().__init__("validation failed:\n" + "\n".join(report.lines()))


#: Mapping properties whose targets must lie in a known public namespace.
MAPPING_PROPERTIES = ("exactMatch", "closeMatch")
_REGEX_SPECIALS = set(".^$*+?()[]{}|\\-")


def _regex_literal(text: str) -> str:
    return "".join("\\" + c if c in _REGEX_SPECIALS else c for c in text)


def known_namespaces(base: str) -> list[str]:
    """Namespaces a mapping may point into: every external namespace of the prefix map."""
    return sorted(
        uri for prefix, uri in prefixes.prefix_map(base).items()
        if prefix not in prefixes.PROJECT_PREFIXES
    )


def derived_shapes(base: str) -> Graph:
    """Shapes derived from the prefix map, added to ``shapes/*.ttl`` at validation.

    - ``sh:declare`` of every prefix, for SPARQL-based shapes (``sh:prefixes <shape/prefixes>``);
    - ``<shape/MappingNamespaceShape>``: ``skos:exactMatch``/``closeMatch`` IRIs lie in a known
      public namespace (literals are reported by ``MappingShape``).
    """
    graph = Graph()
    shape_base = prefixes.normalize_base(base) + "shape/"
    node = URIRef(shape_base + "prefixes")
    for prefix, namespace in prefixes.prefix_map(base).items():
        decl = URIRef(f"{node}/{prefix}")
        graph.add((node, SH.declare, decl))
        graph.add((decl, SH.prefix, Literal(prefix)))
        graph.add((decl, SH.namespace, Literal(namespace, datatype=XSD.anyURI)))

    skos = prefixes.prefix_map(base)["skos"]
    shape = URIRef(shape_base + "MappingNamespaceShape")
    pattern = "^(" + "|".join(_regex_literal(ns) for ns in known_namespaces(base)) + ")"
    message = ("A mapping must point to a public term in a known namespace of the prefix map "
               "(e.g. MONDO:0013282, HGNC:8941), not to an unknown namespace or an AATD-KG IRI: "
               "fix the target, or add its namespace to src/aatd_kg/prefixes.py.")
    graph.add((shape, RDF.type, SH.NodeShape))
    graph.add((shape, RDFS.label, Literal("mapping to a known namespace", lang="en")))
    for local in MAPPING_PROPERTIES:
        mapping = URIRef(skos + local)
        prop = URIRef(f"{shape}/{local}")
        is_literal, matches = URIRef(f"{prop}/literal"), URIRef(f"{prop}/pattern")
        alternatives = Collection(graph, URIRef(f"{prop}/alternatives"), [is_literal, matches])
        graph.add((shape, SH.targetSubjectsOf, mapping))
        graph.add((shape, SH.property, prop))
        graph.add((prop, SH.path, mapping))
        graph.add((prop, SH["or"], alternatives.uri))
        graph.add((prop, SH.message, Literal(message, lang="en")))
        graph.add((is_literal, SH.nodeKind, SH.Literal))
        graph.add((matches, SH.pattern, Literal(pattern)))
    return graph


def _text(graph: Graph, node: object, prop: URIRef) -> str:
    value = graph.value(node, prop)  # type: ignore[arg-type]
    return "" if value is None else str(value)


@contextmanager
def prepared_query_cache() -> Iterator[None]:
    """Parse each SPARQL text once while validating.

    pyshacl runs a SPARQL-based constraint once per focus node, passing the query as text;
    rdflib would parse it each time (tens of ms per parse). Within this context the parsed
    and translated query is kept and reused, which is what ``prepareQuery`` is for.
    """
    original = SPARQLProcessor.query
    cache: dict[tuple[str, str | None, tuple[tuple[str, Any], ...]], Any] = {}

    def query(self: SPARQLProcessor, str_or_query: Any,
              initBindings: Mapping[str, Any] | None = None,  # noqa: N803 - rdflib's names
              initNs: Mapping[str, Any] | None = None,  # noqa: N803
              base: str | None = None, DEBUG: bool = False) -> Mapping[str, Any]:  # noqa: N803
        if isinstance(str_or_query, str):
            key = (str_or_query, base, tuple(sorted((initNs or {}).items())))
            if key not in cache:
                cache[key] = translateQuery(parseQuery(str_or_query), base, initNs)
            str_or_query = cache[key]
        return original(self, str_or_query, initBindings, initNs, base, DEBUG)

    SPARQLProcessor.query = query  # type: ignore[method-assign]
    try:
        yield
    finally:
        SPARQLProcessor.query = original  # type: ignore[method-assign]


def run_shacl(data: Graph, shapes: Graph, base: str) -> tuple[Graph, list[Violation]]:
    """Validate *data* against *shapes* (plus prefix declarations) with pyshacl."""
    with prepared_query_cache():
        _, report, _ = pyshacl_validate(
            data, shacl_graph=shapes + derived_shapes(base), inference="none",
            advanced=True, allow_warnings=True,
        )
    found = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        severity = _text(report, result, SH.resultSeverity).rsplit("#", 1)[-1]
        found.append(Violation(
            focus=_text(report, result, SH.focusNode),
            path=_text(report, result, SH.resultPath),
            message=_text(report, result, SH.resultMessage),
            severity=severity,
        ))
    found.sort(key=lambda v: (v.severity, v.focus, v.path, v.message))
    return report, found


def qc_queries(root: Path) -> list[Path]:
    """Every QC query file, in name order."""
    return sorted((root / SHAPES_DIR / QC_DIR).glob("*.rq"))


def run_qc(store: ox.Store, queries: list[Path], base: str) -> list[QcResult]:
    """Run each QC query (default graph = union of the named graphs) and collect its rows."""
    results = []
    for path in queries:
        text = path.read_text(encoding="utf-8")
        query = prefixes.sparql_prologue(base, used_in=text) + text
        solutions = store.query(query, use_default_graph_as_union=True)
        rows = [
            {v.value: str(s[v]) for v in solutions.variables if s[v] is not None}
            for s in solutions  # type: ignore[union-attr]
        ]
        results.append(QcResult(path.stem, rows))
    return results


def validate_graphs(union: Graph, store: ox.Store, root: Path, base: str) -> Report:
    """SHACL on *union* and QC queries on *store*: the whole validation of one release."""
    report_graph, violations = run_shacl(union, load_shapes(root, base), base)
    return Report(report_graph, violations, run_qc(store, qc_queries(root), base))


def validate_release(release: Path, root: Path, base: str) -> Report:
    """Validate the release in directory *release* with the shapes and QC queries of *root*."""
    nquads = release / NQUADS
    if not nquads.is_file():
        raise FileNotFoundError(f"{nquads} not found: run `aatd-kg build --out {release}` first")
    store = ox.Store()
    store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    dataset = Dataset()
    dataset.parse(str(nquads), format="nquads")
    union = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    return validate_graphs(union, store, root, base)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the options of ``aatd-kg validate``."""
    parser.add_argument("release", nargs="?", type=Path, help="release directory (default dist/)")
    parser.add_argument("--root", type=Path, default=None, help="project root (shapes/)")


def run(args: argparse.Namespace) -> int:
    """Validate and print the findings; 0 when the release conforms, 1 otherwise."""
    settings = Settings()
    release = args.release or settings.release
    root = args.root or project_root()
    started = time.perf_counter()
    try:
        report = validate_release(release, root, settings.base_iri)
    except FileNotFoundError as exc:
        print(f"aatd-kg validate: {exc}", file=sys.stderr)
        return 2
    for line in report.lines():
        print(line)
    verdict = "conforms" if report.conforms else "DOES NOT CONFORM"
    print(f"{release}: {verdict} ({len(report.violations)} SHACL result(s), "
          f"{len(report.qc)} QC queries, {time.perf_counter() - started:.2f} s)")
    return 0 if report.conforms else 1
