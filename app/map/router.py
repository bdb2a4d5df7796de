"""The map pages (city overview at `/`, pond map at `/ponds/{id}`) and the GeoJSON they draw."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from app import registry
from app.accounts.deps import PagePondReader, PageUser, PondReader, SignedIn
from app.accounts.scope import EDITORS, pond_scope_sql
from app.compliance.service import check_pond
from app.config import get_settings
from app.db import SessionDep
from app.deps import request_language
from app.elements.service import feature_collection_json
from app.i18n import MESSAGES, Lang
from app.map import service
from app.ponds.service import get_pond
from app.responses import POND_READ, SIGNED_IN, FeatureCollectionOut, GeoJSONResponse, ReferenceLayers, geojson
from app.web.shell import js_strings, map_page

router = APIRouter()
CITY_CENTER, CITY_ZOOM = (26.62, 101.72), 9

# Messages the page scripts need, in the page's language.
JS_MESSAGES = [
    k for k in MESSAGES if k.startswith(("status_", "src_", "rs_", "layer_", "level_", "imagery_", "job_"))
] + [
    "open_pond",
    "legend",
    "shown_of",
    "one_map_complete",
    "one_map_incomplete",
    "priority_zone",
    "pending_review",
    "source",
    "captured_at",
    "accuracy",
    "review_state",
    "rules",
    "attributes",
    "pass",
    "fail",
    "not_applicable",
    "load_failed",
    "no_data",
    "county",
    "level",
    "status",
    "code",
    "element_count",
    "illustrative_notice",
    "search_more",
]


def _strings(lang: Lang) -> dict[str, str]:
    return js_strings(JS_MESSAGES, lang)


@router.get("/", include_in_schema=False)
def overview(request: Request, session: SessionDep, actor: PageUser) -> HTMLResponse:
    lang = request_language(request)
    scope = pond_scope_sql(actor)
    in_scope = service.ponds_in_scope(session, scope)
    data: dict[str, Any] = {
        "lang": lang,
        "strings": _strings(lang),
        "map": "map_onemap",
        "layer_control": "layer_control_onemap",
        "reference_url": "/api/map/reference",
        "total": in_scope,
    }
    if in_scope > get_settings().overview_geojson_max:
        # Too many for one GeoJSON: ponds come as vector tiles, filtered and counted by the server.
        data.update(ponds=None, tiles={"url": "/tiles/ponds/{z}/{x}/{y}.pbf", "search_url": "/api/ponds"})
        features = []
    else:
        data["ponds"] = json.loads(service.ponds_geojson(session, scope))
        features = data["ponds"]["features"]
    counties = service.counties(session)
    return map_page(
        request,
        "overview.html",
        "onemap",
        CITY_CENTER,
        CITY_ZOOM,
        actor=actor,
        ponds=features,
        counties=counties,
        page_data=data,
        tile_mode="tiles" in data,
        total=in_scope,
    )


@router.get("/ponds/{pond_id}", include_in_schema=False)
def pond_page(pond_id: int, request: Request, session: SessionDep, actor: PagePondReader) -> HTMLResponse:
    lang = request_language(request)
    pond = get_pond(session, pond_id)
    cat = registry.catalogue()
    data = {
        "lang": lang,
        "strings": _strings(lang),
        "map": "map_pond",
        "layer_control": "layer_control_pond",
        "pond": pond,
        "elements": json.loads(feature_collection_json(session, pond_id)),
        "catalogue": [ty.model_dump() for ty in cat.types],
        "compliance": check_pond(session, pond_id, lang),
        "surroundings_url": f"/api/ponds/{pond_id}/surroundings",
        "imagery": {
            "images_url": f"/api/ponds/{pond_id}/imagery",
            "areas_url": f"/api/ponds/{pond_id}/imagery/areas",
            "derived_url": f"/api/ponds/{pond_id}/imagery/derived",
        },
    }
    lon, lat = pond["location"]
    can_derive = actor.role in EDITORS
    from app.monitoring.service import pond_monitoring

    wells = [w for w in pond_monitoring(session, pond_id, lang)["wells"] if w["results"]]
    return map_page(
        request,
        "pond.html",
        "pond",
        (lat, lon),
        15,
        actor=actor,
        pond=pond,
        page_data=data,
        can_derive=can_derive,
        charted_wells=wells,
    )


@router.get(
    "/api/map/ponds",
    tags=["map"],
    response_class=GeoJSONResponse,
    responses={**SIGNED_IN, **geojson(FeatureCollectionOut)},
    summary="Ponds in scope as GeoJSON, with what the overview styles by",
)
def map_ponds(session: SessionDep, actor: SignedIn) -> Response:
    return Response(service.ponds_geojson(session, pond_scope_sql(actor)), media_type="application/geo+json")


@router.get(
    "/api/map/reference",
    tags=["map"],
    responses={**SIGNED_IN, 200: {"model": ReferenceLayers, "description": "GeoJSON layers (EPSG:4490)"}},
    summary="Districts, rivers and priority-zone buffers",
)
def map_reference(session: SessionDep, actor: SignedIn) -> Response:
    return Response(
        service.reference_geojson(session),
        media_type="application/json",
        headers={"Cache-Control": "private, max-age=300"},
    )


@router.get(
    "/api/ponds/{pond_id}/surroundings",
    tags=["map"],
    response_class=GeoJSONResponse,
    responses={**POND_READ, **geojson(FeatureCollectionOut)},
    summary="Sensitive targets within 5 km of the pond, with their distance in metres",
)
def surroundings(pond_id: int, session: SessionDep, actor: PondReader) -> Response:
    return Response(service.surroundings_geojson(session, pond_id), media_type="application/geo+json")
