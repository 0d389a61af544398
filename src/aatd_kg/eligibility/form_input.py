"""The HTML form's fields (``application/x-www-form-urlencoded``) mapped onto the JSON form.

Used when the form is posted without JavaScript. An empty field means "not known"; values are
passed on as typed so that :func:`aatd_kg.eligibility.patient.from_json` reports what is wrong.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import parse_qs

from aatd_kg.eligibility.patient import PatientInputError, Problem

#: Form fields, in the form's order.
FIELDS = (
    "assessed_on",
    "age_years",
    "serum_aat_value",
    "serum_aat_unit",
    "airway_obstruction",
    "accepts_weekly_hospital_infusions",
    "iga_deficiency",
    "ct_shows_emphysema",
    "smoking_status",
    "last_cigarette",
)
_BOOLEANS = {"true": True, "false": False}
_BOOLEAN_FIELDS = (
    "airway_obstruction",
    "accepts_weekly_hospital_infusions",
    "iga_deficiency",
    "ct_shows_emphysema",
)


def _number(text: str) -> Any:
    """The number typed, or the text itself (then validation names the problem)."""
    try:
        number = Decimal(text)
    except InvalidOperation:
        return text
    if not number.is_finite():
        return text
    return int(number) if number == number.to_integral_value() and "." not in text else number


def parse_form(body: bytes) -> dict[str, str]:
    """The form's fields (last value wins; unknown fields are reported)."""
    try:
        raw = parse_qs(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
    except UnicodeDecodeError as error:
        raise PatientInputError([Problem("(form)", f"not UTF-8 text: {error}")]) from error
    unknown = sorted(set(raw) - set(FIELDS))
    if unknown:
        raise PatientInputError([Problem(name, "unknown form field") for name in unknown])
    return {name: values[-1].strip() for name, values in raw.items()}


def form_to_json(fields: dict[str, str]) -> dict[str, Any]:
    """The JSON form of the posted fields (empty means not known)."""
    data: dict[str, Any] = {}
    if fields.get("assessed_on"):
        data["assessed_on"] = fields["assessed_on"]
    if fields.get("age_years"):
        data["age_years"] = _number(fields["age_years"])
    if fields.get("serum_aat_value"):
        data["serum_aat"] = {
            "value": _number(fields["serum_aat_value"]),
            "unit": fields.get("serum_aat_unit") or "",
        }
    for name in _BOOLEAN_FIELDS:
        value = fields.get(name)
        if value:
            data[name] = _BOOLEANS.get(value, value)
    status, last = fields.get("smoking_status"), fields.get("last_cigarette")
    if status or last:
        smoking: dict[str, Any] = {}
        if status:
            smoking["status"] = status
        if last:
            smoking["last_cigarette"] = last
        data["smoking"] = smoking
    return data
