"""Placeholder: eligibility routes; replaced by its owner."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter


def router(settings: Any, store: Any) -> APIRouter:
    """Routes of the augmentation-therapy eligibility check."""
    return APIRouter()
