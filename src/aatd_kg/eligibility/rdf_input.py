"""Read a patient description given as Turtle or JSON-LD in the ``ontology/patient.ttl`` vocabulary.

The RDF is mapped onto the JSON form and validated by :func:`aatd_kg.eligibility.patient.from_json`,
so both inputs obey the same rules; problems name the property (``aatd:ageYears``). Nothing is
fetched: a JSON-LD document must carry its ``@context`` inline.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.exceptions import ParserError
from rdflib.plugins.parsers.notation3 import BadSyntax

from aatd_kg.eligibility.patient import (
    PatientDescription,
    PatientInputError,
    Problem,
    from_json,
)
from aatd_kg.prefixes import vocab

#: rdflib parser names of the RDF input formats.
TURTLE = "turtle"
JSON_LD = "json-ld"

#: JSON field → vocabulary term (local name) of each simple property.
_SIMPLE = {
    "assessed_on": "assessedOn",
    "age_years": "ageYears",
    "airway_obstruction": "hasAirwayObstruction",
    "accepts_weekly_hospital_infusions": "acceptsWeeklyHospitalInfusions",
    "iga_deficiency": "hasIgADeficiency",
    "ct_shows_emphysema": "ctShowsEmphysema",
}
#: JSON path → vocabulary term, to name properties in problems.
_PROPERTY_OF_FIELD = {
    **_SIMPLE,
    "serum_aat": "serumAATConcentration",
    "serum_aat.value": "serumAATConcentration",
    "serum_aat.unit": "serumAATConcentration",
    "smoking": "smokingStatus",
    "smoking.status": "smokingStatus",
    "smoking.last_cigarette": "lastCigaretteDate",
}
_STATUS = {"NeverSmoker": "never", "FormerSmoker": "former", "CurrentSmoker": "current"}
_ALLOWED_OTHER = (RDF.type, RDFS.label, RDFS.comment)


def _remote_contexts(value: Any) -> Iterator[str]:
    """Every context given by reference (``@context`` or ``@import`` strings) in a document."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "@context":
                contexts = item if isinstance(item, list) else [item]
                yield from (c for c in contexts if isinstance(c, str))
            elif key == "@import" and isinstance(item, str):
                yield item
            yield from _remote_contexts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _remote_contexts(item)


def parse_rdf(text: str | bytes, rdf_format: str, base: str) -> Graph:
    """Parse *text* (Turtle or JSON-LD); relative IRIs resolve against *base*."""
    if rdf_format == JSON_LD:
        try:
            document = json.loads(text)
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise PatientInputError(
                [Problem("(document)", f"not valid JSON-LD: {error}")]
            ) from error
        remote = sorted(set(_remote_contexts(document)))
        if remote:
            raise PatientInputError(
                [
                    Problem(
                        "@context",
                        f"remote contexts are not fetched ({', '.join(remote)}); "
                        "give the context inline",
                    )
                ]
            )
    graph = Graph()
    try:
        graph.parse(data=text, format=rdf_format, publicID=base)
    except (BadSyntax, ParserError, SyntaxError, ValueError) as error:
        raise PatientInputError(
            [Problem("(document)", f"not valid {rdf_format}: {error}")]
        ) from error
    return graph


def _single_value(
    graph: Graph, node: Any, prop: URIRef, curie: str, problems: list[Problem]
) -> Any:
    values = list(graph.objects(node, prop))
    if len(values) > 1:
        problems.append(Problem(curie, f"has {len(values)} values; give one"))
        return None
    return values[0] if values else None


def _literal_as_json(value: Any, curie: str, problems: list[Problem]) -> Any:
    """A literal's value as the JSON form expects it (dates as text, numbers, booleans)."""
    if not isinstance(value, Literal):
        problems.append(Problem(curie, f"expected a literal, got {value.n3()}"))
        return None
    if not value.ill_typed and value.datatype == XSD.date:
        return value.value.isoformat() if isinstance(value.value, date) else str(value)
    python = value.toPython()
    if value.ill_typed or (isinstance(python, Literal | str) and value.datatype is not None):
        problems.append(Problem(curie, f"{value.n3()} is not a valid value of its datatype"))
        return None
    if isinstance(python, bool | int | Decimal | float | str):
        return python
    return str(value)


