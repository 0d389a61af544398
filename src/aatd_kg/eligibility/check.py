"""Run the generated SHACL shapes on a patient description and derive the answer.

Per criterion: ``met`` (no result), ``not_met`` (a ``sh:Violation`` of its requirement shape) or
``unknown`` (an ``sh:Info`` of its presence shape: the fact is missing). Overall: ``indicated``
(every criterion that is not an exception is met), ``possibly_indicated`` (a criterion is not met
but an exception criterion that replaces it is met, and every other criterion is met),
``not_indicated`` (a criterion is not met and nothing replaces it) or ``cannot_tell`` (nothing is
known to fail but something is unknown).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from pyshacl import validate
from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SH

from aatd_kg.eligibility.criteria import Criterion
from aatd_kg.eligibility.patient import ASSAY_CAVEAT, MG_PER_DL, PatientDescription, to_graph
from aatd_kg.eligibility.shapes import NOT_MET_SEVERITY, UNKNOWN_SEVERITY, shapes_graph
from aatd_kg.prefixes import bind_all, vocab

MET, NOT_MET, UNKNOWN = "met", "not_met", "unknown"
INDICATED, POSSIBLY_INDICATED = "indicated", "possibly_indicated"
NOT_INDICATED, CANNOT_TELL = "not_indicated", "cannot_tell"
#: Outcome → its individual in ontology/patient.ttl.
OUTCOME_TERMS = {
    INDICATED: "Indicated",
    POSSIBLY_INDICATED: "PossiblyIndicated",
    NOT_INDICATED: "NotIndicated",
    CANNOT_TELL: "CannotTell",
}
DISCLAIMER = (
    "Not medical advice. This compares the facts given with the criteria for augmentation "
    "therapy published on the source page (GARD text, 2020); it does not know the patient and "
    "does not replace a clinician's judgement. A clinician decides whether a treatment is "
    "right for a patient."
)
_PHRASES = {
    "greaterThan": "greater than",
    "lessThan": "less than",
    "greaterThanOrEqual": "at least",
    "lessThanOrEqual": "at most",
    "equalTo": "equal to",
}


@dataclass(frozen=True, slots=True)
class CriterionResult:
    """The answer for one criterion."""

    criterion: Criterion
    result: str
    reason: str


@dataclass(slots=True)
class EligibilityAnswer:
    """The whole answer: overall outcome, per-criterion results and the SHACL report."""

    patient: PatientDescription
    patient_node: URIRef
    overall: str
    overall_reason: str
    results: list[CriterionResult]
    report: Graph
    notes: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """The JSON answer of the CLI and the API."""
        return {
            "therapy": str(self.results[0].criterion.therapy) if self.results else None,
            "assessed_on": self.patient.assessed_on.isoformat(),
            "overall": self.overall,
            "overall_reason": self.overall_reason,
            "criteria": [
                {
                    "criterion": str(r.criterion.iri),
                    "label": r.criterion.label,
                    "text": r.criterion.text,
                    "role": _local(r.criterion.role),
                    "result": r.result,
                    "reason": r.reason,
                }
                for r in self.results
            ],
            "patient": self.patient.as_json(),
            "notes": self.notes,
            "disclaimer": DISCLAIMER,
        }


def _local(iri: URIRef) -> str:
    return str(iri).rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


#: How UCUM unit codes of the criteria are written in reasons.
_UNIT_DISPLAY = {"a": "years", "mo": "months", "umol/L": "µmol/L"}


def _shown(value: Any, unit: str | None) -> str:
    python = value.toPython() if isinstance(value, Literal) else value
    if isinstance(python, bool):
        return "yes" if python else "no"
    text = str(value)
    if isinstance(python, Decimal) and python != python.quantize(Decimal("0.001")):
        text = f"about {python.quantize(Decimal('0.001'))}"  # a converted value, shown rounded
    return f"{text} {_UNIT_DISPLAY.get(unit, unit)}" if unit else text


def _reason(criterion: Criterion, result: str, data: Graph, patient: URIRef) -> str:
    value = data.value(patient, criterion.patient_property)
    if result == UNKNOWN:
        return f"Not known: {criterion.property_label}."
    if value is None:
        exempt = [
            e.label for e in criterion.exemptions if (patient, e.status_property, e.value) in data
        ]
        return f"Holds for a {' / '.join(exempt)} without a value of {criterion.property_label}."
    target = criterion.target_value
    if isinstance(target.toPython(), bool):
        negation = "" if result == MET else "; required: " + _shown(target, None)
        return f"{criterion.property_label}: {_shown(value, None)}{negation}."
    phrase = _PHRASES.get(_local(criterion.comparator), _local(criterion.comparator))
    negation = "" if result == MET else "not "
    return (
        f"{criterion.property_label} is {_shown(value, criterion.unit)}, "
        f"{negation}{phrase} {_shown(target, criterion.unit)}."
    )


def _is_exception(criterion: Criterion, base: str) -> bool:
    return criterion.replaces is not None or criterion.role == vocab(base).ExceptionCriterion


def overall_outcome(results: Sequence[CriterionResult], base: str) -> tuple[str, str]:
    """The overall outcome and a sentence saying why."""
    exceptions = [r for r in results if _is_exception(r.criterion, base)]
    failed: list[str] = []
    unknown: list[str] = []
    replaced: list[str] = []
    for r in results:
        if _is_exception(r.criterion, base):
            continue
        label = f"'{r.criterion.label}'"
        if r.result == UNKNOWN:
            unknown.append(label)
        elif r.result == NOT_MET:
            replacing = [e for e in exceptions if e.criterion.replaces == r.criterion.iri]
            met = [e for e in replacing if e.result == MET]
            open_ = [e for e in replacing if e.result == UNKNOWN]
            if met:
                replaced.append(
                    f"{label} is not met but the exception '{met[0].criterion.label}' is"
                )
            elif open_:
                unknown.append(
                    f"'{open_[0].criterion.label}' (which could replace {label}, not met)"
                )
            else:
                failed.append(label)
    if failed:
        return NOT_INDICATED, f"Not met: {', '.join(failed)}."
    if unknown:
        return CANNOT_TELL, f"Nothing rules it out, but these are not known: {', '.join(unknown)}."
    if replaced:
        return POSSIBLY_INDICATED, f"{'; '.join(replaced)}, and every other criterion is met."
    return INDICATED, "Every criterion is met."


def _results_by_criterion(report: Graph, shapes: Graph) -> dict[URIRef, set[URIRef]]:
    """Criterion IRI → severities of the validation results of its shapes."""
    found: dict[URIRef, set[URIRef]] = {}
    for result in report.subjects(RDF.type, SH.ValidationResult):
        shape = report.value(result, SH.sourceShape)
        severity = report.value(result, SH.resultSeverity)
        criterion = shapes.value(shape, DCTERMS.source) if shape is not None else None
        if isinstance(criterion, URIRef) and isinstance(severity, URIRef):
            found.setdefault(criterion, set()).add(severity)
    return found


def _notes(description: PatientDescription) -> list[str]:
    notes = []
    aat = description.serum_aat
    if aat is not None and aat.unit == MG_PER_DL:
        notes.append(
            f"serum_aat: {aat.value} mg/dL = {round(aat.umol_per_l, 2)} µmol/L. " + ASSAY_CAVEAT
        )
    months = description.months_since_last_cigarette
    if description.last_cigarette is not None and months is not None:
        notes.append(
            f"smoking: the last cigarette on {description.last_cigarette.isoformat()} "
            f"is {months} whole calendar months before the assessment date "
            f"{description.assessed_on.isoformat()}."
        )
    return notes


def _annotate_report(
    report: Graph, shapes: Graph, overall: str, patient: URIRef, base: str
) -> None:
    """Add the outcome, the disclaimer and each result's criterion to the SHACL report."""
    aatd = vocab(base)
    bind_all(report, base)
    for node in list(report.subjects(RDF.type, SH.ValidationReport)):
        report.add((node, aatd.eligibilityOutcome, aatd[OUTCOME_TERMS[overall]]))
        report.add((node, RDFS.comment, Literal(DISCLAIMER, lang="en")))
        report.add((node, DCTERMS.subject, patient))
    for result in list(report.subjects(RDF.type, SH.ValidationResult)):
        shape = report.value(result, SH.sourceShape)
        criterion = shapes.value(shape, DCTERMS.source) if shape is not None else None
        if criterion is not None:
            report.add((result, DCTERMS.source, criterion))
            if isinstance(shape, BNode):
                report.add((shape, DCTERMS.source, criterion))


