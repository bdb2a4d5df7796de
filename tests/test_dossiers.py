"""The per-pond dossier (一库一档): the ZIP opened and each part checked against the database; same data, same bytes;
the export of all ponds as a job, its progress and its download by its owner only."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import time
import zipfile
from pathlib import Path

import pytest
import shapely
from openpyxl import load_workbook
from sqlalchemy import text

CODE = "PZH-TP-002"  # has elements of many kinds, monitoring with exceedances


def _pond(db, code: str = CODE) -> int:
    return db.execute(text("SELECT id FROM ponds WHERE code = :c"), {"c": code}).scalar_one()


def _with_photo_hazard_and_document(db, pond_id: int) -> None:
    """A hazard found in an inspection with a photo, and a document, so that every part of the dossier has rows."""
    from app.records import documents
    from tests.photos import jpeg

    uid = db.execute(text("SELECT id FROM users WHERE username = 'demo-city'")).scalar_one()
    from app import files

    sha = files.put(jpeg())
    db.execute(
        text("""INSERT INTO photos (id, pond_id, sha256, content_type, filename, size_bytes, width, height, uploaded_by)
                VALUES (gen_random_uuid(), :p, :s, 'image/jpeg', 'a.jpg', 100, 64, 48, :u)"""),
        {"p": pond_id, "s": sha, "u": uid},
    )
    documents.upload(db, pond_id, "other", "应急预案", "plan.pdf", b"%PDF-1.4\n%%EOF\n")
    db.flush()


@pytest.fixture
def dossier(client, db) -> tuple[int, bytes]:
    pond = _pond(db)
    _with_photo_hazard_and_document(db, pond)
    r = client.get(f"/api/ponds/{pond}/dossier.zip")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/zip"
    assert r.headers["content-disposition"].endswith(f"{CODE}-dossier.zip")
    return pond, r.content


def _pypdf_text(pdf: bytes) -> str:
    from pypdf import PdfReader

    return re.sub(r"[\s\x00]+", "", "".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages))


def _text(pdf: bytes, tmp: Path) -> str:
    """The report's text. pypdf (7.1) decodes fpdf2's two-byte codes of 0x0100 and above wrongly (the first pages,
    with fewer than 256 distinct glyphs, come out right), so the whole text is read with poppler's pdftotext."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: ./dev's ensure_browser installs it")
    (tmp / "r.pdf").write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(tmp / "r.pdf"), "-"], check=True, capture_output=True)
    return re.sub(r"\s+", "", out.stdout.decode())


def test_the_zip_holds_every_part(dossier) -> None:
    _, data = dossier
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert names == sorted(names)
    for part in ("report.pdf", "records.xlsx", "hazards.xlsx", "map.html", "elements.gpkg", "elements.kml"):
        assert f"{CODE}/{CODE}-{part}" in names
    assert any(n.startswith(f"{CODE}/photos/") and n.endswith(".jpg") for n in names)
    assert any(n.startswith(f"{CODE}/documents/") and n.endswith("plan.pdf") for n in names)


def test_the_report_names_the_pond_and_counts_every_kind_of_element(dossier, db, tmp_path: Path) -> None:
    from app import registry
    from app.i18n import label

    pond, data = dossier
    pdf = zipfile.ZipFile(io.BytesIO(data)).read(f"{CODE}/{CODE}-report.pdf")
    assert b"/FontFile3" in pdf or b"/FontFile2" in pdf  # the CJK font is embedded
    name = db.execute(text("SELECT name FROM ponds WHERE id = :p"), {"p": pond}).scalar_one()
    assert name in _pypdf_text(pdf) and CODE in _pypdf_text(pdf)  # the cover, read by pypdf
    words = _text(pdf, tmp_path)
    assert name in words and CODE in words
    kinds = registry.catalogue().kinds
    counts = dict(
        db.execute(text("SELECT kind, count(*) FROM elements WHERE pond_id = :p GROUP BY kind"), {"p": pond}).all()
    )
    assert len(counts) >= 3
    for kind, n in counts.items():
        assert re.sub(r"\s", "", f"{label(kinds[kind].label, 'zh')}{n}") in words, kind  # its row in the counts
    assert f"合计{sum(counts.values())}" in words
    for heading in ("基本信息", "要素分布图", "合规规则检查结果", "地下水监测", "现场检查", "隐患", "档案资料"):
        assert heading in words
    assert "应急预案" in words  # the documents list


