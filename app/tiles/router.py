from __future__ import annotations

from functools import partial
from typing import Annotated, Any

import psycopg
from fastapi import APIRouter, Header, Path, Query, Request, Response
from pydantic import Field
from starlette.concurrency import run_in_threadpool

from app.accounts.deps import SignedIn
from app.accounts.lean import Reader, ReaderDep, SignedInRead
from app.accounts.scope import pond_scope_sql
from app.accounts.service import Actor
from app.enums import PondStatus
from app.errors import NotFound
from app.ponds.service import PondFilter
from app.responses import POND_READ
from app.tiles import service
from app.tiles.cache import response_cache
from app.tiles.schemas import TileJSON

router = APIRouter(prefix="/tiles", tags=["tiles"], responses=POND_READ)
MVT = "application/vnd.mapbox-vector-tile"


_cache = response_cache  # one cache for tiles and OGC item pages (tests clear it)


def _layer(collection: str) -> service.Layer:
    layer = service.LAYERS.get(collection)
    if layer is None:
        raise NotFound("not_found", {"what_code": "tile_collection", "id": collection})
    return layer


@router.get(
    "/{collection}.json", response_model=TileJSON, summary="TileJSON 3.0 of a tile collection (ponds, elements)"
)
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
async def tile(
    collection: str,
    actor: SignedInRead,
    read: ReaderDep,
    z: Annotated[int, Path(ge=0, le=service.MAX_ZOOM)],
    x: Annotated[int, Path(ge=0)],
    y: Annotated[int, Path(ge=0)],
    if_none_match: Annotated[str | None, Header()] = None,
    county: Annotated[list[int] | None, Query(description="ponds layer: county adcodes")] = None,
    level: Annotated[list[Annotated[int, Field(ge=1, le=3)]] | None, Query(description="ponds layer: levels")] = None,
    status: Annotated[list[PondStatus] | None, Query(description="ponds layer: statuses")] = None,
    text: Annotated[str | None, Query(max_length=100, description="ponds layer: part of name or code")] = None,
) -> Response:
    """The lean read path (app.accounts.lean): one crossing into the thread pool, one statement when the
    tile is cached (session re-check and data versions), two when it is made."""
    layer = _layer(collection)
    if x >= 2**z or y >= 2**z:
        raise NotFound("not_found", {"what_code": "tile", "id": f"{z}/{x}/{y}"})
    scope = pond_scope_sql(actor)
    if layer.name == "ponds" and (county or level or status or text):  # the overview's filters
        where, params = PondFilter(
            county=county, level=level, status=[s.value for s in status] if status else None, text=text or None
        ).where()
        scope = (f"({scope[0]}) AND ({where})", {**scope[1], **params})
    return await run_in_threadpool(read.run, partial(_tile, actor, layer, z, x, y, scope, if_none_match))


# private: tiles depend on who asks. A client may reuse a tile for a minute, then revalidates; the ETag
# changes with the layer's data version, which any change to ponds or elements bumps.
_HEADERS = {"Cache-Control": "private, max-age=60", "Vary": "Authorization, Cookie"}


def _tile(
    actor: Actor,
    layer: service.Layer,
    z: int,
    x: int,
    y: int,
    scope: service.Scope,
    if_none_match: str | None,
    conn: psycopg.Connection,
) -> Response:
    version = Reader.check(conn, actor).get(layer.name, 0)
    tag = service.etag(layer, version, scope, z, x, y)
    if if_none_match and tag in (v.strip() for v in if_none_match.split(",")):
        return Response(status_code=304, headers={**_HEADERS, "ETag": tag})
    cache = _cache()
    if cache and (body := cache.get(tag)) is not None:
        return Response(body, media_type=MVT, headers={**_HEADERS, "ETag": tag, "X-Tile-Cache": "hit"})
    body, version = service.tile(conn, layer, z, x, y, scope)  # one statement: tile and version
    tag = service.etag(layer, version, scope, z, x, y)
    if cache:
        cache.put(tag, body)
    return Response(body, media_type=MVT, headers={**_HEADERS, "ETag": tag})
