"""Route registration shared by the routers: GET with the same answer for HEAD."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import APIRouter

EndpointT = TypeVar("EndpointT", bound=Callable[..., Any])


def get_and_head(api: APIRouter, path: str, **kwargs: Any) -> Callable[[EndpointT], EndpointT]:
    """Register an endpoint for GET (documented) and HEAD (same answer, not in OpenAPI twice)."""

    def register(endpoint: EndpointT) -> EndpointT:
        api.add_api_route(path, endpoint, methods=["GET"], **kwargs)
        api.add_api_route(path, endpoint, methods=["HEAD"], include_in_schema=False, **kwargs)
        return endpoint

    return register
