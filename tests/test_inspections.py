"""Inspections through the API: checklists by pond status and version, drafts and idempotent submission,
problems becoming hazards, photo uploads checked to be real images, and the printable record."""

from __future__ import annotations

import datetime as dt
import io
import uuid
from typing import Any

from sqlalchemy import text

from tests.photos import jpeg

OWN = "PZH-TP-021"


def pond_id(db: Any, code: str = OWN) -> int:
    return db.execute(text("SELECT id FROM ponds WHERE code = :c"), {"c": code}).scalar_one()


def element_of(db: Any, pond: int, type_code: str) -> int:
    return db.execute(
        text("SELECT id FROM elements WHERE pond_id = :p AND type = :t ORDER BY id LIMIT 1"),
        {"p": pond, "t": type_code},
    ).scalar_one()


def new_id() -> str:
    return str(uuid.uuid4())


def test_checklist_follows_the_pond_status_and_every_item_cites_its_source(db, app_for) -> None:
    pond = pond_id(db)
    c = app_for("demo-county")
    body = c.get(f"/api/ponds/{pond}/checklist").json()
    sections = {s["code"]: s for s in body["template"]["sections"]}
    assert body["template"]["status"] == "in_use" and "management" in sections and "closure" not in sections
    assert all(i["source"] and i["zh"] and i["en"] for s in sections.values() for i in s["items"])
    assert sections["management"]["pond_level"] and not sections["leachate"]["pond_level"]
    assert {e["type"] for e in body["elements"]} >= {"leachate", "groundwater"}
    db.execute(text("UPDATE ponds SET status = 'closed' WHERE id = :p"), {"p": pond})
    closed = {s["code"]: s for s in c.get(f"/api/ponds/{pond}/checklist").json()["template"]["sections"]}
    assert "closure" in closed and "return_water" not in closed
    ids = {i["id"] for i in closed["groundwater"]["items"]}
    assert "groundwater.sampled_after_closure" in ids and "groundwater.sampled_quarterly" not in ids


def test_old_inspections_keep_their_template_version(db, app_for, monkeypatch) -> None:
    from app import registry

    pond = pond_id(db)
    c = app_for("demo-county")
    first = new_id()
    assert c.put(f"/api/ponds/{pond}/inspections/{first}", json={}).status_code == 201
    original = registry.checklists()
    reworded = original.model_copy(
        update={
            "sections": [
                s.model_copy(update={"items": [i.model_copy(update={"zh": i.zh + "（修订）"}) for i in s.items]})
                for s in original.sections
            ]
        }
    )
    monkeypatch.setattr(registry, "checklists", lambda: reworded)
    r = c.put(f"/api/ponds/{pond}/inspections/{new_id()}", json={})
    assert r.status_code == 409 and r.json()["error"]["code"] == "checklist_version_not_bumped"
    bumped = reworded.model_copy(update={"version": original.version + 1})
    monkeypatch.setattr(registry, "checklists", lambda: bumped)
    second = c.put(f"/api/ponds/{pond}/inspections/{new_id()}", json={}).json()
    assert second["template_version"] == original.version + 1
    assert second["template"]["sections"][0]["items"][0]["zh"].endswith("（修订）")
    old = c.get(f"/api/ponds/{pond}/inspections/{first}").json()
    assert old["template_version"] == original.version
    assert not old["template"]["sections"][0]["items"][0]["zh"].endswith("（修订）")


def _answers(db: Any, pond: int, photo: str | None = None) -> list[dict[str, Any]]:
    pool = element_of(db, pond, "leachate")
    return [
        {"id": new_id(), "element_id": pool, "item_id": "leachate.pool_lined", "answer": "ok"},
        {
            "id": new_id(),
            "element_id": pool,
            "item_id": "leachate.no_overflow",
            "answer": "problem",
            "note": "池水外溢",
            "photo_ids": [photo] if photo else [],
            "position": {"lon": 101.8426, "lat": 26.8555, "accuracy_m": 6},
        },
        {"id": new_id(), "item_id": "management.eia_approved", "answer": "not_applicable"},
    ]


