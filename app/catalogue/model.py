"""Reading and validating `layers/catalogue/element_types.yaml`, and checking attributes against it."""

from __future__ import annotations

import datetime as dt
import math
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.errors import FieldProblem
from app.text import Text, TextRefused
from gis.formats.text import CELL_MAX
from gis.geometry import GEOMETRY_TYPES

Labels = dict[Literal["zh", "en"], str]
AttrType = Literal["string", "number", "integer", "boolean", "enum", "date"]
ATTRIBUTE_TEXT = Text("field_attribute", CELL_MAX)  # the label is the attribute's own, added by the caller


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AttributeSpec(_Strict):
    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    type: AttrType
    label: Labels
    unit: str | None = None
    min: float | None = None
    max: float | None = None
    values: list[str] | None = None
    value_labels: dict[str, Labels] | None = None
    required: bool = False

    @model_validator(mode="after")
    def _coherent(self) -> AttributeSpec:
        if self.type == "enum" and not self.values:
            raise ValueError(f"attribute {self.name}: an enum needs values")
        if self.type != "enum" and self.values:
            raise ValueError(f"attribute {self.name}: only enums have values")
        if self.value_labels and set(self.value_labels) - set(self.values or []):
            raise ValueError(f"attribute {self.name}: value_labels for unknown values")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"attribute {self.name}: min > max")
        if "zh" not in self.label or "en" not in self.label:
            raise ValueError(f"attribute {self.name}: label needs zh and en")
        return self

    def check(self, value: Any) -> tuple[str, dict[str, Any]] | None:
        """None if `value` is acceptable, else (message code, params)."""
        bad = ("attribute_type", {"expected_code": f"type_{'string' if self.type == 'enum' else self.type}"})
        match self.type:
            case "string":
                if not isinstance(value, str):
                    return bad
                try:
                    ATTRIBUTE_TEXT.check(value)
                except TextRefused as exc:
                    return exc.code, {k: v for k, v in exc.params.items() if k != "labels"}
            case "boolean":
                if not isinstance(value, bool):
                    return bad
            case "date":
                if not isinstance(value, str):
                    return bad
                try:
                    dt.date.fromisoformat(value)
                except ValueError:
                    return bad
            case "enum":
                if value not in (self.values or []):
                    return "attribute_enum", {"allowed": ", ".join(self.values or [])}
            case "number" | "integer":
                if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
                    return bad
                if self.type == "integer" and not float(value).is_integer():
                    return bad
                if self.min is not None and value < self.min:
                    return "attribute_min", {"min": _num(self.min), "unit": self.unit or ""}
                if self.max is not None and value > self.max:
                    return "attribute_max", {"max": _num(self.max), "unit": self.unit or ""}
        return None


def _num(x: float) -> str:
    return f"{x:g}"


class KindStyle(_Strict):
    color: str = Field(pattern=r"^#[0-9a-fA-F]{6}$")
    symbol: str | None = None
    weight: float | None = None
    dash: str | None = None
    fill: str | None = Field(None, pattern=r"^#[0-9a-fA-F]{6}$")
    fill_opacity: float | None = Field(None, ge=0, le=1)


class ElementKind(_Strict):
    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: Labels
    geometry: list[str]
    flow: bool = False
    style: KindStyle
    attributes: list[AttributeSpec] = []
    type_code: str = ""  # filled in by the catalogue

    @model_validator(mode="after")
    def _coherent(self) -> ElementKind:
        unknown = set(self.geometry) - set(GEOMETRY_TYPES)
        if unknown or not self.geometry:
            raise ValueError(f"kind {self.code}: geometry types {sorted(unknown)} unknown")
        if self.flow and not {"LineString", "MultiLineString"} & set(self.geometry):
            raise ValueError(f"kind {self.code}: only lines can carry flow")
        names = [a.name for a in self.attributes]
        if len(names) != len(set(names)):
            raise ValueError(f"kind {self.code}: duplicate attribute names")
        return self

    @cached_property
    def attribute_map(self) -> dict[str, AttributeSpec]:
        return {a.name: a for a in self.attributes}

    def check_attributes(self, attributes: Any, path: str = "attributes") -> list[FieldProblem]:
        """Every problem of an attribute object for this kind, each naming its field."""
        if not isinstance(attributes, dict):
            return [FieldProblem(path, "attribute_type", {"label": path, "expected_code": "type_object"})]
        problems: list[FieldProblem] = []
        for name in attributes:
            if name not in self.attribute_map:
                problems.append(FieldProblem(f"{path}.{name}", "attribute_unknown", {"kind": self.code, "name": name}))
        for spec in self.attributes:
            value = attributes.get(spec.name)
            if value is None:
                if spec.required:
                    problems.append(FieldProblem(f"{path}.{spec.name}", "attribute_required", {"labels": spec.label}))
                continue
            found = spec.check(value)
            if found:
                code, params = found
                problems.append(FieldProblem(f"{path}.{spec.name}", code, {"labels": spec.label, **params}))
        return problems


class ElementType(_Strict):
    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: Labels
    color: str = Field(pattern=r"^#[0-9a-fA-F]{6}$")
    kinds: list[ElementKind] = Field(min_length=1)


class Catalogue(_Strict):
    version: int
    types: list[ElementType] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> Catalogue:
        types = [t.code for t in self.types]
        kinds = [k.code for t in self.types for k in t.kinds]
        for what, codes in (("type", types), ("kind", kinds)):
            dupes = sorted({c for c in codes if codes.count(c) > 1})
            if dupes:
                raise ValueError(f"duplicate {what} codes: {dupes}")
        for t in self.types:
            for k in t.kinds:
                object.__setattr__(k, "type_code", t.code)
        return self

    @cached_property
    def kinds(self) -> dict[str, ElementKind]:
        return {k.code: k for t in self.types for k in t.kinds}

    @cached_property
    def type_codes(self) -> tuple[str, ...]:
        return tuple(t.code for t in self.types)

    def type(self, code: str) -> ElementType | None:
        return next((t for t in self.types if t.code == code), None)


def load_catalogue(path: Path) -> Catalogue:
    """Read and validate the catalogue file; a broken file raises ValueError naming the problem."""
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ValueError(f"cannot read element catalogue {path}: {exc}") from exc
    try:
        return Catalogue.model_validate(raw)
    except ValueError as exc:
        raise ValueError(f"invalid element catalogue {path}: {exc}") from exc
