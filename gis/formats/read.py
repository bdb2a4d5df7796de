"""Read an upload of any supported format into features in CGCS2000 lon/lat (EPSG:4490).

`read_upload` never raises for a bad file: whatever is wrong comes back as `Problem`s (file-level in
`ReadResult.problems`, per feature in `Feature.problems`) with a stable code, the place (file, sheet/layer,
row, column) and parameters for the message.
"""

from __future__ import annotations

import zlib
from typing import Any

from gis.coords import CoordinateError
from gis.formats.finish import RawLayer, georeference
from gis.formats.georef import SourceCrs, parse_crs
from gis.formats.model import Feature, Problem, ReadResult, Severity, TemplateSpec, Where
from gis.formats.safety import DEFAULT_LIMITS, FileRefused, Limits, sniff
from gis.formats.text import clean_cell

_BROKEN = (ValueError, KeyError, IndexError, TypeError, AttributeError, OSError, EOFError, zlib.error, RecursionError)


def read_upload(
    filename: str,
    data: bytes,
    *,
    crs: str | None = None,
    spec: TemplateSpec | None = None,
    limits: Limits = DEFAULT_LIMITS,
    region_bounds: tuple[float, float, float, float] | None = None,
) -> ReadResult:
    """Features of an uploaded file, geometry in CGCS2000 lon/lat, with every problem found.

    `crs` (a `gis.coords.CoordinateSystem` value, `gk3:<central meridian>` or `EPSG:n`) wins over what the file
    declares (a template's choice, a .prj, a GeoPackage layer's SRS, a GeoJSON `crs` member), which wins over
    detection from the values (reported as the warning `crs_detected`). `spec` maps tabular headers to codes;
    without it common headers (经度/纬度/X/Y/名称/...) are recognised. `region_bounds` (lon/lat box) guides
    detection; China by default.
    """
    problems: list[Problem] = []
    fmt = "unknown"
    try:
        fmt = sniff(filename, data, limits)
        explicit: SourceCrs | None = None
        if crs:
            try:
                explicit = parse_crs(crs)
            except CoordinateError as exc:
                return ReadResult(fmt, [], [Problem(Where(filename), exc.code, {"value": crs, **exc.params})], None)
        layers, declared = _read(fmt, filename, data, spec, limits, problems)
    except FileRefused as exc:
        return ReadResult(fmt, [], [Problem(Where(filename), exc.code, dict(exc.params))], None)
    except _BROKEN as exc:  # a damaged file that got past a parser's own checks: still only a message
        reason = f"{type(exc).__name__}: {str(exc)[:100]}"
        return ReadResult(
            fmt, [], [Problem(Where(filename), "file_corrupt", {"file": filename, "reason": reason})], None
        )
    if fmt not in ("csv", "xlsx"):  # the tabular readers clean each cell, naming its header
        for layer in layers:
            for feature in layer.features:
                _clean_properties(feature)
    if declared is not None:
        for layer in layers:
            layer.crs = layer.crs or declared
    for layer in layers:
        problems.extend(layer.problems)
        if len(layer.features) > limits.max_rows:
            problems.append(
                Problem(
                    Where(filename, layer.name), "too_many_rows", {"sheet": layer.name or "", "limit": limits.max_rows}
                )
            )
            return ReadResult(fmt, [], problems, None)
    used = georeference(layers, explicit, filename, problems, region_bounds)
    features = [f for layer in layers for f in layer.features]
    if not features and not any(p.severity == "error" for p in problems):
        problems.append(Problem(Where(filename), "file_no_features"))
    return ReadResult(fmt, features, problems, used)


def _clean_properties(feature: Feature) -> None:
    """Text values by the rule of gis.formats.text: forbidden characters removed (a warning), too long an error."""
    for key, value in list(feature.properties.items()):
        if isinstance(value, dict):  # GeoJSON of our own API nests the attributes
            for inner, v in list(value.items()):
                value[inner] = _cleaned(feature, str(inner), v)
        else:
            feature.properties[key] = _cleaned(feature, str(key), value)


def _cleaned(feature: Feature, column: str, value: Any) -> Any:
    cleaned, found, params = clean_cell(value)
    if found:
        where = Where(feature.where.file, feature.where.sheet, feature.where.row, column)
        severity: Severity = "warning" if found == "cell_chars_removed" else "error"
        feature.problems.append(Problem(where, found, params, severity))
    return cleaned


def _read(
    fmt: str, filename: str, data: bytes, spec: TemplateSpec | None, limits: Limits, problems: list[Problem]
) -> tuple[list[RawLayer], SourceCrs | None]:
    from gis.formats import tabular

    if fmt == "csv":
        layers, found = tabular.read_csv(filename, data, spec, limits)
        problems.extend(found)
        return layers, None
    if fmt == "xlsx":
        from gis.formats.safety import open_zip, refuse_xml_declarations

        with open_zip(filename, data, limits) as zf:  # bombs and the like before openpyxl unpacks anything
            refuse_xml_declarations(zf, filename)
        layers, found, declared = tabular.read_xlsx(filename, data, spec, limits)
        problems.extend(found)
        return layers, declared
    from gis.formats import vector

    return vector.read(fmt, filename, data, limits, problems), None
