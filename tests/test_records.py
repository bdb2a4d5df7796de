"""A pond's file: records with versions and history, flags, and documents checked by their content."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from sqlalchemy import text

from app.records import service
from app.records.config import records_config
from tests.factories import make_pond


def _pdf() -> bytes:
    """A minimal but real one-page PDF (what a PDF reader accepts), with a correct cross-reference table."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _png(colour: str = "red") -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (32, 24), colour).save(buf, "PNG")
    return buf.getvalue()


def _docx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        z.writestr("word/document.xml", '<?xml version="1.0"?><w:document/>')
    return buf.getvalue()


@pytest.fixture
def pond(db) -> int:
    return make_pond(db, status="in_use")


def test_permits_are_versioned_and_a_stale_save_is_refused(client, db, pond) -> None:
    url = f"/api/ponds/{pond}/records/permits"
    body = {"eia_approval_no": "攀环审〔2019〕12号", "eia_approval_date": "2019-03-02", "risk_grade": "larger"}
    assert client.put(url, json=body).status_code == 428  # no version given
    assert client.put(url, json=body, headers={"If-Match": '"3"'}).status_code == 409  # none exists yet
    r = client.put(url, json=body, headers={"If-Match": '"0"'})
    assert r.status_code == 200 and r.headers["ETag"] == '"1"' and r.json()["risk_grade"] == "larger"
    r2 = client.put(url, json={**body, "discharge_permit_no": "91510400MA62XXXX01"}, headers={"If-Match": '"1"'})
    assert r2.status_code == 200 and r2.json()["version"] == 2
    stale = client.put(url, json={**body, "note": "lost update"}, headers={"If-Match": '"1"'})
    assert stale.status_code == 409 and "2" in stale.json()["error"]["message"]
    bad = client.put(url, json={"risk_grade": "huge", "eia_approval_date": "soon"}, headers={"If-Match": '"2"'})
    assert bad.status_code == 422
    assert {p["field"] for p in bad.json()["error"]["problems"]} == {"risk_grade", "eia_approval_date"}
    record_id = r.json()["id"]
    history = client.get(f"/api/ponds/{pond}/records/permits/{record_id}/revisions").json()
    assert [h["version"] for h in history] == [1, 2] and history[0]["changed_by"] == "demo-admin"
    assert history[1]["data"]["discharge_permit_no"] == "91510400MA62XXXX01"
    audited = db.execute(
        text("SELECT count(*) FROM audit_log WHERE object_type = 'pond_permits' AND pond_id = :p"), {"p": pond}
    ).scalar()
    assert audited == 2


def test_ledger_years_are_unique_edited_by_version_and_deleted_with_history(client, pond) -> None:
    base = f"/api/ponds/{pond}/records/ledger"
    row = {"year": 2024, "produced_t": 120000, "stored_t": 90000, "reused_t": 25000, "other_disposal_t": 5000}
    created = client.post(base, json=row)
    assert created.status_code == 201
    rid = created.json()["id"]
    dup = client.post(base, json=row)
    assert dup.status_code == 422 and dup.json()["error"]["problems"][0]["field"] == "year"
    assert client.post(base, json={**row, "year": 2023, "produced_t": -1}).status_code == 422
    upd = client.put(f"{base}/{rid}", json={**row, "reported_on": "2025-01-20"}, headers={"If-Match": '"1"'})
    assert upd.status_code == 200 and upd.json()["reported_on"] == "2025-01-20"
    assert client.delete(f"{base}/{rid}", headers={"If-Match": '"1"'}).status_code == 409
    assert client.delete(f"{base}/{rid}", headers={"If-Match": '"2"'}).status_code == 204
    ops = [h["op"] for h in client.get(f"{base}/{rid}/revisions").json()]
    assert ops == ["create", "update", "delete"]


def test_projects_and_facilities(client, pond) -> None:
    p = client.post(
        f"/api/ponds/{pond}/records/projects",
        json={"name": "闭库治理工程", "kind": "closure", "status": "under_way", "started_on": "2025-04-01"},
    )
    assert p.status_code == 201
    f = client.post(
        f"/api/ponds/{pond}/records/facilities",
        json={"name": "渗滤液回抽泵站", "kind": "leachate_treatment", "operating_status": "abnormal"},
    )
    assert f.status_code == 201
    assert (
        client.post(
            f"/api/ponds/{pond}/records/facilities", json={"name": "x", "kind": "rocket", "operating_status": "normal"}
        ).status_code
        == 422
    )
    file = client.get(f"/api/ponds/{pond}/records").json()
    assert [x["name"] for x in file["projects"]] == ["闭库治理工程"]
    assert file["facilities"][0]["operating_status"] == "abnormal"


def test_safety_grade_follows_the_thresholds_in_layers() -> None:
    grades = records_config().safety_grades
    assert grades.grade(50, 80) == 4  # V grade 5, H grade 3: two apart, the higher (3) lowered by one
    assert grades.grade(50, 20) == 5  # V < 100 and H < 30
    assert grades.grade(500, 20) == 4  # V grade 4, H grade 5: one apart, the higher
    assert grades.grade(500, 45) == 4
    assert grades.grade(5000, 70) == 3
    # V=5000 gives grade 3, H=50 grade 4: one grade apart, the higher (GB 50863-2013 §3.2.1)
    assert grades.grade(5000, 50) == 3
    # V=5000 gives grade 3, H=20 grade 5: two apart, the higher (3) lowered by one
    assert grades.grade(5000, 20) == 4
    assert grades.grade(12000, 120) == 2
    assert grades.grade(None, 120) is None


