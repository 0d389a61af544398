"""The SPARQL 1.1 Protocol endpoint at ``/sparql`` (first cut: filled in by the next commit)."""

from __future__ import annotations

from fastapi import APIRouter

from aatd_kg.settings import Settings
from aatd_kg.store.base import Store


def router(settings: Settings, store: Store) -> APIRouter:
    """Routes of the SPARQL endpoint."""
    return APIRouter()
