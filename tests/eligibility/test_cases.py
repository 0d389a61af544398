"""Table-driven check: patient cases with the expected answer per criterion and overall.

Each case starts from a patient who meets every criterion (a never smoker, CT not showing
emphysema) and changes a few fields. Expected results are written in criterion order
(age, serum AAT, airway obstruction, not smoking, weekly infusions, no IgA deficiency, CT
exception) as M (met), N (not met) or U (unknown).
"""

from __future__ import annotations

import copy
import shutil
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from aatd_kg.build.load import load_sources
from aatd_kg.eligibility.check import check
from aatd_kg.eligibility.criteria import Criterion, criteria_from_dataset
from aatd_kg.eligibility.patient import from_json

from .conftest import BASE, FIXTURES, ROOT, real_treatment_file

ORDER = (
    "age", "serum-aat", "airway-obstruction", "not-smoking", "weekly-infusions",
    "no-iga-deficiency", "ct-emphysema-exception",
)
CODES = {"M": "met", "N": "not_met", "U": "unknown"}
ON = "2026-09-01"
ALL_MET: dict[str, Any] = {
    "assessed_on": ON,
    "age_years": 45,
    "serum_aat": {"value": 9.5, "unit": "umol/L"},
    "airway_obstruction": True,
    "smoking": {"status": "never"},
    "accepts_weekly_hospital_infusions": True,
    "iga_deficiency": False,
    "ct_shows_emphysema": False,
}
DROP = object()

# (id, changes to ALL_MET (DROP removes a field), expected per criterion, expected overall)
CASES: list[tuple[str, dict[str, Any], str, str]] = [
    ("all met", {}, "MMMMMMN", "indicated"),
    ("all met and CT emphysema", {"ct_shows_emphysema": True}, "MMMMMMM", "indicated"),
    # age: "older than 18" -> 18 is not older than 18
    ("age 18 is not older than 18", {"age_years": 18}, "NMMMMMN", "not_indicated"),
    ("age 19", {"age_years": 19}, "MMMMMMN", "indicated"),
    ("age 17", {"age_years": 17}, "NMMMMMN", "not_indicated"),
    ("age not known", {"age_years": DROP}, "UMMMMMN", "cannot_tell"),
    # serum AAT: "less than 11" -> 11 is not less
    ("AAT 11 umol/L is not less than 11", {"serum_aat": {"value": 11, "unit": "umol/L"}},
     "MNMMMMN", "not_indicated"),
    ("AAT 10.99 umol/L", {"serum_aat": {"value": 10.99, "unit": "umol/L"}},
     "MMMMMMN", "indicated"),
    ("AAT 10 µmol/L (micro sign)", {"serum_aat": {"value": 10, "unit": "µmol/L"}},
     "MMMMMMN", "indicated"),
    ("AAT 0 umol/L (null alleles)", {"serum_aat": {"value": 0, "unit": "umol/L"}},
     "MMMMMMN", "indicated"),
    ("AAT 57 mg/dL = 10.96 umol/L", {"serum_aat": {"value": 57, "unit": "mg/dL"}},
     "MMMMMMN", "indicated"),
    ("AAT 57.2 mg/dL = 11 umol/L exactly", {"serum_aat": {"value": 57.2, "unit": "mg/dL"}},
     "MNMMMMN", "not_indicated"),
    ("AAT 60 mg/dL = 11.5 umol/L", {"serum_aat": {"value": 60, "unit": "mg/dL"}},
     "MNMMMMN", "not_indicated"),
    ("AAT not known", {"serum_aat": DROP}, "MUMMMMN", "cannot_tell"),
    # airway obstruction and the CT exception
    ("normal airflow, CT emphysema: the exception",
     {"airway_obstruction": False, "ct_shows_emphysema": True}, "MMNMMMM", "possibly_indicated"),
    ("normal airflow, no CT emphysema", {"airway_obstruction": False}, "MMNMMMN",
     "not_indicated"),
    ("normal airflow, CT not known", {"airway_obstruction": False, "ct_shows_emphysema": DROP},
     "MMNMMMU", "cannot_tell"),
    ("airflow not known, CT emphysema",
     {"airway_obstruction": DROP, "ct_shows_emphysema": True}, "MMUMMMM", "cannot_tell"),
    ("exception does not rescue another failure",
     {"airway_obstruction": False, "ct_shows_emphysema": True, "age_years": 18},
     "NMNMMMM", "not_indicated"),
    ("exception with an unknown elsewhere",
     {"airway_obstruction": False, "ct_shows_emphysema": True, "iga_deficiency": DROP},
     "MMNMMUM", "cannot_tell"),
    # smoking: "at least the last 6 months", calendar months to the assessment date
    ("quit exactly 6 months ago", {"smoking": {"status": "former", "last_cigarette": "2026-03-01"}},
     "MMMMMMN", "indicated"),
    ("quit one day short of 6 months",
     {"smoking": {"status": "former", "last_cigarette": "2026-03-02"}}, "MMMNMMN",
     "not_indicated"),
    ("quit on 31 Aug, assessed on 28 Feb (6 months, month end)",
     {"assessed_on": "2026-02-28", "smoking": {"status": "former", "last_cigarette": "2025-08-31"}},
     "MMMMMMN", "indicated"),
    ("quit on 31 Aug, assessed on 27 Feb",
     {"assessed_on": "2026-02-27", "smoking": {"status": "former", "last_cigarette": "2025-08-31"}},
     "MMMNMMN", "not_indicated"),
    ("quit on 29 Feb of a leap year, assessed 29 Aug",
     {"assessed_on": "2024-08-29", "smoking": {"status": "former", "last_cigarette": "2024-02-29"}},
     "MMMMMMN", "indicated"),
    ("quit today", {"smoking": {"status": "former", "last_cigarette": ON}}, "MMMNMMN",
     "not_indicated"),
    ("quit years ago", {"smoking": {"status": "former", "last_cigarette": "2001-05-17"}},
     "MMMMMMN", "indicated"),
    ("current smoker", {"smoking": {"status": "current"}}, "MMMNMMN", "not_indicated"),
    ("former smoker, quit date not known", {"smoking": {"status": "former"}}, "MMMUMMN",
     "cannot_tell"),
    ("smoking not known", {"smoking": DROP}, "MMMUMMN", "cannot_tell"),
    # weekly infusions and IgA deficiency
    ("not willing to get weekly infusions", {"accepts_weekly_hospital_infusions": False},
     "MMMMNMN", "not_indicated"),
    ("willingness not known", {"accepts_weekly_hospital_infusions": DROP}, "MMMMUMN",
     "cannot_tell"),
    ("IgA deficiency", {"iga_deficiency": True}, "MMMMMNN", "not_indicated"),
    ("IgA status not known", {"iga_deficiency": DROP}, "MMMMMUN", "cannot_tell"),
    # mixtures
    ("not met wins over unknown", {"age_years": 18, "serum_aat": DROP}, "NUMMMMN",
     "not_indicated"),
    ("nothing known", {k: DROP for k in ALL_MET if k != "assessed_on"}, "UUUUUUU", "cannot_tell"),
]


