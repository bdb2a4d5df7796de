"""The element catalogue as a template: one sheet per kind, its columns, units, drop-down values.

The same spec writes the Excel template and reads uploads back, so a header written in Chinese or English,
or a catalogue code, maps to the same field.
"""

from __future__ import annotations

from app.catalogue.model import AttributeSpec, Catalogue, ElementKind
from app.i18n import Lang, label, t
from app.vocabulary import vocabulary
from gis.coords import CoordinateSystem
from gis.formats.model import ELEMENT_ID, NAME, VERTEX, ColumnSpec, SheetSpec, TemplateSpec, X, Y

CAPTURED_AT, ACCURACY_M = "captured_at", "accuracy_m"
# Properties a file may carry that are ours, not the catalogue's, written by exports for people to read and
# ignored on import (the kind's headings, read as the element's kind, are in layers/vocabulary.yaml).
SYSTEM_FIELDS = ("type", "type_label", "kind_label", "source", "review_state", "version", "pond", "pond_code")


def kind_fields() -> tuple[str, ...]:
    """The headings that name an element's kind (layers/vocabulary.yaml)."""
    return vocabulary().headings("elements")["kind"]


_EXCEL_FORBIDDEN = str.maketrans({c: "_" for c in "[]:*?/\\"})


def sheet_geometry(kind: ElementKind) -> str:
    """The layout a kind's sheet uses: one row per point, or one row per vertex of a line or polygon."""
    for geometry, layout in (("Point", "point"), ("LineString", "line"), ("Polygon", "polygon")):
        if geometry in kind.geometry or f"Multi{geometry}" in kind.geometry:
            return layout
    return "point"


def sheet_name(kind: ElementKind, lang: Lang) -> str:
    # Excel: at most 31 characters, none of []:*?/\
    return label(kind.label, lang).translate(_EXCEL_FORBIDDEN)[:31]


def _both(labels: dict[str, str]) -> tuple[str, ...]:
    return tuple(v for v in labels.values() if v)


def _column(attr: AttributeSpec, lang: Lang) -> ColumnSpec:
    kind = {"string": "text", "number": "number", "integer": "integer", "boolean": "boolean", "date": "date"}.get(
        attr.type, "enum"
    )
    choices = tuple(
        (value, label((attr.value_labels or {}).get(value) or {"zh": value}, lang)) for value in attr.values or []
    )
    help_ = None
    if attr.min is not None or attr.max is not None:
        low = "" if attr.min is None else f"{attr.min:g}"
        high = "" if attr.max is None else f"{attr.max:g}"
        help_ = t("template_range", lang, low=low, high=high, unit=attr.unit or "")
    return ColumnSpec(
        code=attr.name,
        label=label(attr.label, lang),
        aliases=(*_both(attr.label), attr.name),
        kind=kind,  # type: ignore[arg-type]
        unit=attr.unit,
        choices=choices,
        required=attr.required,
        help=help_,
    )


def _fixed_columns(layout: str, lang: Lang) -> tuple[ColumnSpec, ...]:
    def col(code: str, kind: str = "text", required: bool = False, unit: str | None = None) -> ColumnSpec:
        zh, en = t(f"template_col_{code}", "zh"), t(f"template_col_{code}", "en")
        return ColumnSpec(
            code=code,
            label=zh if lang == "zh" else en,
            aliases=(zh, en, code, *vocabulary().headings("elements").get(code, ())),
            kind=kind,  # type: ignore[arg-type]
            required=required,
            unit=unit,
            help=t(f"template_help_{code}", lang),
        )

    columns = [col(ELEMENT_ID, "integer"), col(NAME, required=True)]
    if layout != "point":
        columns.append(col(VERTEX, "integer"))
    columns += [
        col(X, required=True),
        col(Y, required=True),
        col(CAPTURED_AT, "date"),
        col(ACCURACY_M, "number", unit="m"),
    ]
    return tuple(columns)


