"""The patient description: JSON form, validation and RDF form (``ontology/patient.ttl``).

A description holds no personal identifier. Every field is optional; a missing field means "not
known". Bad input is never guessed at: every problem is collected and reported with the field
it concerns (:class:`PatientInputError`).
"""

from __future__ import annotations

import calendar
import json
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from rdflib import RDF, XSD, Graph, Literal, URIRef

from aatd_kg.prefixes import bind_all, vocab

#: JSON spellings of µmol/L (micro sign U+00B5, Greek mu U+03BC, ASCII "u") and of mg/dL.
UMOL_PER_L = "umol/L"
MG_PER_DL = "mg/dL"
_UNIT_SPELLINGS = {
    "umol/L": UMOL_PER_L,
    "µmol/L": UMOL_PER_L,
    "μmol/L": UMOL_PER_L,
    "mg/dL": MG_PER_DL,
}

#: Molar mass of alpha-1 antitrypsin, g/mol (about 52 kDa: PubMed 1889260; identifiers.md §6).
AAT_MOLAR_MASS_G_PER_MOL = Decimal(52_000)
#: mg/dL → µmol/L: 1 mg/dL = 10 mg/L; 10 mg/L ÷ 52,000 g/mol = 10/52 µmol/L (0.1923…).
#: Consistent with the guideline's "< 57 mg/dL or < 11 µM" (PMID:39661838): 57.2 mg/dL = 11 µmol/L.
MG_PER_DL_TO_UMOL_PER_L = Decimal(10_000) / AAT_MOLAR_MASS_G_PER_MOL
ASSAY_CAVEAT = (
    "The conversion from mg/dL uses a molar mass of 52 kDa (PubMed 1889260): 1 mg/dL = 10/52 "
    "µmol/L, so 57.2 mg/dL = 11 µmol/L, as in the guideline's '< 57 mg/dL or < 11 µM' "
    "(PMID:39661838). It is arithmetic only: assays calibrated with a commercial standard "
    "(reported in mg/dL) and with the purified standard (µmol/L) give "
    "different numbers for the same serum (PMC7886062, Table 1). Check the assay's own reference "
    "values."
)

#: Input plausibility bounds chosen for this check (not clinical reference values): a value
#: beyond them is a typing or unit mistake, and is rejected rather than guessed at.
MAX_AGE_YEARS = 130
MAX_SERUM_AAT_UMOL_PER_L = Decimal(200)

SMOKING_STATUSES = ("never", "former", "current")
_FIELDS = (
    "assessed_on",
    "age_years",
    "serum_aat",
    "airway_obstruction",
    "smoking",
    "accepts_weekly_hospital_infusions",
    "iga_deficiency",
    "ct_shows_emphysema",
)
_BOOLEAN_FIELDS = (
    "airway_obstruction",
    "accepts_weekly_hospital_infusions",
    "iga_deficiency",
    "ct_shows_emphysema",
)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the input: the field (JSON path or property) and what is wrong."""

    field: str
    problem: str

    def as_dict(self) -> dict[str, str]:
        """``{"field": …, "problem": …}``."""
        return {"field": self.field, "problem": self.problem}


class PatientInputError(ValueError):
    """The patient description is invalid; ``problems`` names each field and its problem."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{p.field}: {p.problem}" for p in problems))


@dataclass(frozen=True, slots=True)
class SerumAAT:
    """A serum AAT result as given, and its value in µmol/L (the unit of the criterion)."""

    value: Decimal
    unit: str
    umol_per_l: Decimal


@dataclass(frozen=True, slots=True)
class PatientDescription:
    """A validated patient description as of ``assessed_on``; None means "not known"."""

    assessed_on: date
    age_years: int | None = None
    serum_aat: SerumAAT | None = None
    airway_obstruction: bool | None = None
    smoking_status: str | None = None
    last_cigarette: date | None = None
    accepts_weekly_hospital_infusions: bool | None = None
    iga_deficiency: bool | None = None
    ct_shows_emphysema: bool | None = None

    @property
    def months_since_last_cigarette(self) -> int | None:
        """Whole calendar months since the last cigarette (0 for a current smoker)."""
        if self.smoking_status == "current":
            return 0
        if self.smoking_status == "former" and self.last_cigarette is not None:
            return whole_months_between(self.last_cigarette, self.assessed_on)
        return None

    def as_json(self) -> dict[str, Any]:
        """The JSON form (known fields only), with the converted AAT value added."""
        out: dict[str, Any] = {"assessed_on": self.assessed_on.isoformat()}
        if self.age_years is not None:
            out["age_years"] = self.age_years
        if self.serum_aat is not None:
            out["serum_aat"] = {"value": float(self.serum_aat.value), "unit": self.serum_aat.unit}
            if self.serum_aat.unit != UMOL_PER_L:
                out["serum_aat"]["umol_per_l"] = float(round(self.serum_aat.umol_per_l, 4))
        if self.smoking_status is not None:
            smoking: dict[str, Any] = {"status": self.smoking_status}
            if self.last_cigarette is not None:
                smoking["last_cigarette"] = self.last_cigarette.isoformat()
            months = self.months_since_last_cigarette
            if months is not None:
                smoking["months_since_last_cigarette"] = months
            out["smoking"] = smoking
        for name in _BOOLEAN_FIELDS:
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        return out


