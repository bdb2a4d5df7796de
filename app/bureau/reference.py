"""Reference layers from the bureau's files: districts, rivers, sensitive targets; preview, then replace.

A file replaces its layer as a whole, in one transaction: districts are matched by adcode and rivers by code
(updated in place, so the river codes that layers/rules.yaml buffers name keep working), those the file does
not hold are removed (a district that ponds or enterprises lie in cannot be: an error), sensitive targets are
all replaced. The sample's illustrative rows go with them; every written row records its source. As with the
registry, the commit re-reads the stored file and applies only the plan the user previewed (fingerprint).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import text
from sqlalchemy.orm import Session

from app import files, registry
from app.accounts.service import Actor
from app.bureau.plan import UploadPlan
from app.enums import SensitiveKind
from app.errors import NotFound
from app.i18n import Lang, t
from app.imports.service import describe, problem_json
from app.text import Text, accept
from app.vocabulary import vocabulary
from gis.crs import STORAGE_SRID
from gis.formats.model import NAME, ColumnSpec, Feature, Problem, SheetSpec, TemplateSpec, Where
from gis.formats.read import read_upload
from gis.formats.tabular import normalise_header


class Layer(StrEnum):
    districts = "districts"
    rivers = "rivers"
    sensitive_targets = "sensitive_targets"


def _fields(layer: Layer) -> dict[str, tuple[str, ...]]:
    """field -> headers accepted (normalised on comparison); `name` is the reserved name column.

    From layers/vocabulary.yaml: the first header is the field's code, the second its Chinese label.
    """
    return vocabulary().headings(layer.value)


SOURCE_TEXT = Text("field_source", 300, single_line=True)


_KEY = {Layer.districts: "adcode", Layer.rivers: "code", Layer.sensitive_targets: None}
_GEOMETRY = {
    Layer.districts: ("Polygon", "MultiPolygon"),
    Layer.rivers: ("LineString", "MultiLineString"),
    Layer.sensitive_targets: ("Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon"),
}


def layer_of(value: str) -> Layer:
    if value not in Layer.__members__:
        raise NotFound("not_found", {"what_code": "reference_layer", "id": value})
    return Layer(value)


def kind_choices(lang: Lang) -> tuple[tuple[str, str], ...]:
    return tuple((k.value, t(f"sensitive_{k.value}", lang)) for k in SensitiveKind)


def reading_spec(layer: Layer) -> TemplateSpec:
    """How spreadsheets of a layer read: points for sensitive targets, vertex rows for the others."""
    columns = [
        ColumnSpec(
            code,
            aliases[1],
            aliases,
            kind="enum" if code == "kind" else "text",
            choices=kind_choices("zh") if code == "kind" else (),
        )
        for code, aliases in _fields(layer).items()
        if code != "name"
    ]
    geometry = {Layer.districts: "polygon", Layer.rivers: "line", Layer.sensitive_targets: "point"}[layer]
    sheet = SheetSpec(t(f"ref_layer_{layer.value}", "zh"), layer.value, geometry, tuple(columns))  # type: ignore[arg-type]
    return TemplateSpec(t(f"ref_layer_{layer.value}", "zh"), (sheet,))


@dataclass
class _Row:
    where: Where
    key: Any
    values: dict[str, Any]
    geometry: BaseGeometry | None
    problems: list[Problem]


def _check(layer: Layer, feature: Feature, aliases: dict[str, str]) -> _Row:
    problems = list(feature.problems)
    props: dict[str, Any] = {}
    for k, v in feature.properties.items():
        code = NAME if k == NAME else aliases.get(normalise_header(k))
        if code and v is not None and str(v).strip() != "":
            props.setdefault(code, v)

    def at(code: str) -> Where:
        return Where(feature.where.file, feature.where.sheet, feature.where.row, _fields(layer)[code][1])

    values: dict[str, Any] = {}
    name = props.get(NAME)
    if name is None:
        problems.append(Problem(at("name"), "registry_required", {"column": _fields(layer)["name"][1]}))
    else:
        values["name"] = str(name).strip()
    if "name_en" in props:
        values["name_en"] = str(props["name_en"]).strip()
    key: Any = None
    if layer == Layer.districts:
        for f in ("adcode", "parent_adcode"):
            raw = props.get(f)
            if raw is None:
                continue
            try:
                number = float(str(raw).strip())
                if not number.is_integer() or not 100000 <= number <= 999999:
                    raise ValueError
                values[f] = int(number)
            except ValueError:
                problems.append(Problem(at(f), "reference_adcode_invalid", {"value": str(raw)[:40]}))
        key = values.get("adcode")
        if key is None and "adcode" not in props:
            problems.append(Problem(at("adcode"), "registry_required", {"column": _fields(layer)["adcode"][1]}))
    elif layer == Layer.rivers:
        raw = props.get("code")
        if raw is None:
            problems.append(Problem(at("code"), "registry_required", {"column": _fields(layer)["code"][1]}))
        else:
            key = str(int(raw)) if isinstance(raw, float) and raw.is_integer() else str(raw).strip()
            if len(key) > 40:
                problems.append(Problem(at("code"), "registry_code_too_long", {"value": key[:60]}))
    else:
        raw = props.get("kind")
        found = None
        if raw is not None:
            word = str(raw).strip().casefold()
            found = next(
                (c for c, label in (*kind_choices("zh"), *kind_choices("en")) if word in (c, label.casefold())), None
            )
        if found is None:
            allowed = "、".join(label for _c, label in kind_choices("zh"))
            problems.append(
                Problem(at("kind"), "registry_choice_invalid", {"value": str(raw or "")[:40], "allowed": allowed})
            )
        values["kind"] = found
    geometry = feature.geometry
    if geometry is not None:
        if not geometry.is_valid:
            geometry = shapely.make_valid(geometry)
            problems.append(Problem(feature.where, "reference_geometry_repaired", severity="warning"))
            if geometry.geom_type == "GeometryCollection":  # keep the parts of the layer's type
                parts = [g for g in geometry.geoms if g.geom_type in _GEOMETRY[layer]]
                geometry = shapely.union_all(parts) if parts else geometry
        if geometry.is_empty:
            problems.append(Problem(feature.where, "geometry_empty"))
        elif geometry.geom_type not in _GEOMETRY[layer]:
            problems.append(
                Problem(
                    feature.where,
                    "reference_geometry_type",
                    {"found": geometry.geom_type, "allowed": ", ".join(_GEOMETRY[layer])},
                )
            )
    elif not any(p.severity == "error" for p in problems):
        problems.append(Problem(feature.where, "import_geometry_missing"))
    return _Row(feature.where, key, values, geometry, problems)


_CURRENT = {
    Layer.districts: "SELECT adcode AS key, name, md5(ST_AsBinary(geom)) AS g, illustrative, source FROM districts",
    Layer.rivers: "SELECT code AS key, name_zh AS name, md5(ST_AsBinary(geom)) AS g, illustrative, source FROM rivers",
    Layer.sensitive_targets: """SELECT id AS key, name, md5(ST_AsBinary(geom)) AS g, illustrative, source
                                FROM sensitive_targets""",
}


@dataclass
class Plan(UploadPlan):
    """A reference layer's replacement; rows carry key, name, values and the geometry as WKB."""

    layer: Layer
    source: str
    removed: list[dict[str, Any]]
    state: str  # digest of the layer's current rows

    def identity(self) -> list[Any]:
        return [self.layer, self.sha256, self.crs, self.source, self.rows, self.removed, self.state]


