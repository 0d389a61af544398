"""One way from an input document to an answer, shared by the CLI and the API."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any
from typing import Literal as TypingLiteral

from rdflib import URIRef

from aatd_kg.eligibility.check import EligibilityAnswer, check
from aatd_kg.eligibility.criteria import Criterion
from aatd_kg.eligibility.patient import from_json, parse_json_text
from aatd_kg.eligibility.rdf_input import JSON_LD, TURTLE, from_rdf, parse_rdf

InputKind = TypingLiteral["json", "turtle", "json-ld"]


def check_document(
    text: str | bytes,
    kind: InputKind,
    criteria: Sequence[Criterion],
    base: str,
    today: date,
) -> EligibilityAnswer:
    """Validate *text* (the JSON form, Turtle or JSON-LD) and check it against *criteria*.

    *today* is the assessment date unless the document gives one. Raises
    :class:`~aatd_kg.eligibility.patient.PatientInputError` on bad input.
    """
    if kind == "json":
        return check_data(parse_json_text(text), criteria, base, today)
    graph = parse_rdf(text, TURTLE if kind == "turtle" else JSON_LD, base)
    node, description = from_rdf(graph, base, today)
    return check(description, criteria, base, node if isinstance(node, URIRef) else None)


def check_data(
    data: Any, criteria: Sequence[Criterion], base: str, today: date
) -> EligibilityAnswer:
    """Validate the JSON form already parsed (*data*) and check it against *criteria*."""
    return check(from_json(data, today), criteria, base)
