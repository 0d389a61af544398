"""``/eligibility/augmentation-therapy`` through the real app (``create_app``) and a real store."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SH, XSD

from aatd_kg.eligibility.check import DISCLAIMER
from aatd_kg.eligibility.criteria import Criterion
from aatd_kg.prefixes import vocab
from aatd_kg.settings import Settings
from aatd_kg.store.base import Store
from aatd_kg.store.oxigraph import OxigraphStore
from aatd_kg.web.app import create_app

from .conftest import BASE

PATH = "/eligibility/augmentation-therapy"
PATIENT = {
    "assessed_on": "2026-09-01",
    "age_years": 45,
    "serum_aat": {"value": 9.5, "unit": "umol/L"},
    "airway_obstruction": False,
    "smoking": {"status": "never"},
    "accepts_weekly_hospital_infusions": True,
    "iga_deficiency": False,
    "ct_shows_emphysema": True,
}
AATD = vocab(BASE)


def make_client(release: Path, store: Store) -> Iterator[TestClient]:
    app = create_app(Settings(release=release), store)  # type: ignore[arg-type]
    with TestClient(app) as client:
        yield client


@pytest.fixture
def client(
    eligibility_release: tuple[Path, dict[str, Any]], query_store: Store
) -> Iterator[TestClient]:
    yield from make_client(eligibility_release[0], query_store)


def test_json_answer(client: TestClient, criteria: list[Criterion]) -> None:
    response = client.post(PATH, json=PATIENT)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert "Accept" in response.headers["vary"]
    answer = response.json()
    assert answer["overall"] == "possibly_indicated"
    assert [c["criterion"] for c in answer["criteria"]] == [str(c.iri) for c in criteria]
    assert [c["text"] for c in answer["criteria"]] == [c.text for c in criteria]
    results = {c["criterion"].rsplit("/", 1)[-1]: c["result"] for c in answer["criteria"]}
    assert results["airway-obstruction"] == "not_met"
    assert results["ct-emphysema-exception"] == "met"
    assert answer["disclaimer"] == DISCLAIMER


def _report_checks(graph: Graph, criteria: list[Criterion]) -> None:
    reports = list(graph.subjects(RDF.type, SH.ValidationReport))
    assert len(reports) == 1
    report = reports[0]
    assert (report, AATD.eligibilityOutcome, AATD.NotIndicated) in graph
    assert (report, RDFS.comment, Literal(DISCLAIMER, lang="en")) in graph
    age = next(c for c in criteria if c.slug == "age")
    airway = next(c for c in criteria if c.slug == "airway-obstruction")
    serum = next(c for c in criteria if c.slug == "serum-aat")
    violations = {
        graph.value(r, DCTERMS.source)
        for r in graph.subjects(SH.resultSeverity, SH.Violation)
    }
    infos = {graph.value(r, DCTERMS.source) for r in graph.subjects(SH.resultSeverity, SH.Info)}
    assert violations == {age.iri, airway.iri}
    assert serum.iri in infos
    age_result = next(graph.subjects(DCTERMS.source, age.iri))
    assert str(graph.value(age_result, SH.resultMessage)) == age.text


@pytest.mark.parametrize(("accept", "rdf_format"),
                         [("text/turtle", "turtle"), ("application/ld+json", "json-ld")])
def test_shacl_report_as_rdf(client: TestClient, criteria: list[Criterion], accept: str,
                             rdf_format: str) -> None:
    patient = {**PATIENT, "age_years": 18, "serum_aat": None}
    response = client.post(PATH, json=patient, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(accept)
    graph = Graph().parse(data=response.text, format=rdf_format)
    _report_checks(graph, criteria)


def test_turtle_and_jsonld_bodies(client: TestClient) -> None:
    turtle = (
        "@prefix aatd: <https://w3id.org/aatd-kg/vocab/> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        "<https://example.org/p/1> a aatd:PatientDescription ; aatd:ageYears 45 ;\n"
        "  aatd:assessedOn \"2026-09-01\"^^xsd:date ; aatd:serumAATConcentration 9.5 ;\n"
        "  aatd:hasAirwayObstruction false ; aatd:ctShowsEmphysema true ;\n"
        "  aatd:smokingStatus aatd:NeverSmoker ; aatd:acceptsWeeklyHospitalInfusions true ;\n"
        "  aatd:hasIgADeficiency false .\n"
    )
    by_turtle = client.post(PATH, content=turtle, headers={"Content-Type": "text/turtle"})
    by_json = client.post(PATH, json=PATIENT)
    assert by_turtle.status_code == 200, by_turtle.text
    assert by_turtle.json()["criteria"] == by_json.json()["criteria"]
    jsonld = {
        "@context": {"aatd": str(AATD)},
        "@id": "https://example.org/p/2",
        "@type": "aatd:PatientDescription",
        "aatd:ageYears": 17,
    }
    response = client.post(PATH, content=json.dumps(jsonld),
                           headers={"Content-Type": "application/ld+json"})
    assert response.status_code == 200, response.text
    assert response.json()["overall"] == "not_indicated"


@pytest.mark.parametrize(
    ("patient", "field", "words"),
    [
        ({**PATIENT, "age_years": -3}, "age_years", "impossible"),
        ({**PATIENT, "serum_aat": {"value": 9999, "unit": "µmol/L"}}, "serum_aat.value",
         "impossible"),
        ({**PATIENT, "serum_aat": {"value": 9, "unit": "mmol/L"}}, "serum_aat.unit",
         "unknown unit"),
        ({**PATIENT, "smoking": {"status": "former", "last_cigarette": "2026-09-02"}},
         "smoking.last_cigarette", "after the assessment date"),
        ({**PATIENT, "smoking": {"status": "current", "last_cigarette": "2026-01-02"}},
         "smoking.last_cigarette", "current smoker"),
        ({**PATIENT, "nhs_number": "123"}, "nhs_number", "unknown field"),
    ],
    ids=["age -3", "AAT 9999", "unknown unit", "quit after assessment", "current with quit date",
         "unknown field"],
)
def test_bad_input_is_422(client: TestClient, patient: dict[str, Any], field: str,
                          words: str) -> None:
    response = client.post(PATH, json=patient)
    assert response.status_code == 422
    body = response.json()
    problems = {p["field"]: p["problem"] for p in body["problems"]}
    assert words in problems[field]
    assert body["disclaimer"] == DISCLAIMER


def test_unsupported_body_is_415(client: TestClient) -> None:
    response = client.post(PATH, content=b"age=45", headers={"Content-Type": "text/plain"})
    assert response.status_code == 415
    assert "application/json" in response.text


def test_unacceptable_answer_is_406(client: TestClient) -> None:
    response = client.post(PATH, json=PATIENT, headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert "text/turtle" in response.text


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.forms: list[dict[str, str | None]] = []
        self.scripts: list[dict[str, str | None]] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "form":
            self.forms.append(dict(attrs))
        if tag == "script":
            self.scripts.append(dict(attrs))
        if tag == "link":
            self.links.append(dict(attrs).get("href") or "")

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_form_page(client: TestClient, criteria: list[Criterion]) -> None:
    response = client.get(PATH, headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = _Text()
    page.feed(response.text)
    text = " ".join(" ".join(page.text).split())
    for criterion in criteria:
        assert criterion.text in text
    assert DISCLAIMER in text
    assert page.forms == [{"class": "patient", "id": "patient-form", "method": "post",
                           "action": PATH}]
    assert all(s.get("src") is None for s in page.scripts), "no external script"
    assert not [h for h in page.links if h.startswith("http")], "no CDN"


def test_criteria_come_from_the_store(
    eligibility_release: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    """Change the threshold in the release: the check follows the graph, not the code."""
    release = tmp_path / "release"
    shutil.copytree(eligibility_release[0], release)
    age = URIRef(BASE + "criterion/augmentation-therapy/age")
    nquads = release / "aatd-kg.nq"
    prefix = f"<{age}> <{AATD.thresholdValue}> "

    def with_threshold_21(line: str) -> str:
        if not line.startswith(prefix):
            return line
        _, graph = line[len(prefix):].split(" <", 1)  # value, then "<graph> ."
        return f'{prefix}"21"^^<{XSD.integer}> <{graph}'

    lines = nquads.read_text(encoding="utf-8").splitlines()
    changed = [with_threshold_21(line) for line in lines]
    assert changed != lines
    nquads.write_text("\n".join(changed) + "\n", encoding="utf-8")
    store = OxigraphStore.from_release(release, workers=1)
    try:
        for client in make_client(release, store):
            answer = client.post(PATH, json={**PATIENT, "age_years": 20}).json()
            assert answer["criteria"][0]["result"] == "not_met"
            assert "21" in answer["criteria"][0]["reason"]
    finally:
        store.close()


def test_form_posted_without_javascript(client: TestClient, criteria: list[Criterion]) -> None:
    form = {
        "assessed_on": "2026-09-01", "age_years": "18", "serum_aat_value": "57.2",
        "serum_aat_unit": "mg/dL", "airway_obstruction": "true", "smoking_status": "never",
        "last_cigarette": "", "accepts_weekly_hospital_infusions": "true",
        "iga_deficiency": "false", "ct_shows_emphysema": "",
    }
    response = client.post(PATH, data=form, headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    assert 'data-overall="not_indicated"' in html
    for criterion, result in zip(
        criteria, ["not_met", "not_met", "met", "met", "met", "met", "unknown"], strict=True
    ):
        assert f'data-criterion="{criterion.iri}" data-result="{result}"' in html
    assert 'value="57.2"' in html and '<option value="mg/dL" selected>' in html
    page = _Text()
    page.feed(html)
    assert DISCLAIMER in " ".join(" ".join(page.text).split())


def test_form_posted_with_bad_values(client: TestClient) -> None:
    form = {"age_years": "-3", "smoking_status": "current", "last_cigarette": "2026-01-01"}
    response = client.post(PATH, data=form)
    assert response.status_code == 422
    page = _Text()
    page.feed(response.text)
    text = " ".join(" ".join(page.text).split())
    assert "age_years: -3 is impossible" in text
    assert "smoking.last_cigarette: a current smoker has no quit date" in text
