"""The city dashboard: its numbers on the sample data are those of the city's 2025 bulletin (in scope)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import text

from app.dashboard import service

TODAY = dt.date(2026, 11, 22)  # the sample data's reference date


def _codes(db, ids: list[int]) -> list[str]:
    return list(db.execute(text("SELECT code FROM ponds WHERE id = ANY(:i) ORDER BY code"), {"i": ids}).scalars())


def test_the_numbers_are_those_of_the_bulletin(app_for, db) -> None:
    d = app_for("demo-city").get("/api/dashboard").json()
    assert d["total"] == 40
    assert {k: len(v) for k, v in d["by_level"].items()} == {"2": 8, "3": 32}
    bulletin = {k: len(v) for k, v in d["by_bulletin_status"].items()}
    assert bulletin == {"in_use": 11, "stopped": 14, "closed": 15}
    assert len(d["by_status"]["stopped"]) + len(d["by_status"]["closing"]) == 14
    assert len(d["one_map"]["complete"]) == 14 and len(d["one_map"]["incomplete"]) == 26
    key = ["PZH-TP-005", "PZH-TP-010", "PZH-TP-021", "PZH-TP-022"]  # the four key ponds mapped first
    assert set(key) <= set(_codes(db, d["one_map"]["complete"]))
    assert sum(len(v) for v in d["by_county"].values()) == 40 and len(d["by_county"]) == 5
    # priority zone: the same ponds the map's buffers select
    zone = db.execute(
        text("""SELECT count(*) FROM ponds p WHERE EXISTS (SELECT 1 FROM rivers r WHERE
                (r.code = 'jinsha' AND ST_DWithin(p.boundary::geography, r.geom::geography, 3000)) OR
                (r.code IN ('yalong', 'anning') AND ST_DWithin(p.boundary::geography, r.geom::geography, 1000)))""")
    ).scalar()
    assert len(d["priority_zone"]) == zone > 0


def test_flags_on_the_sample_records_and_monitoring(db) -> None:
    d = service.dashboard(db, ("true", {}), TODAY)
    # the illustrative exceedances, late ledger reports and permits of scripts/generate_sample.py
    assert _codes(db, d["monitoring_exceedances"]) == ["PZH-TP-002", "PZH-TP-011", "PZH-TP-024", "PZH-TP-033"]
    assert _codes(db, d["ledger_missing"]) == ["PZH-TP-012", "PZH-TP-014", "PZH-TP-035"]
    assert _codes(db, d["permits_expiring"]) == ["PZH-TP-002", "PZH-TP-013"]
    assert _codes(db, d["permits_expired"]) == ["PZH-TP-020"]
    # a late report filed: the flag goes
    pond = db.execute(text("SELECT id FROM ponds WHERE code = 'PZH-TP-012'")).scalar()
    db.execute(text("UPDATE tailings_ledger SET reported_on = '2026-03-01' WHERE pond_id = :p"), {"p": pond})
    assert pond not in service.dashboard(db, ("true", {}), TODAY)["ledger_missing"]


def test_the_county_sees_its_county_only(app_for, db) -> None:
    d = app_for("demo-county").get("/api/dashboard").json()
    n = db.execute(text("SELECT count(*) FROM ponds WHERE county_adcode = 510421")).scalar()
    assert d["total"] == n and list(d["by_county"]) == ["510421"]


def test_the_page_links_each_number_to_its_list(app_for) -> None:
    page = app_for("demo-city").get("/dashboard")
    assert page.status_code == 200
    html = page.text
    assert 'href="/?level=2" class="bar" data-key="2" data-n="8"' in html
    assert 'href="/?one_map=1" data-n="14"' in html
    assert "/ponds/" in html and "示例数据" in html
    # charts are SVG drawn on the server; the one script is the dossier export button's, served by the app
    assert html.count("<script") == 1 and '<script src="/static/js/dossiers.js"></script>' in html


def test_hazards_and_inspections_due_are_on_the_dashboard(app_for, db) -> None:
    from tests.test_hazard_workflow import report

    city = app_for("demo-city")
    before = city.get("/api/dashboard").json()
    # this year's government inspections: level 1 twice, level 2 once, level 3 by spot check (MEE guide 2022)
    levels_1_2 = set(db.execute(text("SELECT id FROM ponds WHERE supervision_level IN (1, 2)")).scalars())
    assert set(before["inspections"]["due"]["government"]) == levels_1_2 and len(levels_1_2) == 8
    pond, lon, lat = db.execute(
        text("SELECT id, ST_X(location), ST_Y(location) FROM ponds WHERE code = 'PZH-TP-021'")
    ).one()
    report(app_for, pond, lon, lat)
    after = city.get("/api/dashboard").json()
    assert after["hazards"]["open"] == before["hazards"]["open"] + 1
    assert after["hazards"]["by_state"].get("found", 0) == before["hazards"]["by_state"].get("found", 0) + 1
    page = city.get("/dashboard").text
    assert f'data-key="hazards_open"><a class="num" href="/hazards" data-n="{after["hazards"]["open"]}"' in page
