"""What every reader returns and every writer takes: features with where they came from.

Readers turn an uploaded file (XLSX, CSV, GeoJSON, zipped Shapefile, GeoPackage, KML/KMZ, DXF) into
`Feature`s whose geometry is already in CGCS2000 lon/lat (EPSG:4490), whose properties are keyed by the
codes of a `TemplateSpec` where a header maps to one (else by the header as written), and which say where
in the file they came from, so that every problem can name file, sheet, row and column. Values are left as
read: checking them against the element catalogue is the application's job.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from shapely.geometry.base import BaseGeometry

Severity = Literal["error", "warning"]
# Reserved column codes of tabular sheets; every other code is an attribute of the element.
ELEMENT_ID, NAME, VERTEX, X, Y = "element_id", "name", "vertex", "x", "y"


@dataclass(frozen=True)
class Where:
    """A place in an uploaded file, as its author would look for it."""

    file: str
    sheet: str | None = None  # XLSX sheet, GeoPackage/DXF layer, KML folder; None for single-layer files
    row: int | None = None  # Excel row / CSV line number (header row counts), or the feature's number (1-based)
    column: str | None = None  # the header or field name as written in the file


@dataclass(frozen=True)
class Problem:
    """Something wrong (error) or worth a look (warning); `code` is translated by the application."""

    where: Where
    code: str
    params: dict[str, Any] = field(default_factory=dict)
    severity: Severity = "error"


@dataclass
class Feature:
    where: Where  # the feature's first row or its number in its layer
    layer: str | None  # sheet or layer name: what the application maps to an element kind
    geometry: BaseGeometry | None  # CGCS2000 lon/lat; None when it could not be read (see problems)
    properties: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)


@dataclass
class ReadResult:
    format: str  # xlsx | csv | geojson | shapefile | gpkg | kml | kmz | dxf
    features: list[Feature]
    problems: list[Problem]  # problems of the file as a whole (unreadable, unknown CRS, too large, ...)
    crs: str | None  # the source coordinate system used: a gis.coords.CoordinateSystem value or "EPSG:n"

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.all_problems())

    def all_problems(self) -> list[Problem]:
        return self.problems + [p for f in self.features for p in f.problems]


@dataclass(frozen=True)
class ColumnSpec:
    """One column of a template sheet."""

    code: str  # attribute code from the catalogue, or one of the reserved codes above
    label: str  # the header written in the template (Chinese)
    aliases: tuple[str, ...] = ()  # other headers accepted on reading (English label, the code itself)
    kind: Literal["text", "number", "integer", "boolean", "date", "enum"] = "text"
    unit: str | None = None
    choices: tuple[tuple[str, str], ...] = ()  # (code, label) of an enum: a drop-down list of labels
    required: bool = False
    help: str | None = None


@dataclass(frozen=True)
class SheetSpec:
    name: str  # sheet name as shown (Chinese label of the kind)
    key: str  # what the sheet holds: a catalogue kind code, or e.g. "ponds" for the pond registry
    geometry: Literal["point", "line", "polygon", "none"]
    columns: tuple[ColumnSpec, ...]
    examples: tuple[dict[str, Any], ...] = ()  # rows keyed by column code, written as filled examples


@dataclass(frozen=True)
class TemplateSpec:
    title: str
    sheets: tuple[SheetSpec, ...]
    instructions: tuple[str, ...] = ()
    crs_choices: tuple[tuple[str, str], ...] = ()  # (gis.coords system code, label) for the drop-down
