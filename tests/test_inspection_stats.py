"""Inspections due and overdue by the frequency rules (MEE guide 2022): level 1 twice a year with one before
1 June, level 2 once a year, level 3 by spot check; the operator's self-inspection before the flood season."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from tests.factories import make_pond


def inspected(db: Any, pond: int, day: str, kind: str = "government") -> None:
    from app.inspections.service import template_row

    template_id, _ = template_row(db, "in_use")
    db.execute(
        text("""INSERT INTO inspections (id, pond_id, template_id, kind, state, inspector_id, organisation_id,
                                         started_at, submitted_at)
                SELECT gen_random_uuid(), :p, :t, :k, 'submitted', u.id, u.organisation_id,
                       CAST(:d AS timestamptz), CAST(:d AS timestamptz)
                FROM users u WHERE u.username = 'demo-city'"""),
        {"p": pond, "t": template_id, "k": kind, "d": f"{day} 10:00+08"},
    )


def due(app_for: Any, on: str) -> dict[int, dict[str, Any]]:
    body = app_for("demo-city").get("/api/stats/inspections-due", params={"on": on}).json()
    return {p["pond_id"]: p for p in body["ponds"]}


def test_frequency_rules_per_level_and_the_self_inspection(db, app_for) -> None:
    one_done = make_pond(db, level=1, shift_km=0)
    one_none = make_pond(db, level=1, shift_km=2)
    two = make_pond(db, level=2, shift_km=4)
    three = make_pond(db, level=3, shift_km=6)
    operated = make_pond(db, level=2, shift_km=8)
    db.execute(
        text("UPDATE ponds SET enterprise_id = (SELECT min(id) FROM enterprises) WHERE id = :p"), {"p": operated}
    )
    inspected(db, one_done, "2026-03-10")
    inspected(db, operated, "2026-04-01", "self_inspection")
    inspected(db, operated, "2025-11-01")  # last year's does not count for this year
    # last year's inspections were done (else this year's would be overdue already, see the next test)
    inspected(db, one_none, "2025-04-01")
    inspected(db, one_none, "2025-09-01")
    inspected(db, two, "2025-10-01")

    may = due(app_for, "2026-05-15")
    assert may[one_done]["government"] | {"last": None} == {
        "required": 2, "done": 1, "before_flood_required": 1, "before_flood_done": 1, "due_by": "2026-12-31",
        "state": "due", "last": None, "last_year_done": 0, "missed_last_year": True,
    }  # fmt: skip
    assert may[one_none]["government"]["state"] == "due" and may[one_none]["government"]["due_by"] == "2026-06-01"
    assert may[two]["government"]["state"] == "due" and may[two]["government"]["due_by"] == "2026-12-31"
    assert may[three]["government"]["state"] == "spot_check"
    assert may[operated]["government"]["done"] == 0
    assert may[operated]["self_inspection"]["state"] == "done"
    assert may[two]["self_inspection"]["state"] == "not_applicable"  # no operator

    june = due(app_for, "2026-06-02")
    assert june[one_none]["government"]["state"] == "overdue"  # missed the pre-flood-season inspection
    assert june[one_done]["government"]["state"] == "due"
    inspected(db, one_done, "2026-09-01")
    inspected(db, two, "2026-09-01")
    autumn = due(app_for, "2026-10-01")
    assert autumn[one_done]["government"]["state"] == "done" and autumn[two]["government"]["state"] == "done"
    assert autumn[one_none]["government"]["state"] == "overdue"
    summary = app_for("demo-city").get("/api/stats/inspections-due", params={"on": "2026-10-01"}).json()["summary"]
    assert summary["government"]["overdue"] >= 1 and summary["government"]["done"] >= 2
    # a county sees only its county's ponds (the crafted ponds lie in 仁和区, not the demo county's 米易县)
    county = app_for("demo-county").get("/api/stats/inspections-due", params={"on": "2026-10-01"}).json()
    assert one_done not in {p["pond_id"] for p in county["ponds"]}


def test_a_period_that_ended_without_its_inspection_is_overdue(db, app_for) -> None:
    """Level 2: once a year, so the period is the calendar year with its deadline on 31 December; level 1: twice
    a year, one before 1 June (Guide 2022). A year that ended without its inspection leaves the pond overdue
    until one is done."""
    two = make_pond(db, level=2, shift_km=10)
    one = make_pond(db, level=1, shift_km=12)
    inspected(db, one, "2025-08-01")  # 2025: one inspection of the two, none before 1 June
    january = due(app_for, "2026-01-10")
    # 2025 ended (deadline 2025-12-31) without an inspection of `two`: overdue ten days later
    assert january[two]["government"]["state"] == "overdue" and january[two]["government"]["missed_last_year"]
    assert january[one]["government"]["state"] == "overdue"  # 1 of 2 in 2025
    inspected(db, two, "2026-02-01")
    inspected(db, one, "2026-03-01")
    march = due(app_for, "2026-03-10")
    assert march[two]["government"]["state"] == "done"  # once a year: done for 2026
    assert march[one]["government"]["state"] == "due"  # one of two, the pre-flood one done
