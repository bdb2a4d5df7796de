"""Loading the reference layers and the illustrative sample data set from `layers/`, idempotently.

Everything is keyed (districts by adcode, rivers by code, enterprises and ponds by code): a second run
adds only what is missing and never overwrites what users have changed. Elements are loaded only for
ponds this run creates. The whole load is one transaction.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shapely.geometry import shape
from sqlalchemy import text
from sqlalchemy.orm import Session

from app.db import set_actor
from app.elements.service import validate_feature
from gis.crs import STORAGE_SRID

# Reference layers are WGS84 GeoJSON; CGCS2000 differs by centimetres, so coordinates are taken as they are.
_GEOM = f"ST_GeomFromWKB(:wkb, {STORAGE_SRID})"


@dataclass
class SeedReport:
    added: dict[str, int] = field(default_factory=dict)
    demo_accounts: list[tuple[str, str, str]] = field(default_factory=list)

    def count(self, what: str, n: int = 1) -> None:
        self.added[what] = self.added.get(what, 0) + n


def _features(path: Path) -> list[dict[str, Any]]:
    return json.loads(path.read_text(encoding="utf-8"))["features"]


def _wkb(geometry: dict[str, Any]) -> bytes:
    return shape(geometry).wkb


def load_reference(session: Session, layers: Path, report: SeedReport) -> None:
    ref = layers / "reference"
    for f in _features(ref / "panzhihua_districts.geojson"):
        p = f["properties"]
        n = session.execute(
            text(f"""
            INSERT INTO districts (adcode, name, name_en, parent_adcode, geom, source, illustrative)
            VALUES (:adcode, :name, :name_en, :parent, ST_Multi({_GEOM}), :source, true)
            ON CONFLICT (adcode) DO NOTHING"""),
            {
                "adcode": p["adcode"],
                "name": p["name"],
                "name_en": p.get("name_en"),
                "parent": p.get("parent_adcode"),
                "wkb": _wkb(f["geometry"]),
                "source": p.get("source"),
            },
        ).rowcount
        report.count("districts", n)
    rivers = [
        (f, "jinsha" if f["properties"].get("ne_name") == "Jinsha" else "yalong")
        for f in _features(ref / "rivers.geojson")
    ]
    rivers += [(f, f["properties"]["code"]) for f in _features(ref / "anning_illustrative.geojson")]
    for f, code in rivers:
        p = f["properties"]
        n = session.execute(
            text(f"""
            INSERT INTO rivers (code, name_zh, name_en, geom, source, illustrative)
            VALUES (:code, :name_zh, :name_en, ST_Multi({_GEOM}), :source, :illustrative)
            ON CONFLICT (code) DO NOTHING"""),
            {
                "code": code,
                "name_zh": p["name_zh"],
                "name_en": p.get("name_en"),
                "wkb": _wkb(f["geometry"]),
                "source": p.get("source"),
                "illustrative": bool(p.get("illustrative", False)),
            },
        ).rowcount
        report.count("rivers", n)


def load_sample(session: Session, layers: Path, report: SeedReport) -> None:
    sample = layers / "sample"
    with (sample / "enterprises.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            n = session.execute(
                text("""
                INSERT INTO enterprises (code, name, credit_code, county_adcode, address, illustrative)
                VALUES (:code, :name, :credit_code, :county, :address, true) ON CONFLICT (code) DO NOTHING"""),
                {
                    "code": row["code"],
                    "name": row["name"],
                    "credit_code": row["credit_code"] or None,
                    "county": int(row["county_adcode"]),
                    "address": row["address"] or None,
                },
            ).rowcount
            report.count("enterprises", n)

    created: dict[str, int] = {}
    for f in _features(sample / "ponds.geojson"):
        p = f["properties"]
        pond_id = session.execute(
            text(f"""
            INSERT INTO ponds (code, name, name_en, enterprise_id, county_adcode, supervision_level, status,
                stopped_since, ownerless, safety_grade, dam_type, storage, ore_type, design_volume_10k_m3,
                current_volume_10k_m3, dam_height_m, location, boundary, dam_crest, illustrative)
            VALUES (:code, :name, :name_en, (SELECT id FROM enterprises WHERE code = :enterprise), :county, :level,
                :status, :stopped_since, :ownerless, :safety_grade, :dam_type, :storage, :ore_type, :design,
                :current, :height, ST_GeomFromWKB(:location, {STORAGE_SRID}), ST_Multi({_GEOM}),
                ST_GeomFromWKB(:crest, {STORAGE_SRID}), true)
            ON CONFLICT (code) DO NOTHING RETURNING id"""),
            {
                "code": p["code"],
                "name": p["name"],
                "name_en": p.get("name_en"),
                "enterprise": p.get("enterprise_code"),
                "county": p["county_adcode"],
                "level": p["supervision_level"],
                "status": p["status"],
                "stopped_since": p.get("stopped_since"),
                "ownerless": p.get("ownerless", False),
                "safety_grade": p.get("safety_grade"),
                "dam_type": p.get("dam_type"),
                "storage": p.get("storage"),
                "ore_type": p.get("ore_type"),
                "design": p.get("design_volume_10k_m3"),
                "current": p.get("current_volume_10k_m3"),
                "height": p.get("dam_height_m"),
                "location": _wkb({"type": "Point", "coordinates": p["location"]}),
                "wkb": _wkb(f["geometry"]),
                "crest": _wkb(p["dam_crest"]) if p.get("dam_crest") else None,
            },
        ).scalar_one_or_none()
        if pond_id is not None:
            created[p["code"]] = pond_id
    report.count("ponds", len(created))

    for f in _features(sample / "elements.geojson"):
        pond_id = created.get(f["properties"]["pond_code"])
        if pond_id is None:
            continue
        v = validate_feature(f)  # the sample goes through the same checks as the API
        session.execute(
            text(f"""
            INSERT INTO elements (pond_id, type, kind, name, geom, attributes, source, captured_at, accuracy_m,
                                  review_state)
            VALUES (:pond, :type, :kind, :name, {_GEOM}, CAST(:attributes AS jsonb), :source, :captured_at,
                    :accuracy_m, :review_state)"""),
            {
                "pond": pond_id,
                "type": v.type,
                "kind": v.kind,
                "name": v.name,
                "wkb": v.geom.wkb,
                "attributes": json.dumps(v.attributes, ensure_ascii=False),
                "source": v.source,
                "captured_at": v.captured_at,
                "accuracy_m": v.accuracy_m,
                "review_state": v.review_state,
            },
        )
        report.count("elements")

    load_records(session, sample, created, report)

    if session.execute(text("SELECT count(*) FROM sensitive_targets WHERE illustrative")).scalar() == 0:
        for f in _features(sample / "sensitive_targets.geojson"):
            p = f["properties"]
            session.execute(
                text(f"""
                INSERT INTO sensitive_targets (kind, name, name_en, geom, source, illustrative)
                VALUES (:kind, :name, :name_en, {_GEOM}, :source, true)"""),
                {
                    "kind": p["kind"],
                    "name": p["name"],
                    "name_en": p.get("name_en"),
                    "wkb": _wkb(f["geometry"]),
                    "source": "示例数据 / illustrative sample",
                },
            )
            report.count("sensitive_targets")


def load_records(session: Session, sample: Path, created: dict[str, int], report: SeedReport) -> None:
    """The illustrative pond files and laboratory results of the ponds this run created, through the same
    validation and import as the API (records.json, monitoring.csv)."""
    from app.monitoring.service import import_results
    from app.records import service as records
    from app.records.service import RecordKind

    path = sample / "records.json"
    if path.exists():
        for code, rec in json.loads(path.read_text(encoding="utf-8"))["ponds"].items():
            pond_id = created.get(code)
            if pond_id is None:
                continue
            records.put_permits(session, pond_id, rec["permits"], 0)
            for kind in (RecordKind.ledger, RecordKind.projects, RecordKind.facilities):
                for row in rec[kind.value]:
                    records.create(session, pond_id, kind, row)
                    report.count(f"records ({kind.value})")
            report.count("records (permits)")
    path = sample / "monitoring.csv"
    if path.exists():
        by_pond: dict[str, list[str]] = {}
        lines = path.read_text(encoding="utf-8").splitlines()
        for line in lines[1:]:
            code, rest = line.split(",", 1)
            by_pond.setdefault(code, []).append(rest)
        heading = lines[0].split(",", 1)[1]
        for code, rows in by_pond.items():
            if code in created:
                data = ("\n".join([heading, *rows]) + "\n").encode("utf-8")
                n = import_results(session, created[code], f"monitoring-{code}.csv", data, refuse_future=False)["rows"]
                report.count("monitoring results", n)


def seed(session: Session, layers: Path, sample: bool = True, demo: bool = False) -> SeedReport:
    """Load reference layers, organisations (and the sample data set, and in demo mode the demo accounts)
    in one transaction; the caller commits."""
    report = SeedReport()
    set_actor(session, "seed")
    load_reference(session, layers, report)
    if sample:
        load_sample(session, layers, report)
    load_organisations(session, report)
    if demo:
        report.demo_accounts = load_demo_accounts(session, report)
    return report


# --- organisations and demo accounts ------------------------------------------------------------------

PROVINCE = (510000, "四川省生态环境厅", "Department of Ecology and Environment of Sichuan Province")
CITY = (510400, "攀枝花市生态环境局", "Panzhihua Ecology and Environment Bureau")

# One demo account per role (demo mode only). Passwords are printed by `tailings seed` / `./dev start`.
DEMO_ACCOUNTS = [
    # username, display name, organisation reference, role
    ("demo-admin", "演示·系统管理员", "system", "admin"),
    ("demo-province", "演示·省厅", str(PROVINCE[0]), "province"),
    ("demo-city", "演示·市局", str(CITY[0]), "city"),
    ("demo-county", "演示·米易县分局", "510421", "county"),
    ("demo-enterprise", "演示·万年沟尾矿库企业", "@PZH-TP-021", "enterprise"),
    ("demo-viewer", "演示·只读用户", str(CITY[0]), "viewer"),
]


def demo_password(role: str) -> str:
    return f"Tailings-{role}-2025"


def load_organisations(session: Session, report: SeedReport) -> None:
    """The system, the province, the city, a bureau per county and an organisation per enterprise."""
    rows = [("system", "系统管理", "System administration", None)]
    rows += [("province", PROVINCE[1], PROVINCE[2], PROVINCE[0]), ("city", CITY[1], CITY[2], CITY[0])]
    for adcode, name, name_en in session.execute(text("SELECT adcode, name, name_en FROM districts ORDER BY adcode")):
        rows.append(("county", f"{name}生态环境分局", f"{name_en or name} Ecology and Environment Sub-bureau", adcode))
    for kind, name, name_en, adcode in rows:
        exists = session.execute(
            text("SELECT 1 FROM organisations WHERE kind = :k AND adcode IS NOT DISTINCT FROM :a"),
            {"k": kind, "a": adcode},
        ).scalar()
        if not exists:
            session.execute(
                text("INSERT INTO organisations (kind, name, name_en, adcode) VALUES (:k, :n, :ne, :a)"),
                {"k": kind, "n": name, "ne": name_en, "a": adcode},
            )
            report.count("organisations")
    n = session.execute(
        text("""
        INSERT INTO organisations (kind, name, enterprise_id)
        SELECT 'enterprise', e.name, e.id FROM enterprises e
        WHERE NOT EXISTS (SELECT 1 FROM organisations o WHERE o.enterprise_id = e.id)""")
    ).rowcount
    report.count("organisations", n)


def load_demo_accounts(session: Session, report: SeedReport) -> list[tuple[str, str, str]]:
    """Create the demo accounts that are missing; returns (username, password, role) of every demo account."""
    from app.accounts import service as accounts

    created = []
    for username, display, org_ref, role in DEMO_ACCOUNTS:
        if org_ref.startswith("@"):  # the organisation of the enterprise that operates this pond
            org_id = session.execute(
                text("""SELECT o.id FROM ponds p JOIN organisations o
                                             ON o.enterprise_id = p.enterprise_id WHERE p.code = :c"""),
                {"c": org_ref[1:]},
            ).scalar()
            if org_id is None:
                continue
            org_ref = str(org_id)
        exists = session.execute(text("SELECT 1 FROM users WHERE username = :u"), {"u": username}).scalar()
        if not exists:
            accounts.add_user(session, username, display, org_ref, role, demo_password(role), is_demo=True)
            report.count("demo accounts")
        session.execute(text("UPDATE users SET active = true WHERE username = :u AND is_demo"), {"u": username})
        created.append((username, demo_password(role), role))
    return created
