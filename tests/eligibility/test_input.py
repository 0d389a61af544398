"""Bad input is rejected with the field and the problem; RDF input means the same as JSON."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from aatd_kg.eligibility.check import check
from aatd_kg.eligibility.criteria import Criterion
from aatd_kg.eligibility.patient import (
    MG_PER_DL_TO_UMOL_PER_L,
    PatientInputError,
    from_json,
    parse_json_text,
    whole_months_between,
)
from aatd_kg.eligibility.service import check_document

from .conftest import BASE

TODAY = date(2026, 9, 1)

# (id, document, field named in the problem, words the problem contains)
BAD: list[tuple[str, Any, str, str]] = [
    ("negative age", {"age_years": -3}, "age_years", "impossible"),
    ("fractional age", {"age_years": 45.5}, "age_years", "whole number"),
    ("age as text", {"age_years": "45"}, "age_years", "number"),
    ("age as boolean", {"age_years": True}, "age_years", "number"),
    ("age 200", {"age_years": 200}, "age_years", "impossible"),
    ("AAT 9999 umol/L", {"serum_aat": {"value": 9999, "unit": "umol/L"}}, "serum_aat.value",
     "impossible"),
    ("AAT 9999 mg/dL", {"serum_aat": {"value": 9999, "unit": "mg/dL"}}, "serum_aat.value",
     "impossible"),
    ("negative AAT", {"serum_aat": {"value": -1, "unit": "umol/L"}}, "serum_aat.value", "negative"),
    ("unknown unit", {"serum_aat": {"value": 1, "unit": "g/L"}}, "serum_aat.unit", "unknown unit"),
    ("unit missing", {"serum_aat": {"value": 9}}, "serum_aat.unit", "missing"),
    ("AAT as a bare number", {"serum_aat": 9.5}, "serum_aat", "expected"),
    ("extra AAT field", {"serum_aat": {"value": 9, "unit": "umol/L", "assay": "x"}},
     "serum_aat.assay", "unknown field"),
    ("unknown field", {"name": "Jane"}, "name", "unknown field"),
    ("quit date after assessment", {"assessed_on": "2026-09-01",
     "smoking": {"status": "former", "last_cigarette": "2026-09-02"}},
     "smoking.last_cigarette", "after the assessment date"),
    ("current smoker with quit date", {"smoking": {"status": "current",
     "last_cigarette": "2026-01-01"}}, "smoking.last_cigarette", "current smoker"),
    ("never smoker with quit date", {"smoking": {"status": "never",
     "last_cigarette": "2026-01-01"}}, "smoking.last_cigarette", "never smoker"),
    ("unknown smoking status", {"smoking": {"status": "sometimes"}}, "smoking.status",
     "unknown status"),
    ("smoking without status", {"smoking": {"last_cigarette": "2026-01-01"}}, "smoking.status",
     "missing"),
    ("quit date not a date", {"smoking": {"status": "former", "last_cigarette": "last year"}},
     "smoking.last_cigarette", "YYYY-MM-DD"),
    ("boolean as text", {"airway_obstruction": "yes"}, "airway_obstruction", "true or false"),
    ("boolean as number", {"iga_deficiency": 0}, "iga_deficiency", "true or false"),
    ("date in another format", {"assessed_on": "01/09/2026"}, "assessed_on", "YYYY-MM-DD"),
    ("impossible date", {"assessed_on": "2026-02-30"}, "assessed_on", "not a calendar date"),
    ("not an object", [1, 2], "(document)", "JSON object"),
    ("JSON-LD sent as JSON", {"@context": {}, "@type": "x"}, "(document)", "JSON-LD"),
]


@pytest.mark.parametrize(("document", "field", "words"), [b[1:] for b in BAD],
                         ids=[b[0] for b in BAD])
def test_bad_input_names_field_and_problem(document: Any, field: str, words: str) -> None:
    with pytest.raises(PatientInputError) as caught:
        from_json(document, TODAY)
    problems = {p.field: p.problem for p in caught.value.problems}
    assert field in problems, problems
    assert words in problems[field]


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(PatientInputError) as caught:
        from_json({"age_years": -3, "serum_aat": {"value": 1, "unit": "g"}, "x": 1}, TODAY)
    assert {p.field for p in caught.value.problems} == {"age_years", "serum_aat.unit", "x"}


def test_invalid_json_text() -> None:
    with pytest.raises(PatientInputError) as caught:
        parse_json_text(b"{age_years: 45")
    assert caught.value.problems[0].field == "(document)"


def test_conversion_factor_is_the_cited_one() -> None:
    # 52 kDa: 1 mg/dL = 10 mg/L / 52,000 g/mol = 10/52 µmol/L; 57.2 mg/dL = 11 µmol/L.
    assert Decimal("57.2") * MG_PER_DL_TO_UMOL_PER_L == Decimal(11)
    description = from_json({"serum_aat": {"value": 57, "unit": "mg/dL"}}, TODAY)
    assert description.serum_aat is not None
    assert round(description.serum_aat.umol_per_l, 2) == Decimal("10.96")


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        ("2026-03-01", "2026-09-01", 6),
        ("2026-03-02", "2026-09-01", 5),
        ("2025-08-31", "2026-02-28", 6),
        ("2025-08-31", "2026-02-27", 5),
        ("2024-02-29", "2025-02-28", 12),
        ("2026-09-01", "2026-09-01", 0),
        ("2025-12-15", "2026-01-14", 0),
        ("2025-12-15", "2026-01-15", 1),
    ],
)
def test_whole_calendar_months(start: str, end: str, months: int) -> None:
    assert whole_months_between(date.fromisoformat(start), date.fromisoformat(end)) == months


def test_assessment_date_defaults_to_today_and_file_wins() -> None:
    assert from_json({}, TODAY).assessed_on == TODAY
    assert from_json({"assessed_on": "2025-01-02"}, TODAY).assessed_on == date(2025, 1, 2)


PATIENT_JSON = {
    "assessed_on": "2026-09-01",
    "age_years": 45,
    "serum_aat": {"value": 57, "unit": "mg/dL"},
    "airway_obstruction": False,
    "smoking": {"status": "former", "last_cigarette": "2026-03-01"},
    "accepts_weekly_hospital_infusions": True,
    "iga_deficiency": False,
    "ct_shows_emphysema": True,
}
PATIENT_TURTLE = """
@prefix aatd: <https://w3id.org/aatd-kg/vocab/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://example.org/case/17> a aatd:PatientDescription ;
    aatd:assessedOn "2026-09-01"^^xsd:date ;
    aatd:ageYears 45 ;
    aatd:serumAATMassConcentration 57.0 ;
    aatd:hasAirwayObstruction false ;
    aatd:smokingStatus aatd:FormerSmoker ;
    aatd:lastCigaretteDate "2026-03-01"^^xsd:date ;
    aatd:acceptsWeeklyHospitalInfusions true ;
    aatd:hasIgADeficiency false ;
    aatd:ctShowsEmphysema true .