def plan(
    session: Session,
    layer: Layer,
    filename: str,
    data: bytes,
    *,
    crs: str | None,
    source: str | None,
    lock: bool = False,
) -> Plan:
    sha = files.put(data)
    if lock:  # one replacement of a layer at a time; readers go on
        session.execute(text(f"LOCK TABLE {layer.value} IN SHARE ROW EXCLUSIVE MODE"))
    result = read_upload(filename, data, crs=crs or None, spec=reading_spec(layer))
    file_problems = list(result.problems)
    aliases = {normalise_header(a): code for code, names in _fields(layer).items() for a in names}
    aliases.update({normalise_header(code): code for code in _fields(layer)})
    checked = [_check(layer, f, aliases) for f in result.features]
    if not checked and result.ok:
        file_problems.append(Problem(Where(filename), "import_empty"))
    current = {r["key"]: r for r in session.execute(text(_CURRENT[layer])).mappings()}
    state = hashlib.sha256(
        json.dumps(
            sorted((str(k), r["name"], r["g"], r["illustrative"], r["source"]) for k, r in current.items()),
            ensure_ascii=False,
        ).encode()
    ).hexdigest()
    key_name = _KEY[layer]
    seen: dict[Any, int | None] = {}
    rows: list[dict[str, Any]] = []
    for row in checked:
        if key_name and row.key is not None:
            if row.key in seen:
                row.problems.append(
                    Problem(row.where, "reference_duplicate_key", {"key": str(row.key), "row": seen[row.key] or ""})
                )
            seen.setdefault(row.key, row.where.row)
        existing = current.get(row.key) if key_name else None
        wkb = row.geometry.wkb if row.geometry is not None else None
        if existing is None:
            action = "add"
        else:
            same = existing["name"] == row.values.get("name") and existing["g"] == _md5_wkb(session, wkb)
            action = "unchanged" if same and not existing["illustrative"] else "update"
        if any(p.severity == "error" for p in row.problems):
            action = "error"
        rows.append(
            {
                "row": row.where.row,
                "sheet": row.where.sheet,
                "key": row.key,
                "name": row.values.get("name"),
                "action": action,
                "values": row.values,
                "wkb": wkb.hex() if wkb else None,
                "problems": [problem_json(p) for p in row.problems],
            }
        )
    if key_name:
        removed = [{"key": k, "name": r["name"]} for k, r in current.items() if k not in seen]
    else:
        removed = [{"key": k, "name": r["name"]} for k, r in current.items()]
    if layer == Layer.districts and removed:
        used = session.execute(
            text("""SELECT d.adcode, d.name FROM districts d WHERE d.adcode = ANY(:codes)
                      AND (EXISTS (SELECT 1 FROM ponds p WHERE p.county_adcode = d.adcode)
                           OR EXISTS (SELECT 1 FROM enterprises e WHERE e.county_adcode = d.adcode))
                    ORDER BY d.adcode"""),
            {"codes": [r["key"] for r in removed]},
        ).all()
        for adcode, name in used:
            file_problems.append(
                Problem(Where(filename), "reference_district_in_use", {"adcode": adcode, "name": name})
            )
    if layer == Layer.rivers:
        rule = registry.rules().get("priority_zone")
        if rule is not None and rule.enabled:
            for b in rule.params.buffers:
                if b.river not in seen:
                    file_problems.append(
                        Problem(Where(filename), "reference_river_rule_missing", {"river": b.river}, "warning")
                    )
    return Plan(
        layer=layer,
        filename=filename,
        sha256=sha,
        format=result.format,
        crs=result.crs,
        source=accept(source or "", "source", SOURCE_TEXT).strip() or filename,
        rows=rows,
        removed=removed,
        problems=[problem_json(p) for p in file_problems],
        state=state,
    )


