from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from app import registry
from app.compliance.service import RULES, check_pond
from tests.factories import add, at, line, make_pond, rect

TODAY = dt.date(2026, 11, 22)


def result(db, pond: int, rule_id: str, lang: str = "zh") -> dict:
    report = check_pond(db, pond, lang, today=TODAY)
    return next(r for r in report["results"] if r["id"] == rule_id)


def test_every_configured_rule_has_an_implementation() -> None:
    assert {r.id for r in registry.rules().rules} == set(RULES)


# groundwater wells (GB 18599-2020 §10.3.2)


def test_wells_pass_with_background_monitoring_and_diffusion(db) -> None:
    p = make_pond(db)
    add(db, p, "monitoring_well", at(0, 600), role="background")
    add(db, p, "monitoring_well", at(0, -200), role="monitoring")
    add(db, p, "monitoring_well", at(200, -300), role="diffusion")
    r = result(db, p, "groundwater_wells")
    assert r["status"] == "pass", r["reason"]
    assert r["source"] == "GB 18599-2020 §10.3.2"


def test_wells_fail_without_a_diffusion_well(db) -> None:
    p = make_pond(db)
    add(db, p, "monitoring_well", at(0, 600), role="background")
    add(db, p, "monitoring_well", at(0, -200), role="monitoring")
    r = result(db, p, "groundwater_wells")
    assert r["status"] == "fail"
    assert "污染扩散井需 1 口，现有 0 口" in r["reason"]
    assert "Diffusion: 0 of 1 required" in result(db, p, "groundwater_wells", "en")["reason"]


def test_a_groundwater_drain_requires_a_well_at_its_outlet(db) -> None:
    p = make_pond(db)
    for role, pos in (("background", (0, 600)), ("monitoring", (0, -200)), ("diffusion", (200, -300))):
        add(db, p, "monitoring_well", at(*pos), role=role)
    add(db, p, "groundwater_drain", line((0, 250), (0, -50)))
    assert result(db, p, "groundwater_wells")["status"] == "fail"
    add(db, p, "monitoring_well", at(0, -60), role="drain_outlet")
    assert result(db, p, "groundwater_wells")["status"] == "pass"


def test_wells_rule_does_not_apply_to_a_delisted_pond(db) -> None:
    p = make_pond(db, status="delisted")
    r = result(db, p, "groundwater_wells")
    assert r["status"] == "not_applicable" and "已销库" in r["reason"]


# leachate pipes end in a pool


def test_pipe_rule_not_applicable_without_pipes(db) -> None:
    assert result(db, make_pond(db), "leachate_pipe_to_pool")["status"] == "not_applicable"


def test_pipe_ending_at_a_pool_passes_and_one_ending_short_fails(db) -> None:
    p = make_pond(db)
    pipe = add(db, p, "leachate_pipe", line((0, 20), (0, -100)), "1#管")
    assert result(db, p, "leachate_pipe_to_pool")["status"] == "fail"  # no pool at all
    add(db, p, "leachate_pool", at(0, -108), "1#池", volume_m3=300, lined=True)
    r = result(db, p, "leachate_pipe_to_pool")
    assert r["status"] == "pass" and r["details"]["end_to_pool_m"][pipe] == pytest.approx(8, abs=0.2)
    short = add(db, p, "leachate_pipe", line((100, 20), (60, -60)), "2#管")
    r = result(db, p, "leachate_pipe_to_pool")
    assert r["status"] == "fail" and r["element_ids"] == [short]
    assert "2#管 距最近收集池" in r["reason"]


def test_pipe_direction_matters(db) -> None:
    p = make_pond(db)
    add(db, p, "leachate_pool", at(0, -108), volume_m3=300, lined=True)
    add(db, p, "leachate_pipe", line((0, -100), (0, 20)))  # drawn from the pool uphill: wrong flow direction
    assert result(db, p, "leachate_pipe_to_pool")["status"] == "fail"


def test_pool_polygon_counts_when_the_pipe_ends_inside_it(db) -> None:
    p = make_pond(db)
    add(db, p, "leachate_pool", rect(-20, -140, 20, -100), volume_m3=800, lined=True)
    add(db, p, "leachate_pipe", line((0, 20), (0, -120)))
    r = result(db, p, "leachate_pipe_to_pool")
    assert r["status"] == "pass"
    assert list(r["details"]["end_to_pool_m"].values()) == [0]


# emergency pool and pool lining


