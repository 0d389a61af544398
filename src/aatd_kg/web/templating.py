"""The Jinja2 environment of the server's pages (autoescaped, templates shipped in the package)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, select_autoescape


def environment() -> Environment:
    """A new environment reading ``aatd_kg/web/templates`` with autoescape on."""
    return Environment(
        loader=PackageLoader("aatd_kg.web", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_html(env: Environment, template: str, context: Mapping[str, Any]) -> bytes:
    """Render *template* with *context* to UTF-8 bytes."""
    return env.get_template(template).render(**context).encode("utf-8")


def render(
    env: Environment,
    template: str,
    context: Mapping[str, Any],
    *,
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
) -> HTMLResponse:
    """Render *template* with *context* into an HTML response."""
    body = env.get_template(template).render(**context)
    return HTMLResponse(body, status_code=status_code, headers=dict(headers or {}))
