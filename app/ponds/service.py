"""Ponds: listing with filters and a summary of the filtered set, and one pond with its completeness."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from app import registry
from app.errors import NotFound

# Columns of a pond in every response; area in hectares on the spheroid.
_POND_COLUMNS = """
  p.id, p.code, p.name, p.name_en, p.supervision_level, p.status, p.stopped_since, p.ownerless,
  p.safety_grade, p.dam_type, p.storage, p.ore_type, p.design_volume_10k_m3, p.current_volume_10k_m3,
  p.dam_height_m, p.illustrative, p.version, p.updated_at,
  p.enterprise_id, en.name AS enterprise_name, en.credit_code AS enterprise_credit_code,
  p.county_adcode, d.name AS county_name, d.name_en AS county_name_en,
  ST_X(p.location) AS lon, ST_Y(p.location) AS lat,
  CASE WHEN p.boundary IS NOT NULL THEN round((ST_Area(p.boundary::geography) / 10000)::numeric, 2) END AS area_ha,
  CASE WHEN p.boundary IS NOT NULL THEN ARRAY[ST_XMin(p.boundary), ST_YMin(p.boundary),
                                              ST_XMax(p.boundary), ST_YMax(p.boundary)] END AS bbox,
  coalesce(t.types, '{}') AS types_present
"""

# The element types drawn for each pond (one row per pond, computed with the pond).
_TYPES_JOIN = """
LEFT JOIN enterprises en ON en.id = p.enterprise_id
LEFT JOIN districts d ON d.adcode = p.county_adcode
LEFT JOIN LATERAL (SELECT array_agg(DISTINCT e.type::text ORDER BY e.type::text) AS types
                   FROM elements e WHERE e.pond_id = p.id) t ON true
