"""GIS formats: GeoJSON, zipped Shapefile, GeoPackage (through pyogrio's bundled GDAL), KML/KMZ (parsed with
defusedxml: KML is simple and GDAL's parser would not refuse entities), DXF (ezdxf).

Each returns `RawLayer`s whose geometries are still in the file's coordinates, with the CRS the file
declares (a .prj, the layer's SRS, a GeoJSON `crs` member, KML's WGS84) or None.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import math
import tempfile
from pathlib import Path, PurePosixPath
from typing import Any
from xml.etree.ElementTree import Element

import shapely
from shapely.geometry import LineString, MultiLineString, MultiPoint, MultiPolygon, Point, Polygon, shape

from gis.coords import CoordinateError, CoordinateSystem
from gis.formats.finish import RawLayer
from gis.formats.georef import SourceCrs, detect_crs, from_wkt
from gis.formats.model import Feature, Problem, Where
from gis.formats.safety import FileRefused, Limits, open_zip, parse_xml, read_member

LAYER_INDEX = "tailings_layers.json"  # written by our shapefile writer: layer names and long field names


def read(fmt: str, filename: str, data: bytes, limits: Limits, problems: list[Problem]) -> list[RawLayer]:
    if fmt == "geojson":
        return read_geojson(filename, data, problems)
    if fmt == "shapefile":
        return read_shapefile(filename, data, limits, problems)
    if fmt == "gpkg":
        return read_gpkg(filename, data, problems)
    if fmt == "kml":
        return read_kml(filename, data, problems)
    if fmt == "kmz":
        zf = open_zip(filename, data, limits)
        names = [n for n in zf.namelist() if n.lower().endswith(".kml")]
        if not names:
            raise FileRefused("zip_no_data", file=filename, expected=".kml")
        name = "doc.kml" if "doc.kml" in names else sorted(names, key=lambda n: (n.count("/"), n))[0]
        return read_kml(filename, read_member(zf, name, filename), problems)
    if fmt == "dxf":
        return read_dxf(filename, data, problems)
    raise FileRefused("file_type_unsupported", file=filename, ext=fmt)


def clean_value(v: Any) -> Any:
    """Attribute values as plain Python: NaN/NaT to None, numpy scalars to numbers, timestamps to dates."""
    if v is None:
        return None
    if hasattr(v, "item") and not isinstance(v, str | bytes):
        with contextlib.suppress(ValueError, AttributeError):
            v = v.item()
    if isinstance(v, float) and math.isnan(v):
        return None
    if type(v).__name__ in ("NaTType",):
        return None
    if hasattr(v, "to_pydatetime"):
        v = v.to_pydatetime()
    if isinstance(v, dt.datetime) and v.time() == dt.time() and v.tzinfo is None:
        return v.date()
    return v


# --- GeoJSON ---------------------------------------------------------------------------------------------


def read_geojson(filename: str, data: bytes, problems: list[Problem]) -> list[RawLayer]:
    try:
        obj = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise FileRefused("file_corrupt", file=filename, reason=str(exc)[:120]) from exc
    if not isinstance(obj, dict):
        raise FileRefused("file_corrupt", file=filename, reason="not a GeoJSON object")
    declared: SourceCrs | None = None
    legacy = obj.get("crs")
    if isinstance(legacy, dict) and isinstance(legacy.get("properties"), dict) and legacy["properties"].get("name"):
        try:
            declared = from_wkt(str(legacy["properties"]["name"]))
        except CoordinateError as exc:
            problems.append(Problem(Where(filename), "crs_unknown", {"value": str(exc.params.get("value", ""))}))
    kind = obj.get("type")
    if kind == "FeatureCollection":
        items = obj.get("features")
        if not isinstance(items, list):
            raise FileRefused("file_corrupt", file=filename, reason="features is not a list")
    elif kind == "Feature":
        items = [obj]
    elif kind in ("Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon"):
        items = [{"type": "Feature", "geometry": obj, "properties": {}}]
    else:
        raise FileRefused("file_corrupt", file=filename, reason=f"GeoJSON type {str(kind)[:30]}")
    layers: dict[str | None, RawLayer] = {}
    if declared is None:
        declared = _rfc7946(items)
    for number, item in enumerate(items, start=1):
        item = item if isinstance(item, dict) else {}
        layer_name = item.get("layer") if isinstance(item.get("layer"), str) else None
        props = item.get("properties") if isinstance(item.get("properties"), dict) else {}
        f = Feature(Where(filename, layer_name, number), layer_name, None, dict(props))
        geom = item.get("geometry")
        if geom is None:
            f.problems.append(Problem(f.where, "feature_geometry_missing"))
        else:
            try:
                f.geometry = shape(geom)
            except (ValueError, TypeError, AttributeError, KeyError, IndexError, shapely.errors.GEOSException) as exc:
                f.problems.append(Problem(f.where, "geometry_unreadable", {"reason": str(exc)[:120]}))
        layers.setdefault(layer_name, RawLayer(layer_name, [], declared)).features.append(f)
    return list(layers.values())


def _rfc7946(items: list[Any]) -> SourceCrs | None:
    """GeoJSON without a `crs` member is WGS84 lon/lat (RFC 7946) when its values are that; values of another
    system (Gauss-Kruger metres, swapped axes) are left to detection."""
    geoms = []
    for item in items:
        with contextlib.suppress(Exception):
            geoms.append(shape(item["geometry"]))
    pts = shapely.get_coordinates(geoms) if geoms else []
    if len(pts) == 0:
        return None
    found = detect_crs(pts.tolist())
    if found and found[0].system == CoordinateSystem.cgcs2000 and not found[0].swapped:
        return SourceCrs(CoordinateSystem.wgs84)
    return None


# --- Shapefile and GeoPackage through pyogrio ------------------------------------------------------------


def _frame_features(gdf: Any, filename: str, layer: str | None, rename: dict[str, str]) -> list[Feature]:
    geometry_name = gdf.geometry.name if hasattr(gdf, "geometry") else None
    records = gdf.drop(columns=[geometry_name]).to_dict("records") if geometry_name else gdf.to_dict("records")
    geoms = list(gdf.geometry.values) if geometry_name else [None] * len(records)
    features = []
    for number, (record, geom) in enumerate(zip(records, geoms, strict=True), start=1):
        props = {rename.get(k, k): clean_value(v) for k, v in record.items()}
        props = {k: v for k, v in props.items() if v is not None}
        f = Feature(Where(filename, layer, number), layer, geom, props)
        if geom is None:
            f.problems.append(Problem(f.where, "feature_geometry_missing"))
        features.append(f)
    return features


def _guess_dbf_encoding(dbf: bytes) -> tuple[str, bool]:
    """(encoding, guessed): the DBF's language driver if it says GBK, else UTF-8 when its bytes decode as
    UTF-8, else GBK (what Chinese desktop GIS writes without a .cpg)."""
    if len(dbf) > 29 and dbf[29] == 0x4D:
        return "CP936", False
    body = dbf[32:]
    if body.isascii():
        return "UTF-8", False
    try:
        body.decode("utf-8")
        return "UTF-8", True
    except UnicodeDecodeError:
        return "CP936", True


def read_shapefile(filename: str, data: bytes, limits: Limits, problems: list[Problem]) -> list[RawLayer]:
    import pyogrio

    zf = open_zip(filename, data, limits)
    members: dict[str, dict[str, str]] = {}
    for name in zf.namelist():
        if name.endswith("/") or PurePosixPath(name).name.startswith((".", "__MACOSX")) or "__MACOSX" in name:
            continue
        p = PurePosixPath(name)
        members.setdefault(str(p.with_suffix("")), {})[p.suffix.lower()] = name
    index: dict[str, Any] = {}
    for name in zf.namelist():
        if PurePosixPath(name).name == LAYER_INDEX:
            try:
                index = json.loads(read_member(zf, name, filename).decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError):
                index = {}
    stems = sorted(s for s, parts in members.items() if ".shp" in parts)
    if not stems:
        raise FileRefused("zip_no_data", file=filename, expected=".shp")
    layers: list[RawLayer] = []
    with tempfile.TemporaryDirectory(prefix="tailings-shp-") as tmp:
        for i, stem in enumerate(stems):
            parts = members[stem]
            entry = index.get(PurePosixPath(stem).name, {}) if isinstance(index, dict) else {}
            layer = str(entry.get("layer") or PurePosixPath(stem).name)
            missing = [ext for ext in (".shx", ".dbf") if ext not in parts]
            if missing:
                problems.append(
                    Problem(Where(filename, layer), "shapefile_part_missing", {"layer": layer, "part": missing[0]})
                )
                continue
            for ext, member in parts.items():
                (Path(tmp) / f"l{i}{ext}").write_bytes(read_member(zf, member, filename))
            kwargs: dict[str, Any] = {}
            if ".cpg" not in parts:
                encoding, guessed = _guess_dbf_encoding((Path(tmp) / f"l{i}.dbf").read_bytes())
                kwargs["encoding"] = encoding
                if guessed:
                    problems.append(
                        Problem(
                            Where(filename, layer),
                            "shapefile_encoding_guessed",
                            {"layer": layer, "encoding": encoding},
                            "warning",
                        )
                    )
            declared: SourceCrs | None = None
            if ".prj" in parts:
                try:
                    declared = from_wkt((Path(tmp) / f"l{i}.prj").read_text(encoding="utf-8", errors="replace"))
                except CoordinateError:
                    problems.append(
                        Problem(Where(filename, layer), "crs_unknown", {"value": f"{layer}.prj"}, "warning")
                    )
            try:
                gdf = pyogrio.read_dataframe(Path(tmp) / f"l{i}.shp", **kwargs)
            except Exception as exc:  # noqa: BLE001 - GDAL's errors have many types; the layer is unreadable
                problems.append(
                    Problem(Where(filename, layer), "layer_unreadable", {"layer": layer, "reason": str(exc)[:120]})
                )
                continue
            rename = entry.get("fields", {}) if isinstance(entry.get("fields"), dict) else {}
            layers.append(RawLayer(layer, _frame_features(gdf, filename, layer, rename), declared))
    return layers


def read_gpkg(filename: str, data: bytes, problems: list[Problem]) -> list[RawLayer]:
    import pyogrio

    layers: list[RawLayer] = []
    with tempfile.TemporaryDirectory(prefix="tailings-gpkg-") as tmp:
        path = Path(tmp) / "upload.gpkg"
        path.write_bytes(data)
        try:
            listed = pyogrio.list_layers(path)
        except Exception as exc:  # noqa: BLE001
            raise FileRefused("file_corrupt", file=filename, reason=str(exc)[:120]) from exc
        for name, geometry_type in listed:
            name = str(name)
            if geometry_type is None:
                problems.append(Problem(Where(filename, name), "layer_no_geometry", {"layer": name}, "warning"))
                continue
            try:
                gdf = pyogrio.read_dataframe(path, layer=name)
            except Exception as exc:  # noqa: BLE001
                problems.append(
                    Problem(Where(filename, name), "layer_unreadable", {"layer": name, "reason": str(exc)[:120]})
                )
                continue
            declared = None
            if gdf.crs is not None:
                epsg = gdf.crs.to_epsg()
                declared = SourceCrs(crs=gdf.crs) if epsg is None else from_wkt(f"EPSG:{epsg}")
            layers.append(RawLayer(name, _frame_features(gdf, filename, name, {}), declared))
    return layers


# --- KML -------------------------------------------------------------------------------------------------


def _tag(e: Element) -> str:
    return e.tag.rsplit("}", 1)[-1] if isinstance(e.tag, str) else ""


def _child(e: Element, name: str) -> Element | None:
    return next((c for c in e if _tag(c) == name), None)


def _text(e: Element | None) -> str | None:
    return e.text.strip() if e is not None and e.text is not None else None


def _kml_coords(e: Element | None) -> list[tuple[float, ...]]:
    text = _text(_child(e, "coordinates")) if e is not None else None
    if not text:
        raise ValueError("coordinates missing")
    return [tuple(float(v) for v in item.split(",")) for item in text.split()]


def _kml_geometry(e: Element) -> Any:
    t = _tag(e)
    if t == "Point":
        return Point(_kml_coords(e)[0])
    if t == "LineString":
        return LineString(_kml_coords(e))
    if t == "LinearRing":
        return Polygon(_kml_coords(e))
    if t == "Polygon":
        outer = _child(e, "outerBoundaryIs")
        ring = _child(outer, "LinearRing") if outer is not None else None
        if ring is None:
            raise ValueError("polygon without outer boundary")
        holes = [
            _kml_coords(r) for inner in e if _tag(inner) == "innerBoundaryIs" for r in inner if _tag(r) == "LinearRing"
        ]
        return Polygon(_kml_coords(ring), holes)
    if t == "MultiGeometry":
        parts = [
            _kml_geometry(c) for c in e if _tag(c) in ("Point", "LineString", "LinearRing", "Polygon", "MultiGeometry")
        ]
        flat = [g for p in parts for g in getattr(p, "geoms", [p])]
        kinds = {g.geom_type for g in flat}
        if kinds == {"Point"}:
            return MultiPoint(flat)
        if kinds == {"LineString"}:
            return MultiLineString(flat)
        if kinds == {"Polygon"}:
            return MultiPolygon(flat)
        return shapely.GeometryCollection(flat)
    raise ValueError(f"unsupported KML geometry {t}")


_GEOMETRY_TAGS = ("Point", "LineString", "LinearRing", "Polygon", "MultiGeometry")
_SIMPLE_TYPES = {"int": int, "uint": int, "short": int, "ushort": int, "float": float, "double": float}


def read_kml(filename: str, data: bytes, problems: list[Problem]) -> list[RawLayer]:
    root = parse_xml(data, filename)
    schemas: dict[str, dict[str, str]] = {}
    for e in root.iter():
        if _tag(e) == "Schema":
            fields = {str(sf.get("name")): str(sf.get("type", "string")) for sf in e if _tag(sf) == "SimpleField"}
            for key in (e.get("id"), e.get("name")):
                if key:
                    schemas[key] = fields
    layers: dict[str | None, RawLayer] = {}
    counters: dict[str | None, int] = {}
    wgs84 = SourceCrs(CoordinateSystem.wgs84)

    def walk(e: Element, folder: str | None) -> None:
        for c in e:
            t = _tag(c)
            if t in ("Folder", "Document"):
                name = _text(_child(c, "name")) if t == "Folder" else None
                walk(c, name or folder)
            elif t == "Placemark":
                counters[folder] = counters.get(folder, 0) + 1
                f = Feature(Where(filename, folder, counters[folder]), folder, None, _kml_properties(c, schemas))
                g = next((x for x in c if _tag(x) in _GEOMETRY_TAGS), None)
                if g is None:
                    f.problems.append(Problem(f.where, "feature_geometry_missing"))
                else:
                    try:
                        f.geometry = _kml_geometry(g)
                    except (ValueError, IndexError, TypeError, shapely.errors.GEOSException) as exc:
                        f.problems.append(Problem(f.where, "geometry_unreadable", {"reason": str(exc)[:120]}))
                layers.setdefault(folder, RawLayer(folder, [], wgs84)).features.append(f)

    if _tag(root) != "kml":
        raise FileRefused("file_corrupt", file=filename, reason="not a KML document")
    walk(root, None)
    return list(layers.values())


def _kml_properties(placemark: Element, schemas: dict[str, dict[str, str]]) -> dict[str, Any]:
    props: dict[str, Any] = {}
    name = _text(_child(placemark, "name"))
    if name:
        props["name"] = name
    description = _text(_child(placemark, "description"))
    if description:
        props["description"] = description
    ext = _child(placemark, "ExtendedData")
    if ext is None:
        return props
    for item in ext:
        t = _tag(item)
        if t == "Data" and item.get("name"):
            value = _text(_child(item, "value"))
            if value is not None:
                props[str(item.get("name"))] = value
        elif t == "SchemaData":
            types = schemas.get(str(item.get("schemaUrl", "")).lstrip("#"), {})
            for sd in item:
                if _tag(sd) == "SimpleData" and sd.get("name"):
                    key = str(sd.get("name"))
                    props[key] = _typed(sd.text.strip() if sd.text else "", types.get(key, "string"))
    return {k: v for k, v in props.items() if v is not None and v != ""}


def _typed(text: str, kind: str) -> Any:
    if text == "":
        return None
    if kind == "bool":
        return text.lower() in ("1", "true")
    cast = _SIMPLE_TYPES.get(kind)
    if cast is None:
        return text
    try:
        return cast(text)
    except ValueError:
        return text


# --- DXF -------------------------------------------------------------------------------------------------


def read_dxf(filename: str, data: bytes, problems: list[Problem]) -> list[RawLayer]:
    import ezdxf
    from ezdxf import recover

    try:
        doc, _auditor = recover.read(io.BytesIO(data))
    except (ezdxf.DXFStructureError, ezdxf.DXFError, UnicodeDecodeError, ValueError, EOFError) as exc:
        raise FileRefused("file_corrupt", file=filename, reason=str(exc)[:120]) from exc
    layers: dict[str, RawLayer] = {}
    skipped: dict[str, int] = {}
    labels: list[tuple[tuple[float, float], str]] = []
    for e in doc.modelspace():
        t = e.dxftype()
        layer = str(e.dxf.get("layer", "0"))
        props: dict[str, Any] = {"handle": e.dxf.handle}
        try:
            if t in ("TEXT", "MTEXT"):
                text = e.plain_text() if t == "MTEXT" else e.dxf.text
                if str(text).strip():
                    labels.append((tuple(e.dxf.insert)[:2], str(text).strip()))
                continue
            if t == "POINT":
                geom: Any = Point(tuple(e.dxf.location)[:2])
            elif t == "INSERT":
                geom = Point(tuple(e.dxf.insert)[:2])
                props["block"] = e.dxf.name
                for attrib in e.attribs:
                    props[str(attrib.dxf.tag)] = attrib.dxf.text
            elif t == "LINE":
                geom = LineString([tuple(e.dxf.start)[:2], tuple(e.dxf.end)[:2]])
            elif t in ("LWPOLYLINE", "POLYLINE"):
                if t == "POLYLINE" and not (e.is_2d_polyline or e.is_3d_polyline):
                    skipped[t] = skipped.get(t, 0) + 1
                    continue
                pts = [tuple(p)[:2] for p in (e.get_points("xy") if t == "LWPOLYLINE" else e.points())]
                closed = bool(e.closed if t == "LWPOLYLINE" else e.is_closed)
                if closed or (len(pts) >= 4 and pts[0] == pts[-1]):
                    geom = Polygon(pts) if len(pts) >= 3 else LineString(pts)
                else:
                    geom = LineString(pts) if len(pts) >= 2 else Point(pts[0]) if pts else Point()
            else:
                skipped[t] = skipped.get(t, 0) + 1
                continue
        except (ValueError, IndexError, TypeError, shapely.errors.GEOSException) as exc:
            geom = None
            props["error"] = str(exc)[:120]
        raw = layers.setdefault(layer, RawLayer(layer, [], None))
        f = Feature(Where(filename, layer, len(raw.features) + 1), layer, geom, props)
        if geom is None:
            f.problems.append(Problem(f.where, "geometry_unreadable", {"reason": props.pop("error", "")}))
        raw.features.append(f)
    unused = _label_points(layers, labels)
    if unused:
        skipped["TEXT"] = unused
    if skipped:
        problems.append(
            Problem(
                Where(filename),
                "dxf_entities_skipped",
                {"types": ", ".join(sorted(skipped)), "count": sum(skipped.values())},
                "warning",
            )
        )
    return list(layers.values())


def _label_points(layers: dict[str, RawLayer], labels: list[tuple[tuple[float, float], str]]) -> int:
    """Drawings name wells and facilities with a TEXT beside the symbol: each text names the nearest unnamed
    point within a few drawing units (20 m in a projected drawing, about 2 m in degrees). Returns the number of
    texts that named nothing."""
    points = [
        f
        for raw in layers.values()
        for f in raw.features
        if f.geometry is not None and f.geometry.geom_type == "Point" and not _has_name(f.properties)
    ]
    if not labels or not points:
        return len(labels)
    tree = shapely.STRtree([f.geometry for f in points])
    unused = 0
    for (x, y), text in labels:
        reach = 20.0 if abs(x) > 1000 else 0.00002
        here = Point(x, y)
        index = tree.nearest(here)
        f = points[int(index)] if index is not None else None
        if f is None or "name" in f.properties or f.geometry.distance(here) > reach:
            unused += 1
            continue
        f.properties["name"] = text
    return unused


def _has_name(props: dict[str, Any]) -> bool:
    return any(str(k).lower() in ("name", "名称") for k in props)