def test_classification_shows_the_computed_grade(client, db, pond) -> None:
    db.execute(
        text("UPDATE ponds SET design_volume_10k_m3 = 1500, dam_height_m = 75, safety_grade = 4 WHERE id = :p"),
        {"p": pond},
    )
    c = client.get(f"/api/ponds/{pond}/records").json()["classification"]
    assert c["safety_grade_computed"] == 3 and c["safety_grade_matches"] is False


def test_permit_and_ledger_flags() -> None:
    today = dt.date(2026, 11, 22)
    assert service.permit_state(None, today)["state"] == "missing"
    assert service.permit_state(dt.date(2026, 11, 1), today)["state"] == "expired"
    assert service.permit_state(dt.date(2027, 1, 10), today) == {"state": "expiring", "days_left": 49}
    assert service.permit_state(dt.date(2028, 1, 1), today)["state"] == "valid"
    # the report for year Y is due by 31 January of Y+1
    assert service.last_due_year(dt.date(2026, 1, 31)) == 2024
    assert service.last_due_year(dt.date(2026, 2, 1)) == 2025
    assert service.missing_reports("in_use", {2022, 2024}, today) == [2023, 2025]
    assert service.missing_reports("closed", set(), today) == []


def test_documents_are_checked_by_content_versioned_and_previewed(client, pond) -> None:
    url = f"/api/ponds/{pond}/documents"
    pdf = client.post(url, data={"doc_type": "eia_approval", "title": "环评批复"}, files={"file": ("批复.pdf", _pdf())})
    assert pdf.status_code == 201, pdf.text
    doc = pdf.json()
    assert doc["media_type"] == "application/pdf" and doc["version"] == 1
    shown = client.get(f"{url}/{doc['id']}/file")
    assert shown.status_code == 200 and shown.content == _pdf()
    assert shown.headers["content-type"] == "application/pdf" and shown.headers["content-disposition"].startswith(
        "inline"
    )
    # a text file named .pdf, an image where only PDFs or Office files are allowed, garbage: refused
    fake = client.post(url, data={"doc_type": "eia_approval"}, files={"file": ("x.pdf", b"%PDF-1.4 not really")})
    assert fake.status_code == 422 and "x.pdf" in fake.json()["error"]["message"]
    wrong = client.post(url, data={"doc_type": "emergency_plan"}, files={"file": ("p.png", _png())})
    assert wrong.status_code == 422
    en = client.post(url + "?lang=en", data={"doc_type": "photo"}, files={"file": ("a.jpg", b"\xff\xd8\xff junk")})
    assert en.status_code == 422 and "images: JPEG/PNG/WebP" in en.json()["error"]["message"]
    photo = client.post(url, data={"doc_type": "photo", "title": "坝面"}, files={"file": ("dam.png", _png())})
    assert photo.status_code == 201 and photo.json()["media_type"] == "image/png"
    office = client.post(url, data={"doc_type": "emergency_plan"}, files={"file": ("预案.docx", _docx())})
    assert office.status_code == 201
    assert client.get(f"{url}/{office.json()['id']}/file").headers["content-disposition"].startswith("attachment")
    # a new version of the photo; the first stays readable
    pid = photo.json()["id"]
    v2 = client.post(f"{url}/{pid}/versions", files={"file": ("dam2.png", _png("blue"))}, headers={"If-Match": '"1"'})
    assert v2.status_code == 200 and v2.json()["version"] == 2
    stale = client.post(f"{url}/{pid}/versions", files={"file": ("d.png", _png("green"))}, headers={"If-Match": '"1"'})
    assert stale.status_code == 409
    assert client.get(f"{url}/{pid}/file").content == _png("blue")
    assert client.get(f"{url}/{pid}/file?version=1").content == _png("red")
    assert [h["version"] for h in client.get(f"/api/ponds/{pond}/records/documents/{pid}/revisions").json()] == [1, 2]


def test_uploads_over_the_limit_are_refused(client, pond, monkeypatch) -> None:
    from app.config import get_settings

    monkeypatch.setattr(get_settings(), "upload_max_mb", 0.0001)
    r = client.post(
        f"/api/ponds/{pond}/documents", data={"doc_type": "eia_approval"}, files={"file": ("b.pdf", _pdf())}
    )
    assert r.status_code == 422 and r.json()["error"]["code"] == "upload_too_large"


def test_enterprise_edits_only_its_own_ponds_records(app_for, db) -> None:
    own = db.execute(text("SELECT id FROM ponds WHERE code = 'PZH-TP-021'")).scalar()
    other = db.execute(text("SELECT id FROM ponds WHERE code = 'PZH-TP-010'")).scalar()
    ent = app_for("demo-enterprise")
    row = {"year": 2019, "produced_t": 1}
    assert ent.post(f"/api/ponds/{own}/records/ledger", json=row).status_code == 201
    assert ent.post(f"/api/ponds/{other}/records/ledger", json=row).status_code == 404
    assert app_for("demo-viewer").post(f"/api/ponds/{own}/records/ledger", json=row).status_code == 403
