"""Numbers for the city dashboard: hazards by state, county, pond level and age; inspections due and overdue
by the frequency rules (layers/checklists/checklists.yaml `schedule`, MEE hazard guide 2022). Plain functions (the
dashboard calls them) that the JSON endpoints of app.hazards.router also serve; always within the caller's scope."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from app import registry
from app.accounts.scope import pond_scope_sql
from app.accounts.service import Actor

AGE_BUCKETS = ((30, "0-30"), (90, "31-90"), (180, "91-180"))  # days open; beyond: ">180"


def _age_bucket(days: int) -> str:
    for limit, name in AGE_BUCKETS:
        if days <= limit:
            return name
    return ">180"


def hazard_stats(session: Session, actor: Actor, on: dt.date | None = None) -> dict[str, Any]:
    from app.clock import today

    on = on or today()
    clause, params = pond_scope_sql(actor)
    rows = session.execute(
        text(f"""
        SELECT h.state, p.county_adcode, d.name AS county_name, p.supervision_level AS level,
               (CAST(:on AS date) - (h.found_at AT TIME ZONE 'Asia/Shanghai')::date) AS age_days,
               h.state = 'assigned' AND h.deadline < :on AS overdue,
               h.state IN ('rectified', 'county_verified', 'city_verified', 'province_verified')
                 AND h.verification_deadline < :on AS overdue_verification
        FROM hazards h JOIN ponds p ON p.id = h.pond_id LEFT JOIN districts d ON d.adcode = p.county_adcode
        WHERE {clause}"""),
        {**params, "on": on},
    ).all()
    by_state: Counter[str] = Counter()
    by_level: Counter[int] = Counter()
    by_age: Counter[str] = Counter()
    counties: dict[int, dict[str, Any]] = {}
    for r in rows:
        by_state[r.state] += 1
        c = counties.setdefault(
            r.county_adcode,
            {
                "adcode": r.county_adcode,
                "name": r.county_name,
                "total": 0,
                "open": 0,
                "overdue": 0,
                "overdue_verification": 0,
            },
        )
        c["total"] += 1
        if r.state != "closed":
            c["open"] += 1
            by_level[r.level] += 1
            by_age[_age_bucket(max(r.age_days, 0))] += 1
        c["overdue"] += bool(r.overdue)
        c["overdue_verification"] += bool(r.overdue_verification)
    return {
        "as_of": on,
        "total": len(rows),
        "open": sum(1 for r in rows if r.state != "closed"),
        # rectification overdue (the enterprise's step) and verification overdue (a bureau's step), apart
        "overdue": sum(1 for r in rows if r.overdue),
        "overdue_verification": sum(1 for r in rows if r.overdue_verification),
        "by_state": dict(by_state),
        "by_county": sorted(counties.values(), key=lambda c: c["adcode"]),
        "open_by_level": {str(k): v for k, v in sorted(by_level.items())},
        "open_by_age_days": {name: by_age.get(name, 0) for name in [n for _, n in AGE_BUCKETS] + [">180"]},
    }


def _state(done: int, required: int, overdue: bool) -> str:
    if done >= required:
        return "done"
    return "overdue" if overdue else "due"


def inspections_due(session: Session, actor: Actor, on: dt.date) -> dict[str, Any]:
    """Per pond in scope, this year: government inspections (level 1: twice, one before the flood season;
    level 2: once; level 3: spot checks only) and the operator's self-inspection before the flood season.
    A government inspection is overdue when a period's deadline has passed without it: this year's 1 June
    (level 1), or last year's periods when none has been done since."""
    schedule = registry.checklists().schedule
    month, day = (int(x) for x in schedule.flood_season_starts.split("-"))
    flood = dt.date(on.year, month, day)
    year_end = dt.date(on.year, 12, 31)
    clause, params = pond_scope_sql(actor)
    rows = session.execute(
        text(f"""
        SELECT p.id, p.code, p.name, p.supervision_level AS level, p.status,
               p.enterprise_id IS NOT NULL AND NOT p.ownerless AS operated,  -- ownerless: no operator's duty
               p.county_adcode, d.name AS county_name,
               count(i.id) FILTER (WHERE i.kind = 'government' AND i.local_day >= :start) AS gov_done,
               count(i.id) FILTER (WHERE i.kind = 'government' AND i.local_day >= :start
                                   AND i.local_day < :flood) AS gov_before,
               count(i.id) FILTER (WHERE i.kind = 'government' AND i.local_day < :start) AS gov_last_year,
               count(i.id) FILTER (WHERE i.kind = 'government' AND i.local_day < :last_flood) AS gov_last_before,
               count(i.id) FILTER (WHERE i.kind = 'self_inspection' AND i.local_day >= :start
                                   AND i.local_day < :flood) AS self_before,
               max(i.local_day) FILTER (WHERE i.kind = 'government') AS last_government
        FROM ponds p LEFT JOIN districts d ON d.adcode = p.county_adcode
        LEFT JOIN LATERAL (
            SELECT i.id, i.kind, (i.submitted_at AT TIME ZONE 'Asia/Shanghai')::date AS local_day
            FROM inspections i WHERE i.pond_id = p.id AND i.state = 'submitted'
              AND (i.submitted_at AT TIME ZONE 'Asia/Shanghai')::date BETWEEN :last_start AND :on) i ON true
        WHERE {clause} AND p.status <> 'delisted'
        GROUP BY p.id, d.name ORDER BY p.supervision_level, p.code"""),
        {
            **params,
            "flood": flood,
            "start": dt.date(on.year, 1, 1),
            "on": on,
            "last_start": dt.date(on.year - 1, 1, 1),
            "last_flood": dt.date(on.year - 1, month, day),
        },
    ).all()
    ponds = []
    summary: dict[str, Counter[str]] = {"government": Counter(), "self_inspection": Counter()}
    for r in rows:
        required = schedule.government_per_year.get(r.level, 0)
        if required == 0:
            gov = {"required": 0, "done": r.gov_done, "state": "spot_check", "due_by": None}
        else:
            # Overdue: a period's deadline passed without its inspection. This year's pre-flood-season deadline
            # (level 1), or last year's periods when nothing has been done since (the inspection is still owed).
            before_needed = schedule.level1_before_flood_season if r.level == 1 else 0
            missed_flood = before_needed > r.gov_before and on >= flood
            missed_last_year = r.gov_last_year < required or r.gov_last_before < before_needed
            owed = missed_last_year and r.gov_done == 0
            gov = {
                "required": required,
                "done": r.gov_done,
                "before_flood_required": before_needed,
                "before_flood_done": r.gov_before,
                "last_year_done": r.gov_last_year,
                "missed_last_year": missed_last_year,
                "due_by": flood if before_needed > r.gov_before else year_end,
                "state": "overdue" if missed_flood or owed else _state(r.gov_done, required, on > year_end),
            }
        gov["last"] = r.last_government
        if r.operated and schedule.self_inspection_per_year:
            need = schedule.self_inspection_per_year
            own = {
                "required": need,
                "done": r.self_before,
                "due_by": flood,
                "state": _state(r.self_before, need, on >= flood),
            }
        else:
            own = {"required": 0, "done": r.self_before, "due_by": None, "state": "not_applicable"}
        summary["government"][gov["state"]] += 1
        summary["self_inspection"][own["state"]] += 1
        ponds.append(
            {
                "pond_id": r.id,
                "code": r.code,
                "name": r.name,
                "level": r.level,
                "status": r.status,
                "county": {"adcode": r.county_adcode, "name": r.county_name},
                "government": gov,
                "self_inspection": own,
            }
        )
    return {
        "as_of": on,
        "year": on.year,
        "flood_season_starts": flood,
        "summary": {k: dict(v) for k, v in summary.items()},
        "ponds": ponds,
    }