def mg_per_dl_to_umol_per_l(value: Decimal) -> Decimal:
    """Convert a serum AAT mass concentration (mg/dL) to µmol/L (multiplying before dividing,
    so 57.2 mg/dL is exactly 11 µmol/L)."""
    return value * Decimal(10_000) / AAT_MOLAR_MASS_G_PER_MOL


def add_months(start: date, months: int) -> date:
    """*start* plus *months* calendar months, clamped to the last day (31 Aug + 1 = 30 Sep)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def whole_months_between(start: date, end: date) -> int:
    """The number of whole calendar months from *start* to *end* (*end* not before *start*)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if add_months(start, months) > end:
        months -= 1
    return months


def parse_iso_date(text: Any, field: str, problems: list[Problem]) -> date | None:
    """A ``YYYY-MM-DD`` date, or None with a problem recorded."""
    if not isinstance(text, str) or not _ISO_DATE.match(text):
        problems.append(Problem(field, f"expected a date written YYYY-MM-DD, got {text!r}"))
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        problems.append(Problem(field, f"{text!r} is not a calendar date"))
        return None


def _number(value: Any, field: str, problems: list[Problem]) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        problems.append(Problem(field, f"expected a number, got {value!r}"))
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:  # pragma: no cover - str() of a number always parses
        problems.append(Problem(field, f"expected a number, got {value!r}"))
        return None
    if not number.is_finite():
        problems.append(Problem(field, f"expected a finite number, got {value!r}"))
        return None
    return number


def _age(value: Any, problems: list[Problem]) -> int | None:
    number = _number(value, "age_years", problems)
    if number is None:
        return None
    if number != number.to_integral_value():
        problems.append(
            Problem("age_years", f"give completed years as a whole number, got {value}")
        )
        return None
    if not 0 <= number <= MAX_AGE_YEARS:
        problems.append(
            Problem(
                "age_years", f"{value} is impossible; give completed years, 0 to {MAX_AGE_YEARS}"
            )
        )
        return None
    return int(number)


def _serum_aat(value: Any, problems: list[Problem]) -> SerumAAT | None:
    if not isinstance(value, Mapping):
        problems.append(
            Problem("serum_aat", 'expected {"value": number, "unit": "umol/L" or "mg/dL"}')
        )
        return None
    for key in value:
        if key not in ("value", "unit"):
            problems.append(Problem(f"serum_aat.{key}", "unknown field; allowed: value, unit"))
    if "value" not in value or "unit" not in value:
        missing = [k for k in ("value", "unit") if k not in value]
        for key in missing:
            problems.append(Problem(f"serum_aat.{key}", "missing; give both value and unit"))
        return None
    unit = _UNIT_SPELLINGS.get(value["unit"]) if isinstance(value["unit"], str) else None
    if unit is None:
        problems.append(
            Problem(
                "serum_aat.unit", f"unknown unit {value['unit']!r}; use umol/L, µmol/L or mg/dL"
            )
        )
    number = _number(value["value"], "serum_aat.value", problems)
    if number is None or unit is None:
        return None
    umol = number if unit == UMOL_PER_L else mg_per_dl_to_umol_per_l(number)
    if number < 0:
        problems.append(Problem("serum_aat.value", f"{value['value']} is negative"))
        return None
    if umol > MAX_SERUM_AAT_UMOL_PER_L:
        problems.append(
            Problem(
                "serum_aat.value",
                f"{value['value']} {unit} is impossible (above {MAX_SERUM_AAT_UMOL_PER_L} µmol/L); "
                "check the value and the unit",
            )
        )
        return None
    return SerumAAT(number, unit, umol)


def _smoking(
    value: Any, assessed_on: date | None, problems: list[Problem]
) -> tuple[str | None, date | None]:
    if not isinstance(value, Mapping):
        problems.append(Problem("smoking", 'expected {"status": "never"|"former"|"current", …}'))
        return None, None
    for key in value:
        if key not in ("status", "last_cigarette"):
            problems.append(
                Problem(f"smoking.{key}", "unknown field; allowed: status, last_cigarette")
            )
    status = value.get("status")
    if status not in SMOKING_STATUSES:
        problem = "missing" if status is None else f"unknown status {status!r}"
        problems.append(Problem("smoking.status", f"{problem}; use never, former or current"))
        status = None
    last = None
    if "last_cigarette" in value:
        last = parse_iso_date(value["last_cigarette"], "smoking.last_cigarette", problems)
        if status in ("current", "never"):
            problems.append(
                Problem(
                    "smoking.last_cigarette",
                    f"a {status} smoker has no quit date; use status former or leave the date out",
                )
            )
            last = None
        elif last is not None and assessed_on is not None and last > assessed_on:
            problems.append(
                Problem(
                    "smoking.last_cigarette",
                    f"{last.isoformat()} is after the assessment date {assessed_on.isoformat()}",
                )
            )
            last = None
    return status, last


