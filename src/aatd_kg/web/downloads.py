"""``/downloads`` (the release's files with size, media type and SHA-256), each file served
with gzip, ``ETag`` and ``Last-Modified`` (304 on revalidation), and ``/.well-known/void``.

A file with a pre-compressed ``.gz`` sibling in the release is sent as that sibling with
``Content-Encoding: gzip`` when the client accepts gzip; ``.gz`` files themselves are sent as
they are (``application/gzip``, no content coding).
"""

from __future__ import annotations

import gzip
from email.utils import formatdate

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, JSONResponse, PlainTextResponse, Response
from jinja2 import Environment
from rdflib import Graph

from aatd_kg.prefixes import bind_all
from aatd_kg.settings import Settings
from aatd_kg.web import conneg
from aatd_kg.web.caching import not_modified
from aatd_kg.web.release_info import CONTEXT_FILE, VOID_FILE, ReleaseFile, ReleaseInfo
from aatd_kg.web.routing import get_and_head
from aatd_kg.web.templating import render

#: Files without a ``.gz`` sibling up to this size are gzipped in memory on request.
GZIP_IN_MEMORY_MAX = 8 * 1024 * 1024
VOID_FORMATS = (conneg.TURTLE, conneg.JSON_LD, conneg.N_TRIPLES, conneg.RDF_XML)
#: The listing as a page, or as JSON. The table has no plain-JSON entry: its JSON entry (SPARQL
#: results) is the one that matches ``application/json`` (an alias), and the listing is answered
#: with that alias as its media type.
LISTING_FORMATS = (conneg.HTML, conneg.SPARQL_JSON)
JSON_MEDIA_TYPE = conneg.PLAIN_JSON.media_type


def _accepts_gzip(request: Request) -> bool:
    for part in request.headers.get("accept-encoding", "").split(","):
        name, _, params = part.strip().partition(";")
        if name.strip().lower() in ("gzip", "*"):
            q = params.strip().removeprefix("q=")
            return not (params and q.replace(".", "", 1).isdigit() and float(q) == 0)
    return False


def _content_type(media_type: str) -> str:
    known = conneg.by_media_type(media_type)
    if known is not None:
        return known.content_type
    return f"{media_type}; charset=utf-8" if media_type.startswith("text/") else media_type


def file_response(request: Request, release: ReleaseInfo, name: str) -> Response:
    """The release file *name*, gzip-coded when possible, answering revalidation with 304."""
    entry = release.entry(name)
    if entry is None:
        raise KeyError(name)
    path = release.directory / name
    sibling = release.files.get(f"{name}.gz")
    use_gzip = not name.endswith(".gz") and _accepts_gzip(request)
    mtime = path.stat().st_mtime
    headers = {"Last-Modified": formatdate(mtime, usegmt=True), "Vary": "Accept-Encoding",
               "Cache-Control": "public, max-age=3600"}
    if use_gzip and sibling is not None and (release.directory / sibling.name).is_file():
        etag = f'"{sibling.sha256}"'
        headers.update({"ETag": etag, "Content-Encoding": "gzip"})
        if not_modified(request, etag, mtime):
            return Response(status_code=304, headers=headers)
        return FileResponse(release.directory / sibling.name, headers=headers,
                            media_type=_content_type(entry.media_type))
    if use_gzip and entry.bytes <= GZIP_IN_MEMORY_MAX:
        etag = f'"{entry.sha256}-gzip"'
        headers.update({"ETag": etag, "Content-Encoding": "gzip"})
        if not_modified(request, etag, mtime):
            return Response(status_code=304, headers=headers)
        body = gzip.compress(path.read_bytes(), mtime=0)
        return Response(body, headers=headers, media_type=_content_type(entry.media_type))
    etag = f'"{entry.sha256}"'
    headers["ETag"] = etag
    if not_modified(request, etag, mtime):
        return Response(status_code=304, headers=headers)
    return FileResponse(path, headers=headers, media_type=_content_type(entry.media_type))


def _listing(release: ReleaseInfo, served_base: str) -> list[dict[str, object]]:
    return [
        {
            "name": f.name,
            "url": f"{served_base}downloads/{f.name}",
            "bytes": f.bytes,
            "media_type": f.media_type,
            "sha256": f.sha256,
        }
        for f in sorted(release.files.values(), key=lambda f: f.name)
    ]


def _human_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"  # pragma: no cover