"""


@dataclass(frozen=True)
class PondFilter:
    county: list[int] | None = None
    level: list[int] | None = None
    status: list[str] | None = None
    text: str | None = None
    bbox: tuple[float, float, float, float] | None = None
    one_map: bool | None = None

    def where(self) -> tuple[str, dict[str, Any]]:
        clauses, params = ["true"], {}
        if self.county:
            clauses.append("p.county_adcode = ANY(:county)")
            params["county"] = self.county
        if self.level:
            clauses.append("p.supervision_level = ANY(:level)")
            params["level"] = self.level
        if self.status:
            clauses.append("p.status = ANY(:status)")
            params["status"] = self.status
        if self.text:
            escaped = self.text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            clauses.append("(p.name ILIKE :text OR p.code ILIKE :text OR p.name_en ILIKE :text OR en.name ILIKE :text)")
            params["text"] = f"%{escaped}%"
        if self.bbox:
            clauses.append(
                "coalesce(p.boundary, p.location) && ST_MakeEnvelope(:x0, :y0, :x1, :y1, 4490) "
                "AND ST_Intersects(coalesce(p.boundary, p.location), "
                "ST_MakeEnvelope(:x0, :y0, :x1, :y1, 4490))"
            )
            params.update(zip(("x0", "y0", "x1", "y1"), self.bbox, strict=True))
        if self.one_map is not None:
            types = list(registry.catalogue().type_codes)
            clauses.append(("" if self.one_map else "NOT ") + "(coalesce(t.types, '{}') @> CAST(:all_types AS text[]))")
            params["all_types"] = types
        return " AND ".join(clauses), params


def _completeness(types_present: list[str]) -> dict[str, Any]:
    codes = registry.catalogue().type_codes
    present = [c for c in codes if c in types_present]
    return {
        "types_present": present,
        "types_missing": [c for c in codes if c not in types_present],
        "complete": len(present) == len(codes),
        "types_total": len(codes),
    }


def _pond(row: Any) -> dict[str, Any]:
    r = dict(row._mapping)
    types = r.pop("types_present")
    lon, lat = r.pop("lon"), r.pop("lat")
    return {
        "id": r["id"],
        "code": r["code"],
        "name": r["name"],
        "name_en": r["name_en"],
        "enterprise": {
            "id": r["enterprise_id"],
            "name": r["enterprise_name"],
            "credit_code": r["enterprise_credit_code"],
        }
        if r["enterprise_id"]
        else None,
        "county": {"adcode": r["county_adcode"], "name": r["county_name"], "name_en": r["county_name_en"]},
        "supervision_level": r["supervision_level"],
        "status": r["status"],
        "stopped_since": r["stopped_since"],
        "ownerless": r["ownerless"],
        "safety_grade": r["safety_grade"],
        "dam_type": r["dam_type"],
        "storage": r["storage"],
        "ore_type": r["ore_type"],
        "design_volume_10k_m3": r["design_volume_10k_m3"],
        "current_volume_10k_m3": r["current_volume_10k_m3"],
        "dam_height_m": r["dam_height_m"],
        "location": [round(lon, 7), round(lat, 7)],
        "bbox": [round(v, 7) for v in r["bbox"]] if r["bbox"] else None,
        "area_ha": float(r["area_ha"]) if r["area_ha"] is not None else None,
        "one_map": _completeness(types),
        "illustrative": r["illustrative"],
        "version": r["version"],
        "updated_at": r["updated_at"],
    }


def list_ponds(
    session: Session, f: PondFilter, limit: int, offset: int, scope: tuple[str, dict[str, Any]] = ("true", {})
) -> dict[str, Any]:
    """Ponds matching the filter within `scope` (a condition from accounts.scope), one page, with counts."""
    where, params = f.where()
    where = f"({where}) AND ({scope[0]})"
    params = {**params, **scope[1]}
    base = f"FROM ponds p {_TYPES_JOIN} WHERE {where}"
    rows = session.execute(
        text(f"SELECT {_POND_COLUMNS} {base} ORDER BY p.code LIMIT :limit OFFSET :offset"),
        {**params, "limit": limit, "offset": offset},
    ).all()
    # Counts of the whole filtered set (not just this page), so a map legend can follow the filter.
    groups = session.execute(
        text(f"""
        SELECT GROUPING(p.supervision_level) AS g_level, GROUPING(p.status) AS g_status,
               GROUPING(p.county_adcode) AS g_county, p.supervision_level, p.status, p.county_adcode,
               count(*) AS n,
               count(*) FILTER (WHERE coalesce(t.types, '{{}}') @> CAST(:all_types AS text[])) AS complete
        {base}
        GROUP BY GROUPING SETS ((p.supervision_level), (p.status), (p.county_adcode), ())"""),
        {**params, "all_types": list(registry.catalogue().type_codes)},
    ).all()
    summary: dict[str, Any] = {"by_level": {}, "by_status": {}, "by_county": {}, "one_map_complete": 0}
    total = 0
    for g in groups:
        if not g.g_level:
            summary["by_level"][str(g.supervision_level)] = g.n
        elif not g.g_status:
            summary["by_status"][g.status] = g.n
        elif not g.g_county:
            summary["by_county"][str(g.county_adcode)] = g.n
        else:
            total, summary["one_map_complete"] = g.n, g.complete
    return {"total": total, "limit": limit, "offset": offset, "summary": summary, "items": [_pond(r) for r in rows]}


def get_pond(session: Session, pond_id: int) -> dict[str, Any]:
    row = session.execute(
        text(f"""SELECT {_POND_COLUMNS}, ST_AsGeoJSON(p.boundary, 7, 0) AS boundary_json,
                 ST_AsGeoJSON(p.dam_crest, 7, 0) AS dam_crest_json,
                 CASE WHEN p.dam_crest IS NOT NULL THEN round(ST_Length(p.dam_crest::geography)::numeric, 1)
                 END AS dam_crest_length_m
                 FROM ponds p {_TYPES_JOIN} WHERE p.id = :id"""),
        {"id": pond_id},
    ).one_or_none()
    if row is None:
        raise NotFound("not_found", {"what_code": "pond", "id": pond_id})
    m = row._mapping
    pond = _pond(row)
    counts = dict(
        session.execute(
            text("SELECT type, count(*) FROM elements WHERE pond_id = :id GROUP BY type"), {"id": pond_id}
        ).all()
    )
    field_checked = {
        r[0]
        for r in session.execute(
            text("SELECT DISTINCT type FROM elements WHERE pond_id = :id AND source = 'field'"), {"id": pond_id}
        )
    }
    pond["element_counts"] = {code: counts.get(code, 0) for code in registry.catalogue().type_codes}
    pond["one_map"]["field_checked"] = sorted(field_checked)
    pond["boundary"] = json.loads(m["boundary_json"]) if m["boundary_json"] else None
    pond["dam_crest"] = json.loads(m["dam_crest_json"]) if m["dam_crest_json"] else None
    pond["dam_crest_length_m"] = float(m["dam_crest_length_m"]) if m["dam_crest_length_m"] is not None else None
    return pond