def _patient(changes: dict[str, Any]) -> dict[str, Any]:
    patient = copy.deepcopy(ALL_MET)
    for key, value in changes.items():
        if value is DROP:
            patient.pop(key, None)
        else:
            patient[key] = value
    return patient


def test_enough_cases() -> None:
    assert len(CASES) >= 25
    assert len({case[0] for case in CASES}) == len(CASES)


def test_criteria_are_the_seven_of_the_page(criteria: list[Criterion]) -> None:
    assert tuple(c.slug for c in criteria) == ORDER


@pytest.mark.parametrize(("changes", "expected", "overall"),
                         [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_case(criteria: list[Criterion], changes: dict[str, Any], expected: str,
              overall: str) -> None:
    description = from_json(_patient(changes), today=date(2000, 1, 1))
    answer = check(description, criteria, BASE)
    got = {r.criterion.slug: r.result for r in answer.results}
    assert got == {slug: CODES[code] for slug, code in zip(ORDER, expected, strict=True)}
    assert answer.overall == overall, answer.overall_reason
    body = answer.as_json()
    assert body["disclaimer"] and "not medical advice" in body["disclaimer"].lower()
    for item, criterion in zip(body["criteria"], criteria, strict=True):
        assert item["criterion"] == str(criterion.iri)
        assert item["text"] == criterion.text
        assert item["reason"]


def test_fixture_matches_the_real_criteria(criteria: list[Criterion]) -> None:
    """The contract copy in fixtures/ states what data/treatment.ttl states (when it exists)."""
    if real_treatment_file() is None:
        pytest.skip("data/treatment.ttl has no criteria yet: the tests run on the fixture")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shutil.copytree(ROOT / "ontology", root / "ontology")
        shutil.copytree(FIXTURES / "project" / "data", root / "data")
        fixture = criteria_from_dataset(load_sources(root, BASE), BASE)

    def essentials(c: Criterion) -> tuple[object, ...]:
        return (c.iri, c.text, c.role, c.order, c.patient_property, c.comparator,
                c.threshold, c.unit, c.required_value, c.replaces, c.exemptions)

    assert [essentials(c) for c in fixture] == [essentials(c) for c in criteria]
