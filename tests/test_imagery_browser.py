"""Imagery on the pond map in headless Chromium: date picker, side-by-side comparison, a derivation job with
progress, derived water and the area chart; no outside request."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import shapely
from sqlalchemy import text
from sqlalchemy.orm import Session

from app.seed import demo_password
from tests.browser import CHROMIUM, live_server, open_page, sign_in
from tests.rasters import scene_around
from tests.test_browser import _shot

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="no chromium: ./dev test installs it"),
]


def test_pond_page_shows_two_dates_side_by_side_and_derives_water(database_url, engine, browser, tmp_path) -> None:
    from app.db import set_actor
    from app.imagery import service
    from app.jobs import service as jobs

    with Session(engine) as s:
        set_actor(s, "test")
        pond, wkb = s.execute(
            text("SELECT id, ST_AsBinary(ST_Buffer(boundary, -0.0003)) FROM ponds WHERE code = 'PZH-TP-010'")
        ).one()
        water = shapely.from_wkb(bytes(wkb))
        images = []
        for i, date in enumerate(("2025-11-01", "2026-04-01")):
            path = scene_around(tmp_path / f"{i}.tif", [water], epsg=4543, res=10.0, margin=300, seed=i).path
            image, _ = service.ingest(s, path, path.name, dt.date.fromisoformat(date), "gf-2")
            images.append(image.id)
        s.commit()
    try:
        with live_server(database_url) as base:
            w = open_page(browser)
            sign_in(w, base, "demo-city", demo_password("city"))
            page = w.page
            page.goto(f"{base}/ponds/{pond}")
            page.wait_for_selector("#imagery[data-images='2']")
            assert page.locator("#imagery-date option").count() == 2
            page.wait_for_selector(".imagery-tile img.leaflet-tile-loaded")
            page.select_option("#imagery-compare", str(images[0]))
            page.wait_for_selector(".leaflet-sbs-divider")
            assert page.locator(".imagery-tile").count() == 2
            page.click("#imagery-derive")
            page.wait_for_selector("#imagery[data-job]")
            assert jobs.work(once=True) == 1  # the worker, here in the test's process
            page.wait_for_selector("#imagery[data-job='done']", timeout=20_000)
            page.wait_for_selector("#imagery[data-points='1']")
            page.wait_for_selector("path.derived-water")
            assert page.locator("#imagery-chart circle").count() == 2
            _shot(w, "imagery-desktop")
            assert w.errors == [] and w.outside == []
    finally:
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM derived_geometries WHERE image_id = ANY(:i)"), {"i": images})
            conn.execute(text("DELETE FROM jobs WHERE pond_id = :p"), {"p": pond})
            conn.execute(text("DELETE FROM images WHERE id = ANY(:i)"), {"i": images})