def _md5_wkb(session: Session, wkb: bytes | None) -> str | None:
    # the stored geometry's hash as PostGIS writes it (Multi of the file's geometry, in storage SRID)
    if wkb is None:
        return None
    return session.execute(
        text(f"SELECT md5(ST_AsBinary(ST_Multi(ST_GeomFromWKB(:wkb, {STORAGE_SRID}))))"), {"wkb": wkb}
    ).scalar()


def summary(p: Plan, lang: Lang) -> dict[str, Any]:
    counts = p.counts()
    counts["remove"] = len(p.removed)
    return {
        "layer": p.layer.value,
        "file": p.sha256,
        "filename": p.filename,
        "format": p.format,
        "crs": p.crs,
        "source": p.source,
        "fingerprint": p.fingerprint(),
        "counts": counts,
        "committable": p.errors == 0,
        "rows": [
            {
                "row": r["row"],
                "sheet": r["sheet"],
                "key": r["key"],
                "name": r["name"],
                "action": r["action"],
                "problems": [describe(x, lang) for x in r["problems"]],
            }
            for r in p.rows
        ],
        "removed": p.removed,
        "problems": p.described_problems(lang),
    }


def preview(
    session: Session, layer: Layer, filename: str, data: bytes, *, crs: str | None, source: str | None, lang: Lang
) -> dict[str, Any]:
    files.check_size(data, filename)
    return summary(plan(session, layer, filename, data, crs=crs, source=source), lang)


