"""TileJSON 3.0 (https://github.com/mapbox/tilejson-spec/tree/master/3.0.0), the part we answer."""

from __future__ import annotations

from pydantic import BaseModel


class VectorLayer(BaseModel):
    id: str
    fields: dict[str, str]
    minzoom: int
    maxzoom: int


class TileJSON(BaseModel):
    tilejson: str
    name: str
    scheme: str
    tiles: list[str]
    minzoom: int
    maxzoom: int
    vector_layers: list[VectorLayer]