def _subject(graph: Graph, base: str) -> Any:
    aatd = vocab(base)
    typed = set(graph.subjects(RDF.type, aatd.PatientDescription))
    subjects = set(graph.subjects())
    if len(typed) == 1:
        return typed.pop()
    if len(typed) > 1:
        raise PatientInputError(
            [Problem("aatd:PatientDescription", f"{len(typed)} descriptions given; give one")]
        )
    if len(subjects) == 1:
        return subjects.pop()
    raise PatientInputError(
        [
            Problem(
                "aatd:PatientDescription", "no node typed aatd:PatientDescription; type the patient"
            )
        ]
    )


def rdf_to_json(graph: Graph, base: str) -> tuple[Any, dict[str, Any]]:
    """The patient node of *graph* and its JSON form (problems are raised, never guessed over)."""
    aatd = vocab(base)
    node = _subject(graph, base)
    problems: list[Problem] = []
    for subject in set(graph.subjects()) - {node}:
        problems.append(
            Problem(subject.n3(), "statements about another node; describe only the patient")
        )
    known = {
        aatd[name]
        for name in (
            *_SIMPLE.values(),
            "serumAATConcentration",
            "serumAATMassConcentration",
            "smokingStatus",
            "lastCigaretteDate",
        )
    }
    for prop in set(graph.predicates(node)):
        if prop == aatd.monthsSinceLastCigarette:
            problems.append(
                Problem(
                    "aatd:monthsSinceLastCigarette",
                    "derived by the check; give aatd:lastCigaretteDate instead",
                )
            )
        elif prop not in known and prop not in _ALLOWED_OTHER:
            problems.append(Problem(prop.n3(graph.namespace_manager), "unknown property"))
    data: dict[str, Any] = {}
    for field, name in _SIMPLE.items():
        value = _single_value(graph, node, aatd[name], f"aatd:{name}", problems)
        if value is not None:
            data[field] = _literal_as_json(value, f"aatd:{name}", problems)
    molar = _single_value(
        graph, node, aatd.serumAATConcentration, "aatd:serumAATConcentration", problems
    )
    mass = _single_value(
        graph, node, aatd.serumAATMassConcentration, "aatd:serumAATMassConcentration", problems
    )
    if molar is not None and mass is not None:
        problems.append(
            Problem(
                "aatd:serumAATMassConcentration",
                "give either aatd:serumAATConcentration (µmol/L) or this, not both",
            )
        )
    elif molar is not None or mass is not None:
        curie = (
            "aatd:serumAATConcentration" if molar is not None else "aatd:serumAATMassConcentration"
        )
        number = _literal_as_json(molar if molar is not None else mass, curie, problems)
        data["serum_aat"] = {"value": number, "unit": "umol/L" if molar is not None else "mg/dL"}
    status = _single_value(graph, node, aatd.smokingStatus, "aatd:smokingStatus", problems)
    last = _single_value(graph, node, aatd.lastCigaretteDate, "aatd:lastCigaretteDate", problems)
    if status is not None or last is not None:
        smoking: dict[str, Any] = {}
        if status is not None:
            local = str(status)[len(str(aatd)) :] if str(status).startswith(str(aatd)) else ""
            smoking["status"] = _STATUS.get(local, status.n3())
        if last is not None:
            smoking["last_cigarette"] = _literal_as_json(last, "aatd:lastCigaretteDate", problems)
        data["smoking"] = smoking
    if problems:
        raise PatientInputError(problems)
    return node, data


def from_rdf(graph: Graph, base: str, today: date) -> tuple[Any, PatientDescription]:
    """The patient node and validated description of an RDF patient description."""
    node, data = rdf_to_json(graph, base)
    try:
        return node, from_json(data, today)
    except PatientInputError as error:
        renamed = [
            Problem(
                f"aatd:{_PROPERTY_OF_FIELD[p.field]}" if p.field in _PROPERTY_OF_FIELD else p.field,
                p.problem,
            )
            for p in error.problems
        ]
        raise PatientInputError(renamed) from error
