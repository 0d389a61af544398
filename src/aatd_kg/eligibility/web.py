"""Routes of the augmentation-therapy eligibility check.

- ``GET /eligibility/augmentation-therapy``: the form page (server-rendered, no CDN) listing the
  criteria read from the store; its script posts to the API and fills in the results.
- ``POST /eligibility/augmentation-therapy``: a patient description as JSON (the JSON form),
  Turtle or JSON-LD in; the JSON answer out, or on ``Accept: text/turtle`` /
  ``application/ld+json`` the SHACL validation report as RDF. 422 names each field and problem.

The criteria are read from the store on every request (one CONSTRUCT query), never from code.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from jinja2 import ChoiceLoader, Environment, PackageLoader, select_autoescape

from aatd_kg.eligibility.check import DISCLAIMER
from aatd_kg.eligibility.criteria import CriteriaError, Criterion, criteria_from_store
from aatd_kg.eligibility.form_input import form_to_json, parse_form
from aatd_kg.eligibility.patient import PatientInputError
from aatd_kg.eligibility.service import InputKind, check_data, check_document
from aatd_kg.settings import Settings
from aatd_kg.store.base import Store
from aatd_kg.web.conneg import JSON_LD, PLAIN_JSON, TURTLE, MediaFormat, negotiate

log = logging.getLogger(__name__)

PATH = "/eligibility/augmentation-therapy"
#: The plain JSON answer (the table in aatd_kg.web.conneg has SPARQL JSON, not plain JSON).
ANSWER_JSON = PLAIN_JSON
ANSWER_FORMATS = (ANSWER_JSON, TURTLE, JSON_LD)
#: The HTML form posted without JavaScript (answered with the page, results filled in).
FORM_MEDIA_TYPE = "application/x-www-form-urlencoded"
#: Request media type → input kind.
_INPUT_KINDS: dict[str, InputKind] = {
    "application/json": "json",
    **dict.fromkeys(TURTLE.media_types, "turtle"),
    "application/ld+json": "json-ld",
}


async def _raw_body(request: Request) -> bytes:
    """The request body as bytes (read here so the check itself runs in a worker thread)."""
    return await request.body()


def _environment() -> Environment:
    """Templates of this package first, then the site's (for ``base.html``)."""
    return Environment(
        loader=ChoiceLoader(
            [
                PackageLoader("aatd_kg.eligibility", "templates"),
                PackageLoader("aatd_kg.web", "templates"),
            ]
        ),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _input_kind(content_type: str | None) -> InputKind | None:
    media_type = (content_type or "").split(";", 1)[0].strip().lower()
    return _INPUT_KINDS.get(media_type)


def _answer_format(request: Request) -> MediaFormat:
    format_param = request.query_params.get("format")
    if format_param and format_param.lower() in ("json", "application/json"):
        return ANSWER_JSON
    return negotiate(request.headers.get("accept"), ANSWER_FORMATS, format_param)


def _problem_response(problems: list[dict[str, str]], status: int) -> JSONResponse:
    return JSONResponse(
        {"detail": "invalid patient description", "problems": problems, "disclaimer": DISCLAIMER},
        status_code=status,
        headers={"Vary": "Accept"},
    )


def router(settings: Settings, store: Store) -> APIRouter:
    """Routes of the augmentation-therapy eligibility check (criteria read from *store*)."""
    api = APIRouter(tags=["eligibility"])
    templates = _environment()
    base = settings.base_iri

    def criteria() -> list[Criterion]:
        return criteria_from_store(store, base, timeout=settings.query_timeout)

    def no_criteria(error: CriteriaError) -> Response:
        """The loaded release has no usable criteria: a server problem, never the user's."""
        log.error("eligibility criteria unusable: %s", error)
        return PlainTextResponse(str(error), status_code=500)

    def page(
        found: list[Criterion],
        *,
        answer: dict[str, Any] | None = None,
        problems: list[dict[str, str]] | None = None,
        values: dict[str, str] | None = None,
        status: int = 200,
    ) -> Response:
        today = datetime.now(UTC).date().isoformat()
        body = templates.get_template("eligibility.html").render(
            criteria=found,
            disclaimer=DISCLAIMER,
            api_path=PATH,
            served_base=settings.served_base,
            release={"version": getattr(store, "version", None)},
            values=values or {"assessed_on": today},
            answer=answer,
            results={c["criterion"]: c for c in (answer or {}).get("criteria", [])},
            iri=str,
            problems=problems or [],
        )
        return HTMLResponse(body, status_code=status)

    @api.get(PATH, response_class=HTMLResponse, summary="The eligibility form")
    def form_page() -> Response:
        try:
            found = criteria()
        except CriteriaError as error:
            return no_criteria(error)
        return page(found)

    def form_post(found: list[Criterion], body: bytes) -> Response:
        """The form posted without JavaScript: the page again, with the answer or problems."""
        values: dict[str, str] = {}
        try:
            values = parse_form(body)
            answer = check_data(form_to_json(values), found, base, datetime.now(UTC).date())
        except PatientInputError as error:
            problems = [p.as_dict() for p in error.problems]
            return page(found, problems=problems, values=values, status=422)
        return page(found, answer=answer.as_json(), values=values)

    @api.post(
        PATH,
        summary="Check a patient description against the augmentation-therapy criteria",
        responses={
            200: {
                "content": {f.media_type: {} for f in ANSWER_FORMATS},
                "description": "The answer (JSON) or the SHACL validation report (RDF).",
            },
            406: {"description": "No accepted answer format."},
            415: {"description": "Body not JSON, Turtle or JSON-LD."},
            422: {"description": "Invalid patient description: each field and its problem."},
        },
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {m: {} for m in (*sorted(_INPUT_KINDS), FORM_MEDIA_TYPE)},
            }
        },
    )
    def check_patient(request: Request, body: Annotated[bytes, Depends(_raw_body)]) -> Response:
        content_type = request.headers.get("content-type") or ""
        if content_type.split(";", 1)[0].strip().lower() == FORM_MEDIA_TYPE:
            try:
                return form_post(criteria(), body)
            except CriteriaError as error:
                return no_criteria(error)
        answer_format = _answer_format(request)
        kind = _input_kind(content_type)
        if kind is None:
            accepted = ", ".join(sorted(_INPUT_KINDS)) + f" (or {FORM_MEDIA_TYPE} from the form)"
            return PlainTextResponse(
                f"send the patient description as one of: {accepted}",
                status_code=415,
                headers={"Vary": "Accept"},
            )
        try:
            found = criteria()
        except CriteriaError as error:
            return no_criteria(error)
        try:
            answer = check_document(body, kind, found, base, datetime.now(UTC).date())
        except PatientInputError as error:
            return _problem_response([p.as_dict() for p in error.problems], 422)
        headers = {"Vary": "Accept"}
        if answer_format is ANSWER_JSON:
            return JSONResponse(answer.as_json(), headers=headers)
        payload: Any = answer.report.serialize(format=answer_format.rdflib or "turtle")
        return Response(payload, media_type=answer_format.content_type, headers=headers)

    return api
