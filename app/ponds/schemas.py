"""Response bodies of the pond routes (what the OpenAPI description promises and the fuzz tests check)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class _Out(BaseModel):
    # the fields named here are promised; a response may carry more (documented in the route's summary)
    model_config = ConfigDict(extra="allow")


class County(_Out):
    adcode: int
    name: str
    name_en: str | None = None


class OneMap(_Out):
    types_present: list[str]
    types_missing: list[str]
    complete: bool
    types_total: int


class PondOut(_Out):
    id: int
    code: str
    name: str
    county: County
    supervision_level: int | None
    status: str
    location: list[float]
    one_map: OneMap
    version: int


class PondPage(_Out):
    total: int
    limit: int
    offset: int
    summary: dict[str, Any]
    items: list[PondOut]
