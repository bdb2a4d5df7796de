"""The error body every route answers with (app.handlers), declared once for the OpenAPI description.

Routes say which error statuses they can answer with `responses=errors(401, 404, ...)`; the body is always
`{"error": {"code", "message", "problems": [{"field", "code", "message"}]}}` in the user's language.
"""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse, Response
from geojson_pydantic import Feature, FeatureCollection
from geojson_pydantic.geometries import Geometry
from pydantic import BaseModel, Field

from app.files import content_disposition


class Problem(BaseModel):
    field: str = Field(description="Where: a dotted path (query.bbox, body.properties.name, row 3 ...)")
    code: str = Field(description="Why, as a message code")
    message: str = Field(description="Why, in the user's language")


class ErrorDetail(BaseModel):
    code: str = Field(description="The message code (stable; for programs)")
    message: str = Field(description="The message in the user's language (Accept-Language, or ?lang)")
    problems: list[Problem] = Field(default_factory=list)


class ErrorBody(BaseModel):
    error: ErrorDetail


DESCRIPTIONS: dict[int, str] = {
    304: "Not modified (the ETag in If-None-Match is current)",
    400: "A query parameter this service does not know, or a value it does not support",
    401: "Not signed in, or the token expired or was revoked",
    403: "Signed in, but the role or scope does not allow it",
    404: "No such thing in your scope",
    409: "Conflict: edited by someone else since (stale version), or not possible in the current state",
    413: "The upload is larger than allowed",
    422: "The request is invalid: each problem names its field and reason",
    428: "If-Match (the version edited) is required",
    429: "Too many attempts; Retry-After says when to try again",
    503: "Not ready",
}


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The `responses=` of a route that can answer with these error statuses (304: no body)."""
    out: dict[int | str, dict[str, Any]] = {}
    for status in statuses:
        if status == 304:
            out[status] = {"description": DESCRIPTIONS[status]}
        else:
            out[status] = {"model": ErrorBody, "description": DESCRIPTIONS[status]}
    return out


# What nearly every API route can answer: not signed in, no such pond (or not yours), an invalid request.
SIGNED_IN = errors(401, 422)
POND_READ = errors(401, 403, 404, 422)
# A write: also a body the service refuses as a whole (400), a stale version or a state that does not allow it
# (409), a missing If-Match (428).
POND_WRITE = errors(400, 401, 403, 404, 409, 422, 428)


def media(*types: str, description: str = "The file") -> dict[int | str, dict[str, Any]]:
    """A 200 that is a file, page or tile of these media types (not JSON)."""
    return {200: {"content": {t: {} for t in types}, "description": description}}


class GeoJSONResponse(JSONResponse):
    """`application/geo+json`: declared as the response class of GeoJSON routes, so that their OpenAPI
    description puts the schema (geojson-pydantic) under that media type."""

    media_type = "application/geo+json"


def geojson(model: Any, description: str = "GeoJSON (CGCS2000 lon/lat, EPSG:4490)") -> dict[int | str, dict[str, Any]]:
    return {200: {"model": model, "description": description}}


FeatureCollectionOut = FeatureCollection[Feature[Geometry | None, dict[str, Any] | None]]  # type: ignore[misc]
FeatureOut = Feature[Geometry | None, dict[str, Any] | None]  # type: ignore[misc]


class ReferenceLayers(BaseModel):
    """The map's reference layers, each a GeoJSON FeatureCollection."""

    districts: FeatureCollectionOut
    rivers: FeatureCollectionOut
    priority_buffers: FeatureCollectionOut


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def attachment(filename: str, body: bytes, media_type: str) -> Response:
    """A file to download, named in the user's language (RFC 6266 with the UTF-8 name)."""
    return Response(body, media_type=media_type, headers={"Content-Disposition": content_disposition(filename)})
