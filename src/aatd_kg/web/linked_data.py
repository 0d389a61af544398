"""Placeholder: linked-data routes (entities, pages, downloads, landing); replaced by its owner."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter


def router(settings: Any, store: Any) -> APIRouter:
    """Routes for dereferenceable IRIs, pages and downloads."""
    return APIRouter()