"""
PATIENT_JSONLD = {
    "@context": {
        "aatd": "https://w3id.org/aatd-kg/vocab/",
        "xsd": "http://www.w3.org/2001/XMLSchema#",
        "assessedOn": {"@id": "aatd:assessedOn", "@type": "xsd:date"},
        "lastCigaretteDate": {"@id": "aatd:lastCigaretteDate", "@type": "xsd:date"},
        "smokingStatus": {"@id": "aatd:smokingStatus", "@type": "@id"},
    },
    "@type": "aatd:PatientDescription",
    "assessedOn": "2026-09-01",
    "aatd:ageYears": 45,
    "aatd:serumAATMassConcentration": 57,
    "aatd:hasAirwayObstruction": False,
    "smokingStatus": "aatd:FormerSmoker",
    "lastCigaretteDate": "2026-03-01",
    "aatd:acceptsWeeklyHospitalInfusions": True,
    "aatd:hasIgADeficiency": False,
    "aatd:ctShowsEmphysema": True,
}


def _summary(answer: Any) -> tuple[str, list[tuple[str, str]]]:
    return answer.overall, [(str(r.criterion.iri), r.result) for r in answer.results]


def test_turtle_and_jsonld_mean_the_same_as_json(criteria: list[Criterion]) -> None:
    from_json_answer = check_document(json.dumps(PATIENT_JSON), "json", criteria, BASE, TODAY)
    turtle = check_document(PATIENT_TURTLE, "turtle", criteria, BASE, TODAY)
    jsonld = check_document(json.dumps(PATIENT_JSONLD), "json-ld", criteria, BASE, TODAY)
    assert from_json_answer.overall == "possibly_indicated"
    assert _summary(turtle) == _summary(from_json_answer) == _summary(jsonld)
    assert str(turtle.patient_node) == "https://example.org/case/17"
    assert turtle.patient.as_json() == from_json_answer.patient.as_json()


@pytest.mark.parametrize(
    ("document", "kind", "field", "words"),
    [
        (PATIENT_TURTLE.replace("aatd:ageYears 45", "aatd:ageYears -3"), "turtle",
         "aatd:ageYears", "impossible"),
        (PATIENT_TURTLE.replace("aatd:ageYears 45 ;", "aatd:ageYears 45 ; aatd:name \"J\" ;"),
         "turtle", "aatd:name", "unknown property"),
        (PATIENT_TURTLE.replace("aatd:ageYears 45 ;", "aatd:monthsSinceLastCigarette 7 ;"),
         "turtle", "aatd:monthsSinceLastCigarette", "derived"),
        (PATIENT_TURTLE.replace("aatd:serumAATMassConcentration 57.0 ;",
                                "aatd:serumAATMassConcentration 57.0 ; "
                                "aatd:serumAATConcentration 9.0 ;"),
         "turtle", "aatd:serumAATMassConcentration", "not both"),
        (PATIENT_TURTLE.replace("aatd:ageYears 45 ;", "aatd:ageYears 45, 46 ;"), "turtle",
         "aatd:ageYears", "2 values"),
        (PATIENT_TURTLE.replace("aatd:serumAATMassConcentration 57.0",
                                'aatd:serumAATConcentration "sNaN"^^xsd:decimal'), "turtle",
         "aatd:serumAATConcentration", "finite number"),
        (PATIENT_TURTLE.replace("2026-03-01", "2026-10-01"), "turtle", "aatd:lastCigaretteDate",
         "after the assessment date"),
        ("<a> <b> ", "turtle", "(document)", "not valid turtle"),
        (json.dumps({**PATIENT_JSONLD, "@context": "https://example.org/context.jsonld"}),
         "json-ld", "@context", "remote contexts are not fetched"),
        (json.dumps({**PATIENT_JSONLD, "@context": {"@import": "https://example.org/c.jsonld",
                                                    "aatd": "https://w3id.org/aatd-kg/vocab/"}}),
         "json-ld", "@context", "remote contexts are not fetched"),
    ],
    ids=["impossible age", "unknown property", "derived property given", "both AAT units",
         "two ages", "not a number", "quit date after assessment", "broken turtle",
         "remote context",
         "imported context"],
)
def test_bad_rdf_input(criteria: list[Criterion], document: str, kind: Any, field: str,
                       words: str) -> None:
    with pytest.raises(PatientInputError) as caught:
        check_document(document, kind, criteria, BASE, TODAY)
    problems = {p.field: p.problem for p in caught.value.problems}
    assert field in problems, problems
    assert words in problems[field]


def test_report_links_results_to_criteria(criteria: list[Criterion]) -> None:
    from rdflib.namespace import DCTERMS, SH

    description = from_json({"age_years": 18, "iga_deficiency": True}, TODAY)
    answer = check(description, criteria, BASE)
    report = answer.report
    sources = {
        (str(report.value(r, DCTERMS.source)), str(report.value(r, SH.resultSeverity)))
        for r in report.subjects(predicate=SH.resultSeverity)
    }
    by_slug = {c.slug: str(c.iri) for c in criteria}
    assert (by_slug["age"], str(SH.Violation)) in sources
    assert (by_slug["no-iga-deficiency"], str(SH.Violation)) in sources
    assert (by_slug["serum-aat"], str(SH.Info)) in sources
    messages = {str(m) for m in report.objects(predicate=SH.resultMessage)}
    assert next(c.text for c in criteria if c.slug == "age") in messages