def test_submitting_the_same_inspection_twice_makes_one_inspection_and_one_hazard(db, app_for) -> None:
    pond = pond_id(db)
    c = app_for("demo-county")
    photo = new_id()
    up = c.post(f"/api/ponds/{pond}/photos", files={"file": ("a.jpg", jpeg(), "image/jpeg")}, data={"id": photo})
    assert up.status_code == 201
    again = c.post(f"/api/ponds/{pond}/photos", files={"file": ("a.jpg", jpeg(), "image/jpeg")}, data={"id": photo})
    assert again.status_code == 200 and again.json()["id"] == photo
    iid = new_id()
    body = {"answers": _answers(db, pond, photo), "submit": True, "position": {"lon": 101.84, "lat": 26.85}}
    first = c.put(f"/api/ponds/{pond}/inspections/{iid}", json=body)
    second = c.put(f"/api/ponds/{pond}/inspections/{iid}", json=body)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json() == second.json() and first.json()["state"] == "submitted"
    counts = db.execute(
        text("""SELECT (SELECT count(*) FROM inspections WHERE id = :i), (SELECT count(*) FROM inspection_answers
                WHERE inspection_id = :i), (SELECT count(*) FROM hazards WHERE inspection_id = :i)"""),
        {"i": iid},
    ).one()
    assert tuple(counts) == (1, 3, 1)
    hazard = db.execute(
        text("""SELECT h.source, h.item_id, h.element_id, h.photo_ids, ST_X(h.location), h.description
                FROM hazards h WHERE h.inspection_id = :i"""),
        {"i": iid},
    ).one()
    assert hazard[0] == "inspection" and hazard[1] == "leachate.no_overflow"
    assert hazard[2] == body["answers"][1]["element_id"] and [str(p) for p in hazard[3]] == [photo]
    assert abs(hazard[4] - 101.8426) < 1e-9 and "池水外溢" in hazard[5]
    # a submitted inspection is final: a later, different body changes nothing
    body["answers"][0]["answer"] = "problem"
    assert c.put(f"/api/ponds/{pond}/inspections/{iid}", json=body).json()["answers"] == first.json()["answers"]
    # the answer links to its hazard
    assert [a["hazard_id"] is not None for a in first.json()["answers"]].count(True) == 1


def test_drafts_upsert_answers_by_their_client_ids(db, app_for) -> None:
    pond = pond_id(db)
    c = app_for("demo-county")
    iid, answers = new_id(), _answers(db, pond)
    c.put(f"/api/ponds/{pond}/inspections/{iid}", json={"answers": answers[:1]})
    answers[0]["answer"] = "problem"
    answers[0]["note"] = "防渗膜破损"
    answers[0]["position"] = {"lon": 101.8427, "lat": 26.8556, "accuracy_m": 4}  # had none before
    r = c.put(f"/api/ponds/{pond}/inspections/{iid}", json={"answers": answers[:2]})
    assert r.status_code == 200 and r.json()["state"] == "draft"
    got = {a["id"]: a for a in r.json()["answers"]}
    assert len(got) == 2 and got[answers[0]["id"]]["answer"] == "problem"
    assert got[answers[0]["id"]]["accuracy_m"] == 4 and abs(got[answers[0]["id"]]["lon"] - 101.8427) < 1e-9
    # the same question answered under a new id replaces the old answer
    redo = {**answers[0], "id": new_id(), "answer": "ok", "note": None}
    got = c.put(f"/api/ponds/{pond}/inspections/{iid}", json={"answers": [redo]}).json()["answers"]
    assert len(got) == 2 and {a["id"] for a in got} == {redo["id"], answers[1]["id"]}
    assert db.execute(text("SELECT count(*) FROM hazards WHERE inspection_id = :i"), {"i": iid}).scalar() == 0
    # only its inspector changes a draft
    other = app_for("demo-city").put(f"/api/ponds/{pond}/inspections/{iid}", json={"answers": []})
    assert other.status_code == 403 and other.json()["error"]["code"] == "inspection_not_yours"