# Examples sit in Panzhihua (a valley of Renhe District); the reader skips them by their name.
_EXAMPLE_AT = ((101.7213, 26.5834), (101.7219, 26.5829), (101.7226, 26.5831))


def _example_value(attr: AttributeSpec) -> object:
    if attr.type == "enum":
        return (attr.values or [""])[0]
    return {"boolean": True, "integer": 50, "number": attr.min if attr.min and attr.min > 0 else 10.0}.get(
        attr.type, t("template_example_text", "zh")
    )


def _examples(kind: ElementKind, layout: str, lang: Lang) -> tuple[dict[str, object], ...]:
    name = t("template_example_name", lang, kind=label(kind.label, lang))
    attributes = {a.name: _example_value(a) for a in kind.attributes if a.required}
    if layout == "point":
        x, y = _EXAMPLE_AT[0]
        return ({NAME: name, X: x, Y: y, CAPTURED_AT: "2026-05-10", ACCURACY_M: 0.05, **attributes},)
    return tuple(
        {NAME: name, VERTEX: i, X: x, Y: y, **(attributes if i == 1 else {})}
        for i, (x, y) in enumerate(_EXAMPLE_AT, start=1)
    )


def kind_sheet(kind: ElementKind, lang: Lang) -> SheetSpec:
    layout = sheet_geometry(kind)
    return SheetSpec(
        name=sheet_name(kind, lang),
        key=kind.code,
        geometry=layout,  # type: ignore[arg-type]
        columns=_fixed_columns(layout, lang) + tuple(_column(a, lang) for a in kind.attributes),
        examples=_examples(kind, layout, lang),
    )


CRS_CHOICES = (
    CoordinateSystem.cgcs2000,
    CoordinateSystem.wgs84,
    CoordinateSystem.gk3,
    CoordinateSystem.gk3_zoned,
    CoordinateSystem.gcj02,
    CoordinateSystem.bd09,
)
# Gauss-Kruger zones without the zone number need their central meridian: Panzhihua's and its neighbours'.
GK_MERIDIANS = (99, 102, 105)


def crs_choices(lang: Lang) -> list[tuple[str, str]]:
    """The coordinate systems an upload form offers (value, label); 3-degree zones without their number
    once per central meridian of the region."""
    choices: list[tuple[str, str]] = []
    for system in CRS_CHOICES:
        if system.value == "gk3":
            choices += [(f"gk3:{cm}", t("crs_gk3_cm", lang, cm=cm)) for cm in GK_MERIDIANS]
        else:
            choices.append((system.value, t(f"crs_{system.value}", lang)))
    return choices


_SPECS: dict[tuple[int, str, tuple[str, ...] | None], TemplateSpec] = {}


def template_spec(catalogue: Catalogue, lang: Lang = "zh", types: tuple[str, ...] | None = None) -> TemplateSpec:
    """The element template of the catalogue (or of some of its types), its headers in `lang`."""
    key = (id(catalogue), lang, types)
    if key not in _SPECS:
        sheets = tuple(
            kind_sheet(kind, lang)
            for element_type in catalogue.types
            if types is None or element_type.code in types
            for kind in element_type.kinds
        )
        _SPECS[key] = TemplateSpec(
            title=t("template_title", lang),
            sheets=sheets,
            instructions=tuple(t(f"template_instruction_{i}", lang) for i in range(1, 8)),
            crs_choices=tuple((c.value, t(f"crs_{c.value}", lang)) for c in CRS_CHOICES),
        )
    return _SPECS[key]


def kind_lookup(catalogue: Catalogue) -> dict[str, ElementKind]:
    """Every name a layer or sheet may carry for a kind (code, Chinese and English label), folded."""
    found: dict[str, ElementKind] = {}
    for kind in catalogue.kinds.values():
        for name in (kind.code, *_both(kind.label), sheet_name(kind, "zh"), sheet_name(kind, "en")):
            found.setdefault(name.strip().casefold(), kind)
    return found
