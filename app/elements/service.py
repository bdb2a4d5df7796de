"""Elements: validation against the catalogue and the region, optimistic versioning, GeoJSON out of PostGIS."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from shapely import Geometry
from sqlalchemy import text
from sqlalchemy.orm import Session

from app import registry
from app.enums import GeometrySource, ReviewState, Role
from app.errors import Conflict, FieldProblem, Invalid, NotFound
from app.text import Text
from app.text import problem as text_problem
from gis.crs import STORAGE_SRID
from gis.formats.text import normalise
from gis.geometry import GeometryError, parse_geojson_geometry

# One feature as GeoJSON, built by PostGIS. Lengths and areas in metres on the spheroid.
ELEMENT_NAME = Text("field_element_name", 200, single_line=True)
_FEATURE_SQL = """
json_build_object(
  'type', 'Feature',
  'id', e.id,
  'geometry', ST_AsGeoJSON(e.geom, 7, 0)::json,
  'properties', json_build_object(
    'pond_id', e.pond_id, 'type', e.type, 'kind', e.kind, 'name', e.name, 'attributes', e.attributes,
    'source', e.source, 'captured_at', e.captured_at, 'accuracy_m', e.accuracy_m,
    'review_state', e.review_state, 'version', e.version, 'updated_at', e.updated_at,
    'length_m', CASE WHEN GeometryType(e.geom) IN ('LINESTRING', 'MULTILINESTRING')
                     THEN round(ST_Length(e.geom::geography)::numeric, 2) END,
    'area_m2', CASE WHEN GeometryType(e.geom) IN ('POLYGON', 'MULTIPOLYGON')
                    THEN round(ST_Area(e.geom::geography)::numeric, 1) END
  )
)"""


def feature_collection_json(session: Session, pond_id: int, type_code: str | None = None) -> str:
    """The pond's elements as a GeoJSON FeatureCollection, serialised by PostGIS in one query."""
    row = session.execute(
        text(f"""
        SELECT p.illustrative,
               coalesce(json_agg({_FEATURE_SQL} ORDER BY e.type, e.kind, e.id)
                        FILTER (WHERE e.id IS NOT NULL), '[]'::json)::text
        FROM ponds p
        LEFT JOIN elements e ON e.pond_id = p.id AND (CAST(:type AS text) IS NULL OR e.type = :type)
        WHERE p.id = :pond
        GROUP BY p.id"""),
        {"pond": pond_id, "type": type_code},
    ).one_or_none()
    if row is None:
        raise NotFound("not_found", {"what_code": "pond", "id": pond_id})
    illustrative, features = row
    return (
        f'{{"type":"FeatureCollection","pond_id":{pond_id},"illustrative":{json.dumps(illustrative)},'
        f'"features":{features}}}'
    )


def get_feature(session: Session, element_id: int, pond_id: int | None = None) -> dict[str, Any]:
    row = session.execute(
        text(
            f"SELECT {_FEATURE_SQL}::text FROM elements e WHERE e.id = :id "
            "AND (CAST(:pond AS integer) IS NULL OR e.pond_id = :pond)"
        ),
        {"id": element_id, "pond": pond_id},
    ).scalar_one_or_none()
    if row is None:
        raise NotFound("not_found", {"what_code": "element", "id": element_id})
    return json.loads(row)


@dataclass(frozen=True)
class ValidElement:
    type: str
    kind: str
    name: str | None
    geom: Geometry
    attributes: dict[str, Any]
    source: str
    captured_at: dt.date | None
    accuracy_m: float | None
    review_state: str


