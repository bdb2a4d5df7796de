"""The pond registry as a template: one sheet `尾矿库名录`, its columns, units and drop-down lists.

The pond's name is the column `pond_name`, not the reserved `name`: the reader skips rows whose name starts
with `示例` (the template's examples), and the sample ponds are called 示例尾矿库NN. The example row's code
starts with `示例` instead, so it is still skipped.

The same spec writes the Excel template, the export of the current registry (which re-imports as it is) and
reads uploads back, so a header in Chinese or English, or the column code, maps to the same field.
"""

from __future__ import annotations

from app.enums import DamType, PondStatus, Storage
from app.i18n import Lang, t
from gis.formats.model import ColumnSpec, SheetSpec, TemplateSpec, X, Y

SHEET_KEY = "ponds"

# the volume unit as Chinese registries write it, in either language's template
_VOLUME_UNIT = t("unit_10k_m3", "zh")

# code, kind, unit, required; the headers are the messages registry_col_<code>
_COLUMNS: tuple[tuple[str, str, str | None, bool], ...] = (
    ("code", "text", None, True),
    ("pond_name", "text", None, True),
    ("enterprise_name", "text", None, False),
    ("credit_code", "text", None, False),
    ("county", "text", None, True),
    ("supervision_level", "enum", None, True),
    ("status", "enum", None, True),
    ("stopped_since", "date", None, False),
    ("ownerless", "boolean", None, False),
    ("safety_grade", "enum", None, False),
    ("dam_type", "enum", None, False),
    ("storage", "enum", None, False),
    ("ore_type", "text", None, False),
    ("design_volume_10k_m3", "number", _VOLUME_UNIT, False),
    ("current_volume_10k_m3", "number", _VOLUME_UNIT, False),
    ("dam_height_m", "number", "m", False),
    (X, "text", None, False),
    (Y, "text", None, False),
)
FIELDS = tuple(c[0] for c in _COLUMNS)
_GRADES = ("1", "2", "3", "4", "5")


def choices(code: str, lang: Lang) -> tuple[tuple[str, str], ...]:
    match code:
        case "supervision_level":
            return tuple((str(n), t("level_n", lang, n=n)) for n in (1, 2, 3))
        case "status":
            return tuple((s.value, t(f"status_{s.value}", lang)) for s in PondStatus)
        case "safety_grade":
            return tuple((k, t(f"registry_grade_{k}", lang)) for k in _GRADES)
        case "dam_type":
            return tuple((d.value, t(f"dam_{d.value}", lang)) for d in DamType)
        case "storage":
            return tuple((s.value, t(f"storage_{s.value}", lang)) for s in Storage)
    return ()


def _column(code: str, kind: str, unit: str | None, required: bool, lang: Lang) -> ColumnSpec:
    zh, en = t(f"registry_col_{code}", "zh"), t(f"registry_col_{code}", "en")
    return ColumnSpec(
        code=code,
        label=zh if lang == "zh" else en,
        aliases=(zh, en, code),
        kind=kind,  # type: ignore[arg-type]
        unit=unit,
        choices=choices(code, lang),
        required=required,
        help=t(f"registry_help_{code}", lang) if code in _HELP else None,
    )


# The template's example row: sample data of the demonstration city; its code starts with 示例, so it is skipped
REGISTRY_EXAMPLE: dict[str, object] = {
    "code": "示例：PZH-TP-000",
    "pond_name": "示例：某某尾矿库",
    "enterprise_name": "示例矿业有限公司",
    "credit_code": "91510400MA00000000",
    "county": "仁和区",
    "supervision_level": "2",
    "status": "in_use",
    "safety_grade": "4",
    "dam_type": "upstream",
    "storage": "wet",
    "ore_type": "钒钛磁铁矿",
    "design_volume_10k_m3": 120.5,
    "current_volume_10k_m3": 80.0,
    "dam_height_m": 45.0,
    X: 101.7213,
    Y: 26.5834,
}

_HELP = {"code", "county", "credit_code", X, Y, "stopped_since"}
_SPECS: dict[str, TemplateSpec] = {}


def registry_spec(lang: Lang = "zh") -> TemplateSpec:
    """The registry template with its headers in `lang`."""
    if lang not in _SPECS:
        sheet = SheetSpec(
            name=t("registry_sheet", lang),
            key=SHEET_KEY,
            geometry="none",
            columns=tuple(_column(*c, lang) for c in _COLUMNS),
            examples=(REGISTRY_EXAMPLE,),
        )
        from app.imports.spec import CRS_CHOICES

        _SPECS[lang] = TemplateSpec(
            title=t("registry_title", lang),
            sheets=(sheet,),
            instructions=tuple(t(f"registry_instruction_{i}", lang) for i in range(1, 5)),
            crs_choices=tuple((c.value, t(f"crs_{c.value}", lang)) for c in CRS_CHOICES),
        )
    return _SPECS[lang]


def reading_spec() -> TemplateSpec:
    """Both languages' sheets, so a file filled from either template reads the same."""
    zh, en = registry_spec("zh"), registry_spec("en")
    return TemplateSpec(zh.title, zh.sheets + en.sheets, zh.instructions, zh.crs_choices)