def check(
    description: PatientDescription,
    criteria: Sequence[Criterion],
    base: str,
    patient: URIRef | None = None,
) -> EligibilityAnswer:
    """Check *description* against *criteria* with the generated SHACL shapes."""
    data = to_graph(description, base, patient)
    node = data.value(predicate=RDF.type, object=vocab(base).PatientDescription)
    assert isinstance(node, URIRef)  # to_graph always types one IRI node
    shapes = shapes_graph(criteria, node, base)
    _conforms, report, _text = validate(
        data, shacl_graph=shapes, inference="none", allow_infos=True, advanced=False
    )
    assert isinstance(report, Graph)
    severities = _results_by_criterion(report, shapes)
    results = []
    for criterion in criteria:
        found = severities.get(criterion.iri, set())
        if UNKNOWN_SEVERITY in found:
            result = UNKNOWN
        elif NOT_MET_SEVERITY in found:
            result = NOT_MET
        else:
            result = MET
        reason = _reason(criterion, result, data, node)
        results.append(CriterionResult(criterion, result, reason[:1].upper() + reason[1:]))
    results = _with_exception_notes(results, base)
    overall, why = overall_outcome(results, base)
    _annotate_report(report, shapes, overall, node, base)
    return EligibilityAnswer(description, node, overall, why, results, report, _notes(description))


def _with_exception_notes(results: list[CriterionResult], base: str) -> list[CriterionResult]:
    """Say on each exception criterion which criterion it replaces and when it counts."""
    labels = {r.criterion.iri: r.criterion.label for r in results}
    out = []
    for r in results:
        if _is_exception(r.criterion, base) and r.criterion.replaces is not None:
            replaced = labels.get(r.criterion.replaces, str(r.criterion.replaces))
            reason = f"{r.reason} Counts only when '{replaced}' is not met."
            out.append(CriterionResult(r.criterion, r.result, reason))
        else:
            out.append(r)
    return out
