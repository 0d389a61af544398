"""``aatd-kg check``: JSON answer and exit 0; exit 2 naming field and problem on bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from aatd_kg.cli import main

PATIENT = {
    "age_years": 45,
    "serum_aat": {"value": 9.5, "unit": "umol/L"},
    "airway_obstruction": True,
    "smoking": {"status": "former", "last_cigarette": "2026-03-01"},
    "accepts_weekly_hospital_infusions": True,
    "iga_deficiency": False,
    "ct_shows_emphysema": False,
}


def _write(tmp_path: Path, document: Any, name: str = "patient.json") -> Path:
    path = tmp_path / name
    path.write_text(document if isinstance(document, str) else json.dumps(document), "utf-8")
    return path


def _check_ok(
    release: Path, patient: Path, on: str, capsys: pytest.CaptureFixture[str]
) -> dict[str, Any]:
    """Run ``aatd-kg check`` on *patient* assessed *on*; it must exit 0; return its JSON."""
    code = main(["check", str(patient), "--on", on, "--release", str(release)])
    answer: dict[str, Any] = json.loads(capsys.readouterr().out)
    assert code == 0
    return answer


def test_check_prints_json_answer(
    eligibility_release: tuple[Path, dict[str, Any]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    release, _ = eligibility_release
    path = _write(tmp_path, PATIENT)
    answer = _check_ok(release, path, "2026-09-01", capsys)
    assert answer["overall"] == "indicated"
    assert answer["assessed_on"] == "2026-09-01"
    assert [c["result"] for c in answer["criteria"]] == ["met"] * 6 + ["not_met"]
    assert answer["criteria"][0]["text"] == "Are older than 18 years of age."
    assert answer["criteria"][0]["criterion"].endswith("/criterion/augmentation-therapy/age")
    assert "clinician decides" in answer["disclaimer"]


def test_on_date_counts_the_months(
    eligibility_release: tuple[Path, dict[str, Any]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    release, _ = eligibility_release
    path = _write(tmp_path, PATIENT)
    answer = _check_ok(release, path, "2026-08-31", capsys)
    smoking = next(c for c in answer["criteria"] if c["criterion"].endswith("/not-smoking"))
    assert smoking["result"] == "not_met"
    assert answer["overall"] == "not_indicated"


@pytest.mark.parametrize(
    ("document", "args", "expected"),
    [
        ({**PATIENT, "age_years": -3}, [], "age_years: -3 is impossible"),
        ({**PATIENT, "serum_aat": {"value": 9999, "unit": "umol/L"}}, [], "serum_aat.value"),
        ({**PATIENT, "serum_aat": {"value": 9, "unit": "g/L"}}, [], "serum_aat.unit"),
        ({**PATIENT, "favourite_colour": "blue"}, [], "favourite_colour: unknown field"),
        (PATIENT, ["--on", "2026-02-01"], "smoking.last_cigarette"),
        ({**PATIENT, "smoking": {"status": "current", "last_cigarette": "2026-01-01"}}, [],
         "smoking.last_cigarette: a current smoker has no quit date"),
        ({**PATIENT, "assessed_on": "2026-09-01"}, ["--on", "2026-09-02"], "assessed_on"),
        (PATIENT, ["--on", "tomorrow"], "--on: expected a date"),
        ("{not json", [], "(document): not valid JSON"),
    ],
    ids=["negative age", "AAT 9999", "unknown unit", "unknown field", "quit after --on",
         "current smoker with quit date", "two dates", "bad --on", "broken JSON"],
)
def test_bad_input_exits_2(
    eligibility_release: tuple[Path, dict[str, Any]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    document: Any,
    args: list[str],
    expected: str,
) -> None:
    release, _ = eligibility_release
    path = _write(tmp_path, document)
    code = main(["check", str(path), "--release", str(release), *args])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    assert expected in captured.err


def test_turtle_file(
    eligibility_release: tuple[Path, dict[str, Any]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    release, _ = eligibility_release
    path = _write(
        tmp_path,
        "@prefix aatd: <https://w3id.org/aatd-kg/vocab/> .\n"
        "[] a aatd:PatientDescription ; aatd:ageYears 17 .\n",
        "patient.ttl",
    )
    code = main(["check", str(path), "--release", str(release)])
    answer = json.loads(capsys.readouterr().out)
    assert code == 0
    assert answer["overall"] == "not_indicated"
    assert answer["criteria"][0]["result"] == "not_met"


def test_missing_release_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, PATIENT)
    code = main(["check", str(path), "--release", str(tmp_path / "nowhere")])
    assert code == 1
    assert "aatd-kg build" in capsys.readouterr().err


def test_installed_command(
    eligibility_release: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    release, _ = eligibility_release
    path = _write(tmp_path, {**PATIENT, "age_years": 18})
    command = [sys.executable, "-m", "aatd_kg.cli", "check", str(path), "--on", "2026-09-01",
               "--release", str(release)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["overall"] == "not_indicated"
    bad = _write(tmp_path, {"age_years": -3}, "bad.json")
    done = subprocess.run([*command[:4], str(bad), *command[5:]], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 2
    assert "age_years" in done.stderr
