from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Query, Request, Response
from pydantic import Field

from app.accounts.deps import SignedIn
from app.accounts.scope import pond_scope_sql
from app.config import get_settings
from app.db import SessionDep
from app.enums import PondStatus
from app.errors import NotFound
from app.ponds.service import PondFilter
from app.tiles import service
from app.tiles.cache import TileCache

router = APIRouter(prefix="/tiles", tags=["tiles"])
MVT = "application/vnd.mapbox-vector-tile"


@lru_cache
def _cache() -> TileCache | None:
    megabytes = get_settings().tile_cache_mb
    return TileCache(int(megabytes * 2**20)) if megabytes > 0 else None


def _layer(collection: str) -> service.Layer:
    layer = service.LAYERS.get(collection)
    if layer is None:
        raise NotFound("not_found", {"what_code": "tile_collection", "id": collection})
    return layer


@router.get("/{collection}.json", summary="TileJSON 3.0 of a tile collection (ponds, elements)")
def tilejson(collection: str, request: Request, actor: SignedIn) -> dict[str, Any]:
    layer = _layer(collection)
    base = str(request.base_url).rstrip("/")
    return {
        "tilejson": "3.0.0",
        "name": layer.name,
        "scheme": "xyz",
        "tiles": [f"{base}/tiles/{layer.name}/{{z}}/{{x}}/{{y}}.pbf"],
        "minzoom": layer.min_zoom,
        "maxzoom": service.MAX_ZOOM,
        "vector_layers": [
            {"id": layer.name, "fields": layer.fields, "minzoom": layer.min_zoom, "maxzoom": service.MAX_ZOOM}
        ],
    }


@router.get(
    "/{collection}/{z}/{x}/{y}.pbf",
    summary="A vector tile (MVT) of ponds or elements in your scope",
    response_class=Response,
    responses={200: {"content": {MVT: {}}}, 304: {"description": "unchanged"}},
)
def tile(
    collection: str,
    session: SessionDep,
    actor: SignedIn,
    z: Annotated[int, Path(ge=0, le=service.MAX_ZOOM)],
    x: Annotated[int, Path(ge=0)],
    y: Annotated[int, Path(ge=0)],
    if_none_match: Annotated[str | None, Header()] = None,
    county: Annotated[list[int] | None, Query(description="ponds layer: county adcodes")] = None,
    level: Annotated[list[Annotated[int, Field(ge=1, le=3)]] | None, Query(description="ponds layer: levels")] = None,
    status: Annotated[list[PondStatus] | None, Query(description="ponds layer: statuses")] = None,
    text: Annotated[str | None, Query(max_length=100, description="ponds layer: part of name or code")] = None,
) -> Response:
    layer = _layer(collection)
    if x >= 2**z or y >= 2**z:
        raise NotFound("not_found", {"what_code": "tile", "id": f"{z}/{x}/{y}"})
    scope = pond_scope_sql(actor)
    if layer.name == "ponds":  # the overview's filters, applied where the tiles are made
        where, params = PondFilter(
            county=county, level=level, status=[s.value for s in status] if status else None, text=text or None
        ).where()
        scope = (f"({scope[0]}) AND ({where})", {**scope[1], **params})
    # private: tiles depend on who asks. A client may reuse a tile for a minute, then revalidates; the
    # ETag changes with the layer's data version, which any change to ponds or elements bumps.
    headers = {"Cache-Control": "private, max-age=60", "Vary": "Authorization, Cookie"}
    cache = _cache()
    if if_none_match or cache:
        tag = service.etag(layer, service.data_version(session, layer), scope, z, x, y)
        if if_none_match and tag in (v.strip() for v in if_none_match.split(",")):
            return Response(status_code=304, headers={**headers, "ETag": tag})
        if cache and (body := cache.get(tag)) is not None:
            return Response(body, media_type=MVT, headers={**headers, "ETag": tag, "X-Tile-Cache": "hit"})
    body, version = service.tile(session, layer, z, x, y, scope)  # one statement: tile and version
    tag = service.etag(layer, version, scope, z, x, y)
    if cache:
        cache.put(tag, body)
    return Response(body, media_type=MVT, headers={**headers, "ETag": tag})