def test_the_report_pages_render_and_are_not_blank(dossier, tmp_path: Path) -> None:
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed: ./dev's ensure_browser installs it")
    from PIL import Image, ImageStat

    _, data = dossier
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(zipfile.ZipFile(io.BytesIO(data)).read(f"{CODE}/{CODE}-report.pdf"))
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page*.png"))
    assert len(pages) >= 3
    for page in pages:
        with Image.open(page) as im:
            grey = im.convert("L")
            dark = sum(grey.histogram()[:200])  # pixels darker than near-white: text, lines, the map
            assert ImageStat.Stat(grey).extrema[0][0] < 100 and dark > 200, page.name
    # the map page carries the catalogue's colours (not just black text)
    with Image.open(pages[2]) as im:
        colours = {c for _, c in im.convert("RGB").getcolors(1 << 20) if max(c) - min(c) > 60}
        assert len(colours) > 20


def test_the_geopackage_reads_back_as_the_database(dossier, db, tmp_path: Path) -> None:
    import pyogrio

    pond, data = dossier
    path = tmp_path / "e.gpkg"
    path.write_bytes(zipfile.ZipFile(io.BytesIO(data)).read(f"{CODE}/{CODE}-elements.gpkg"))
    got: dict[int, object] = {}
    for layer, _ in pyogrio.list_layers(path):
        frame = pyogrio.read_dataframe(path, layer=layer)
        for _, row in frame.iterrows():
            got[int(row["element_id"])] = (row["name"], row.geometry)
    want = db.execute(
        text("SELECT id, name, ST_AsBinary(geom) FROM elements WHERE pond_id = :p ORDER BY id"), {"p": pond}
    ).all()
    assert sorted(got) == [r[0] for r in want]
    for id_, name, wkb in want:
        assert got[id_][0] == name
        assert shapely.equals_exact(got[id_][1], shapely.from_wkb(bytes(wkb)), tolerance=1e-9), id_
    kml = zipfile.ZipFile(io.BytesIO(data)).read(f"{CODE}/{CODE}-elements.kml").decode()
    assert kml.count("<Placemark") == len(want)


def test_the_workbooks_hold_the_right_rows(dossier, db) -> None:
    pond, data = dossier
    z = zipfile.ZipFile(io.BytesIO(data))
    wb = load_workbook(io.BytesIO(z.read(f"{CODE}/{CODE}-records.xlsx")))
    years = db.execute(text("SELECT year FROM tailings_ledger WHERE pond_id = :p ORDER BY year"), {"p": pond}).scalars()
    assert [r[0] for r in wb["尾矿年度台账（吨）"].iter_rows(min_row=2, values_only=True)] == list(years)
    ids = db.execute(text("SELECT id FROM elements WHERE pond_id = :p"), {"p": pond}).scalars()
    assert sorted(r[0] for r in wb["监管要素"].iter_rows(min_row=2, values_only=True)) == sorted(ids)
    n = db.execute(text("SELECT count(*) FROM monitoring_results WHERE pond_id = :p"), {"p": pond}).scalar()
    assert wb["地下水监测"].max_row - 1 == n
    hz = load_workbook(io.BytesIO(z.read(f"{CODE}/{CODE}-hazards.xlsx")))["隐患"]
    want = db.execute(text("SELECT id FROM hazards WHERE pond_id = :p ORDER BY id"), {"p": pond}).scalars().all()
    assert [r[0] for r in hz.iter_rows(min_row=2, values_only=True)] == want


def test_the_offline_map_has_no_outside_url(dossier, db) -> None:
    pond, data = dossier
    page = zipfile.ZipFile(io.BytesIO(data)).read(f"{CODE}/{CODE}-map.html").decode()
    assert "L.map(" in page and "L.geoJson(" in page and "leaflet-container" in page  # Leaflet's JS and CSS inline
    assert "<script src" not in page and "<link" not in page
    # the only http(s) strings: Leaflet's attribution link and the SVG namespace (an identifier, never fetched)
    urls = set(re.findall(r"https?://[^\s\"'<>)]+", page))
    assert urls <= {"https://leafletjs.com", "http://www.w3.org/2000/svg"}, urls
    n = db.execute(text("SELECT count(*) FROM elements WHERE pond_id = :p"), {"p": pond}).scalar()
    assert page.count('"type": "Feature"') == n