def test_bad_answers_are_refused_naming_the_field(db, app_for) -> None:
    pond = pond_id(db)
    well = element_of(db, pond, "groundwater")
    bad = [
        {"id": new_id(), "item_id": "leachate.nope", "answer": "ok"},
        {"id": new_id(), "element_id": well, "item_id": "leachate.pool_lined", "answer": "ok"},
        {"id": new_id(), "element_id": well, "item_id": "management.eia_approved", "answer": "ok"},
        {"id": new_id(), "item_id": "management.ledger_complete", "answer": "ok", "photo_ids": [new_id()]},
    ]
    r = app_for("demo-county").put(f"/api/ponds/{pond}/inspections/{new_id()}?lang=en", json={"answers": bad})
    assert r.status_code == 422
    problems = {(p["field"], p["code"]) for p in r.json()["error"]["problems"]}
    assert problems == {
        ("answers.0.item_id", "checklist_item_unknown"),
        ("answers.1.element_id", "checklist_element_mismatch"),
        ("answers.2.element_id", "checklist_pond_level"),
        ("answers.3.photo_ids", "photo_unknown"),
    }
    r = app_for("demo-county").put(
        f"/api/ponds/{pond}/inspections/{new_id()}",
        json={"answers": [{"id": new_id(), "item_id": "x", "answer": "bad"}]},
    )
    assert r.status_code == 422 and r.json()["error"]["problems"][0]["field"] == "answers.0.answer"


def test_enterprise_inspection_is_a_self_inspection_and_its_problems_are_hazards(db, app_for) -> None:
    pond = pond_id(db)
    iid = new_id()
    r = app_for("demo-enterprise").put(
        f"/api/ponds/{pond}/inspections/{iid}", json={"answers": _answers(db, pond), "submit": True}
    )
    assert r.status_code == 201 and r.json()["kind"] == "self_inspection"
    assert db.execute(text("SELECT source FROM hazards WHERE inspection_id = :i"), {"i": iid}).scalar() == (
        "self_inspection"
    )
    due = app_for("demo-enterprise").get("/api/stats/inspections-due", params={"on": dt.date.today().isoformat()})
    mine = next(p for p in due.json()["ponds"] if p["pond_id"] == pond)
    if dt.date.today() < dt.date(dt.date.today().year, 6, 1):
        assert mine["self_inspection"]["state"] == "done"


