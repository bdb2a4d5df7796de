"""GeoJSON for the maps, built by PostGIS in one query each and filtered by the caller's scope."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from app.compliance.flags import ONE_MAP_COMPLETE_SQL, PRIORITY_ZONE_SQL, buffer_params, flag_params


def ponds_in_scope(session: Session, scope: tuple[str, dict[str, Any]]) -> int:
    clause, params = scope
    return session.execute(text(f"SELECT count(*) FROM ponds p WHERE {clause}"), params).scalar_one()


def counties(session: Session) -> list[Any]:
    """The districts (adcode, name, name_en) the overview filters by."""
    return list(session.execute(text("SELECT adcode, name, name_en FROM districts ORDER BY adcode")).mappings())


def ponds_geojson(session: Session, scope: tuple[str, dict[str, Any]]) -> str:
    """Ponds in scope: boundary (or location) with what the overview styles, filters and counts by."""
    clause, params = scope
    return session.execute(
        text(f"""
        WITH p AS (
          SELECT p.*, d.name AS county_name, d.name_en AS county_name_en,
                 {ONE_MAP_COMPLETE_SQL} AS one_map_complete,
                 {PRIORITY_ZONE_SQL} AS priority_zone
          FROM ponds p JOIN districts d ON d.adcode = p.county_adcode
          WHERE {clause})
        SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
          'type', 'Feature', 'id', p.id,
          'geometry', ST_AsGeoJSON(coalesce(p.boundary, p.location), 6, 0)::json,
          'properties', json_build_object(
            'id', p.id, 'code', p.code, 'name', p.name, 'name_en', p.name_en,
            'supervision_level', p.supervision_level, 'status', p.status,
            'county_adcode', p.county_adcode, 'county', p.county_name, 'county_en', p.county_name_en,
            'one_map_complete', p.one_map_complete, 'priority_zone', p.priority_zone,
            'illustrative', p.illustrative, 'location', json_build_array(round(ST_X(p.location)::numeric, 6),
                                                                          round(ST_Y(p.location)::numeric, 6))))
          ORDER BY p.code), '[]'::json))::text
        FROM p"""),
        {**params, **flag_params()},
    ).scalar_one()


def reference_geojson(session: Session) -> str:
    """Districts, rivers and the priority-zone buffers (metres on the spheroid), simplified for display."""
    return session.execute(
        text("""
        SELECT json_build_object(
          'districts', (SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(
             json_build_object('type', 'Feature',
               'geometry', ST_AsGeoJSON(ST_SimplifyPreserveTopology(geom, 0.0005), 5, 0)::json,
               'properties', json_build_object('adcode', adcode, 'name', name, 'name_en', name_en))
             ORDER BY adcode), '[]'::json)) FROM districts),
          'rivers', (SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(
             json_build_object('type', 'Feature', 'geometry', ST_AsGeoJSON(geom, 5, 0)::json,
               'properties', json_build_object('code', code, 'name', name_zh, 'name_en', name_en,
                                               'illustrative', illustrative))
             ORDER BY code), '[]'::json)) FROM rivers),
          'priority_buffers', (SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(
             json_build_object('type', 'Feature',
               'geometry', ST_AsGeoJSON(ST_SimplifyPreserveTopology(
                             ST_Buffer(r.geom::geography, b.distance, 'quad_segs=4')::geometry, 0.0003), 5, 0)::json,
               'properties', json_build_object('river', r.code, 'name', r.name_zh, 'name_en', r.name_en,
                                               'distance_m', b.distance))
             ORDER BY r.code), '[]'::json))
             FROM rivers r JOIN unnest(CAST(:rivers AS text[]), CAST(:distances AS float8[])) AS b(code, distance)
               ON b.code = r.code))::text"""),
        buffer_params(),
    ).scalar_one()


def surroundings_geojson(session: Session, pond_id: int, radius_m: float = 5000) -> str:
    """Sensitive targets near a pond, each with its distance to the pond in metres."""
    return session.execute(
        text("""
        SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
          'type', 'Feature', 'id', s.id, 'geometry', ST_AsGeoJSON(s.geom, 6, 0)::json,
          'properties', json_build_object('kind', s.kind, 'name', s.name, 'name_en', s.name_en,
                                          'illustrative', s.illustrative,
                                          'distance_m', round(ST_Distance(g.area, s.geom::geography))))
          ORDER BY s.id), '[]'::json))::text
        FROM (SELECT coalesce(boundary, location)::geography AS area FROM ponds WHERE id = :p) g
        JOIN sensitive_targets s ON ST_DWithin(g.area, s.geom::geography, :r)"""),
        {"p": pond_id, "r": radius_m},
    ).scalar_one()
