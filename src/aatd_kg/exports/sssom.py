"""The SSSOM mapping set of a release: every mapping of the graph with labels and its source.

One row per mapping triple (``skos:exactMatch``, ``skos:closeMatch``, …, ``oboInOwl:hasDbXref``)
of any named graph. The source of a mapping (``mapping_provider``) is the ``dcterms:source`` of
its ``aatd:MappingRecord`` (which may also give its justification and ``aatd:confidence``), else
what the graph holding it was derived from when that is one source, else the graph itself.
Subject labels come from the graph. The object label is the ``sssom:object_label`` of the
mapping's record (the label of the external term as its source gives it), else a label the graph
has for the object, else empty.
The header's ``curie_map`` holds only the prefixes the file uses, taken from the one prefix map.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.query import ResultRow

from aatd_kg.exports.export_context import ExportContext
from aatd_kg.exports.metadata import LICENSE_IRI, STEM, TITLE
from aatd_kg.prefixes import converter, prefix_map, sparql_prologue

#: File name of the mapping set in a release.
FILE_NAME = f"{STEM}.sssom.tsv"

#: Mapping predicates exported, as CURIEs of the prefix map.
MAPPING_PREDICATES: tuple[str, ...] = (
    "skos:exactMatch",
    "skos:closeMatch",
    "skos:broadMatch",
    "skos:narrowMatch",
    "skos:relatedMatch",
    "oboInOwl:hasDbXref",
)

#: How every mapping of AATD-KG was made: curated by hand from the sources (decision 0009).
JUSTIFICATION = "semapv:ManualMappingCuration"

#: Columns of the TSV body, in order.
COLUMNS: tuple[str, ...] = (
    "subject_id",
    "subject_label",
    "predicate_id",
    "object_id",
    "object_label",
    "mapping_justification",
    "mapping_provider",
    "comment",
)

#: Properties holding a readable name, most preferred first.
LABEL_PROPERTIES: tuple[str, ...] = ("rdfs:label", "skos:prefLabel", "schema:name")

_MAPPINGS_QUERY = """
SELECT DISTINCT ?s ?p ?o ?g WHERE {
  VALUES ?p { %s }
  GRAPH ?g { ?s ?p ?o }
}
"""

_RECORDS_QUERY = """
SELECT ?s ?p ?o ?source ?justification ?confidence ?object_label WHERE {
  GRAPH ?g {
    ?record a aatd:MappingRecord ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
    OPTIONAL { ?record dcterms:source ?source }
    OPTIONAL { ?record sssom:mapping_justification ?justification }
    OPTIONAL { ?record aatd:confidence ?confidence }
    OPTIONAL { ?record sssom:object_label ?object_label }
  }
}
"""

_OBJECT_LABELS_QUERY = """
SELECT DISTINCT ?o ?label ?record WHERE {
  ?record a aatd:MappingRecord ; rdf:object ?o ; sssom:object_label ?label .
  FILTER(isIRI(?o))
}
ORDER BY ?o ?label ?record
"""

_SOURCES_QUERY = """
SELECT DISTINCT ?g ?source WHERE { GRAPH ?any { ?g prov:wasDerivedFrom ?source } }
"""


class SssomExportError(ValueError):
    """A mapping cannot be written as SSSOM; the message names the triple and the fix."""


@dataclass(frozen=True, order=True)
class Mapping:
    """One row of the mapping set."""

    subject_id: str
    predicate_id: str
    object_id: str
    subject_label: str = ""
    object_label: str = ""
    mapping_provider: str = ""
    mapping_justification: str = JUSTIFICATION
    comment: str = ""

    def row(self) -> list[str]:
        """The TSV cells of this mapping, in :data:`COLUMNS` order."""
        return [_clean(getattr(self, column)) for column in COLUMNS]


def _clean(text: str) -> str:
    return " ".join(text.split())


def best_label(graph: Graph, node: URIRef, base: str) -> str:
    """The node's label: untagged or English first, then alphabetical; empty when it has none."""
    expand = converter(base).expand_strict
    for curie in LABEL_PROPERTIES:
        labels = [o for o in graph.objects(node, URIRef(expand(curie))) if isinstance(o, Literal)]
        if labels:
            labels.sort(key=lambda lit: (lit.language not in (None, "en"), str(lit)))
            return str(labels[0])
    return ""


def _object_curie(value: URIRef | Literal, base: str, where: str) -> str:
    conv = converter(base)
    if isinstance(value, Literal):  # OBO-style xref: the CURIE as a string
        text = str(value).strip()
        prefix = text.split(":", 1)[0] if ":" in text else ""
        if prefix not in prefix_map(base):
            raise SssomExportError(
                f"{where}: xref {text!r} is not a CURIE of a known prefix; write it as "
                f"PREFIX:local with a prefix of src/aatd_kg/prefixes.py (add one if needed)"
            )
        return text
    curie = conv.compress(str(value))
    if curie is None:
        raise SssomExportError(
            f"{where}: {value} has no prefix in the prefix map; add its namespace to "
            f"src/aatd_kg/prefixes.py or correct the IRI"
        )
    return curie


def graph_sources(dataset: Dataset, base: str) -> dict[str, list[str]]:
    """Named graph IRI → the sources it was derived from (sorted)."""
    query = sparql_prologue(base, _SOURCES_QUERY) + _SOURCES_QUERY
    found: dict[str, list[str]] = {}
    for row in dataset.query(query):
        assert isinstance(row, ResultRow)
        found.setdefault(str(row.g), []).append(str(row.source))
    return {graph: sorted(values) for graph, values in found.items()}


@dataclass(frozen=True, order=True)
class _Record:
    """What an ``aatd:MappingRecord`` says about one mapping."""

    source: str
    justification: str
    confidence: str
    object_label: str = ""