def test_photo_uploads_must_be_real_images_within_the_limit(db, app_for, monkeypatch) -> None:
    from app.config import get_settings

    pond = pond_id(db)
    c = app_for("demo-county")

    def send(data: bytes, name: str = "x.jpg") -> Any:
        return c.post(
            f"/api/ponds/{pond}/photos?lang=en", files={"file": (name, data, "image/jpeg")}, data={"id": new_id()}
        )

    good = jpeg(101.8426, 26.8555, dt.datetime(2026, 5, 2, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8))))
    r = send(good)
    assert r.status_code == 201
    assert abs(r.json()["lon"] - 101.8426) < 1e-6
    assert dt.datetime.fromisoformat(r.json()["taken_at"]) == dt.datetime(2026, 5, 2, 1, 30, tzinfo=dt.UTC)
    plain = send(jpeg()).json()
    assert plain["lon"] is None and plain["taken_at"] is None
    for fake in (b"just text, named like a photo", good[: len(good) // 2], b"\xff\xd8\xff\xe0" + b"\0" * 200):
        r = send(fake, "fake.jpg")
        assert r.status_code == 422 and r.json()["error"]["code"] == "photo_not_image", r.text
        assert "fake.jpg" in r.json()["error"]["message"]
    from PIL import Image

    gif = io.BytesIO()
    Image.new("RGB", (8, 8)).save(gif, "GIF")
    assert send(gif.getvalue(), "a.gif").status_code == 422
    monkeypatch.setattr(get_settings(), "photo_max_mb", 0.001)
    r = send(jpeg(size=(400, 400)))
    assert r.status_code == 422 and r.json()["error"]["code"] == "photo_too_large"
    assert db.execute(text("SELECT count(*) FROM photos WHERE pond_id = :p"), {"p": pond}).scalar() == 2


def test_printable_record_is_a_chinese_pdf_with_an_embedded_font(db, app_for) -> None:
    from pypdf import PdfReader

    pond = pond_id(db)
    c = app_for("demo-county")
    photo, second, bare = new_id(), new_id(), new_id()
    taken = dt.datetime(2026, 5, 10, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    for pid, data in ((photo, jpeg(taken_at=taken)), (second, jpeg(taken_at=taken)), (bare, jpeg())):
        c.post(f"/api/ponds/{pond}/photos", files={"file": ("a.jpg", data, "image/jpeg")}, data={"id": pid})
    iid = new_id()
    answers = _answers(db, pond, photo)
    answers[0]["photo_ids"] = [second, photo, bare]  # the problem's photo again: printed once
    c.put(f"/api/ponds/{pond}/inspections/{iid}", json={"answers": answers, "submit": True})
    r = app_for("demo-city").get(f"/api/ponds/{pond}/inspections/{iid}/record.pdf")
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(r.content))
    # fpdf2 writes the 2-byte encoding as an embedded CMap, which pypdf reads as 1-byte codes: NULs between
    # characters (the ToUnicode map itself is right; viewers copy the text correctly).
    content = "".join(page.extract_text() for page in reader.pages).replace("\x00", "")
    assert "尾矿库现场检查记录" in content and "攀钢新白马矿业万年沟尾矿库" in content
    assert "池水外溢" in content and "存在问题" in content and "GB 18599-2020" in content
    # photos are captioned with their number in the record and when they were taken, never their identifier
    assert "照片 1　拍摄时间 2026-05-10 09:30" in content and "照片 2　拍摄时间 2026-05-10 09:30" in content
    assert "照片 3　拍摄时间不详" in content and "照片 4" not in content
    assert not any(p in content for p in (photo, second, bare))
    fonts = [
        f["/FontDescriptor"]
        for page in reader.pages
        for f in (page["/Resources"]["/Font"][k].get_object()["/DescendantFonts"][0].get_object()
                  for k in page["/Resources"]["/Font"])
    ]  # fmt: skip
    assert any("CJK" in str(d["/FontName"]) and ("/FontFile2" in d or "/FontFile3" in d) for d in fonts)
    assert len(r.content) < 400_000  # the font is subset, not the whole 20 MB collection


def test_spreadsheets_hold_the_inspections_and_hazards_in_scope_only(db, app_for) -> None:
    from openpyxl import load_workbook

    own, other = pond_id(db), pond_id(db, "PZH-TP-010")
    iid = new_id()
    app_for("demo-county").put(
        f"/api/ponds/{own}/inspections/{iid}", json={"answers": _answers(db, own), "submit": True}
    )
    app_for("demo-city").post(f"/api/ponds/{other}/hazards", json={"id": new_id(), "description": "=HYPERLINK(1)"})
    for user, sees_other in (("demo-city", True), ("demo-county", False)):
        r = app_for(user).get("/api/exports/hazards.xlsx")
        ws = load_workbook(io.BytesIO(r.content)).active
        rows = list(ws.iter_rows(values_only=True))
        assert rows[0][0] == "隐患编号"
        codes = {row[1] for row in rows[1:]}
        assert "PZH-TP-021" in codes and ("PZH-TP-010" in codes) is sees_other
        if sees_other:
            # user text never becomes a formula: a text cell holding exactly what was typed
            [cell] = [row[7] for row in ws.iter_rows(min_row=2) if row[7].value == "=HYPERLINK(1)"]
            assert cell.data_type == "s" and cell.quotePrefix
        # stored codes are shown as their Chinese labels: state, yes/no, the checklist item's text
        assert any(row[10] == "已发现" for row in rows[1:]) and {row[11] for row in rows[1:]} <= {"是", "否"}
        assert "收集池无溢流，液位正常" in {row[8] for row in rows[1:]}
        assert all(row[8] is None or not row[8].isascii() for row in rows[1:])
    ws = load_workbook(io.BytesIO(app_for("demo-county").get("/api/exports/inspections.xlsx").content)).active
    rows = list(ws.iter_rows(values_only=True))
    mine = next(row for row in rows[1:] if row[0] == iid)
    assert mine[1] == "PZH-TP-021" and mine[11] == 3 and mine[12] == 1 and mine[5] == "已提交"


def test_pages_are_chinese_by_default_english_on_request_and_escape_user_text(db, app_for) -> None:
    pond = pond_id(db)
    c = app_for("demo-county")
    zh = c.get(f"/ponds/{pond}/inspect")
    assert zh.status_code == 200 and "现场检查" in zh.text and "script-src" in zh.headers["content-security-policy"]
    assert "On-site inspection" in app_for("demo-county").get(f"/ponds/{pond}/inspect?lang=en").text
    evil = "<img src=x onerror=alert(1)>坝面裸露"
    h = c.post(f"/api/ponds/{pond}/hazards", json={"id": new_id(), "description": evil}).json()["id"]
    for page in (c.get(f"/ponds/{pond}/hazards/{h}"), c.get("/hazards")):
        assert page.status_code == 200
        assert evil not in page.text and "&lt;img src=x onerror=alert(1)&gt;坝面裸露" in page.text
    assert "交办整改" in c.get(f"/ponds/{pond}/hazards/{h}").text  # the county may assign it
    assert 'id="action-form"' not in app_for("demo-viewer").get(f"/ponds/{pond}/hazards/{h}").text
    assert f'href="/ponds/{pond}/inspect"' in c.get(f"/ponds/{pond}").text


def test_two_identical_submissions_at_the_same_moment_make_one_inspection(engine) -> None:
    import threading

    from sqlalchemy.orm import Session

    from app.accounts.service import Actor
    from app.db import set_actor
    from app.inspections import service
    from app.inspections.schemas import InspectionIn

    with engine.connect() as c:
        u = c.execute(
            text("""SELECT u.id, u.username, u.display_name, u.role, o.id AS org, o.kind, o.name, o.adcode
                    FROM users u JOIN organisations o ON o.id = u.organisation_id WHERE u.username = 'demo-county'""")
        ).one()
        pond = pond_id(c)
        answers = _answers(c, pond)
    actor = Actor(u.id, u.username, u.display_name, u.role, u.org, u.kind, u.name, u.adcode, None, 0, "api")
    iid = uuid.uuid4()
    body = InspectionIn.model_validate({"answers": answers, "submit": True})
    barrier, results, errors = threading.Barrier(2), [], []

    def submit() -> None:
        try:
            with Session(engine) as s:
                set_actor(s, "test")
                barrier.wait()
                results.append(service.put(s, actor, pond, iid, body))
                s.commit()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(30)
    try:
        assert errors == [] and sorted(results) == [False, True]
        with engine.connect() as c:
            counts = c.execute(
                text("""SELECT (SELECT count(*) FROM inspections WHERE id = :i),
                               (SELECT count(*) FROM hazards WHERE inspection_id = :i)"""),
                {"i": iid},
            ).one()
        assert tuple(counts) == (1, 1)
    finally:
        with engine.begin() as c:
            c.execute(
                text("DELETE FROM hazard_steps WHERE hazard_id IN (SELECT id FROM hazards WHERE inspection_id = :i)"),
                {"i": iid},
            )
            c.execute(text("DELETE FROM hazards WHERE inspection_id = :i"), {"i": iid})
            c.execute(text("DELETE FROM inspection_answers WHERE inspection_id = :i"), {"i": iid})
            c.execute(text("DELETE FROM inspections WHERE id = :i"), {"i": iid})