def validate_feature(feature: Any) -> ValidElement:
    """Check a GeoJSON Feature for an element; every problem found is reported at once, by field."""
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise Invalid("validation_failed", problems=[FieldProblem("type", "feature_expected")])
    props = feature.get("properties")
    if not isinstance(props, dict):
        raise Invalid(
            "validation_failed",
            problems=[
                FieldProblem("properties", "attribute_type", {"label": "properties", "expected_code": "type_object"})
            ],
        )
    problems: list[FieldProblem] = []
    catalogue = registry.catalogue()

    kind_code = props.get("kind")
    kind = catalogue.kinds.get(kind_code) if isinstance(kind_code, str) else None
    if kind is None:
        problems.append(
            FieldProblem("properties.kind", "missing" if kind_code is None else "unknown_kind", {"kind": kind_code})
        )
    type_code = props.get("type")
    if kind is not None and type_code is not None and type_code != kind.type_code:
        problems.append(
            FieldProblem(
                "properties.type",
                "kind_type_mismatch",
                {"kind": kind.code, "expected": kind.type_code, "type": type_code},
            )
        )

    geom = None
    try:
        geom = parse_geojson_geometry(
            feature.get("geometry"),
            kind.geometry
            if kind
            else ("Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon"),
        )
        registry.region().check(geom)
    except GeometryError as exc:
        problems.append(FieldProblem("geometry", exc.code, exc.params))

    if kind is not None:
        problems += kind.check_attributes(props.get("attributes") or {}, "properties.attributes")

    name = props.get("name")
    if name is not None and (not isinstance(name, str) or len(name) > 200):
        problems.append(
            FieldProblem("properties.name", "attribute_type", {"label": "name", "expected_code": "type_string"})
        )
    elif name is not None:
        name, bad = text_problem(name, "properties.name", ELEMENT_NAME)
        problems += [bad] if bad else []
    source = props.get("source", GeometrySource.digitised.value)
    if source not in GeometrySource.__members__:
        problems.append(
            FieldProblem("properties.source", "literal_error", {"expected": ", ".join(GeometrySource.__members__)})
        )
    review_state = props.get("review_state", ReviewState.draft.value)
    if review_state not in ReviewState.__members__:
        problems.append(
            FieldProblem("properties.review_state", "literal_error", {"expected": ", ".join(ReviewState.__members__)})
        )
    captured_at = None
    if props.get("captured_at") is not None:
        try:
            captured_at = dt.date.fromisoformat(str(props["captured_at"]))
        except ValueError:
            problems.append(
                FieldProblem(
                    "properties.captured_at", "attribute_type", {"label": "captured_at", "expected_code": "type_date"}
                )
            )
    accuracy = props.get("accuracy_m")
    if accuracy is not None and (isinstance(accuracy, bool) or not isinstance(accuracy, int | float) or accuracy < 0):
        problems.append(FieldProblem("properties.accuracy_m", "too_small", {"limit": 0}))

    if problems:
        raise Invalid("validation_failed", problems=problems)
    assert kind is not None and geom is not None
    return ValidElement(
        type=kind.type_code,
        kind=kind.code,
        name=name,
        geom=geom,
        attributes={k: normalise(v) if isinstance(v, str) else v for k, v in (props.get("attributes") or {}).items()},
        source=source,
        captured_at=captured_at,
        accuracy_m=accuracy,
        review_state=review_state,
    )


# Used when the rules file has no elements_near_pond entry; the bureau sets it there (layers/rules.yaml).
DEFAULT_REFUSE_BEYOND_M = 5000.0


def refuse_beyond_m() -> float:
    """How far from its pond a geometry may lie before it is refused (the elements_near_pond rule's
    refuse_beyond_m; the rule being switched off as a check does not switch off this input check)."""
    rule = registry.rules().get("elements_near_pond")
    return float(getattr(rule.params, "refuse_beyond_m", DEFAULT_REFUSE_BEYOND_M)) if rule else DEFAULT_REFUSE_BEYOND_M


def too_far_from_pond(session: Session, pond_id: int, geoms: list[Geometry | None]) -> dict[int, float]:
    """{index: distance in metres} of the geometries farther from the pond (its boundary, or its location
    when it has none) than refuse_beyond_m: the one distance check of every write path (element API,
    uploads, later OGC writes). Measured on the spheroid in PostGIS, in one query."""
    wkbs = [(i, g.wkb) for i, g in enumerate(geoms) if g is not None]
    if not wkbs:
        return {}
    limit = refuse_beyond_m()
    rows = session.execute(
        text(f"""SELECT g.i, ST_Distance(ST_GeomFromWKB(g.wkb, {STORAGE_SRID})::geography,
                                         coalesce(p.boundary, p.location)::geography) AS m
                 FROM unnest(CAST(:idx AS int[]), CAST(:wkbs AS bytea[])) AS g(i, wkb)
                 JOIN ponds p ON p.id = :pond"""),
        {"idx": [i for i, _ in wkbs], "wkbs": [w for _, w in wkbs], "pond": pond_id},
    ).all()
    return {int(i): float(m) for i, m in rows if m is not None and m > limit}


def ensure_near_pond(session: Session, pond_id: int, geom: Geometry) -> None:
    """Refuse (422, naming the field) a geometry beyond refuse_beyond_m from the pond."""
    if far := too_far_from_pond(session, pond_id, [geom]):
        params = {"distance_m": round(far[0]), "limit_m": round(refuse_beyond_m())}
        raise Invalid("validation_failed", problems=[FieldProblem("geometry", "element_too_far_from_pond", params)])


def _ensure_pond(session: Session, pond_id: int) -> None:
    if session.execute(text("SELECT 1 FROM ponds WHERE id = :id"), {"id": pond_id}).scalar() is None:
        raise NotFound("not_found", {"what_code": "pond", "id": pond_id})