def test_emergency_pool_missing_unlined_and_lined(db) -> None:
    p = make_pond(db)
    assert result(db, p, "emergency_pool")["status"] == "fail"
    e = add(db, p, "emergency_pool", at(50, -150), "应急池", volume_m3=500, lined=False)
    r = result(db, p, "emergency_pool")
    assert r["status"] == "fail" and r["element_ids"] == [e] and "应急池" in r["reason"]
    db.execute(text("UPDATE elements SET attributes = attributes || '{\"lined\": true}' WHERE id = :e"), {"e": e})
    assert result(db, p, "emergency_pool")["status"] == "pass"


def test_emergency_pool_rule_not_for_closed_ponds(db) -> None:
    p = make_pond(db, status="closed", stopped_since="2015-01-01")
    assert result(db, p, "emergency_pool")["status"] == "not_applicable"


def test_leachate_pools_lined(db) -> None:
    p = make_pond(db)
    assert result(db, p, "pools_lined")["status"] == "not_applicable"
    add(db, p, "leachate_pool", at(0, -108), volume_m3=300, lined=True)
    assert result(db, p, "pools_lined")["status"] == "pass"
    add(db, p, "leachate_pool", at(30, -108), volume_m3=300, lined=False)
    assert result(db, p, "pools_lined")["status"] == "fail"


# elements near the pond


def test_elements_near_pond(db) -> None:
    p = make_pond(db)
    assert result(db, p, "elements_near_pond")["status"] == "not_applicable"  # nothing drawn
    add(db, p, "sprinkler", at(0, 100))
    add(db, p, "monitoring_well", at(0, -2000), role="monitoring")  # wells may lie up to 3 km out
    assert result(db, p, "elements_near_pond")["status"] == "pass"
    far = add(db, p, "sprinkler", at(0, 1300), "远处喷淋")
    r = result(db, p, "elements_near_pond")
    assert r["status"] == "fail" and r["element_ids"] == [far]
    assert r["details"]["too_far"][far] == pytest.approx(1000, abs=2)


def test_elements_near_pond_needs_a_boundary(db) -> None:
    p = make_pond(db, boundary=False)
    add(db, p, "sprinkler", at(0, 100))
    assert result(db, p, "elements_near_pond")["status"] == "not_applicable"


# priority zone from river buffers


def _river(db, code: str, dx: float) -> None:
    db.execute(
        text("""INSERT INTO rivers (code, name_zh, name_en, geom)
                       VALUES (:code, :name, :name, ST_Multi(ST_GeomFromText(:wkt, 4490)))"""),
        {"code": code, "name": f"{code} river", "wkt": line((dx, -5000), (dx, 5000)).wkt},
    )


def test_priority_zone_membership_is_measured_in_metres(db) -> None:
    db.execute(text("DELETE FROM rivers"))
    p = make_pond(db)
    assert result(db, p, "priority_zone")["status"] == "not_applicable"  # no river layer at all
    _river(db, "jinsha", 2200 + 200)  # 2.2 km east of the pond's east edge: inside the 3 km buffer
    _river(db, "yalong", -(1500 + 200))  # 1.5 km west: outside the 1 km buffer
    r = result(db, p, "priority_zone")
    assert r["status"] == "pass" and r["details"]["in_priority_zone"] is True
    by_river = {x["river"]: x for x in r["details"]["rivers"]}
    assert by_river["jinsha"]["distance_m"] == pytest.approx(2200, abs=3) and by_river["jinsha"]["within"]
    assert by_river["yalong"]["distance_m"] == pytest.approx(1500, abs=3) and not by_river["yalong"]["within"]
    assert r["details"]["missing_rivers"] == ["anning"]
    assert "位于重点区域" in r["reason"] and "anning" in r["reason"]


def test_priority_zone_outside_every_buffer(db) -> None:
    db.execute(text("DELETE FROM rivers"))
    p = make_pond(db)
    _river(db, "jinsha", 3500 + 200)
    r = result(db, p, "priority_zone", "en")
    assert r["details"]["in_priority_zone"] is False and r["reason"].startswith("Outside the priority zone")


# closure deadline (GB 18599-2020 §9.1)


def test_closure_deadline(db) -> None:
    assert result(db, make_pond(db), "closure_deadline")["status"] == "not_applicable"
    overdue = make_pond(db, status="stopped", stopped_since="2023-06-01")
    r = result(db, overdue, "closure_deadline")
    assert r["status"] == "fail" and r["details"]["deadline"] == "2025-06-01"
    assert r["details"]["days_overdue"] == (TODAY - dt.date(2025, 6, 1)).days
    recent = make_pond(db, status="stopped", stopped_since="2025-03-01")
    r = result(db, recent, "closure_deadline")
    assert r["status"] == "pass" and r["details"]["days_left"] == (dt.date(2027, 3, 1) - TODAY).days
    unknown = make_pond(db, status="stopped")
    assert result(db, unknown, "closure_deadline")["status"] == "fail"
    closing = make_pond(db, status="closing", stopped_since="2019-01-01")
    assert result(db, closing, "closure_deadline")["status"] == "not_applicable"


