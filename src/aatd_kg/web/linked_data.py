"""The linked-data half of the server: landing page, ``/vocab``, downloads, VoID and every
entity IRI (a catch-all path, so ``create_app`` includes this router last).
"""

from __future__ import annotations

from functools import lru_cache

from fastapi import APIRouter, Request
from fastapi.responses import Response

from aatd_kg.settings import Settings
from aatd_kg.store.base import Store
from aatd_kg.web import conneg, downloads, entities
from aatd_kg.web.caching import with_etag
from aatd_kg.web.entities import ENTITY_FORMATS, EntityResponder, serialize
from aatd_kg.web.pages import Pages, ontology_iri
from aatd_kg.web.release_info import read_release
from aatd_kg.web.routing import get_and_head
from aatd_kg.web.templating import environment, render, render_html


def router(settings: Settings, store: Store) -> APIRouter:
    """Routes for the landing page, ``/vocab``, downloads, VoID and dereferenceable IRIs."""
    env = environment()
    release = read_release(settings.release)
    pages = Pages(settings, store, release)
    responder = EntityResponder(settings, store, env, release)
    served = settings.served_base
    api = APIRouter()

    @api.get("/", tags=["linked data"], summary="What this graph is, and where to go next",
             response_class=Response, responses={200: {"content": {conneg.HTML.media_type: {}}}})
    def landing() -> Response:
        return render(env, "landing.html", {
            "overview": pages.overview, "served_base": served, "release": release,
            "kinds": list(pages.overview.entities.items()),
        })

    vocab_path = ontology_iri(settings).value[len(settings.base_iri) :]

    @get_and_head(
        api, f"/{vocab_path}", tags=["linked data"],
        summary="The whole ontology (HTML, Turtle, JSON-LD, N-Triples, RDF/XML)",
        response_class=Response,
        responses={200: {"content": {f.media_type: {} for f in ENTITY_FORMATS}},
                   406: {"description": "No acceptable format"}},
    )
    def vocabulary(request: Request) -> Response:
        return vocab_answer(request, vocab_path, None)

    @lru_cache(maxsize=64)
    def vocab_body(path: str, fmt: conneg.MediaFormat) -> bytes:
        if fmt is conneg.HTML:
            return render_html(env, "vocab.html", {
                "served_base": served, "release": release, "terms": pages.vocabulary,
                "title": pages.ontology_label(), "comment": pages.ontology_comment(),
                "iri": ontology_iri(settings).value,
                "alternates": responder.alternates(path)[1:],
            })
        context = release.jsonld_context if release else None
        return serialize(pages.ontology, fmt, settings.base_iri, ontology_iri(settings), context)

    def vocab_answer(request: Request, path: str, forced: conneg.MediaFormat | None) -> Response:
        fmt = responder.choose(request, forced)
        negotiated = forced is None and "format" not in request.query_params
        headers = responder.headers(path, fmt, negotiated)
        body = vocab_body(path, fmt)
        return with_etag(request, Response(body, media_type=fmt.content_type, headers=headers))

    api.include_router(downloads.router(settings, env, release))

    def entity_or_vocab(request: Request, path: str) -> Response:
        stem, forced = entities.split_extension(path)
        if (stem == vocab_path and forced is not None) or stem in pages.version_paths:
            return vocab_answer(request, stem, forced)
        return responder.respond(request, path)

    # Last: /vocab.{ext} and the ontology's version IRI are the whole ontology; every other
    # path is its entity.
    api.include_router(entities.router(entity_or_vocab))
    return api
