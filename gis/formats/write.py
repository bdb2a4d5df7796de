"""Export layers (CGCS2000 lon/lat) to GeoPackage, zipped Shapefile, GeoJSON, KML or XLSX, each of which
`read_upload` reads back to the same geometries and attributes.

Per format: GeoPackage one table per layer (EPSG:4490); Shapefile one .shp per layer and geometry type with
.prj and a UTF-8 .cpg, field names over 10 bytes shortened and restored on re-import through
`tailings_layers.json`; GeoJSON one FeatureCollection, each feature's layer in a `layer` member; KML one Folder
per layer with a typed Schema; XLSX the template layout when a spec is given (else one sheet per layer with
经度/纬度 or a WKT column). Dates become ISO text in GeoJSON, KML and Shapefile.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from xml.etree import ElementTree as ET

import shapely
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from gis.crs import STORAGE_SRID
from gis.formats.layout import WKT
from gis.formats.model import NAME, VERTEX, TemplateSpec, X, Y
from gis.formats.text import printable, text_cells
from gis.formats.vector import LAYER_INDEX

Format = Literal["gpkg", "shapefile", "geojson", "kml", "xlsx"]
MEDIA_TYPES = {
    "gpkg": ("application/geopackage+sqlite3", ".gpkg"),
    "shapefile": ("application/zip", ".zip"),
    "geojson": ("application/geo+json", ".geojson"),
    "kml": ("application/vnd.google-earth.kml+xml", ".kml"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
}


@dataclass
class OutLayer:
    """One layer to export: its name (a sheet / table / folder), features as (geometry in EPSG:4490,
    properties), and the geometry kind (`point`, `line`, `polygon`; None = mixed or unknown)."""

    name: str
    features: list[tuple[BaseGeometry, dict[str, Any]]] = field(default_factory=list)
    geometry: Literal["point", "line", "polygon"] | None = None


def write_layers(layers: Sequence[OutLayer], fmt: Format, *, spec: TemplateSpec | None = None) -> bytes:
    """The layers as one file of format `fmt` (see MEDIA_TYPES for its media type and extension)."""
    if fmt == "gpkg":
        return _gpkg(layers)
    if fmt == "shapefile":
        return _shapefile(layers)
    if fmt == "geojson":
        return _geojson(layers)
    if fmt == "kml":
        return _kml(layers)
    if fmt == "xlsx":
        return _xlsx(layers, spec)
    raise ValueError(f"unknown export format {fmt!r}")


def _jsonable(v: Any) -> Any:
    if isinstance(v, dt.date | dt.datetime):
        return v.isoformat()
    return v


# --- GeoPackage and Shapefile through pyogrio ------------------------------------------------------------


def _frame(features: list[tuple[BaseGeometry, dict[str, Any]]], rename: dict[str, str] | None = None) -> Any:
    import geopandas as gpd
    import pandas as pd

    rename = rename or {}
    records = [{rename.get(k, k): v for k, v in props.items()} for _g, props in features]
    frame = pd.DataFrame.from_records(records) if records and any(records) else pd.DataFrame(index=range(len(features)))
    for column in frame.columns:
        if frame[column].map(lambda v: isinstance(v, dt.date)).any():
            frame[column] = frame[column].map(lambda v: v.isoformat() if isinstance(v, dt.date) else v)
    return gpd.GeoDataFrame(frame, geometry=[g for g, _p in features], crs=f"EPSG:{STORAGE_SRID}")


def _gpkg(layers: Sequence[OutLayer]) -> bytes:
    import pyogrio

    with tempfile.TemporaryDirectory(prefix="tailings-export-") as tmp:
        path = Path(tmp) / "export.gpkg"
        for layer in layers:
            if not layer.features:
                continue
            gdf = _frame(layer.features)
            types = set(gdf.geom_type)
            pyogrio.write_dataframe(
                gdf,
                path,
                layer=layer.name,
                driver="GPKG",
                geometry_type=types.pop() if len(types) == 1 else "Unknown",
                promote_to_multi=False,
            )
        if not path.exists():
            raise ValueError("nothing to export")
        return path.read_bytes()


_FAMILY = {
    "Point": "point",
    "MultiPoint": "multipoint",
    "LineString": "line",
    "MultiLineString": "line",
    "Polygon": "polygon",
    "MultiPolygon": "polygon",
}
_SHP_TYPE = {"point": "Point", "multipoint": "MultiPoint", "line": "MultiLineString", "polygon": "MultiPolygon"}
_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


def short_field_names(names: Sequence[str]) -> dict[str, str]:
    """long name -> DBF field name of at most 10 bytes (UTF-8), unique ignoring case."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    for name in names:
        short = name
        if len(name.encode("utf-8")) > 10 or short.lower() in taken:
            base = name.encode("utf-8")[:10].decode("utf-8", errors="ignore")
            short, n = base, 1
            while short.lower() in taken or len(short.encode("utf-8")) > 10:
                suffix = f"_{n}"
                short = base.encode("utf-8")[: 10 - len(suffix)].decode("utf-8", errors="ignore") + suffix
                n += 1
        taken.add(short.lower())
        out[name] = short
    return out