# one-map completeness


def _all_nine(db, p: int) -> None:
    add(db, p, "dust_cover", rect(-150, 10, 150, 80), measure="cover")
    add(db, p, "leachate_pipe", line((0, 20), (0, -100)))
    add(db, p, "emergency_pool", at(50, -150), volume_m3=500, lined=True)
    add(db, p, "monitoring_well", at(0, -200), source="field", role="monitoring")
    add(db, p, "liner", rect(-200, 0, 200, 300), site_class="II", hdpe_mm=1.5, clay_m=0.75, permeability_cm_s=1e-7)
    add(db, p, "interception_ditch", line((-210, 300), (-210, -20)))
    add(db, p, "spillway_tower", at(0, 200), design_return_period_years=100)
    add(db, p, "floating_intake", at(50, 220))
    add(db, p, "outlet", at(0, -400), source="field")


def test_one_map_complete_and_incomplete(db) -> None:
    p = make_pond(db)
    add(db, p, "monitoring_well", at(0, -200), role="monitoring")
    r = result(db, p, "one_map_completeness")
    assert r["status"] == "fail" and len(r["details"]["types_missing"]) == 8
    assert "缺少 8 类要素" in r["reason"] and "扬尘防护" in r["reason"]
    q = make_pond(db, shift_km=3)
    _all_nine(db, q)
    r = result(db, q, "one_map_completeness")
    assert r["status"] == "pass" and r["details"]["types_missing"] == []
    assert {t for t, checked in r["details"]["field_checked"].items() if checked} == {"groundwater", "discharge_outlet"}


# flood discharge and liner


def test_flood_return_period(db) -> None:
    p = make_pond(db)
    assert result(db, p, "flood_return_period")["status"] == "not_applicable"
    add(db, p, "spillway_tower", at(0, 200), design_return_period_years=50)
    assert result(db, p, "flood_return_period")["status"] == "pass"
    low = add(db, p, "flood_tunnel", line((0, 200), (0, -300)), "排洪洞", design_return_period_years=30)
    r = result(db, p, "flood_return_period")
    assert r["status"] == "fail" and r["element_ids"] == [low]
    q = make_pond(db, shift_km=3)
    add(db, q, "spillway_tower", at(3000, 200))  # return period not recorded
    assert result(db, q, "flood_return_period")["status"] == "fail"


def test_liner_class_ii(db) -> None:
    p = make_pond(db)
    add(db, p, "liner", rect(-200, 0, 200, 300), site_class="I")
    assert result(db, p, "liner_class_ii")["status"] == "not_applicable"
    add(db, p, "liner", rect(-200, 0, 0, 300), site_class="II", hdpe_mm=2.0, clay_m=0.8, permeability_cm_s=5e-8)
    assert result(db, p, "liner_class_ii")["status"] == "pass"
    thin = add(db, p, "liner", rect(0, 0, 200, 300), "东侧防渗", site_class="II", hdpe_mm=1.0, clay_m=0.8)
    r = result(db, p, "liner_class_ii")
    assert r["status"] == "fail" and r["element_ids"] == [thin]
    assert "HDPE 膜厚 1 毫米 < 1.5" in r["reason"] and "渗透系数未填写" in r["reason"]


# the endpoint


def test_compliance_endpoint(client, db) -> None:
    p = make_pond(db)
    _all_nine(db, p)
    body = client.get(f"/api/ponds/{p}/compliance").json()
    assert body["pond_id"] == p and sum(body["summary"].values()) == len(registry.rules().rules)
    statuses = {r["id"]: r["status"] for r in body["results"]}
    assert statuses["one_map_completeness"] == "pass" and statuses["groundwater_wells"] == "fail"
    en = client.get(f"/api/ponds/{p}/compliance", headers={"Accept-Language": "en"}).json()
    assert next(r for r in en["results"] if r["id"] == "one_map_completeness")["label"] == "One-map completeness"
    assert client.get("/api/ponds/999999/compliance").status_code == 404


def test_disabled_rule_is_skipped(db, monkeypatch) -> None:
    ruleset = registry.rules()
    off = ruleset.model_copy(
        update={"rules": [r.model_copy(update={"enabled": r.id != "liner_class_ii"}) for r in ruleset.rules]}
    )
    monkeypatch.setattr(registry, "rules", lambda: off)
    ids = [r["id"] for r in check_pond(db, make_pond(db), today=TODAY)["results"]]
    assert "liner_class_ii" not in ids and len(ids) == len(ruleset.rules) - 1
