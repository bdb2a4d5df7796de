from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Response
from fastapi.responses import JSONResponse

from app.accounts.deps import PondEditor, PondReader
from app.db import SessionDep
from app.deps import ExpectedVersion, LangQuery, OptionalVersion
from app.elements import service
from app.errors import PreconditionRequired
from app.responses import POND_READ, POND_WRITE

router = APIRouter(prefix="/api/ponds/{pond_id}/elements", tags=["elements"], responses=POND_READ)

# A well just below the dam of the sample pond PZH-TP-001 (磨刀沟), within the distance a write allows.
FEATURE_EXAMPLE = {
    "type": "Feature",
    "geometry": {"type": "Point", "coordinates": [101.6866, 26.5728]},
    "properties": {
        "kind": "monitoring_well",
        "name": "下游监控井 MW-3",
        "source": "field",
        "captured_at": "2026-05-10",
        "accuracy_m": 0.05,
        "attributes": {"role": "monitoring", "depth_m": 30},
    },
}
FeatureBody = Annotated[
    dict[str, Any],
    Body(examples=[FEATURE_EXAMPLE], description="A GeoJSON Feature; properties.kind from the catalogue"),
]


def _feature_response(feature: dict[str, Any], status_code: int = 200) -> JSONResponse:
    return JSONResponse(feature, status_code=status_code, headers={"ETag": f'"{feature["properties"]["version"]}"'})


def _expected_version(if_match: int | None, feature: Any) -> int:
    """If-Match, or else the body's properties.version (a GeoJSON client may carry it there)."""
    if if_match is not None:
        return if_match
    version = (feature.get("properties") or {}).get("version") if isinstance(feature, dict) else None
    if isinstance(version, int) and not isinstance(version, bool):
        return version
    raise PreconditionRequired("if_match_required")


@router.get(
    "",
    summary="The pond's elements as a GeoJSON FeatureCollection",
    response_description="GeoJSON FeatureCollection (CGCS2000 lon/lat, EPSG:4490)",
)
def list_elements(
    pond_id: int,
    actor: PondReader,
    session: SessionDep,
    type: Annotated[str | None, Query(description="Element type code, e.g. groundwater")] = None,
    lang: LangQuery = None,
) -> Response:
    body = service.feature_collection_json(session, pond_id, type)
    return Response(body, media_type="application/geo+json")


@router.post("", status_code=201, summary="Add an element", responses=POND_WRITE)
def create_element(
    pond_id: int, actor: PondEditor, feature: FeatureBody, session: SessionDep, lang: LangQuery = None
) -> JSONResponse:
    created = service.create(session, pond_id, service.as_sent_by(actor.role, feature))
    session.commit()
    return _feature_response(created, 201)


@router.get("/{element_id}", summary="One element as a GeoJSON Feature, with its version as ETag")
def get_element(
    pond_id: int, actor: PondReader, element_id: int, session: SessionDep, lang: LangQuery = None
) -> JSONResponse:
    return _feature_response(service.get_feature(session, element_id, pond_id))


@router.put(
    "/{element_id}",
    summary="Replace an element; needs If-Match (or properties.version); stale: 409",
    responses=POND_WRITE,
)
def update_element(
    pond_id: int,
    actor: PondEditor,
    element_id: int,
    feature: FeatureBody,
    session: SessionDep,
    if_match: OptionalVersion = None,
    lang: LangQuery = None,
) -> JSONResponse:
    expected = _expected_version(if_match, feature)
    updated = service.update(session, pond_id, element_id, service.as_sent_by(actor.role, feature), expected)
    session.commit()
    return _feature_response(updated)


@router.delete(
    "/{element_id}",
    status_code=204,
    summary="Delete an element; needs If-Match; its history stays",
    responses=POND_WRITE,
)
def delete_element(
    pond_id: int,
    actor: PondEditor,
    element_id: int,
    session: SessionDep,
    expected: ExpectedVersion,
    lang: LangQuery = None,
) -> Response:
    service.delete(session, pond_id, element_id, expected)
    session.commit()
    return Response(status_code=204)


@router.get("/{element_id}/revisions", summary="Every state of the element, with who, when, source and shift")
def element_revisions(
    pond_id: int, actor: PondReader, element_id: int, session: SessionDep, lang: LangQuery = None
) -> list[dict[str, Any]]:
    return service.revisions(session, pond_id, element_id)