def mapping_records(dataset: Dataset, base: str) -> dict[tuple[str, str, str], _Record]:
    """(subject, predicate, object) in N3 → what its ``aatd:MappingRecord`` says."""
    query = sparql_prologue(base, _RECORDS_QUERY) + _RECORDS_QUERY
    conv = converter(base)
    found: dict[tuple[str, str, str], _Record] = {}
    for row in dataset.query(query):
        assert isinstance(row, ResultRow)
        justification = conv.compress(str(row.justification)) if row.justification else None
        key = (row.s.n3(), row.p.n3(), row.o.n3())
        record = _Record(str(row.source or ""), justification or "", str(row.confidence or ""),
                         str(row.object_label or ""))
        if key not in found or record < found[key]:  # several records: keep one, stably
            found[key] = record
    return found


def recorded_object_labels(graph: Graph, base: str) -> dict[URIRef, str]:
    """External term IRI → its label as the mapping records of *graph* give it.

    Raises :class:`SssomExportError` when two records give one term different labels.
    """
    query = sparql_prologue(base, _OBJECT_LABELS_QUERY) + _OBJECT_LABELS_QUERY
    labels: dict[URIRef, tuple[str, str]] = {}
    for row in graph.query(query):
        assert isinstance(row, ResultRow)
        term, label, record = row.o, str(row.label), str(row.record)
        assert isinstance(term, URIRef)
        if term in labels and labels[term][0] != label:
            first_label, first_record = labels[term]
            raise SssomExportError(
                f"{term} has two labels: {first_label!r} in <{first_record}> and {label!r} in "
                f"<{record}>; correct the sssom:object_label of one record (copy the label "
                f"exactly as the source gives it)"
            )
        labels.setdefault(term, (label, record))
    return {term: label for term, (label, _) in labels.items()}


def mappings(dataset: Dataset, union: Graph, base: str) -> list[Mapping]:
    """Every mapping of *dataset*, sorted, with labels from *union* and its source."""
    conv = converter(base)
    values = " ".join(MAPPING_PREDICATES)
    query = _MAPPINGS_QUERY % values
    query = sparql_prologue(base, query) + query
    sources = graph_sources(dataset, base)
    records = mapping_records(dataset, base)
    rows: dict[tuple[str, str, str], Mapping] = {}
    for row in dataset.query(query):
        assert isinstance(row, ResultRow)
        subject, predicate, obj, graph = row.s, row.p, row.o, row.g
        where = f"graph {graph}: <{subject}> <{predicate}> {obj.n3()}"
        if not isinstance(subject, URIRef):
            raise SssomExportError(f"{where}: the subject of a mapping must be an IRI")
        subject_id = conv.compress(str(subject))
        if subject_id is None:
            raise SssomExportError(f"{where}: the subject has no prefix in the prefix map")
        object_id = _object_curie(obj, base, where)
        key = (subject_id, conv.compress_strict(str(predicate)), object_id)
        record = records.get((subject.n3(), predicate.n3(), obj.n3()))
        graph_source = sources.get(str(graph), [])
        provider = (record.source if record and record.source else
                    graph_source[0] if len(graph_source) == 1 else str(graph))
        if key in rows and rows[key].mapping_provider and rows[key].mapping_provider <= provider:
            continue  # the same mapping in two graphs: keep the first source, deterministically
        object_label = (record.object_label if record and record.object_label else
                        best_label(union, URIRef(conv.expand_strict(object_id)), base))
        rows[key] = Mapping(
            subject_id=key[0],
            predicate_id=key[1],
            object_id=key[2],
            subject_label=best_label(union, subject, base),
            object_label=object_label,
            mapping_provider=provider,
            mapping_justification=(record.justification if record and record.justification
                                   else JUSTIFICATION),
            comment=f"confidence of reading: {record.confidence}"
            if record and record.confidence else "",
        )
    return sorted(rows.values())


def _used_prefixes(found: Iterable[Mapping]) -> set[str]:
    used = {"semapv"}
    for mapping in found:
        for curie in (mapping.subject_id, mapping.predicate_id, mapping.object_id,
                      mapping.mapping_justification):
            used.add(curie.split(":", 1)[0])
    return used


def header(base: str, version: str, date: str, found: list[Mapping]) -> dict[str, object]:
    """The YAML metadata block of the mapping set."""
    used = _used_prefixes(found)
    curie_map = {p: ns for p, ns in sorted(prefix_map(base).items()) if p in used}
    return {
        "curie_map": curie_map,
        "mapping_set_id": f"{base}mappings/{FILE_NAME}",
        "mapping_set_version": version,
        "mapping_set_title": f"{TITLE}: mappings",
        "license": LICENSE_IRI,
        "publication_date": date,
    }


def render(base: str, version: str, date: str, found: list[Mapping]) -> str:
    """The SSSOM/TSV text: a commented YAML header, then one row per mapping."""
    meta = yaml.safe_dump(
        header(base, version, date, found), sort_keys=False, allow_unicode=True, width=1000
    )
    lines = [f"#{' ' if line else ''}{line}" for line in meta.splitlines()]
    lines.append("\t".join(COLUMNS))
    lines.extend("\t".join(mapping.row()) for mapping in found)
    return "\n".join(lines) + "\n"


def export_sssom(ctx: ExportContext) -> list[Path]:
    """Exporter: write ``aatd-kg.sssom.tsv`` into the release directory."""
    found = mappings(ctx.dataset, ctx.union, ctx.base)
    path = ctx.out_dir / FILE_NAME
    path.write_text(render(ctx.base, ctx.version, ctx.date, found), encoding="utf-8")
    return [path]