def test_the_offline_map_escapes_user_text(db) -> None:
    from app.dossiers.build import Element, offline_map_html

    e = Element(1, "x", "y", "</script><script>alert(1)</script>", shapely.Point(101.7, 26.5), "verified", None)
    page = offline_map_html([e], "t")
    assert "<script>alert(1)" not in page and "\\u0026lt;script\\u0026gt;alert(1)" in page


def test_same_data_same_bytes(client, db, dossier) -> None:
    pond, data = dossier
    time.sleep(1.1)  # the clock moves on: the file must not
    again = client.get(f"/api/ponds/{pond}/dossier.zip").content
    a, b = zipfile.ZipFile(io.BytesIO(data)), zipfile.ZipFile(io.BytesIO(again))
    assert [n for n in a.namelist() if a.read(n) != b.read(n)] == []
    assert again == data
    for info in zipfile.ZipFile(io.BytesIO(data)).infolist():
        assert info.date_time < time.gmtime()[:6]
    db.execute(
        text("UPDATE elements SET name = name || '改' WHERE id = (SELECT min(id) FROM elements WHERE pond_id = :p)"),
        {"p": pond},
    )
    assert client.get(f"/api/ponds/{pond}/dossier.zip").content != data


def test_a_pond_without_elements_still_has_a_dossier(db) -> None:
    from app.dossiers.build import build_dossier
    from tests.factories import make_pond

    pond = make_pond(db, code="PZH-EMPTY-1")
    names = zipfile.ZipFile(io.BytesIO(build_dossier(db, pond))).namelist()
    assert "PZH-EMPTY-1/PZH-EMPTY-1-report.pdf" in names and "PZH-EMPTY-1/PZH-EMPTY-1-elements.gpkg" not in names


def test_export_of_all_ponds_runs_as_a_job_for_its_owner(db, app_for) -> None:
    from app.jobs import service as jobs

    county = app_for("demo-county")
    r = county.post("/api/dossiers")
    assert r.status_code == 202
    job_id = r.json()["id"]
    assert county.get(f"/api/dossiers/{job_id}/download").status_code == 409  # not finished
    assert jobs.run(job_id, db) == "done"
    state = county.get(f"/api/jobs/{job_id}").json()
    assert state["state"] == "done" and state["progress"] == 1.0
    got = county.get(f"/api/dossiers/{job_id}/download")
    assert got.status_code == 200
    codes = {n.split("/", 1)[0] for n in zipfile.ZipFile(io.BytesIO(got.content)).namelist()}
    want = set(db.execute(text("SELECT code FROM ponds WHERE county_adcode = 510421")).scalars())
    assert codes == want and 0 < len(want) < 40  # the county's ponds only
    assert state["result"]["ponds"] == len(want)
    # someone else's job is not found, even for a city supervisor
    assert app_for("demo-city").get(f"/api/dossiers/{job_id}/download").status_code == 404


def test_cli_exports_one_pond_and_all(db, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from app.cli import cli

    runner = CliRunner()
    res = runner.invoke(cli, ["dossier", "export", "--pond", CODE, "--out", str(tmp_path)])
    assert res.exit_code == 0, res.output
    assert zipfile.is_zipfile(tmp_path / f"{CODE}-dossier.zip")
    res = runner.invoke(cli, ["dossier", "export", "--pond", "NOPE", "--out", str(tmp_path)])
    assert res.exit_code != 0 and "NOPE" in res.output


def test_dev_installs_pdftoppm() -> None:
    dev = (Path(__file__).resolve().parents[1] / "dev").read_text()
    body = dev[dev.index("ensure_browser() {") :]
    assert "poppler-utils" in body[: body.index("\n}\n")]


def test_a_job_id_beyond_bigint_is_refused_before_any_query(client) -> None:
    big = 2**64
    assert client.get(f"/api/jobs/{big}").status_code == 422
    assert client.get(f"/api/dossiers/{big}/download").status_code == 422
    assert client.get(f"/api/dossiers/{2**62}/download").status_code == 404  # a possible id, but no such job
