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

SHEET_ZH, SHEET_EN = "尾矿库名录", "Pond registry"
SHEET_KEY = "ponds"

# code, zh label, en label, kind, unit, required
_COLUMNS: tuple[tuple[str, str, str, str, str | None, bool], ...] = (
    ("code", "尾矿库编码", "Pond code", "text", None, True),
    ("pond_name", "尾矿库名称", "Pond name", "text", None, True),
    ("enterprise_name", "企业名称", "Enterprise name", "text", None, False),
    ("credit_code", "统一社会信用代码", "Unified social credit code", "text", None, False),
    ("county", "所在县区", "County", "text", None, True),
    ("supervision_level", "监管级别", "Supervision level", "enum", None, True),
    ("status", "运行状态", "Status", "enum", None, True),
    ("stopped_since", "停用日期", "Stopped since", "date", None, False),
    ("ownerless", "是否无主库", "Ownerless", "boolean", None, False),
    ("safety_grade", "等别", "Safety grade", "enum", None, False),
    ("dam_type", "筑坝方式", "Dam type", "enum", None, False),
    ("storage", "排放方式", "Storage", "enum", None, False),
    ("ore_type", "矿种", "Ore type", "text", None, False),
    ("design_volume_10k_m3", "设计库容", "Design volume", "number", "万m³", False),
    ("current_volume_10k_m3", "现状库容", "Current volume", "number", "万m³", False),
    ("dam_height_m", "坝高", "Dam height", "number", "m", False),
    (X, "经度/X", "Longitude/X", "text", None, False),
    (Y, "纬度/Y", "Latitude/Y", "text", None, False),
)
FIELDS = tuple(c[0] for c in _COLUMNS)
_GRADES = {"1": ("一等", "grade 1"), "2": ("二等", "grade 2"), "3": ("三等", "grade 3"), "4": ("四等", "grade 4")}
_GRADES["5"] = ("五等", "grade 5")


def choices(code: str, lang: Lang) -> tuple[tuple[str, str], ...]:
    match code:
        case "supervision_level":
            return tuple((str(n), t("level_n", lang, n=n)) for n in (1, 2, 3))
        case "status":
            return tuple((s.value, t(f"status_{s.value}", lang)) for s in PondStatus)
        case "safety_grade":
            return tuple((k, zh if lang == "zh" else en) for k, (zh, en) in _GRADES.items())
        case "dam_type":
            return tuple((d.value, t(f"dam_{d.value}", lang)) for d in DamType)
        case "storage":
            return tuple((s.value, t(f"storage_{s.value}", lang)) for s in Storage)
    return ()


def _column(code: str, zh: str, en: str, kind: str, unit: str | None, required: bool, lang: Lang) -> ColumnSpec:
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


_HELP = {"code", "county", "credit_code", X, Y, "stopped_since"}
_SPECS: dict[str, TemplateSpec] = {}


def registry_spec(lang: Lang = "zh") -> TemplateSpec:
    """The registry template with its headers in `lang`."""
    if lang not in _SPECS:
        example = {
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
        sheet = SheetSpec(
            name=SHEET_ZH if lang == "zh" else SHEET_EN,
            key=SHEET_KEY,
            geometry="none",
            columns=tuple(_column(*c, lang) for c in _COLUMNS),
            examples=(example,),
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
