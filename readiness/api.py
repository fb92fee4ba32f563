"""The read-only JSON API, served by the app's own routes (app.py): every named query, the data
version and health. Being built (issue 12)."""

from __future__ import annotations


def routes() -> list:
    """The API's Starlette routes."""
    return []