def _shapefile(layers: Sequence[OutLayer]) -> bytes:
    import pyogrio

    index: dict[str, Any] = {}
    out = io.BytesIO()
    with (
        tempfile.TemporaryDirectory(prefix="tailings-export-") as tmp,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf,
    ):
        used: set[str] = set()
        for layer in layers:
            families: dict[str, list[tuple[BaseGeometry, dict[str, Any]]]] = {}
            for geom, props in layer.features:
                families.setdefault(_FAMILY[geom.geom_type], []).append((geom, props))
            for family, features in families.items():
                stem = _UNSAFE.sub("_", layer.name).strip("_") or "layer"
                if len(families) > 1:
                    stem = f"{stem}_{family}"
                while stem.lower() in used:
                    stem += "_"
                used.add(stem.lower())
                names = list(dict.fromkeys(k for _g, p in features for k in p))
                mapping_ = short_field_names(names)
                gdf = _frame(features, mapping_)
                pyogrio.write_dataframe(
                    gdf,
                    Path(tmp) / f"{stem}.shp",
                    driver="ESRI Shapefile",
                    encoding="UTF-8",
                    geometry_type=_SHP_TYPE[family],
                )
                for part in Path(tmp).glob(f"{stem}.*"):
                    zf.write(part, part.name)
                index[stem] = {"layer": layer.name, "fields": {s: n for n, s in mapping_.items() if s != n}}
        zf.writestr(LAYER_INDEX, json.dumps(index, ensure_ascii=False, indent=1))
    return out.getvalue()


# --- GeoJSON and KML -------------------------------------------------------------------------------------


def _geojson(layers: Sequence[OutLayer]) -> bytes:
    features = [
        {
            "type": "Feature",
            "layer": layer.name,
            "properties": {k: _jsonable(v) for k, v in props.items()},
            "geometry": mapping(geom),
        }
        for layer in layers
        for geom, props in layer.features
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False).encode("utf-8")


_KML = "http://www.opengis.net/kml/2.2"


def _kml_type(values: list[Any]) -> str:
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, bool) for v in present):
        return "bool"
    if present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return "int"
    if present and all(isinstance(v, int | float) and not isinstance(v, bool) for v in present):
        return "double"
    return "string"


def _kml_text(v: Any, kind: str) -> str:
    if kind == "bool":
        return "1" if v else "0"
    if kind == "double":
        return repr(float(v))
    return printable(str(_jsonable(v)))  # XML 1.0 cannot carry control characters, whatever is stored


def _coords_text(coords: Any) -> str:
    return " ".join(f"{x!r},{y!r}" for x, y, *_ in coords)


