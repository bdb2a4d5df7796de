"""Exports of elements (a pond's, or every pond's in the caller's scope) in the formats uploads accept.

An export re-imports to the same data: XLSX uses the template's layout (one sheet per kind, the system id
in its column so that a re-upload updates rather than adds), GIS formats one layer per kind named by the
kind's label, attributes by their catalogue codes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import shapely
from sqlalchemy import text
from sqlalchemy.orm import Session

from app import registry
from app.accounts.scope import pond_scope_sql
from app.accounts.service import Actor
from app.errors import NotFound
from app.i18n import Lang, t
from app.imports.spec import ACCURACY_M, CAPTURED_AT, sheet_geometry, sheet_name, template_spec
from gis.formats.model import ELEMENT_ID, NAME
from gis.formats.template import write_template
from gis.formats.write import OutLayer, write_layers

MEDIA_TYPES = {
    "gpkg": "application/geopackage+sqlite3",
    "shapefile": "application/zip",
    "geojson": "application/geo+json",
    "kml": "application/vnd.google-earth.kml+xml",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
EXTENSIONS = {"gpkg": "gpkg", "shapefile": "zip", "geojson": "geojson", "kml": "kml", "xlsx": "xlsx"}


def blank_template(lang: Lang, types: tuple[str, ...] | None = None) -> tuple[str, bytes]:
    spec = template_spec(registry.catalogue(), lang, types)
    return f"{t('template_filename', lang)}.xlsx", write_template(spec)


def _layers(session: Session, where: str, params: dict[str, Any], lang: Lang, with_pond: bool) -> list[OutLayer]:
    catalogue = registry.catalogue()
    rows = session.execute(
        text(f"""SELECT e.id, e.kind, e.name, ST_AsBinary(e.geom), e.attributes, e.captured_at, e.accuracy_m,
                        e.source, e.review_state, e.version, p.code
                 FROM elements e JOIN ponds p ON p.id = e.pond_id
                 WHERE {where} ORDER BY p.code, e.kind, e.id"""),
        params,
    ).all()
    by_kind: dict[str, list[tuple[Any, dict[str, Any]]]] = {}
    for r in rows:
        props: dict[str, Any] = {ELEMENT_ID: r[0], NAME: r[2]}
        if with_pond:
            props["pond_code"] = r[10]
        props[CAPTURED_AT] = r[5].isoformat() if isinstance(r[5], dt.date) else None
        props[ACCURACY_M] = r[6]
        props.update(r[4] or {})
        props.update({"source": r[7], "review_state": r[8], "version": r[9]})
        by_kind.setdefault(r[1], []).append((shapely.from_wkb(bytes(r[3])), props))
    layers = []
    for element_type in catalogue.types:
        for kind in element_type.kinds:
            if kind.code in by_kind:
                layers.append(
                    OutLayer(name=sheet_name(kind, lang), features=by_kind[kind.code], geometry=sheet_geometry(kind))
                )
    return layers


def _write(layers: list[OutLayer], fmt: str, lang: Lang) -> bytes:
    spec = template_spec(registry.catalogue(), lang) if fmt == "xlsx" else None
    return write_layers(layers, fmt, spec=spec)


def pond_export(
    session: Session, pond_id: int, fmt: str, lang: Lang, types: tuple[str, ...] | None = None
) -> tuple[str, bytes]:
    code = session.execute(text("SELECT code FROM ponds WHERE id = :id"), {"id": pond_id}).scalar()
    if code is None:
        raise NotFound("not_found", {"what_code": "pond", "id": pond_id})
    where, params = "e.pond_id = :pond", {"pond": pond_id}
    if types:
        where += " AND e.type = ANY(:types)"
        params["types"] = list(types)
    layers = _layers(session, where, params, lang, with_pond=False)
    return f"{code}.{EXTENSIONS[fmt]}", _write(layers, fmt, lang)


def scope_export(session: Session, actor: Actor, fmt: str, lang: Lang) -> tuple[str, bytes]:
    clause, params = pond_scope_sql(actor)
    layers = _layers(session, clause, params, lang, with_pond=True)
    return f"{t('export_all_filename', lang)}.{EXTENSIONS[fmt]}", _write(layers, fmt, lang)
