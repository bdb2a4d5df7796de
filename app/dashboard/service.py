"""The city dashboard: the numbers the bureau watches, each with the ponds behind it, within the caller's scope."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from app.compliance.flags import ONE_MAP_COMPLETE_SQL, PRIORITY_ZONE_SQL, flag_params
from app.monitoring.config import monitoring_config
from app.records.config import records_config
from app.records.service import last_due_year


def dashboard(session: Session, scope: tuple[str, dict[str, Any]], today: dt.date | None = None) -> dict[str, Any]:
    today = today or dt.date.today()
    clause, params = scope
    ledger = records_config().ledger
    limits = {p.code: (p.min, p.max) for p in monitoring_config().parameters}
    rows = (
        session.execute(
            text(f"""
        SELECT p.id, p.code, p.name, p.name_en, p.illustrative, p.supervision_level AS level, p.status, p.county_adcode,
               d.name AS county, d.name_en AS county_en,
               {ONE_MAP_COMPLETE_SQL} AS one_map,
               {PRIORITY_ZONE_SQL} AS priority_zone,
               (SELECT count(*) FROM monitoring_results m
                  JOIN unnest(CAST(:pcodes AS text[]), CAST(:pmin AS float8[]), CAST(:pmax AS float8[]))
                    AS l(code, lo, hi) ON l.code = m.parameter
                 WHERE m.pond_id = p.id AND NOT m.below_detection
                   AND (m.value > l.hi OR m.value < l.lo)) AS exceedances,
               (SELECT array_agg(y ORDER BY y) FROM generate_series(CAST(:first_year AS int), CAST(:last_year AS int)) y
                 WHERE p.status = ANY(CAST(:ledger_statuses AS text[]))
                   AND NOT EXISTS (SELECT 1 FROM tailings_ledger l WHERE l.pond_id = p.id AND l.year = y
                                   AND l.reported_on IS NOT NULL)) AS ledger_missing,
               pp.discharge_permit_expiry
        FROM ponds p JOIN districts d ON d.adcode = p.county_adcode
        LEFT JOIN pond_permits pp ON pp.pond_id = p.id
        WHERE {clause}
        ORDER BY p.code"""),
            {
                **params,
                **flag_params(),
                "pcodes": list(limits),
                "pmin": [lo for lo, _ in limits.values()],
                "pmax": [hi for _, hi in limits.values()],
                "first_year": ledger.first_year,
                "last_year": last_due_year(today),
                "ledger_statuses": [s.value for s in ledger.statuses],
            },
        )
        .mappings()
        .all()
    )
    expiring_days = records_config().permits.expiring_within_days
    ponds = []
    for r in rows:
        expiry = r["discharge_permit_expiry"]
        permit = None
        if expiry is not None:
            days = (expiry - today).days
            permit = "expired" if days < 0 else "expiring" if days <= expiring_days else None
        ponds.append({**dict(r), "ledger_missing": r["ledger_missing"] or [], "permit": permit})

    def ids(pred: Any) -> list[int]:
        return [p["id"] for p in ponds if pred(p)]

    def group(key: str) -> dict[str, list[int]]:
        out: dict[str, list[int]] = {}
        for p in ponds:
            out.setdefault(str(p[key]), []).append(p["id"])
        return dict(sorted(out.items()))

    counties = {str(p["county_adcode"]): {"name": p["county"], "name_en": p["county_en"]} for p in ponds}
    return {
        "today": today,
        "total": len(ponds),
        "illustrative": any(p["illustrative"] for p in ponds),
        "one_map": {"complete": ids(lambda p: p["one_map"]), "incomplete": ids(lambda p: not p["one_map"])},
        "by_level": group("level"),
        "by_status": group("status"),
        # the grouping of the city's 2025 bulletin (简报2025年第2期): "stopped" counts the ponds being closed too
        "by_bulletin_status": {
            "in_use": ids(lambda p: p["status"] == "in_use"),
            "stopped": ids(lambda p: p["status"] in ("stopped", "closing")),
            "closed": ids(lambda p: p["status"] == "closed"),
        },
        "by_county": group("county_adcode"),
        "counties": counties,
        "priority_zone": ids(lambda p: p["priority_zone"]),
        "monitoring_exceedances": ids(lambda p: p["exceedances"] > 0),
        "exceedance_counts": {str(p["id"]): p["exceedances"] for p in ponds if p["exceedances"]},
        "ledger_missing": ids(lambda p: p["ledger_missing"]),
        "ledger_missing_years": {str(p["id"]): p["ledger_missing"] for p in ponds if p["ledger_missing"]},
        "permits_expiring": ids(lambda p: p["permit"] == "expiring"),
        "permits_expired": ids(lambda p: p["permit"] == "expired"),
        # hazards and inspections arrive with issue 5; the dashboard shows them when those tables exist
        "ponds": [
            {
                k: p[k]
                for k in ("id", "code", "name", "name_en", "level", "status", "county_adcode", "county", "county_en")
            }
            for p in ponds
        ],
    }