def _kml_geometry(parent: ET.Element, geom: BaseGeometry) -> None:
    kind = geom.geom_type
    if kind == "Point":
        ET.SubElement(ET.SubElement(parent, "Point"), "coordinates").text = _coords_text(geom.coords)
    elif kind == "LineString":
        ET.SubElement(ET.SubElement(parent, "LineString"), "coordinates").text = _coords_text(geom.coords)
    elif kind == "Polygon":
        poly = ET.SubElement(parent, "Polygon")
        outer = ET.SubElement(ET.SubElement(poly, "outerBoundaryIs"), "LinearRing")
        ET.SubElement(outer, "coordinates").text = _coords_text(geom.exterior.coords)
        for ring in geom.interiors:
            inner = ET.SubElement(ET.SubElement(poly, "innerBoundaryIs"), "LinearRing")
            ET.SubElement(inner, "coordinates").text = _coords_text(ring.coords)
    else:
        multi = ET.SubElement(parent, "MultiGeometry")
        for part in geom.geoms:
            _kml_geometry(multi, part)


def _kml(layers: Sequence[OutLayer]) -> bytes:
    ET.register_namespace("", _KML)
    root = ET.Element("kml", xmlns=_KML)
    doc = ET.SubElement(root, "Document")
    for i, layer in enumerate(layers):
        keys = list(dict.fromkeys(k for _g, p in layer.features for k in p if k != NAME))
        types = {k: _kml_type([p.get(k) for _g, p in layer.features]) for k in keys}
        schema_id = f"s{i}"
        schema = ET.SubElement(doc, "Schema", name=layer.name, id=schema_id)
        for k in keys:
            ET.SubElement(schema, "SimpleField", name=k, type=types[k])
        folder = ET.SubElement(doc, "Folder")
        ET.SubElement(folder, "name").text = layer.name
        for geom, props in layer.features:
            pm = ET.SubElement(folder, "Placemark")
            if props.get(NAME) is not None:
                ET.SubElement(pm, "name").text = printable(str(props[NAME]))
            data = ET.SubElement(ET.SubElement(pm, "ExtendedData"), "SchemaData", schemaUrl=f"#{schema_id}")
            for k in keys:
                if props.get(k) is not None:
                    ET.SubElement(data, "SimpleData", name=k).text = _kml_text(props[k], types[k])
            _kml_geometry(pm, geom)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8")


# --- XLSX ------------------------------------------------------------------------------------------------


def _vertex_rows(geom: BaseGeometry, props: dict[str, Any], kind: str, fallback_name: str) -> list[dict[str, Any]]:
    if kind == "point" and geom.geom_type == "Point":
        return [{**props, X: geom.x, Y: geom.y}]
    if kind == "line" and geom.geom_type == "LineString":
        coords = list(geom.coords)
    elif kind == "polygon" and geom.geom_type == "Polygon" and not geom.interiors:
        coords = list(geom.exterior.coords)[:-1]
    else:
        return [{**props, WKT: shapely.to_wkt(geom, rounding_precision=-1)}]
    name = props.get(NAME) or fallback_name
    rows = [{NAME: name, VERTEX: i, X: x, Y: y} for i, (x, y, *_) in enumerate(coords, start=1)]
    rows[0] = {**props, **rows[0]}
    return rows


def _xlsx(layers: Sequence[OutLayer], spec: TemplateSpec | None) -> bytes:
    from gis.formats.template import build_workbook, workbook_bytes

    if spec is not None:
        data: dict[str, list[dict[str, Any]]] = {}
        for layer in layers:
            sheet = next((s for s in spec.sheets if layer.name in (s.name, s.key)), None)
            if sheet is None:
                raise ValueError(f"layer {layer.name!r} has no sheet in the template")
            rows = data.setdefault(sheet.name, [])
            for n, (geom, props) in enumerate(layer.features, start=1):
                rows.extend(_vertex_rows(geom, props, sheet.geometry, f"{sheet.name}{n}"))
        return workbook_bytes(build_workbook(spec, data, crs="cgcs2000"))
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    for layer in layers:
        ws = wb.create_sheet(layer.name[:31])
        points = all(g.geom_type == "Point" for g, _p in layer.features)
        keys = list(dict.fromkeys(k for _g, p in layer.features for k in p))
        ws.append(text_cells(ws, [*keys, *(["经度", "纬度"] if points else ["WKT"])]))
        for geom, props in layer.features:
            values = [props.get(k) for k in keys]
            where = [geom.x, geom.y] if points else [shapely.to_wkt(geom, rounding_precision=-1)]
            ws.append(text_cells(ws, [*values, *where]))
    return workbook_bytes(wb)
