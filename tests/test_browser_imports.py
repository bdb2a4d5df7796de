"""The upload page in headless Chromium: an enterprise uploads, previews and commits; the county verifies."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text

from app.seed import demo_password
from tests.browser import CHROMIUM, open_page, sign_in
from tests.test_browser import _shot

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="no chromium: ./dev test installs it"),
]
OWN = "PZH-TP-021"


def test_upload_preview_commit_and_verify(server, browser, engine, tmp_path) -> None:
    with engine.connect() as conn:
        pond, lon, lat = conn.execute(
            text("SELECT id, ST_X(location), ST_Y(location) FROM ponds WHERE code = :c"), {"c": OWN}
        ).one()
    wells = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [lon + i * 2e-4, lat - 1e-4]},
            "properties": {"kind": "monitoring_well", "name": f"<b>浏览器井-{i}</b>", "role": "monitoring"},
        }
        for i in (1, 2)
    ]
    upload = tmp_path / "企业井.geojson"
    upload.write_text(json.dumps({"type": "FeatureCollection", "features": wells}, ensure_ascii=False))
    try:
        w = open_page(browser, 390, 844)  # an enterprise on a phone
        sign_in(w, server, "demo-enterprise", demo_password("enterprise"))
        page = w.page
        page.goto(f"{server}/ponds/{pond}")
        page.click("a#import-link")
        page.wait_for_selector("#upload-form")
        page.set_input_files("#upload-file", str(upload))
        page.click("#upload-submit")
        page.wait_for_selector("body[data-rows-loaded='2']")
        assert page.locator("#rows tbody tr.action-add").count() == 2
        assert page.locator("[data-count=add]").inner_text() == "2"
        assert "<b>浏览器井-1</b>" in page.locator("#rows tbody").inner_text()  # a name stays text
        assert page.locator("#rows b").count() == 0
        assert page.locator("path.leaflet-interactive").count() >= 2
        _shot(w, "import-preview-phone")
        page.click("#commit")
        page.wait_for_selector("#commit", state="detached")  # committed: nothing left to decide
        page.wait_for_selector("body[data-rows-loaded='2']")
        assert w.errors == [] and w.outside == []

        county = open_page(browser)
        sign_in(county, server, "demo-county", demo_password("county"))
        county.page.goto(page.url)
        county.page.wait_for_selector("#verify")
        county.page.click("#verify")
        county.page.wait_for_selector("#verify", state="detached")
        assert county.errors == [] and county.outside == []
        with engine.connect() as conn:
            states = conn.execute(
                text("SELECT source, review_state FROM elements WHERE pond_id = :p AND name LIKE '<b>浏览器井-%'"),
                {"p": pond},
            ).all()
        assert sorted(states) == [("enterprise", "verified"), ("enterprise", "verified")]
    finally:
        with engine.begin() as conn:  # the live server committed: leave the shared sample data as it was
            conn.execute(text("DELETE FROM element_reviews WHERE pond_id = :p"), {"p": pond})
            conn.execute(text("DELETE FROM elements WHERE pond_id = :p AND name LIKE '<b>浏览器井-%'"), {"p": pond})
            conn.execute(text("DELETE FROM import_batches WHERE pond_id = :p"), {"p": pond})
