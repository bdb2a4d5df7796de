"""Each feature of an upload checked as an element of the catalogue: kind, geometry, attributes, region.

Values in spreadsheets arrive as people type them ("是", "2026/5/10", "1.5", a label instead of a code);
they are read into the catalogue's types first, then checked by the catalogue itself (one place for the
rules of an attribute). Problems name the file, sheet, row and column they come from.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from typing import Any

from shapely.geometry.base import BaseGeometry

from app.catalogue.model import AttributeSpec, Catalogue, ElementKind
from app.imports.spec import ACCURACY_M, CAPTURED_AT, SYSTEM_FIELDS, kind_fields, kind_lookup, template_spec
from app.vocabulary import vocabulary
from gis.formats.model import ELEMENT_ID, NAME, VERTEX, Feature, Problem, Where, X, Y
from gis.geometry import GeometryError
from gis.region import Region

_DATE = re.compile(r"^\s*(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?\s*$")
_RESERVED = {ELEMENT_ID, NAME, VERTEX, X, Y, CAPTURED_AT, ACCURACY_M}


@dataclass
class Candidate:
    """A feature read as an element, with everything wrong with it."""

    where: Where
    kind: ElementKind | None
    geometry: BaseGeometry | None
    name: str | None
    element_id: int | None
    attributes: dict[str, Any]
    captured_at: dt.date | None
    accuracy_m: float | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _number(value: Any) -> Any:
    if isinstance(value, str):
        text = value.strip().replace(",", "").replace("，", "")
        try:
            return float(text)
        except ValueError:
            return value
    return value


def _date(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and (m := _DATE.match(value)):
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat()
        except ValueError:
            return value
    return value.strip() if isinstance(value, str) else value


def coerce(spec: AttributeSpec, value: Any) -> Any:
    """A cell's value in the attribute's type where it can be read so; otherwise as it was (to be refused)."""
    match spec.type:
        case "string":
            if isinstance(value, float) and value.is_integer():
                return str(int(value))
            return value.strip() if isinstance(value, str) else str(value)
        case "number":
            return _number(value)
        case "integer":
            number = _number(value)
            if isinstance(number, float) and math.isfinite(number) and number.is_integer():
                return int(number)
            return number
        case "boolean":
            if isinstance(value, bool):
                return value
            text = str(value).strip().casefold()
            words = vocabulary().values
            return True if text in words.true else False if text in words.false else value
        case "date":
            return _date(value)
        case "enum":
            text = str(value).strip()
            for code in spec.values or []:
                names = {code, *(spec.value_labels or {}).get(code, {}).values()}
                if text.casefold() in {n.casefold() for n in names}:
                    return code
            return text
    return value


class Checker:
    """Checks features against the catalogue and the region; one per upload."""

    def __init__(self, catalogue: Catalogue, region: Region, layer_map: dict[str, str] | None = None):
        self.catalogue = catalogue
        self.region = region
        self.kinds = kind_lookup(catalogue)
        for layer, kind_code in (layer_map or {}).items():
            if kind_code in catalogue.kinds:
                self.kinds[layer.strip().casefold()] = catalogue.kinds[kind_code]
        # header -> code, per kind, in both languages (GIS files carry headers as written)
        self.aliases: dict[str, dict[str, str]] = {}
        for lang in ("zh", "en"):
            for sheet in template_spec(catalogue, lang).sheets:
                names = self.aliases.setdefault(sheet.key, {})
                for column in sheet.columns:
                    for alias in (column.code, column.label, *column.aliases):
                        names.setdefault(alias.strip().casefold(), column.code)

    def _kind(self, feature: Feature) -> tuple[ElementKind | None, Problem | None]:
        explicit = next((feature.properties[k] for k in kind_fields() if not _blank(feature.properties.get(k))), None)
        name = explicit if explicit is not None else feature.layer
        if _blank(name):
            return None, Problem(feature.where, "import_kind_missing")
        kind = self.kinds.get(str(name).strip().casefold())
        if kind is None:
            return None, Problem(feature.where, "import_kind_unknown", {"layer": str(name)})
        return kind, None

    def check(self, feature: Feature) -> Candidate:
        problems = list(feature.problems)
        kind, problem = self._kind(feature)
        if problem:
            problems.append(problem)
        names = self.aliases.get(kind.code, {}) if kind else {}
        props: dict[str, Any] = {}
        raw = dict(feature.properties)
        if isinstance(raw.get("attributes"), dict):  # GeoJSON of our own API nests the attributes
            raw.update(raw.pop("attributes"))
        for key, value in raw.items():
            code = names.get(str(key).strip().casefold(), key)
            if code in kind_fields() or code in SYSTEM_FIELDS or code in (X, Y, VERTEX):
                continue
            if _blank(value):
                continue
            props[code] = value

        def at(column: str) -> Where:
            return Where(feature.where.file, feature.where.sheet, feature.where.row, column)

        geometry = feature.geometry
        if geometry is not None and kind is not None:
            if geometry.geom_type not in kind.geometry:
                problems.append(
                    Problem(
                        feature.where,
                        "import_geometry_type",
                        {"found": geometry.geom_type, "allowed": ", ".join(kind.geometry), "kind": kind.code},
                    )
                )
            try:
                self.region.check(geometry)
            except GeometryError as exc:
                problems.append(Problem(feature.where, exc.code, dict(exc.params)))
        elif geometry is None and not any(p.severity == "error" for p in problems):
            problems.append(Problem(feature.where, "import_geometry_missing"))

        name = props.pop(NAME, None)
        if name is not None:
            name = str(int(name)) if isinstance(name, float) and name.is_integer() else str(name).strip()
            if len(name) > 200:
                problems.append(Problem(at(NAME), "import_name_too_long"))
        element_id = props.pop(ELEMENT_ID, None)
        if element_id is not None:
            number = _number(element_id)
            if isinstance(number, int | float) and float(number).is_integer() and number > 0:
                element_id = int(number)
            else:
                problems.append(Problem(at(ELEMENT_ID), "import_element_id_invalid", {"value": str(element_id)}))
                element_id = None
        captured_at = None
        if (raw := props.pop(CAPTURED_AT, None)) is not None:
            try:
                captured_at = dt.date.fromisoformat(_date(raw))
            except (TypeError, ValueError):
                problems.append(Problem(at(CAPTURED_AT), "import_date_invalid", {"value": str(raw)}))
        accuracy = None
        if (raw := props.pop(ACCURACY_M, None)) is not None:
            accuracy = _number(raw)
            if not isinstance(accuracy, int | float) or isinstance(accuracy, bool) or accuracy < 0:
                problems.append(Problem(at(ACCURACY_M), "import_accuracy_invalid", {"value": str(raw)}))
                accuracy = None

        attributes: dict[str, Any] = {}
        if kind is not None:
            for key, value in props.items():
                spec = kind.attribute_map.get(key)
                if spec is None:
                    problems.append(Problem(at(str(key)), "import_field_ignored", {"field": str(key)}, "warning"))
                    continue
                attributes[key] = coerce(spec, value)
            for fp in kind.check_attributes(attributes):
                column = fp.field.split(".", 1)[-1]
                problems.append(Problem(at(column), fp.code, fp.params))
        return Candidate(
            where=feature.where,
            kind=kind,
            geometry=geometry,
            name=name,
            element_id=element_id,
            attributes=attributes,
            captured_at=captured_at,
            accuracy_m=accuracy,
            problems=problems,
        )