def _params(v: ValidElement) -> dict[str, Any]:
    return {
        "type": v.type,
        "kind": v.kind,
        "name": v.name,
        "wkb": v.geom.wkb,
        "attributes": json.dumps(v.attributes),
        "source": v.source,
        "captured_at": v.captured_at,
        "accuracy_m": v.accuracy_m,
        "review_state": v.review_state,
    }


def imposed_provenance(role: str) -> tuple[str, str] | None:
    """The one rule for who may say where an element came from: an enterprise's edits and uploads wait for
    the bureau (source `enterprise`, state `submitted`), whatever they were sent with; everyone else's keep
    what they send (None)."""
    if role == Role.enterprise:
        return GeometrySource.enterprise.value, ReviewState.submitted.value
    return None


def as_sent_by(role: str, feature: Any) -> Any:
    """A GeoJSON Feature with the provenance `imposed_provenance` sets for `role`, if it sets one."""
    imposed = imposed_provenance(role)
    if imposed and isinstance(feature, dict) and isinstance(feature.get("properties"), dict):
        source, review_state = imposed
        return {**feature, "properties": {**feature["properties"], "source": source, "review_state": review_state}}
    return feature


def create(session: Session, pond_id: int, feature: Any) -> dict[str, Any]:
    valid = validate_feature(feature)
    _ensure_pond(session, pond_id)
    ensure_near_pond(session, pond_id, valid.geom)
    element_id = session.execute(
        text(f"""
        INSERT INTO elements (pond_id, type, kind, name, geom, attributes, source, captured_at, accuracy_m,
                              review_state)
        VALUES (:pond, :type, :kind, :name, ST_GeomFromWKB(:wkb, {STORAGE_SRID}), CAST(:attributes AS jsonb),
                :source, :captured_at, :accuracy_m, :review_state)
        RETURNING id"""),
        {"pond": pond_id, **_params(valid)},
    ).scalar_one()
    return get_feature(session, element_id)


def _stale_or_missing(session: Session, pond_id: int, element_id: int, expected: int) -> Exception:
    current = session.execute(
        text("SELECT version FROM elements WHERE id = :id AND pond_id = :pond"), {"id": element_id, "pond": pond_id}
    ).scalar_one_or_none()
    if current is None:
        return NotFound("not_found", {"what_code": "element", "id": element_id})
    return Conflict("version_conflict", {"current": current, "given": expected})


def update(session: Session, pond_id: int, element_id: int, feature: Any, expected_version: int) -> dict[str, Any]:
    """Replace an element if it is still at `expected_version`; otherwise 409 and nothing changes."""
    valid = validate_feature(feature)
    ensure_near_pond(session, pond_id, valid.geom)
    updated = session.execute(
        text(f"""
        UPDATE elements SET type = :type, kind = :kind, name = :name, geom = ST_GeomFromWKB(:wkb, {STORAGE_SRID}),
               attributes = CAST(:attributes AS jsonb), source = :source, captured_at = :captured_at,
               accuracy_m = :accuracy_m, review_state = :review_state, version = version + 1, updated_at = now()
        WHERE id = :id AND pond_id = :pond AND version = :expected
        RETURNING id"""),
        {"id": element_id, "pond": pond_id, "expected": expected_version, **_params(valid)},
    ).scalar_one_or_none()
    if updated is None:
        raise _stale_or_missing(session, pond_id, element_id, expected_version)
    return get_feature(session, element_id)


def delete(session: Session, pond_id: int, element_id: int, expected_version: int) -> None:
    deleted = session.execute(
        text("DELETE FROM elements WHERE id = :id AND pond_id = :pond AND version = :expected RETURNING id"),
        {"id": element_id, "pond": pond_id, "expected": expected_version},
    ).scalar_one_or_none()
    if deleted is None:
        raise _stale_or_missing(session, pond_id, element_id, expected_version)


def revisions(session: Session, pond_id: int, element_id: int) -> list[dict[str, Any]]:
    """Every recorded state of an element, oldest first (deleted elements keep their history)."""
    rows = (
        session.execute(
            text("""
        SELECT json_build_object('version', version, 'op', op, 'kind', kind, 'name', name,
               'geometry', ST_AsGeoJSON(geom, 7, 0)::json, 'attributes', attributes, 'source', source,
               'captured_at', captured_at, 'accuracy_m', accuracy_m, 'review_state', review_state,
               'geometry_changed', geometry_changed, 'shift_m', round(shift_m::numeric, 3),
               'changed_by', changed_by, 'changed_at', changed_at)::text
        FROM element_revisions WHERE element_id = :id AND pond_id = :pond ORDER BY id"""),
            {"id": element_id, "pond": pond_id},
        )
        .scalars()
        .all()
    )
    if not rows:
        raise NotFound("not_found", {"what_code": "element", "id": element_id})
    return [json.loads(r) for r in rows]