def commit(
    session: Session,
    actor: Actor,
    layer: Layer,
    sha256: str,
    filename: str,
    *,
    crs: str | None,
    source: str | None,
    fingerprint: str,
) -> dict[str, int]:
    """Replace the layer by the file, as previewed, all or nothing."""
    p = plan(session, layer, filename, files.get(sha256), crs=crs, source=source, lock=True)
    p.ensure_committable(fingerprint)
    recorded = f"{p.source} · {p.filename} · {actor.username} · {dt.date.today().isoformat()}"
    geom = f"ST_GeomFromWKB(decode(:wkb, 'hex'), {STORAGE_SRID})"
    written = [r for r in p.rows if r["action"] in ("add", "update")]
    removed = 0
    if layer == Layer.districts:
        removed = session.execute(
            text("DELETE FROM districts WHERE adcode = ANY(:keys)"), {"keys": [r["key"] for r in p.removed]}
        ).rowcount
        for r in written:
            v = r["values"]
            session.execute(
                text(f"""INSERT INTO districts (adcode, name, name_en, parent_adcode, geom, source, illustrative)
                         VALUES (:adcode, :name, :name_en, :parent, ST_Multi({geom}), :source, false)
                         ON CONFLICT (adcode) DO UPDATE SET name = EXCLUDED.name,
                           name_en = coalesce(EXCLUDED.name_en, districts.name_en),
                           parent_adcode = coalesce(:given_parent, districts.parent_adcode),
                           geom = EXCLUDED.geom, source = EXCLUDED.source, illustrative = false"""),
                {
                    "adcode": v["adcode"],
                    "name": v["name"],
                    "name_en": v.get("name_en"),
                    "parent": v.get("parent_adcode") or v["adcode"] // 100 * 100,
                    "given_parent": v.get("parent_adcode"),
                    "wkb": r["wkb"],
                    "source": recorded,
                },
            )
    elif layer == Layer.rivers:
        removed = session.execute(
            text("DELETE FROM rivers WHERE code = ANY(:keys)"), {"keys": [r["key"] for r in p.removed]}
        ).rowcount
        for r in written:
            v = r["values"]
            session.execute(
                text(f"""INSERT INTO rivers (code, name_zh, name_en, geom, source, illustrative)
                         VALUES (:code, :name, :name_en, ST_Multi({geom}), :source, false)
                         ON CONFLICT (code) DO UPDATE SET name_zh = EXCLUDED.name_zh,
                           name_en = coalesce(EXCLUDED.name_en, rivers.name_en), geom = EXCLUDED.geom,
                           source = EXCLUDED.source, illustrative = false"""),
                {"code": r["key"], "name": v["name"], "name_en": v.get("name_en"), "wkb": r["wkb"], "source": recorded},
            )
    else:
        removed = session.execute(
            text("DELETE FROM sensitive_targets WHERE id = ANY(:keys)"), {"keys": [r["key"] for r in p.removed]}
        ).rowcount
        if written:
            session.execute(
                text(f"""INSERT INTO sensitive_targets (kind, name, name_en, geom, source, illustrative)
                         VALUES (:kind, :name, :name_en, {geom}, :source, false)"""),
                [
                    {
                        "kind": r["values"]["kind"],
                        "name": r["values"]["name"],
                        "name_en": r["values"].get("name_en"),
                        "wkb": r["wkb"],
                        "source": recorded,
                    }
                    for r in written
                ],
            )
    return {
        "add": sum(1 for r in written if r["action"] == "add"),
        "update": sum(1 for r in written if r["action"] == "update"),
        "remove": removed,
    }
