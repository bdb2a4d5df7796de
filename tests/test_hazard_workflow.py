"""The three-level verification through the API: the whole loop, every illegal transition (409), every
wrong role (403), the province step (level 1 always, others sampled), evidence flags and the audit trail."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from sqlalchemy import text

from app.hazards import workflow
from app.hazards.workflow import Action, Facts, HazardState
from tests.photos import jpeg

OWN = "PZH-TP-021"  # 米易县, the demo enterprise's pond: every demo persona sees it
PERSONA = {
    "admin": "demo-admin",
    "province": "demo-province",
    "city": "demo-city",
    "county": "demo-county",
    "enterprise": "demo-enterprise",
    "viewer": "demo-viewer",
}
# The policy, stated independently of app.hazards.workflow (this system's rule): who takes each step.
WHO = {
    "assign": {"county", "city"},
    "rectify": {"enterprise"},
    "county_verify": {"county"},
    "city_verify": {"city"},
    "province_verify": {"province"},
    "close": {"city"},
    "request_extension": {"enterprise"},
    "grant_extension": {"county", "city"},
    "refuse_extension": {"county", "city"},
}
REJECTER = {"rectified": "county", "county_verified": "city", "city_verified": "province"}
CHINA = dt.timezone(dt.timedelta(hours=8))


def pond(db: Any, code: str = OWN) -> tuple[int, float, float]:
    return db.execute(text("SELECT id, ST_X(location), ST_Y(location) FROM ponds WHERE code = :c"), {"c": code}).one()


def upload(client: Any, pond_id: int, data: bytes, name: str = "p.jpg") -> str:
    pid = str(uuid.uuid4())
    r = client.post(f"/api/ponds/{pond_id}/photos", files={"file": (name, data, "image/jpeg")}, data={"id": pid})
    assert r.status_code == 201, r.text
    return pid


def report(app_for: Any, pond_id: int, lon: float, lat: float, who: str = "demo-county") -> int:
    r = app_for(who).post(
        f"/api/ponds/{pond_id}/hazards",
        json={"id": str(uuid.uuid4()), "description": "渗滤液收集池溢流", "position": {"lon": lon, "lat": lat}},
    )
    assert r.status_code == 201, r.text
    assert r.json()["state"] == "found"
    return r.json()["id"]


def step(app_for: Any, who: str, pond_id: int, hazard_id: int, action: str, **body: Any) -> Any:
    return app_for(who).post(f"/api/ponds/{pond_id}/hazards/{hazard_id}/transitions", json={"action": action, **body})


def assign_body() -> dict[str, Any]:
    return {"plan": "清理溢流、加高池壁", "deadline": (dt.date.today() + dt.timedelta(days=30)).isoformat(),
            "responsible": "王工"}  # fmt: skip


def test_whole_loop_with_one_rejection_records_every_step_and_audits_it(db, app_for) -> None:
    pond_id, lon, lat = pond(db)
    db.execute(text("UPDATE ponds SET supervision_level = 1 WHERE id = :p"), {"p": pond_id})  # province required
    h = report(app_for, pond_id, lon, lat)
    assert step(app_for, "demo-county", pond_id, h, "assign", **assign_body()).json()["state"] == "assigned"
    evidence = upload(app_for("demo-enterprise"), pond_id, jpeg(lon, lat, dt.datetime.now(CHINA)))
    r = step(app_for, "demo-enterprise", pond_id, h, "rectify", note="已清理", photo_ids=[evidence])
    assert r.status_code == 200 and r.json()["state"] == "rectified"
    r = step(app_for, "demo-county", pond_id, h, "reject", reason="池壁仍有裂缝")
    assert r.json()["state"] == "assigned"
    step(app_for, "demo-enterprise", pond_id, h, "rectify", note="已修补裂缝", photo_ids=[evidence])
    for who, action, state in (
        ("demo-county", "county_verify", "county_verified"),
        ("demo-city", "city_verify", "city_verified"),
        ("demo-province", "province_verify", "province_verified"),
        ("demo-city", "close", "closed"),
    ):
        r = step(app_for, who, pond_id, h, action, note="核查属实")
        assert r.status_code == 200, r.text
        assert r.json()["state"] == state
    body = r.json()
    assert body["closed_at"] and body["actions"] == []
    trail = [(s["action"], s["to_state"], s["level"]) for s in body["steps"]]
    assert trail == [
        ("report", "found", "county"),
        ("assign", "assigned", "county"),
        ("rectify", "rectified", "enterprise"),
        ("reject", "assigned", "county"),
        ("rectify", "rectified", "enterprise"),
        ("county_verify", "county_verified", "county"),
        ("city_verify", "city_verified", "city"),
        ("province_verify", "province_verified", "province"),
        ("close", "closed", "city"),
    ]
    reject = body["steps"][3]
    assert reject["reason"] == "池壁仍有裂缝" and reject["organisation_name"] and reject["display_name"]
    assert body["steps"][1]["details"]["responsible"] == "王工" and body["plan"] == "清理溢流、加高池壁"
    assert body["steps"][2]["photo_ids"] == [evidence] and evidence in body["photos"]
    # every step is in the append-only audit log, attributed to its person
    audited = db.execute(
        text("""SELECT a.after->>'action', a.username FROM audit_log a
                WHERE a.object_type = 'hazard_steps' AND (a.after->>'hazard_id')::int = :h ORDER BY a.id"""),
        {"h": h},
    ).all()
    assert [a for a, _ in audited] == [s[0] for s in trail]
    assert [u for _, u in audited][-1] == "demo-city" and [u for _, u in audited][2] == "demo-enterprise"
    history = app_for("demo-city").get(f"/api/ponds/{pond_id}/history").json()["entries"]
    mine = [e for e in history if e["object_type"] == "hazard_steps" and (e["after"] or {}).get("hazard_id") == h]
    assert len(mine) == len(trail)


def _at(db: Any, hazard_id: int, state: str, province_required: bool) -> None:
    db.execute(
        text("UPDATE hazards SET state = :s, province_required = :r WHERE id = :h"),
        {"s": state, "r": province_required, "h": hazard_id},
    )


@pytest.mark.parametrize("province_required", [True, False])
def test_every_illegal_transition_is_refused_with_409_and_the_reason(db, app_for, province_required) -> None:
    pond_id, lon, lat = pond(db)
    h = report(app_for, pond_id, lon, lat)
    photo = upload(app_for("demo-enterprise"), pond_id, jpeg(lon, lat))
    body = {**assign_body(), "note": "n", "reason": "r", "photo_ids": [photo]}
    # Legal moves stated independently: (state, action) -> next state
    legal = {
        ("found", "assign"): "assigned",
        ("assigned", "rectify"): "rectified",
        ("rectified", "county_verify"): "county_verified",
        ("rectified", "reject"): "assigned",
        ("county_verified", "city_verify"): "city_verified",
        ("county_verified", "reject"): "assigned",
        ("province_verified", "close"): "closed",
        ("assigned", "request_extension"): "assigned",  # no request waits: granting or refusing is illegal
    }
    if province_required:
        legal |= {("city_verified", "province_verify"): "province_verified", ("city_verified", "reject"): "assigned"}
    else:
        legal |= {("city_verified", "close"): "closed"}
    refused = 0
    for state in HazardState:
        for action in [a.value for a in Action if a != Action.report] + ["explode"]:
            if (state.value, action) in legal:
                continue
            who = PERSONA[
                REJECTER.get(state.value, "city") if action == "reject" else sorted(WHO.get(action, {"city"}))[0]
            ]
            _at(db, h, state.value, province_required)
            r = step(app_for, who, pond_id, h, action, **body)
            assert r.status_code == 409, (state, action, r.text)
            assert r.json()["error"]["code"] in ("hazard_transition_illegal", "hazard_province_not_required")
            refused += 1
    assert refused == len(HazardState) * (len(Action) - 1 + 1) - len(legal)
    _at(db, h, "closed", province_required)
    r = app_for("demo-city").post(
        f"/api/ponds/{pond_id}/hazards/{h}/transitions?lang=en", json={"action": "assign", **assign_body()}
    )
    assert r.status_code == 409 and "closed" in r.json()["error"]["message"]
    r = step(app_for, "demo-city", pond_id, h, "assign", **assign_body())
    assert "已销号" in r.json()["error"]["message"]


def test_every_wrong_role_is_refused_with_403_and_the_reason(db, app_for) -> None:
    pond_id, lon, lat = pond(db)
    h = report(app_for, pond_id, lon, lat)
    photo = upload(app_for("demo-enterprise"), pond_id, jpeg(lon, lat))
    body = {**assign_body(), "note": "n", "reason": "r", "photo_ids": [photo]}
    cases = [("found", "assign"), ("assigned", "rectify"), ("rectified", "county_verify"), ("rectified", "reject"),
             ("county_verified", "city_verify"), ("county_verified", "reject"), ("city_verified", "province_verify"),
             ("city_verified", "reject"), ("province_verified", "close")]  # fmt: skip
    checked = 0
    for state, action in cases:
        allowed = {REJECTER[state]} if action == "reject" else WHO[action]
        for role, user in PERSONA.items():
            if role in allowed:
                continue
            _at(db, h, state, True)
            r = step(app_for, user, pond_id, h, action, **body)
            assert r.status_code == 403, (state, action, role, r.text)
            assert r.json()["error"]["code"] == "hazard_wrong_role"
            checked += 1
    assert checked == sum(6 - len({REJECTER[s]} if a == "reject" else WHO[a]) for s, a in cases)
    _at(db, h, "rectified", True)
    en = app_for("demo-enterprise").post(
        f"/api/ponds/{pond_id}/hazards/{h}/transitions?lang=en", json={"action": "county_verify"}
    )
    assert en.json()["error"]["message"] == "'county verification' is for county; your role (enterprise) may not do it"
    # and the state did not move
    assert db.execute(text("SELECT state FROM hazards WHERE id = :h"), {"h": h}).scalar() == "rectified"


def test_out_of_scope_county_and_enterprise_do_not_see_the_hazard(db, app_for) -> None:
    pond_id, lon, lat = pond(db, "PZH-TP-010")  # 仁和区, another enterprise's pond
    h = report(app_for, pond_id, lon, lat, who="demo-city")
    for user in ("demo-county", "demo-enterprise"):
        assert app_for(user).get(f"/api/ponds/{pond_id}/hazards/{h}").status_code == 404
        assert step(app_for, user, pond_id, h, "assign", **assign_body()).status_code == 404
    # a hazard id asked for under another pond is not found either
    own_id, _, _ = pond(db)
    assert app_for("demo-city").get(f"/api/ponds/{own_id}/hazards/{h}").status_code == 404


def test_missing_plan_reason_or_evidence_is_422_naming_the_field(db, app_for) -> None:
    pond_id, lon, lat = pond(db)
    h = report(app_for, pond_id, lon, lat)
    r = step(app_for, "demo-county", pond_id, h, "assign", plan="p")
    assert r.status_code == 422
    assert {p["field"] for p in r.json()["error"]["problems"]} == {"deadline", "responsible"}
    step(app_for, "demo-county", pond_id, h, "assign", **assign_body())
    r = step(app_for, "demo-enterprise", pond_id, h, "rectify", note="done")
    assert r.status_code == 422 and r.json()["error"]["problems"][0]["field"] == "photo_ids"
    r = step(app_for, "demo-enterprise", pond_id, h, "rectify", note="done", photo_ids=[str(uuid.uuid4())])
    assert r.status_code == 422 and r.json()["error"]["code"] == "photo_unknown"


def test_province_step_required_for_level_1_and_sampled_for_others(db, app_for, monkeypatch) -> None:
    from app.config import get_settings

    keys = [str(uuid.UUID(int=i)) for i in range(2000)]
    assert all(workflow.province_required(1, k, 0.0) for k in keys[:50])
    share = sum(workflow.province_required(3, k, 0.25) for k in keys) / len(keys)
    assert 0.21 < share < 0.29
    assert [workflow.province_required(2, k, 0.25) for k in keys[:100]] == [
        workflow.province_required(2, k, 0.25) for k in keys[:100]
    ]
    pond_id, lon, lat = pond(db)  # level 2
    for rate, required in ((0.0, False), (1.0, True)):
        monkeypatch.setattr(get_settings(), "province_sample_rate", rate)
        h = report(app_for, pond_id, lon, lat)
        assert app_for("demo-city").get(f"/api/ponds/{pond_id}/hazards/{h}").json()["province_required"] is required
        db.execute(text("UPDATE hazards SET state = 'city_verified' WHERE id = :h"), {"h": h})
        actions = [a["action"] for a in app_for("demo-city").get(f"/api/ponds/{pond_id}/hazards/{h}").json()["actions"]]
        assert actions == ([] if required else ["close"])
        r = step(app_for, "demo-province", pond_id, h, "province_verify")
        assert r.status_code == (200 if required else 409)
        if not required:
            assert r.json()["error"]["code"] == "hazard_province_not_required"


def test_ownerless_pond_is_rectified_by_the_county(db) -> None:
    t = workflow.decide("assigned", "rectify", "county", Facts(False, pond_has_operator=False), {"note": "n",
                        "photo_ids": ["x"]})  # fmt: skip
    assert t.target == HazardState.rectified
    with pytest.raises(Exception) as exc:
        workflow.decide("assigned", "rectify", "enterprise", Facts(False, pond_has_operator=False), {})
    assert getattr(exc.value, "status_code", None) == 403


def test_evidence_photo_far_away_or_taken_before_the_hazard_is_flagged(db, app_for) -> None:
    pond_id, lon, lat = pond(db)
    h = report(app_for, pond_id, lon, lat)
    step(app_for, "demo-county", pond_id, h, "assign", **assign_body())
    ent = app_for("demo-enterprise")
    now = dt.datetime.now(CHINA)
    near_now = upload(ent, pond_id, jpeg(lon + 0.0005, lat, now))  # ~50 m east, after the hazard was found
    far = upload(ent, pond_id, jpeg(lon + 0.01, lat, now))  # ~1 km east
    old = upload(ent, pond_id, jpeg(lon, lat, now - dt.timedelta(days=3)))
    bare = upload(ent, pond_id, jpeg())  # no EXIF at all
    r = step(app_for, "demo-enterprise", pond_id, h, "rectify", note="整改完成", photo_ids=[near_now, far, old, bare])
    assert r.status_code == 200, r.text
    flags = r.json()["steps"][-1]["evidence_flags"]
    by_photo: dict[str, set[str]] = {}
    for f in flags:
        by_photo.setdefault(f["photo_id"], set()).add(f["code"])
    assert near_now not in by_photo
    assert by_photo[far] == {"flag_far"}
    assert by_photo[old] == {"flag_before_found"}
    assert by_photo[bare] == {"flag_no_position", "flag_no_time"}
    far_flag = next(f for f in flags if f["code"] == "flag_far")
    assert 950 < far_flag["params"]["distance_m"] < 1050 and "米" in far_flag["message"]


def test_inbox_shows_what_waits_for_each_role_overdue_first(db, app_for) -> None:
    pond_id, lon, lat = pond(db)
    a = report(app_for, pond_id, lon, lat)
    b = report(app_for, pond_id, lon, lat)
    for h in (a, b):
        step(app_for, "demo-county", pond_id, h, "assign", **assign_body())
    db.execute(text("UPDATE hazards SET deadline = current_date - 5 WHERE id = :h"), {"h": b})  # b is overdue
    inbox = app_for("demo-enterprise").get("/api/hazards/inbox").json()["items"]
    ids = [i["id"] for i in inbox]
    assert ids.index(b) < ids.index(a) and inbox[ids.index(b)]["overdue"] is True
    county_ids = [i["id"] for i in app_for("demo-county").get("/api/hazards/inbox").json()["items"]]
    assert a not in county_ids and b not in county_ids  # waiting for the enterprise, not the county
    assert app_for("demo-viewer").get("/api/hazards/inbox").json()["items"] == []
    stats = app_for("demo-city").get("/api/stats/hazards").json()
    assert stats["by_state"]["assigned"] >= 2 and stats["overdue"] >= 1
    assert any(c["adcode"] == 510421 and c["overdue"] >= 1 for c in stats["by_county"])
    assert sum(stats["open_by_age_days"].values()) == stats["open"]
