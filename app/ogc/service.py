"""OGC API - Features: the collections, their extents, and pages of features built by PostGIS.

The collections are `ponds` and one per element type of the catalogue (its id is the type code). Every
query is limited to the caller's scope (`app.accounts.scope`), so an out-of-scope pond or element is as
absent as a missing one. GeoJSON is serialised by PostGIS, one statement per page: Python never touches
a feature on the JSON path (shared/perf-notes.md: that is where tipg spends its time).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from dataclasses import dataclass
from typing import Any

import psycopg
from sqlalchemy import text
from sqlalchemy.orm import Session

from app import registry
from app.accounts.lean import psycopg_sql
from app.errors import FieldProblem, Invalid, NotFound
from app.i18n import Lang, label, t

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
GREGORIAN = "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"
CONFORMANCE = [
    f"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/{name}" for name in ("core", "geojson", "html", "oas30")
]
PONDS = "ponds"
ELEMENTS = "elements"  # every element type in one collection (one layer in QGIS; what tipg publishes)
DEFAULT_LIMIT, MAX_LIMIT = 100, 1000
_ID_MAX = {PONDS: 2**31 - 1}  # ponds.id is an integer, elements.id a bigint
_BIGINT_MAX = 2**63 - 1

Scope = tuple[str, dict[str, Any]]


def collection_ids() -> list[str]:
    return [PONDS, ELEMENTS, *registry.catalogue().type_codes]


def ensure_collection(collection_id: str) -> None:
    if collection_id not in collection_ids():
        raise NotFound("not_found", {"what_code": "ogc_collection", "id": collection_id})


def title(collection_id: str, lang: Lang) -> str:
    if collection_id == PONDS:
        return t("ogc_ponds_title", lang)
    if collection_id == ELEMENTS:
        return t("ogc_all_elements_title", lang)
    element_type = registry.catalogue().type(collection_id)
    return label(element_type.label if element_type else None, lang) or collection_id


def kind_labels(lang: Lang) -> dict[str, str]:
    return {code: label(kind.label, lang) for code, kind in registry.catalogue().kinds.items()}


def description(collection_id: str, lang: Lang) -> str:
    if collection_id == PONDS:
        return t("ogc_ponds_description", lang)
    if collection_id == ELEMENTS:
        return t("ogc_all_elements_description", lang)
    element_type = registry.catalogue().type(collection_id)
    kinds = [label(k.label, lang) for k in element_type.kinds] if element_type else []
    listed = f"（{'、'.join(kinds)}）" if lang == "zh" else f" ({', '.join(kinds)})"
    return t("ogc_elements_description", lang, label=title(collection_id, lang) + listed)


# --- extents ---------------------------------------------------------------------------------------------------


def extents(session: Session, scope: Scope, collection_id: str | None = None) -> dict[str, dict[str, Any]]:
    """Spatial (and, for elements, temporal) extent of each collection over the caller's scope.

    One statement with ST_Extent per collection; a collection with nothing in scope has no extent."""
    clause, params = scope
    parts = []
    if collection_id in (None, PONDS):
        parts.append(
            "SELECT 'ponds'::text AS id, ST_Extent(coalesce(p.boundary, p.location)) AS box, "
            f"NULL::date AS t0, NULL::date AS t1 FROM ponds p WHERE {clause}"
        )
    if collection_id in (None, ELEMENTS):
        parts.append(
            "SELECT 'elements'::text AS id, ST_Extent(e.geom) AS box, min(e.captured_at) AS t0, "
            f"max(e.captured_at) AS t1 FROM elements e JOIN ponds p ON p.id = e.pond_id WHERE {clause}"
        )
    if collection_id not in (PONDS, ELEMENTS):
        only_type = "" if collection_id is None else "AND e.type = :type"
        parts.append(
            "SELECT e.type::text AS id, ST_Extent(e.geom) AS box, min(e.captured_at) AS t0, max(e.captured_at) AS t1 "
            f"FROM elements e JOIN ponds p ON p.id = e.pond_id WHERE ({clause}) {only_type} GROUP BY e.type"
        )
    rows = session.execute(
        text(
            "SELECT id, ST_XMin(box), ST_YMin(box), ST_XMax(box), ST_YMax(box), t0, t1 "
            f"FROM ({' UNION ALL '.join(parts)}) x WHERE box IS NOT NULL"
        ),
        {**params, "type": collection_id},
    ).all()
    out: dict[str, dict[str, Any]] = {}
    for cid, x0, y0, x1, y1, t0, t1 in rows:
        # rounded outwards to 1e-7 degrees (about a centimetre), so the box still contains everything
        box = [_floor7(x0), _floor7(y0), _ceil7(x1), _ceil7(y1)]
        extent: dict[str, Any] = {"spatial": {"bbox": [box], "crs": CRS84}}
        if t0 is not None:
            extent["temporal"] = {"interval": [[f"{t0}T00:00:00Z", f"{t1}T23:59:59Z"]], "trs": GREGORIAN}
        out[cid] = extent
    return out


def _floor7(v: float) -> float:
    return math.floor(v * 1e7) / 1e7


def _ceil7(v: float) -> float:
    return math.ceil(v * 1e7) / 1e7


# --- query parameters ------------------------------------------------------------------------------------------


_DATE = r"\d{4}-\d{2}-\d{2}"
_RFC3339 = re.compile(rf"^{_DATE}(?:[Tt]\d{{2}}:\d{{2}}:\d{{2}}(?:\.\d+)?(?:[Zz]|[+-]\d{{2}}:\d{{2}}))?$")


def parse_datetime(value: str | None) -> tuple[dt.date | None, dt.date | None] | None:
    """`datetime` as a closed range of capture dates: an instant (RFC 3339 date or date-time), or an interval
    `a/b` where an open end is `..` (or empty). A date-time selects the calendar date it is written in, since
    `captured_at` is a date. None when the parameter is absent."""
    if value is None:
        return None
    bad = Invalid("validation_failed", problems=[FieldProblem("query.datetime", "datetime_invalid")])

    def instant(s: str, open_ok: bool) -> dt.date | None:
        if open_ok and s in ("", ".."):
            return None
        if not _RFC3339.match(s):
            raise bad
        try:
            return dt.datetime.fromisoformat(s.upper()).date() if len(s) > 10 else dt.date.fromisoformat(s)
        except ValueError:
            raise bad from None

    if "/" not in value:
        day = instant(value, open_ok=False)
        return day, day
    parts = value.split("/")
    if len(parts) != 2:
        raise bad
    start, end = instant(parts[0], True), instant(parts[1], True)
    if start is not None and end is not None and start > end:
        raise bad
    return start, end


def parse_feature_id(collection_id: str, feature_id: str) -> int:
    """Feature ids are the database ids; anything else is simply not found (ids are strings in the standard)."""
    if (
        not feature_id.isascii()
        or not feature_id.isdigit()
        or int(feature_id) > _ID_MAX.get(collection_id, _BIGINT_MAX)
    ):
        raise NotFound("not_found", {"what_code": _what(collection_id), "id": feature_id})
    return int(feature_id)


def _what(collection_id: str) -> str:
    return "pond" if collection_id == PONDS else "element"


# --- features --------------------------------------------------------------------------------------------------

_ENVELOPE = "ST_MakeEnvelope(:x0, :y0, :x1, :y1, 4490)"
# ST_AsGeoJSON option 0: no "crs" member. RFC 7946 has none, and PostGIS would write "EPSG:4490" (whose axis
# order is lat/lon) on coordinates that are lon/lat, served as CRS84.


def _feature_sql(collection_id: str, with_links: bool = False) -> str:
    links = ", 'links', CAST(:links AS json)" if with_links else ""
    if collection_id == PONDS:
        return f"""json_build_object(
          'type', 'Feature', 'id', p.id,
          'geometry', ST_AsGeoJSON(coalesce(p.boundary, p.location), 7, 0)::json,
          'properties', json_build_object(
            'id', p.id, 'code', p.code, 'name', p.name, 'name_en', p.name_en,
            'supervision_level', p.supervision_level, 'status', p.status, 'county_adcode', p.county_adcode,
            'enterprise_id', p.enterprise_id, 'illustrative', p.illustrative){links})"""
    return f"""json_build_object(
          'type', 'Feature', 'id', e.id,
          'geometry', ST_AsGeoJSON(e.geom, 7, 0)::json,
          'properties', json_build_object(
            'pond_id', e.pond_id, 'type', e.type, 'kind', e.kind, 'name', e.name, 'attributes', e.attributes,
            'source', e.source, 'captured_at', e.captured_at, 'review_state', e.review_state,
            'version', e.version, 'illustrative', p.illustrative){links})"""


@dataclass(frozen=True)
class Selection:
    """What a request selects from a collection: its scope, and the bbox and capture dates asked for."""

    collection_id: str
    scope: Scope
    bbox: tuple[float, float, float, float] | None = None
    dates: tuple[dt.date | None, dt.date | None] | None = None

    def sql(self) -> tuple[str, str, str, dict[str, Any]]:
        """(FROM, WHERE, id column, parameters). The bbox test is `&&` first, so the GiST index is used."""
        clause, scope_params = self.scope
        conditions, params = [f"({clause})"], dict(scope_params)
        if self.bbox is not None:
            params.update(zip(("x0", "y0", "x1", "y1"), self.bbox, strict=True))
        if self.collection_id == PONDS:
            if self.bbox is not None:
                # boundary and location have GiST indexes of their own; coalesce() of them has none
                conditions.append(
                    f"(p.boundary && {_ENVELOPE} OR (p.boundary IS NULL AND p.location && {_ENVELOPE})) "
                    f"AND ST_Intersects(coalesce(p.boundary, p.location), {_ENVELOPE})"
                )
            # ponds have no temporal property, so datetime matches them all (/req/core/fc-time-response C)
            return "ponds p", " AND ".join(conditions), "p.id", params
        if self.collection_id != ELEMENTS:
            conditions.append("e.type = :type")
            params["type"] = self.collection_id
        if self.bbox is not None:
            conditions.append(f"e.geom && {_ENVELOPE} AND ST_Intersects(e.geom, {_ENVELOPE})")
        if self.dates is not None:
            # /req/core/fc-time-response C: datetime also matches the features that have no time
            start, end = self.dates
            bounds = []
            if start is not None:
                bounds.append("e.captured_at >= :t0")
                params["t0"] = start
            if end is not None:
                bounds.append("e.captured_at <= :t1")
                params["t1"] = end
            if bounds:
                conditions.append(f"(e.captured_at IS NULL OR ({' AND '.join(bounds)}))")
        return "elements e JOIN ponds p ON p.id = e.pond_id", " AND ".join(conditions), "e.id", params


@dataclass(frozen=True)
class Page:
    matched: int
    returned: int
    features: str  # a JSON array of GeoJSON Features, as PostGIS wrote it


def page(conn: psycopg.Connection, selection: Selection, limit: int, offset: int) -> Page:
    """One page of features in id order, with the number matched, in one statement.

    The count is a subquery of its own, planned apart from the page, rather than `count(*) OVER ()`: a window
    makes PostgreSQL carry every matching row, with all its columns, through the window before the LIMIT can
    stop it (2.7 times slower for a 100-row page of 40,000 matches on a synthetic 198,000 elements). The
    features are built after the sort, for the page's rows only."""
    from_, where, id_col, params = selection.sql()
    sql = psycopg_sql(f"""
        SELECT (SELECT count(*) FROM {from_} WHERE {where}), count(*),
               coalesce(json_agg(pg.feature ORDER BY pg.id), '[]'::json)::text
        FROM (SELECT {id_col} AS id, {_feature_sql(selection.collection_id)} AS feature
              FROM {from_} WHERE {where}
              ORDER BY {id_col} LIMIT :limit OFFSET :offset) pg""")
    row = conn.execute(sql, {**params, "limit": limit, "offset": offset}).fetchone()
    assert row is not None
    return Page(*row)


def feature(session: Session, selection: Selection, feature_id: str, links: list[dict[str, Any]]) -> str:
    """One feature with its links, as GeoJSON text; missing or out of scope: not found."""
    fid = parse_feature_id(selection.collection_id, feature_id)
    from_, where, id_col, params = selection.sql()
    row = session.execute(
        text(
            f"SELECT {_feature_sql(selection.collection_id, True)}::text FROM {from_} WHERE {where} AND {id_col} = :fid"
        ),
        {**params, "fid": fid, "links": json.dumps(links, ensure_ascii=False)},
    ).scalar_one_or_none()
    if row is None:
        raise NotFound("not_found", {"what_code": _what(selection.collection_id), "id": feature_id})
    return str(row)
