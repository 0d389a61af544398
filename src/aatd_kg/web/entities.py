"""Dereferenceable IRIs: every IRI under the data's base answers at the same path here.

``/gene/SERPINA1`` is ``{base_iri}gene/SERPINA1``. The answer is chosen by ``Accept`` (HTML for
browsers; Turtle, JSON-LD, N-Triples or RDF/XML for RDF clients), or fixed by an extension
(``/gene/SERPINA1.ttl``). A negotiated answer is a 200 with ``Content-Location`` naming the
format-specific document, ``Vary: Accept`` and ``Link`` headers to every alternate (decision
0007). Unknown IRIs are 404; deprecated ones 301 to their replacement or 410.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from jinja2 import Environment

from aatd_kg.exports.context import compact_jsonld
from aatd_kg.settings import Settings
from aatd_kg.store.base import Store, Term
from aatd_kg.web import conneg
from aatd_kg.web.caching import body_etag, with_etag
from aatd_kg.web.describe import (
    Description,
    InvalidIRIError,
    TripleSet,
    checked_iri,
    describe,
    describe_in,
    read_triples,
    serialize_triples,
)
from aatd_kg.web.entity_view import Linker, entity_page
from aatd_kg.web.release_info import VOID_FILE, ReleaseInfo
from aatd_kg.web.routing import get_and_head
from aatd_kg.web.schema_org import schema_org_jsonld
from aatd_kg.web.templating import render_html

#: Rendered answers kept per server (the release never changes while it runs).
ANSWER_CACHE_SIZE = 2048


#: What an entity IRI can answer with; HTML first, so ``*/*`` gets the page.
ENTITY_FORMATS: tuple[conneg.MediaFormat, ...] = (
    conneg.HTML, conneg.TURTLE, conneg.JSON_LD, conneg.N_TRIPLES, conneg.RDF_XML,
)
_BY_EXTENSION = {f.extension: f for f in ENTITY_FORMATS}


def split_extension(path: str) -> tuple[str, conneg.MediaFormat | None]:
    """``gene/SERPINA1.ttl`` → (``gene/SERPINA1``, Turtle); no known extension → (path, None)."""
    stem, dot, ext = path.rpartition(".")
    if dot and "/" not in ext and ext.lower() in _BY_EXTENSION and stem:
        return stem, _BY_EXTENSION[ext.lower()]
    return path, None


def header_url(url: str) -> str:
    """*url* with non-ASCII characters percent-encoded (HTTP headers carry ASCII only)."""
    return quote(url, safe=":/?#[]@!$&'()*+,;=%~")


def serialize(
    triples: TripleSet, fmt: conneg.MediaFormat, base: str, first: Term | None = None,
    context: dict[str, Any] | None = None,
) -> bytes:
    """*triples* in the RDF format *fmt* (written by pyoxigraph), with the prefixes they use;
    JSON-LD is compacted with the published *context* when one is given."""
    if fmt.oxigraph is None:
        raise ValueError(f"{fmt.media_type} is not an RDF format")
    body = serialize_triples(triples, fmt.oxigraph, base, first)
    if fmt is conneg.JSON_LD and context is not None:
        return compact_jsonld(body, context)
    return body


@dataclass(frozen=True)
class Rendered:
    """An answer as bytes, before the per-request headers: status, body, redirect target."""

    status: int
    body: bytes
    location: str | None = None

    @cached_property
    def etag(self) -> str:
        """A weak validator of the body."""
        return body_etag(self.body)


class EntityResponder:
    """Builds the answers of entity IRIs for one settings/store/template environment."""

    def __init__(
        self, settings: Settings, store: Store, env: Environment, release: ReleaseInfo | None
    ) -> None:
        self.settings = settings
        self.store = store
        self.env = env
        self.release = release
        self.base = settings.base_iri
        self.linker = Linker(settings.base_iri, settings.served_base)
        self._cached_render = lru_cache(maxsize=ANSWER_CACHE_SIZE)(self.render)
        self._describe = lru_cache(maxsize=ANSWER_CACHE_SIZE // 4)(self._describe_uncached)

    def _describe_uncached(self, iri: Term) -> Description:
        return describe(self.store, iri, self.base)

    @cached_property
    def void_triples(self) -> TripleSet:
        """The release's VoID/DCAT description (its dataset and partition IRIs are under the
        base but not in the store's graphs), read once."""
        path = self.release.path(VOID_FILE) if self.release else None
        return read_triples(path) if path is not None else TripleSet()

    def describe_in_void(self, iri: Term) -> Description:
        """What the VoID/DCAT description says about *iri* (empty when it says nothing)."""
        return describe_in(self.void_triples, iri, self.linker.iri("rdfs:label"))

    # ------------------------------------------------------------------ headers
    def alternates(self, path: str) -> list[tuple[str, str, str]]:
        """(href, media type, label) of every format-specific document of *path*."""
        served = self.settings.served_base
        return [(f"{served}{path}.{f.extension}", f.media_type, f.label) for f in ENTITY_FORMATS]

    def headers(self, path: str, fmt: conneg.MediaFormat, negotiated: bool) -> dict[str, str]:
        """``Link`` to the alternates; with negotiation also ``Vary`` and ``Content-Location``."""
        links = [
            f'<{header_url(href)}>; rel="alternate"; type="{media_type}"'
            for href, media_type, _ in self.alternates(path)
        ]
        headers = {"Link": ", ".join(links)}
        if negotiated:
            headers["Vary"] = "Accept"
            headers["Content-Location"] = header_url(
                f"{self.settings.served_base}{path}.{fmt.extension}"
            )
        return headers

    # ------------------------------------------------------------------ answers
    def choose(self, request: Request, forced: conneg.MediaFormat | None) -> conneg.MediaFormat:
        """The format of the answer: the extension's, ``?format=``, or by ``Accept``."""
        if forced is not None:
            return forced
        return conneg.negotiate(
            request.headers.get("accept"), ENTITY_FORMATS, request.query_params.get("format")
        )

    def not_found_body(self, iri: str, fmt: conneg.MediaFormat) -> bytes:
        """The body of a 404 in *fmt*: a page, or an empty RDF document."""
        if fmt is conneg.HTML:
            return render_html(self.env, "error.html", {
                "title": "Not found", "iri": iri, "served_base": self.settings.served_base,
                "release": self.release, "message": "Nothing in this graph has this IRI.",
            })
        return serialize(TripleSet(), fmt, self.base)

    def render(self, stem: str, fmt_name: str, negotiated: bool) -> Rendered:
        """The answer for the entity at *stem* in one format (cached: the release is fixed)."""
        fmt = conneg.by_name(fmt_name) or conneg.HTML
        try:
            iri = checked_iri(self.base + stem)
        except InvalidIRIError:
            return Rendered(404, self.not_found_body(self.base + stem, fmt))
        description = self._describe(iri)
        if not description.exists:
            description = self.describe_in_void(iri)
        if not description.exists:
            return Rendered(404, self.not_found_body(iri.value, fmt))
        status = 200
        if _is_deprecated(description, self.linker):
            replacement = _replacement(description, self.linker)
            if replacement is not None:
                target = self.linker.href(replacement) or replacement
                if not negotiated and target.startswith(self.settings.served_base):
                    target = f"{target}.{fmt.extension}"
                return Rendered(301, b"", location=target)
            status = 410
        if fmt is conneg.HTML:
            return Rendered(status, self.page(stem, description, status))
        context = self.release.jsonld_context if self.release else None
        return Rendered(
            status, serialize(description.triples, fmt, self.base, description.iri, context)
        )

    def page(self, path: str, description: Description, status: int) -> bytes:
        """The HTML page of an entity."""
        page = entity_page(self.linker, description)
        page.alternates = self.alternates(path)[1:]
        page_url = f"{self.settings.served_base}{path}"
        context = {
            "page": page, "gone": status == 410, "served_base": self.settings.served_base,
            "release": self.release,
            "jsonld": schema_org_jsonld(self.linker, description, page_url),
        }
        return render_html(self.env, "entity.html", context)

    def respond(self, request: Request, path: str) -> Response:
        """Answer a request for *path* (an entity path, possibly with an extension)."""
        stem, forced = split_extension(path)
        if forced is not None and stem != path and self._cached_render(
            stem, forced.name, False
        ).status == 404 and self._cached_render(path, conneg.HTML.name, True).status != 404:
            # The extension is part of the IRI itself (a distribution named ``…/aatd-kg.ttl``).
            stem, forced = path, None
        fmt = self.choose(request, forced)
        negotiated = forced is None and "format" not in request.query_params
        headers = self.headers(stem, fmt, negotiated)
        rendered = self._cached_render(stem, fmt.name, negotiated)
        if rendered.status == 301 and rendered.location:
            return RedirectResponse(rendered.location, status_code=301, headers=headers)
        if rendered.status == 404:
            headers = _vary_only(headers)
        response = Response(
            rendered.body, status_code=rendered.status, media_type=fmt.content_type,
            headers=headers,
        )
        return with_etag(request, response, rendered.etag)