def _void_variants(release: ReleaseInfo) -> dict[str, bytes]:
    """void.ttl in each offered RDF format (parsed once, on first request)."""
    path = release.directory / VOID_FILE
    turtle = path.read_bytes()
    graph = bind_all(Graph())
    graph.parse(data=turtle, format="turtle")
    out = {conneg.TURTLE.name: turtle}
    for fmt in VOID_FORMATS[1:]:
        out[fmt.name] = graph.serialize(format=fmt.rdflib or fmt.name, encoding="utf-8")
    return out


def router(settings: Settings, env: Environment, release: ReleaseInfo | None) -> APIRouter:
    """Routes ``/downloads``, ``/downloads/{name}`` and ``/.well-known/void``."""
    api = APIRouter(tags=["downloads"])
    served = settings.served_base
    void_cache: dict[str, bytes] = {}

    @api.get(
        "/downloads",
        summary="The release's files with size, media type and SHA-256",
        response_class=Response,
        responses={200: {"content": {conneg.HTML.media_type: {}, JSON_MEDIA_TYPE: {}}}},
    )
    def downloads(request: Request, format: str | None = None) -> Response:
        fmt = conneg.negotiate(request.headers.get("accept"), LISTING_FORMATS, format)
        files = _listing(release, served) if release else []
        headers = {"Vary": "Accept"}
        if fmt is conneg.SPARQL_JSON:
            doc = {
                "version": release.version if release else None,
                "date": release.date if release else None,
                "files": files,
            }
            return JSONResponse(doc, headers=headers, media_type=JSON_MEDIA_TYPE)
        for item in files:
            item["size"] = _human_size(int(item["bytes"]))  # type: ignore[call-overload]
        return render(env, "downloads.html", {"files": files, "release": release,
                                               "served_base": served}, headers=headers)

    @get_and_head(
        api, "/downloads/{name}",
        summary="One release file (gzip, ETag, Last-Modified, 304 on revalidation)",
        response_class=Response,
        responses={
            200: {"description": "The file", "content": {
                t: {} for t in sorted({f.media_type for f in (release.files.values()
                                                              if release else ())})}},
            304: {"description": "Not modified (ETag or date)"},
            404: {"description": "No such file in the release"},
        },
    )
    def download(request: Request, name: str) -> Response:
        if release is None or release.path(name) is None:
            return render(env, "error.html", {
                "title": "Not found", "served_base": served, "release": release,
                "message": f"The release has no file called {name!r}; see the downloads page.",
            }, status_code=404)
        return file_response(request, release, name)

    @get_and_head(
        api, f"/{CONTEXT_FILE}",
        summary="The published JSON-LD context (readable keys for every property)",
        response_class=Response,
        responses={200: {"content": {conneg.JSON_LD.media_type: {}}},
                   304: {"description": "Not modified"}},
    )
    def context(request: Request) -> Response:
        if release is None or release.path(CONTEXT_FILE) is None:
            return PlainTextResponse(
                f"the release in {settings.release} has no {CONTEXT_FILE}", status_code=404
            )
        return file_response(request, release, CONTEXT_FILE)

    @get_and_head(
        api, "/.well-known/void",
        summary="The VoID/DCAT description of the dataset",
        response_class=Response,
        responses={200: {"content": {f.media_type: {} for f in VOID_FORMATS}},
                   304: {"description": "Not modified"}},
    )
    def void(request: Request, format: str | None = None) -> Response:
        fmt = conneg.negotiate(request.headers.get("accept"), VOID_FORMATS, format)
        if release is None or release.path(VOID_FILE) is None:
            return PlainTextResponse(
                f"the release in {settings.release} has no {VOID_FILE}", status_code=404
            )
        entry: ReleaseFile = release.files[VOID_FILE]
        etag = f'"{entry.sha256}-{fmt.name}"'
        mtime = (release.directory / VOID_FILE).stat().st_mtime
        headers = {"ETag": etag, "Vary": "Accept", "Last-Modified": formatdate(mtime, usegmt=True),
                   "Content-Location": f"{served}downloads/{VOID_FILE}"
                   if fmt is conneg.TURTLE else f"{served}.well-known/void?format={fmt.name}"}
        if not_modified(request, etag, mtime):
            return Response(status_code=304, headers=headers)
        if not void_cache:
            void_cache.update(_void_variants(release))
        return Response(void_cache[fmt.name], headers=headers, media_type=fmt.content_type)

    return api

