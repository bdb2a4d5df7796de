"""Refusals of raster input, each with a message code (rendered by the service in the user's language)."""

from __future__ import annotations

from typing import Any


class RasterRefused(ValueError):
    """A raster that cannot be accepted: `code` names why (e.g. `raster_not_georeferenced`), `params` the facts."""

    def __init__(self, code: str, params: dict[str, Any] | None = None):
        super().__init__(f"{code}: {params or {}}")
        self.code = code
        self.params = params or {}
