"""Imagery end to end on synthetic scenes over crafted ponds: ingest, derive, area over time, growth flags,
tiles, statistics, field corrections, jobs and the Dask batch."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import shapely
from sqlalchemy import text

from app import (
    files,
    job_kinds,  # noqa: F401  (the job kinds `tailings worker` runs)
)
from app.db import SessionDep  # noqa: F401  (resolves the annotation of a route defined in a test)
from app.imagery import service
from app.imagery.models import Image
from app.jobs import service as jobs
from gis.crs import STORAGE_SRID, geodesic_area_m2, reproject, to_gk3
from tests.factories import add, at, make_pond
from tests.rasters import iou, scene_around


def boundary_of(db, pond_id: int) -> shapely.Geometry:
    return shapely.from_wkb(
        bytes(db.execute(text("SELECT ST_AsBinary(boundary) FROM ponds WHERE id = :p"), {"p": pond_id}).scalar())
    )


def grown(polygon: shapely.Geometry, metres: float) -> shapely.Geometry:
    local, epsg = to_gk3(polygon)
    return reproject(local.buffer(metres, join_style="mitre"), epsg, STORAGE_SRID)


def ingest(db, path: Path, date: str = "2026-03-01", sensor: str = "gf-2", **kw) -> Image:
    image, _ = service.ingest(db, path, path.name, dt.date.fromisoformat(date), sensor, **kw)
    db.flush()
    return image


def test_ingest_records_footprint_ponds_and_one_cog(db, tmp_path: Path) -> None:
    pond = make_pond(db, shift_km=50)
    water = grown(boundary_of(db, pond).geoms[0], -40)
    scene = scene_around(tmp_path / "gf2.tif", [water], epsg=32647)
    image = ingest(db, scene.path)
    assert (image.kind, image.crs_epsg, image.band_count) == ("multispectral", 32647, 4)
    assert image.band_roles == {"blue": 1, "green": 2, "red": 3, "nir": 4}
    assert image.resolution_m == pytest.approx(10.0)
    assert pond in service.covered_ponds(db, image.id)
    assert files.path_of(image.sha256).exists() and image.sha256 != image.source_sha256
    again = ingest(db, scene.path)
    assert again.id == image.id  # the same file is stored once
    footprint = shapely.geometry.shape(service.footprint_geojson(db, image.id))
    assert footprint.contains(water)
    audited = db.execute(
        text("SELECT action FROM audit_log WHERE object_type = 'images' AND object_id = :i"), {"i": str(image.id)}
    ).scalars()
    assert list(audited) == ["insert"]


def test_derive_water_and_outline_and_flag_growth_over_dates(db, tmp_path: Path) -> None:
    pond = make_pond(db, shift_km=52)
    approved = boundary_of(db, pond).geoms[0]
    inside = grown(approved, -30)
    beyond = grown(approved, 120)  # the pond grew past its approved boundary
    spring = ingest(db, scene_around(tmp_path / "a.tif", [inside], epsg=4543).path, "2026-03-01")
    autumn = ingest(db, scene_around(tmp_path / "b.tif", [beyond], epsg=4543, seed=3).path, "2026-09-01")
    for image in (spring, autumn):
        summary = service.derive(db, image, [pond], by="test")
        assert summary[0]["pond_id"] == pond
    series = service.area_series(db, pond)["series"]
    assert [s["acquired_on"] for s in series] == ["2026-03-01", "2026-09-01"]
    assert series[0]["water_area_m2"] == pytest.approx(geodesic_area_m2(inside), rel=0.02)
    assert series[1]["water_area_m2"] == pytest.approx(geodesic_area_m2(beyond), rel=0.02)
    assert series[0]["flagged"] is False and series[1]["flagged"] is True
    assert series[1]["outside_m2"] == pytest.approx(geodesic_area_m2(beyond) - geodesic_area_m2(approved), rel=0.05)
    assert series[0]["method"] == "ndwi" and series[0]["params"]["threshold"] == 0.0
    rows = db.execute(
        text("""SELECT kind, ST_AsBinary(geom) FROM derived_geometries WHERE pond_id = :p AND image_id = :i"""),
        {"p": pond, "i": spring.id},
    ).all()
    water = shapely.from_wkb(bytes(dict(rows)["water_surface"]))
    assert iou(inside, water) >= 0.95
    audited = db.execute(
        text("SELECT count(*) FROM audit_log WHERE object_type = 'derived_geometries' AND pond_id = :p"), {"p": pond}
    ).scalar()
    assert audited == 4  # water and outline, two dates
    # deriving again replaces, never duplicates
    service.derive(db, spring, [pond], {"threshold": 0.1}, by="test")
    assert len(service.area_series(db, pond)["series"]) == 2


def test_drone_orthophoto_in_gauss_kruger(db, tmp_path: Path) -> None:
    pond = make_pond(db, shift_km=54)
    water = grown(boundary_of(db, pond).geoms[0], -60)
    scene = scene_around(tmp_path / "drone.tif", [water], epsg=4543, res=1.0, margin=60, kind="rgb")
    image = ingest(db, scene.path, sensor="drone")
    assert image.kind == "rgb"
    service.derive(db, image, [pond], by="test")
    series = service.area_series(db, pond)["series"]
    assert series[0]["method"] == "rgb"
    assert series[0]["water_area_m2"] == pytest.approx(geodesic_area_m2(water), rel=0.02)


def test_api_upload_job_progress_tiles_stats(db, app_for, tmp_path: Path) -> None:
    pond = make_pond(db, shift_km=56)
    water = grown(boundary_of(db, pond).geoms[0], -40)
    scene = scene_around(tmp_path / "s2.tif", [water], epsg=32647, descriptions=("B02", "B03", "B04", "B08"))
    city = app_for("demo-city")
    with scene.path.open("rb") as f:
        r = city.post(
            "/api/imagery",
            files={"file": ("s2.tif", f, "image/tiff")},
            data={"acquired_on": "2026-05-02", "sensor": "sentinel-2"},
        )
    assert r.status_code == 202, r.text
    job_id = r.json()["job"]["id"]
    assert city.get(f"/api/jobs/{job_id}").json()["state"] == "queued"
    assert app_for("demo-admin").get(f"/api/jobs/{job_id}").status_code == 200
    assert app_for("demo-viewer").get(f"/api/jobs/{job_id}").status_code == 404  # not the owner
    assert jobs.claim(db, "test") == job_id
    assert jobs.run(job_id, db) == "done"
    body = city.get(f"/api/jobs/{job_id}").json()
    assert body["state"] == "done" and body["progress"] == 1.0
    image_id = body["result"]["image_id"]
    assert pond in body["result"]["ponds"]
    info = city.get(f"/api/imagery/{image_id}").json()
    assert info["band_roles"] == {"blue": 1, "green": 2, "red": 3, "nir": 4} and info["sensor"] == "sentinel-2"

    # derive as a job from the pond page
    r = city.post(f"/api/ponds/{pond}/imagery/{image_id}/derive")
    assert r.status_code == 202
    derive_job = r.json()["job"]["id"]
    assert jobs.claim(db, "test") == derive_job and jobs.run(derive_job, db) == "done"
    areas = city.get(f"/api/ponds/{pond}/imagery/areas").json()
    assert areas["series"][0]["water_area_m2"] == pytest.approx(geodesic_area_m2(water), rel=0.02)
    fc = city.get(f"/api/ponds/{pond}/imagery/derived").json()
    assert {f["properties"]["kind"] for f in fc["features"]} == {"water_surface", "pond_outline"}

    stats = city.get(f"/api/ponds/{pond}/imagery/{image_id}/stats").json()
    assert stats["valid_share"] == 1.0 and 0 < stats["water_share"] < 1 and stats["mean_ndwi"] is not None

    # a tile over the pond: a PNG with data; far away: transparent
    import morecantile

    lon, lat = at(56_000, 150).coords[0]
    t = morecantile.tms.get("WebMercatorQuad").tile(lon, lat, 15)
    tile = city.get(f"/imagery/{image_id}/tiles/{t.z}/{t.x}/{t.y}.png")
    assert tile.status_code == 200 and tile.headers["content-type"] == "image/png" and tile.content[:4] == b"\x89PNG"
    assert len(tile.content) > 1000
    assert app_for("demo-enterprise").get(f"/imagery/{image_id}/tiles/{t.z}/{t.x}/{t.y}.png").status_code == 404


def test_broken_uploads_are_refused_with_the_file_named(db, app_for, tmp_path: Path) -> None:
    pond = make_pond(db, shift_km=58)
    scene = scene_around(tmp_path / "x.tif", [grown(boundary_of(db, pond).geoms[0], -40)], tiled=False)
    data = scene.path.read_bytes()
    city = app_for("demo-city")
    r = city.post(
        "/api/imagery?lang=en",
        files={"file": ("half.tif", data[: len(data) // 2], "image/tiff")},
        data={"acquired_on": "2026-05-02", "sensor": "gf-2"},
    )
    assert (
        r.status_code == 422
        and r.json()["error"]["code"] == "raster_unreadable"
        and "half.tif" in r.json()["error"]["message"]
    )
    r = city.post(
        "/api/imagery",
        files={"file": ("dem.tif", data, "image/tiff")},
        data={"acquired_on": "2026-05-02", "sensor": "dem"},
    )
    assert r.status_code == 422 and r.json()["error"]["code"] == "raster_band_count"
    # an image of somewhere no pond of the county lies
    r = app_for("demo-county").post(
        "/api/imagery",
        files={"file": ("x.tif", data, "image/tiff")},
        data={"acquired_on": "2026-05-02", "sensor": "gf-2"},
    )
    assert r.status_code == 422 and r.json()["error"]["code"] == "imagery_covers_no_pond"


def test_field_corrections_measure_the_shift(db, client) -> None:
    pond = make_pond(db, shift_km=60)
    well = add(db, pond, "monitoring_well", at(10, 100), source="enterprise", role="monitoring")
    db.execute(
        text("UPDATE elements SET geom = ST_GeomFromText(:g, 4490), source = 'field', version = 2 WHERE id = :id"),
        {"g": at(16, 108).wkt, "id": well},
    )
    add(db, pond, "sprinkler", at(30, 100), source="field", working=True)  # never elsewhere: no shift
    body = client.get(f"/api/ponds/{pond}/field-corrections").json()
    assert [e["element_id"] for e in body["elements"]] == [well]
    assert body["elements"][0]["shift_m"] == pytest.approx(10.0, abs=0.05)
    assert body["elements"][0]["previous_source"] == "enterprise"
    assert body["summary"]["count"] == 1 and body["summary"]["max_m"] == pytest.approx(10.0, abs=0.05)


def test_failed_job_records_the_reason(db, tmp_path: Path) -> None:
    job = jobs.submit(db, "imagery.derive", {"image_id": 999999})
    assert jobs.claim(db, "test") == job.id
    assert jobs.run(job.id, db) == "failed"
    db.refresh(job)
    assert job.message == "not_found" and job.result["params"]["id"] == 999999 and job.finished_at


def test_claim_skips_a_job_another_worker_holds(engine) -> None:
    with engine.connect() as setup:
        job_id = setup.execute(
            text("INSERT INTO jobs (kind, username) VALUES ('test.nothing', 'test') RETURNING id")
        ).scalar_one()
        setup.commit()
    try:
        with engine.connect() as a, engine.connect() as b:
            a.execute(text("SET lock_timeout = '2s'"))
            held = a.execute(text("SELECT id FROM jobs WHERE id = :i FOR UPDATE"), {"i": job_id}).scalar()
            assert held == job_id
            from sqlalchemy.orm import Session

            with Session(bind=b) as other:
                other.execute(text("SET lock_timeout = '2s'"))
                assert jobs.claim(other, "w2", ["test.nothing"]) is None  # skipped, not blocked
            a.rollback()
        with Session(engine) as s:
            assert jobs.claim(s, "w3", ["test.nothing"]) == job_id
    finally:
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM jobs WHERE id = :i"), {"i": job_id})


@pytest.mark.slow
def test_batch_on_a_local_dask_cluster(db, tmp_path: Path) -> None:
    from app.imagery.batch import batch_derive

    ponds = [make_pond(db, shift_km=62), make_pond(db, shift_km=63)]
    waters = [grown(boundary_of(db, p).geoms[0], -40) for p in ponds]
    first = ingest(db, scene_around(tmp_path / "1.tif", waters, epsg=4543).path, "2026-01-10")
    second = ingest(db, scene_around(tmp_path / "2.tif", waters, epsg=4543, seed=9).path, "2026-02-10")
    done = batch_derive(db, [first.id, second.id], ponds, workers=1)
    assert sorted((d["image_id"], d["pond_id"]) for d in done) == sorted(
        (i, p) for i in (first.id, second.id) for p in ponds
    )
    for pond, water in zip(ponds, waters, strict=True):
        series = service.area_series(db, pond)["series"]
        assert len(series) == 2
        assert series[0]["water_area_m2"] == pytest.approx(geodesic_area_m2(water), rel=0.02)


def test_cli_ingest_and_derive_with_progress(database_url, engine, tmp_path: Path) -> None:
    from tests.test_cli import invoke

    with engine.connect() as conn:
        pond, wkb = conn.execute(
            text("SELECT id, ST_AsBinary(ST_Buffer(boundary, -0.0003)) FROM ponds WHERE code = 'PZH-TP-021'")
        ).one()
    water = shapely.from_wkb(bytes(wkb))
    scene = scene_around(tmp_path / "gf1.tif", [water], epsg=4543, res=10.0, margin=300, seed=11)
    image_id = None
    try:
        r = invoke("imagery", "ingest", str(scene.path), "--date", "2026-06-01", "--sensor", "gf-1")
        assert r.exit_code == 0, r.output
        image_id = int(r.stdout.strip().splitlines()[-1])
        assert "ingested image" in r.output and str(pond) in r.output
        r = invoke("imagery", "derive", str(image_id), "--pond", str(pond))
        assert r.exit_code == 0, r.output
        assert f"pond {pond}: water" in r.output and "100%" in r.output
        with engine.connect() as conn:
            area = conn.execute(
                text("SELECT area_m2 FROM derived_geometries WHERE image_id = :i AND kind = 'water_surface'"),
                {"i": image_id},
            ).scalar()
        assert area == pytest.approx(geodesic_area_m2(water), rel=0.02)
        bad = tmp_path / "bad.tif"
        bad.write_bytes(scene.path.read_bytes()[:3000])
        r = invoke("imagery", "ingest", str(bad), "--date", "2026-06-01", "--sensor", "gf-1", "--lang", "en")
        assert r.exit_code == 2 and "bad.tif cannot be read" in r.output
    finally:
        if image_id:
            with engine.begin() as conn:
                conn.execute(text("DELETE FROM images WHERE id = :i"), {"i": image_id})


def test_dem_is_stored_and_shown_but_no_water_is_derived_from_it(db, app_for, tmp_path: Path) -> None:
    import numpy as np
    import rasterio

    from app.errors import Invalid

    pond = make_pond(db, shift_km=64)
    scene = scene_around(tmp_path / "base.tif", [grown(boundary_of(db, pond).geoms[0], -40)], epsg=4543, res=5.0)
    dem = tmp_path / "dem.tif"
    with rasterio.open(scene.path) as src:
        profile = src.profile | {"count": 1, "dtype": "float32", "nodata": -9999.0}
        yy, xx = np.mgrid[0 : src.height, 0 : src.width]
        elevation = (1200 + 0.5 * xx + 0.2 * yy).astype("float32")[None]
    with rasterio.open(dem, "w", **profile) as dst:
        dst.write(elevation)
    image = ingest(db, dem, sensor="dem")
    assert (image.kind, image.band_roles, image.dtype) == ("dem", {"elevation": 1}, "float32")
    with pytest.raises(Invalid) as err:
        service.derive(db, image, [pond])
    assert err.value.code == "imagery_no_water_method"
    import morecantile

    lon, lat = at(64_000, 150).coords[0]
    t = morecantile.tms.get("WebMercatorQuad").tile(lon, lat, 16)
    tile = app_for("demo-admin").get(f"/imagery/{image.id}/tiles/{t.z}/{t.x}/{t.y}.png")
    assert tile.status_code == 200 and tile.content[:4] == b"\x89PNG" and len(tile.content) > 1000


def test_a_job_whose_worker_died_is_queued_again(engine) -> None:
    with engine.begin() as setup:
        job_id = setup.execute(
            text("""INSERT INTO jobs (kind, username, state, started_at, worker)
                    VALUES ('test.nothing', 'test', 'running', now() - interval '5 minutes', 'gone:1') RETURNING id""")
        ).scalar_one()
    try:
        from sqlalchemy.orm import Session

        worker = engine.connect()  # the worker running it, alive: it holds the job's lock
        worker.execute(text("SELECT pg_advisory_lock(:ns, :id)"), {"ns": jobs.LOCK_NAMESPACE, "id": job_id})
        with Session(engine) as s:
            assert job_id not in jobs.requeue_orphans(s)
        worker.invalidate()  # the worker dies: its connection ends, and PostgreSQL drops its lock with it
        worker.close()
        with Session(engine) as s:
            assert job_id in jobs.requeue_orphans(s)
            state, who = s.execute(text("SELECT state, worker FROM jobs WHERE id = :i"), {"i": job_id}).one()
        assert (state, who) == ("queued", None)
    finally:
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM jobs WHERE id = :i"), {"i": job_id})


def test_an_id_too_large_for_the_database_is_the_callers_mistake(client) -> None:
    r = client.get("/api/jobs/" + "9" * 20)  # refused before any query
    assert r.status_code == 422 and r.json()["error"]["problems"][0]["field"].endswith("job_id")


def test_a_number_the_database_cannot_hold_is_a_422_wherever_it_comes_from(app_for, db) -> None:
    from fastapi import APIRouter

    from app.main import app

    probe = APIRouter()

    @probe.get("/test/out-of-range")
    def out_of_range(session: SessionDep) -> None:
        session.execute(text("SELECT CAST(:n AS bigint)"), {"n": 10**20})

    app.include_router(probe)
    try:
        client = app_for("demo-admin")
        savepoint = db.begin_nested()  # the failed statement aborts it: rolled back below, the test goes on
        r = client.get("/test/out-of-range")
        savepoint.rollback()
        assert r.status_code == 422 and r.json()["error"]["code"] == "number_out_of_range", r.json()
    finally:
        app.router.routes[:] = [x for x in app.router.routes if getattr(x, "path", "") != "/test/out-of-range"]
