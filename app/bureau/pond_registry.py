"""The bureau's list of ponds (尾矿库名录): template, export, preview and an all-or-nothing commit.

Nothing is staged in a table between preview and commit: the upload is kept in the file store (by hash) and
the commit reads it again, plans again, and applies the plan only if it is the one the user saw (the preview's
fingerprint covers the file, the options and every value the plan would change; any change to the registry
in between makes the commit refuse with 409, and the user previews again). Ponds are matched by code,
enterprises by credit code then name (else created), counties by adcode or name. A blank cell leaves the
field as it is. Every pond in the file is real: its `illustrative` flag is cleared. With `delist`, the
illustrative sample ponds the file does not hold are delisted (status `delisted`), never deleted.
Every change is written by plain UPDATE/INSERT, so the audit triggers of ponds and enterprises record it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from app import files, registry
from app.accounts.scope import pond_scope_sql
from app.accounts.service import Actor
from app.bureau.plan import UploadPlan
from app.bureau.spec import choices, reading_spec, registry_spec
from app.enums import PondStatus
from app.errors import Conflict, render_params
from app.i18n import Lang, t
from app.imports.service import describe, problem_json
from app.vocabulary import vocabulary
from gis.crs import STORAGE_SRID
from gis.formats.model import Feature, Problem, Where, X, Y
from gis.formats.read import read_upload
from gis.formats.tabular import normalise_header
from gis.formats.template import build_workbook, workbook_bytes, write_template
from gis.geometry import GeometryError

# Fields compared and written, in the order shown in the preview.
POND_FIELDS = (
    "name",
    "enterprise",
    "county_adcode",
    "supervision_level",
    "status",
    "stopped_since",
    "ownerless",
    "safety_grade",
    "dam_type",
    "storage",
    "ore_type",
    "design_volume_10k_m3",
    "current_volume_10k_m3",
    "dam_height_m",
    "location",
)
_NUMBERS = ("design_volume_10k_m3", "current_volume_10k_m3", "dam_height_m")
_MOVE_DEGREES = 1e-7  # about a centimetre: a location closer than this is unchanged


def template(lang: Lang) -> tuple[str, bytes]:
    return f"{t('registry_title', lang)}.xlsx", write_template(registry_spec(lang))


def export(session: Session, actor: Actor, lang: Lang) -> tuple[str, bytes]:
    """The current registry (the actor's scope) in the template's layout: edit it and upload it again."""
    clause, params = pond_scope_sql(actor)
    rows = session.execute(
        text(f"""SELECT p.code, p.name AS pond_name, en.name AS enterprise_name, en.credit_code,
                        p.county_adcode AS county,
                        p.supervision_level, p.status, p.stopped_since, p.ownerless, p.safety_grade, p.dam_type,
                        p.storage, p.ore_type, p.design_volume_10k_m3::float8 AS design_volume_10k_m3,
                        p.current_volume_10k_m3::float8 AS current_volume_10k_m3,
                        p.dam_height_m::float8 AS dam_height_m,
                        ST_X(p.location) AS x, ST_Y(p.location) AS y
                 FROM ponds p LEFT JOIN enterprises en ON en.id = p.enterprise_id
                 WHERE {clause} ORDER BY p.code"""),
        params,
    ).mappings()
    data = []
    for r in rows:
        row = {k: v for k, v in dict(r).items() if v is not None}
        for key in ("supervision_level", "safety_grade"):
            if key in row:
                row[key] = str(row[key])
        row["county"] = str(row["county"])
        data.append(row)
    spec = registry_spec(lang)
    body = workbook_bytes(build_workbook(spec, {spec.sheets[0].name: data}, crs="cgcs2000"))
    return f"{t('registry_title', lang)}-{dt.date.today().isoformat()}.xlsx", body


# --- reading and checking rows ---------------------------------------------------------------------------


@dataclass
class RegistryRow:
    where: Where
    code: str | None
    values: dict[str, Any]  # field -> value as it will be written (only what the file gives)
    enterprise: dict[str, Any] | None  # {"name", "credit_code"} as given
    problems: list[Problem] = field(default_factory=list)


def _aliases() -> dict[str, str]:
    out: dict[str, str] = {}
    for sheet in reading_spec().sheets:
        for col in sheet.columns:
            for h in (col.code, col.label, *col.aliases):
                out.setdefault(normalise_header(h), col.code)
    coordinates = vocabulary().headings("registry")
    for h in coordinates["x"]:
        out.setdefault(normalise_header(h), X)
    for h in coordinates["y"]:
        out.setdefault(normalise_header(h), Y)
    return out


@lru_cache
def _labels() -> dict[str, str]:
    """Column code -> its Chinese header: where a problem points."""
    return {c.code: c.label for c in registry_spec("zh").sheets[0].columns}


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip()) or (isinstance(v, float) and math.isnan(v))


def _enum(code: str, value: Any) -> str | None:
    text_ = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value).strip()
    for c, label in (*choices(code, "zh"), *choices(code, "en")):
        if text_.casefold() in (c.casefold(), label.casefold()):
            return c
    return None


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        number = float(str(value).replace(",", "").strip()) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text_ = str(value).strip().replace("/", "-").replace(".", "-").replace("年", "-").replace("月", "-")
    try:
        return dt.date.fromisoformat(text_.rstrip("日"))
    except ValueError:
        parts = text_.rstrip("日").split("-")
        try:
            return dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
        except (ValueError, IndexError):
            return None


class _Counties:
    def __init__(self, session: Session):
        self.by_code: dict[int, str] = {}
        self.by_name: dict[str, int] = {}
        for adcode, name, name_en in session.execute(text("SELECT adcode, name, name_en FROM districts")):
            self.by_code[adcode] = name
            for n in (name, name_en):
                if n:
                    self.by_name[n.strip().casefold()] = adcode

    def find(self, value: Any) -> int | None:
        number = _number(value)
        if number is not None and number.is_integer() and int(number) in self.by_code:
            return int(number)
        return self.by_name.get(str(value).strip().casefold())


def _check(feature: Feature, aliases: dict[str, str], counties: _Counties) -> RegistryRow:
    problems = list(feature.problems)
    props = {aliases.get(normalise_header(k), k): v for k, v in feature.properties.items()}

    def at(code: str) -> Where:
        return Where(feature.where.file, feature.where.sheet, feature.where.row, _labels().get(code, code))

    def bad(code: str, value: Any, message: str, **params: Any) -> None:
        problems.append(Problem(at(code), message, {"value": str(value)[:60], **params}))

    values: dict[str, Any] = {}
    code = props.get("code")
    code = None if _blank(code) else (str(int(code)) if isinstance(code, float) and code.is_integer() else str(code))
    if code is None:
        problems.append(Problem(at("code"), "registry_required", {"column": at("code").column}))
    elif len(code.strip()) > 40:
        bad("code", code, "registry_code_too_long")
    code = code.strip() if code else None
    if not _blank(props.get("pond_name")):
        values["name"] = str(props["pond_name"]).strip()
    county = props.get("county")
    if not _blank(county):
        adcode = counties.find(county)
        if adcode is None:
            problems.append(Problem(at("county"), "registry_county_unknown", {"value": str(county)[:40]}))
        else:
            values["county_adcode"] = adcode
    for key in ("supervision_level", "status", "safety_grade", "dam_type", "storage"):
        raw = props.get(key)
        if _blank(raw):
            continue
        found = _enum(key, raw)
        if found is None:
            allowed = "、".join(label for _c, label in choices(key, "zh"))
            bad(key, raw, "registry_choice_invalid", allowed=allowed)
        else:
            values[key] = int(found) if key in ("supervision_level", "safety_grade") else found
    if not _blank(props.get("stopped_since")):
        day = _date(props["stopped_since"])
        if day is None:
            bad("stopped_since", props["stopped_since"], "import_date_invalid")
        else:
            values["stopped_since"] = day
    if not _blank(props.get("ownerless")):
        raw = props["ownerless"]
        word = str(raw).strip().casefold()
        if isinstance(raw, bool):
            values["ownerless"] = raw
        elif word in ("是", "有", "true", "yes", "y", "1", "√"):
            values["ownerless"] = True
        elif word in ("否", "无", "false", "no", "n", "0", "×"):
            values["ownerless"] = False
        else:
            bad("ownerless", raw, "registry_boolean_invalid")
    for key in _NUMBERS:
        if _blank(props.get(key)):
            continue
        number = _number(props[key])
        if number is None or number < 0 or number >= 1e8:
            bad(key, props[key], "registry_number_invalid")
        else:
            values[key] = round(number, 2)
    if not _blank(props.get("ore_type")):
        values["ore_type"] = str(props["ore_type"]).strip()
    geometry = feature.geometry
    if geometry is not None:
        if geometry.geom_type != "Point":
            problems.append(Problem(feature.where, "registry_location_point", {"found": geometry.geom_type}))
        else:
            try:
                registry.region().check(geometry)
                values["location"] = (round(geometry.x, 9), round(geometry.y, 9))
            except GeometryError as exc:
                problems.append(Problem(feature.where, exc.code, dict(exc.params)))
    enterprise = None
    name, credit = props.get("enterprise_name"), props.get("credit_code")
    if not _blank(name) or not _blank(credit):
        credit_text = None if _blank(credit) else str(credit).strip().upper()
        if credit_text is not None and (len(credit_text) != 18 or not credit_text.isalnum()):
            bad("credit_code", credit, "registry_credit_code_invalid")
        enterprise = {"name": None if _blank(name) else str(name).strip(), "credit_code": credit_text}
    return RegistryRow(feature.where, code, values, enterprise, problems)


# --- planning -------------------------------------------------------------------------------------------

_CURRENT = """SELECT p.id, p.code, p.name, p.enterprise_id, en.name AS enterprise_name, p.county_adcode,
                      p.supervision_level, p.status, p.stopped_since, p.ownerless, p.safety_grade, p.dam_type,
                      p.storage, p.ore_type, p.design_volume_10k_m3::float8 AS design_volume_10k_m3,
                        p.current_volume_10k_m3::float8 AS current_volume_10k_m3,
                        p.dam_height_m::float8 AS dam_height_m,
                      ST_X(p.location) AS lon, ST_Y(p.location) AS lat, p.illustrative, p.version,
                      ({scope}) AS in_scope
               FROM ponds p LEFT JOIN enterprises en ON en.id = p.enterprise_id ORDER BY p.id"""


@dataclass
class Plan(UploadPlan):
    """The registry upload's plan; rows carry code, changes and the values written."""

    delist: bool
    new_enterprises: list[dict[str, Any]]
    delisted: list[dict[str, Any]]

    def identity(self) -> list[Any]:
        return [self.sha256, self.crs, self.delist, self.rows, self.new_enterprises, self.delisted]


def _county_allowed(session: Session, actor: Actor, adcode: int) -> bool:
    clause, params = pond_scope_sql(actor, "x")
    if "enterprise_id" in clause:
        return False
    return bool(
        session.execute(
            text(f"SELECT 1 FROM (SELECT CAST(:adcode AS integer) AS county_adcode) x WHERE {clause}"),
            {"adcode": adcode, **params},
        ).scalar()
    )


def _shown(key: str, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    if key == "location":
        return [round(value[0], 9), round(value[1], 9)]
    return value


class _Enterprises:
    """The enterprises known, matched by credit code then by name; new ones collected once per file."""

    def __init__(self, session: Session):
        rows = session.execute(text("SELECT id, name, credit_code FROM enterprises ORDER BY id")).mappings().all()
        self.by_credit = {e["credit_code"]: e for e in rows if e["credit_code"]}
        self.by_name: dict[str, Any] = {}
        for e in rows:
            self.by_name.setdefault(e["name"], e)
        self.new: dict[str, dict[str, Any]] = {}

    def resolve(self, row: RegistryRow, existing: Any, problems: list[Problem]) -> tuple[Any, str | None]:
        """(enterprise id or 'new:<key>', its name) for the row; the pond's current one if the row names none."""
        enterprise_id: Any = existing["enterprise_id"] if existing else None
        enterprise_label = existing["enterprise_name"] if existing else None
        given = row.enterprise
        if given is None:
            return enterprise_id, enterprise_label
        e = self.by_credit.get(given["credit_code"]) if given["credit_code"] else None
        if e is None and given["name"]:
            e = self.by_name.get(given["name"])
            if e is not None and e["credit_code"] and given["credit_code"]:
                problems.append(
                    Problem(
                        row.where,
                        "registry_enterprise_credit_differs",
                        {"name": e["name"], "credit_code": e["credit_code"]},
                    )
                )
                e = None
        if e is not None:
            return e["id"], e["name"]
        if given["name"]:
            key = given["credit_code"] or given["name"]
            self.new.setdefault(key, {"key": key, **given, "county_adcode": row.values.get("county_adcode")})
            return f"new:{key}", given["name"]
        problems.append(Problem(row.where, "registry_enterprise_unknown", {"credit_code": given["credit_code"]}))
        return enterprise_id, enterprise_label


def _scope_problems(
    session: Session,
    actor: Actor,
    row: RegistryRow,
    existing: Any,
    seen: dict[str, int | None],
    counties: _Counties,
    allowed_cache: dict[int, bool],
) -> None:
    """Duplicate codes in the file, ponds and counties outside the actor's scope, what a new pond lacks."""
    problems = row.problems
    if row.code is not None:
        if row.code in seen:
            problems.append(
                Problem(row.where, "registry_duplicate_code", {"code": row.code, "row": seen[row.code] or ""})
            )
        seen.setdefault(row.code, row.where.row)
    if existing is not None and not existing["in_scope"]:
        problems.append(Problem(row.where, "registry_pond_outside_scope", {"code": row.code}))
    adcode = row.values.get("county_adcode")
    if adcode is not None:
        if adcode not in allowed_cache:
            allowed_cache[adcode] = _county_allowed(session, actor, adcode)
        if not allowed_cache[adcode]:
            problems.append(Problem(row.where, "registry_county_outside_scope", {"county": counties.by_code[adcode]}))
    if existing is None:
        for key in ("name", "county_adcode", "supervision_level", "status", "location"):
            if key not in row.values and not any(p.code == "registry_county_unknown" for p in problems):
                problems.append(Problem(row.where, "registry_new_needs", {"field_code": f"registry_f_{key}"}))


def _changes(values: dict[str, Any], existing: Any, enterprise_label: str | None) -> tuple[str, dict[str, list[Any]]]:
    """The row's action (add, update, unchanged) and each field's [old, new] as shown in the preview."""
    changes: dict[str, list[Any]] = {}
    if existing is None:
        for key in POND_FIELDS:
            if key in values:
                shown = enterprise_label if key == "enterprise" else values[key]
                changes[key] = [None, _shown(key, shown)]
        return "add", changes
    for key in POND_FIELDS:
        if key not in values:
            continue
        if key == "location":
            old = (existing["lon"], existing["lat"])
            new = values[key]
            if max(abs(old[0] - new[0]), abs(old[1] - new[1])) > _MOVE_DEGREES:
                changes[key] = [_shown(key, old), _shown(key, new)]
        elif key == "enterprise":
            if values[key] != existing["enterprise_id"]:
                changes[key] = [existing["enterprise_name"], enterprise_label]
        else:
            old = existing[key]
            if old != values[key]:
                changes[key] = [_shown(key, old), _shown(key, values[key])]
    if existing["illustrative"]:
        changes["illustrative"] = [True, False]
    return ("update" if changes else "unchanged"), changes


def _delisted(current: dict[str, Any], seen: dict[str, int | None]) -> list[dict[str, Any]]:
    """Sample ponds in scope that the file leaves out: delisted when the user asks for it."""
    return [
        {"pond_id": r["id"], "code": code, "name": r["name"], "version": r["version"]}
        for code, r in current.items()
        if r["in_scope"] and r["illustrative"] and code not in seen and r["status"] != PondStatus.delisted
    ]


def plan(
    session: Session, actor: Actor, filename: str, data: bytes, *, crs: str | None, delist: bool, lock: bool = False
) -> Plan:
    """What the upload would do to the registry, row by row, with every problem found."""
    sha = files.put(data)
    result = read_upload(filename, data, crs=crs or None, spec=reading_spec())
    file_problems = list(result.problems)
    aliases, counties = _aliases(), _Counties(session)
    checked = [_check(f, aliases, counties) for f in result.features]
    if not checked and result.ok:
        file_problems.append(Problem(Where(filename), "import_empty"))
    clause, params = pond_scope_sql(actor)
    current = {
        r["code"]: r
        for r in session.execute(
            text(_CURRENT.format(scope=clause) + (" FOR UPDATE OF p" if lock else "")), params
        ).mappings()
    }
    enterprises = _Enterprises(session)
    seen: dict[str, int | None] = {}
    rows: list[dict[str, Any]] = []
    allowed_cache: dict[int, bool] = {}
    for row in checked:
        existing = current.get(row.code) if row.code else None
        _scope_problems(session, actor, row, existing, seen, counties, allowed_cache)
        enterprise_id, enterprise_label = enterprises.resolve(row, existing, row.problems)
        values = dict(row.values)
        if row.enterprise is not None:
            values["enterprise"] = enterprise_id
        action, changes = _changes(values, existing, enterprise_label)
        if any(p.severity == "error" for p in row.problems):
            action = "error"
        rows.append(
            {
                "row": row.where.row,
                "sheet": row.where.sheet,
                "code": row.code,
                "name": values.get("name") or (existing["name"] if existing else None),
                "action": action,
                "pond_id": existing["id"] if existing else None,
                "version": existing["version"] if existing else None,
                "values": {k: _shown(k, v) for k, v in values.items()},
                "changes": changes,
                "problems": [problem_json(p) for p in row.problems],
            }
        )
    return Plan(
        filename=filename,
        sha256=sha,
        format=result.format,
        crs=result.crs,
        delist=delist,
        rows=rows,
        new_enterprises=list(enterprises.new.values()),
        delisted=_delisted(current, seen) if delist else [],
        problems=[problem_json(p) for p in file_problems],
    )


def summary(p: Plan, lang: Lang) -> dict[str, Any]:
    """The preview: counts, every row with what changes, every problem in the user's language."""
    counts = p.counts()
    counts["delist"] = len(p.delisted)
    counts["new_enterprises"] = len(p.new_enterprises)
    return {
        "file": p.sha256,
        "filename": p.filename,
        "format": p.format,
        "crs": p.crs,
        "delist": p.delist,
        "fingerprint": p.fingerprint(),
        "counts": counts,
        "committable": p.errors == 0,
        "rows": [
            {
                **{k: v for k, v in r.items() if k not in ("version", "values")},
                "problems": [describe(x, lang) for x in r["problems"]],
            }
            for r in p.rows
        ],
        "new_enterprises": [{"name": e["name"], "credit_code": e["credit_code"]} for e in p.new_enterprises],
        "delisted": [{"code": d["code"], "name": d["name"]} for d in p.delisted],
        "problems": p.described_problems(lang),
    }


def preview(
    session: Session, actor: Actor, filename: str, data: bytes, *, crs: str | None, delist: bool, lang: Lang
) -> dict[str, Any]:
    files.check_size(data, filename)
    return summary(plan(session, actor, filename, data, crs=crs, delist=delist), lang)


def error_report(
    session: Session, actor: Actor, filename: str, data: bytes, *, crs: str | None, delist: bool, lang: Lang
) -> tuple[str, bytes]:
    """The uploaded file with an error column (XLSX), or a table of its problems, to fix and upload again."""
    from app.imports.service import problem_from_json
    from gis.formats.report import error_report as build

    files.check_size(data, filename)
    p = plan(session, actor, filename, data, crs=crs, delist=delist)
    problems = [problem_from_json(x) for x in p.problems + [x for r in p.rows for x in r["problems"]]]

    def translate(problem: Problem) -> str:
        return t(problem.code, lang, **render_params(dict(problem.params), lang))

    stem = filename.rsplit(".", 1)[0]
    return f"{stem}-{t('error_report_suffix', lang)}.xlsx", build(
        filename, data, problems, translate, spec=reading_spec()
    )


# --- commit ----------------------------------------------------------------------------------------------


def _enterprise_code(session: Session, e: dict[str, Any]) -> str:
    if e["credit_code"]:
        return str(e["credit_code"])
    base = "E-" + hashlib.sha1(e["name"].encode()).hexdigest()[:10].upper()
    exists = session.execute(text("SELECT 1 FROM enterprises WHERE code = :c"), {"c": base}).scalar()
    return base if not exists else f"{base}-{dt.datetime.now().strftime('%H%M%S%f')}"


def commit(
    session: Session,
    actor: Actor,
    sha256: str,
    filename: str,
    *,
    crs: str | None,
    delist: bool,
    fingerprint: str,
) -> dict[str, int]:
    """Apply the plan the user previewed, all of it or nothing; 409 if the registry changed since."""
    data = files.get(sha256)
    p = plan(session, actor, filename, data, crs=crs, delist=delist, lock=True)
    p.ensure_committable(fingerprint)
    new_ids: dict[str, int] = {}
    for e in p.new_enterprises:
        enterprise_id = session.execute(
            text("""INSERT INTO enterprises (code, name, credit_code, county_adcode)
                    VALUES (:code, :name, :credit, :county) RETURNING id"""),
            {
                "code": _enterprise_code(session, e),
                "name": e["name"],
                "credit": e["credit_code"],
                "county": e["county_adcode"],
            },
        ).scalar_one()
        # an organisation per enterprise, as the seed makes them: enterprise accounts belong to one
        session.execute(
            text("INSERT INTO organisations (kind, name, enterprise_id) VALUES ('enterprise', :name, :id)"),
            {"name": e["name"], "id": enterprise_id},
        )
        new_ids[f"new:{e['key']}"] = enterprise_id
    # rows grouped by the columns they write, each group in one executemany (psycopg pipelines it)
    adds: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    updates: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for r in p.rows:
        if r["action"] not in ("add", "update"):
            continue
        values = dict(r["values"])
        if "enterprise" in values:
            ent = values.pop("enterprise")
            values["enterprise_id"] = new_ids[ent] if isinstance(ent, str) else ent
        location = values.pop("location", None)
        params: dict[str, Any] = {
            **values,
            "lon": location[0] if location else None,
            "lat": location[1] if location else None,
        }
        if r["action"] == "add":
            adds.setdefault(tuple(values), []).append({**params, "code": r["code"]})
        else:
            key = (*values, *(("location",) if location else ()))
            updates.setdefault(key, []).append({**params, "pond_id": r["pond_id"], "version": r["version"]})
    point = f"ST_SetSRID(ST_MakePoint(:lon, :lat), {STORAGE_SRID})"
    for columns, batch in adds.items():
        session.execute(
            text(f"""INSERT INTO ponds (code, {", ".join(columns)}, location, illustrative)
                     VALUES (:code, {", ".join(":" + c for c in columns)}, {point}, false)"""),
            batch,
        )
    updated = 0
    for columns, batch in updates.items():
        sets = [f"location = {point}" if c == "location" else f"{c} = :{c}" for c in columns]
        n = session.execute(
            text(f"""UPDATE ponds SET {", ".join([*sets, "illustrative = false"])}, version = version + 1,
                            updated_at = now()
                     WHERE id = :pond_id AND version = :version"""),
            batch,
        ).rowcount
        if n != len(batch):  # locked since the plan was made, so only a bug could get here
            raise Conflict("registry_changed_since_preview")
        updated += n
    added = sum(len(b) for b in adds.values())
    delisted = 0
    if p.delisted:
        delisted = session.execute(
            text("""UPDATE ponds SET status = 'delisted', version = version + 1, updated_at = now()
                    WHERE id = ANY(:ids)"""),
            {"ids": [d["pond_id"] for d in p.delisted]},
        ).rowcount
    return {"add": added, "update": updated, "delist": delisted, "new_enterprises": len(new_ids)}