def from_json(data: Any, today: date) -> PatientDescription:
    """Validate the JSON form; *today* is the assessment date unless ``assessed_on`` is given.

    Raises :class:`PatientInputError` listing every problem found.
    """
    problems: list[Problem] = []
    if not isinstance(data, Mapping):
        raise PatientInputError([Problem("(document)", "expected a JSON object")])
    if "@context" in data or "@type" in data:
        raise PatientInputError(
            [
                Problem(
                    "(document)",
                    "this is JSON-LD: send it as application/ld+json "
                    "(CLI: a .jsonld file or --format json-ld)",
                )
            ]
        )
    for key in data:
        if key not in _FIELDS:
            problems.append(Problem(str(key), "unknown field; allowed: " + ", ".join(_FIELDS)))
    assessed_on = today
    if "assessed_on" in data:
        assessed_on = parse_iso_date(data["assessed_on"], "assessed_on", problems) or today
    values: dict[str, Any] = {"assessed_on": assessed_on}
    if data.get("age_years") is not None:
        values["age_years"] = _age(data["age_years"], problems)
    if data.get("serum_aat") is not None:
        values["serum_aat"] = _serum_aat(data["serum_aat"], problems)
    if data.get("smoking") is not None:
        values["smoking_status"], values["last_cigarette"] = _smoking(
            data["smoking"], assessed_on, problems
        )
    for name in _BOOLEAN_FIELDS:
        value = data.get(name)
        if value is not None and not isinstance(value, bool):
            problems.append(
                Problem(name, f"expected true or false (or leave it out), got {value!r}")
            )
        elif value is not None:
            values[name] = value
    if problems:
        raise PatientInputError(problems)
    return PatientDescription(**values)


def parse_json_text(text: str | bytes) -> Any:
    """Parse JSON text (numbers with a fraction become :class:`Decimal`, exactly as written)."""
    try:
        return json.loads(text, parse_float=Decimal)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise PatientInputError([Problem("(document)", f"not valid JSON: {error}")]) from error


def patient_node(description: PatientDescription) -> URIRef:
    """A reproducible IRI for the description (a name-based UUID of its content, no identifier)."""
    canonical = json.dumps(description.as_json(), sort_keys=True, default=str)
    return URIRef(uuid.uuid5(uuid.NAMESPACE_URL, "aatd-kg:patient:" + canonical).urn)


def to_graph(description: PatientDescription, base: str, node: URIRef | None = None) -> Graph:
    """The description in the ``ontology/patient.ttl`` vocabulary, with derived values."""
    aatd = vocab(base)
    node = node if node is not None else patient_node(description)
    graph = bind_all(Graph(), base)
    graph.add((node, RDF.type, aatd.PatientDescription))
    graph.add((node, aatd.assessedOn, Literal(description.assessed_on, datatype=XSD.date)))
    if description.age_years is not None:
        age = Literal(description.age_years, datatype=XSD.nonNegativeInteger)
        graph.add((node, aatd.ageYears, age))
    aat = description.serum_aat
    if aat is not None:
        graph.add((node, aatd.serumAATConcentration, Literal(aat.umol_per_l, datatype=XSD.decimal)))
        if aat.unit == MG_PER_DL:
            graph.add(
                (node, aatd.serumAATMassConcentration, Literal(aat.value, datatype=XSD.decimal))
            )
    status_terms = {
        "never": aatd.NeverSmoker,
        "former": aatd.FormerSmoker,
        "current": aatd.CurrentSmoker,
    }
    if description.smoking_status is not None:
        graph.add((node, aatd.smokingStatus, status_terms[description.smoking_status]))
    if description.last_cigarette is not None:
        last = Literal(description.last_cigarette, datatype=XSD.date)
        graph.add((node, aatd.lastCigaretteDate, last))
    months = description.months_since_last_cigarette
    if months is not None:
        graph.add(
            (node, aatd.monthsSinceLastCigarette, Literal(months, datatype=XSD.nonNegativeInteger))
        )
    booleans = {
        "airway_obstruction": aatd.hasAirwayObstruction,
        "accepts_weekly_hospital_infusions": aatd.acceptsWeeklyHospitalInfusions,
        "iga_deficiency": aatd.hasIgADeficiency,
        "ct_shows_emphysema": aatd.ctShowsEmphysema,
    }
    for name, prop in booleans.items():
        value = getattr(description, name)
        if value is not None:
            graph.add((node, prop, Literal(value)))
    return graph