def _vary_only(headers: dict[str, str]) -> dict[str, str]:
    """A 404 names no alternates (there are none) and no Content-Location; it keeps Vary."""
    return {k: v for k, v in headers.items() if k == "Vary"}


def _is_deprecated(description: Description, linker: Linker) -> bool:
    flags = description.triples.objects(description.iri, linker.iri("owl:deprecated"))
    return any(
        v.kind == "literal" and v.value in ("true", "1") and (v.datatype or "").endswith("#boolean")
        for v in flags
    )


def _replacement(description: Description, linker: Linker) -> str | None:
    targets = sorted(
        o.value
        for o in description.triples.objects(description.iri, linker.iri("dcterms:isReplacedBy"))
        if o.kind == "uri"
    )
    return targets[0] if targets else None


def media_types_doc(formats: Sequence[conneg.MediaFormat]) -> dict[int | str, dict[str, object]]:
    """OpenAPI ``responses`` listing the real media types of a negotiated route."""
    content: dict[str, object] = {f.media_type: {} for f in formats}
    return {
        200: {"description": "The description, in the negotiated format", "content": content},
        301: {"description": "Deprecated; moved to its replacement"},
        404: {"description": "No such IRI in the graph", "content": content},
        406: {"description": "No acceptable format"},
        410: {"description": "Deprecated with no replacement", "content": content},
    }


def router(respond: Callable[[Request, str], Response]) -> APIRouter:
    """The catch-all entity route answered by *respond* (include it after every other route)."""
    api = APIRouter(tags=["linked data"])

    @get_and_head(
        api, "/{path:path}",
        summary="Dereference an IRI of the graph (HTML, Turtle, JSON-LD, N-Triples, RDF/XML)",
        description=(
            "Any IRI under the data's base answers at the same path, e.g. `/gene/SERPINA1`. "
            "Choose the format with `Accept`, `?format=` or an extension "
            "(`.html`, `.ttl`, `.jsonld`, `.nt`, `.rdf`)."
        ),
        response_class=Response,
        responses=media_types_doc(ENTITY_FORMATS),
    )
    def entity(request: Request, path: str) -> Response:
        return respond(request, path)

    return api
