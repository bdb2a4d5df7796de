"""The map pages in headless Chromium against a running server, with every outside request refused."""

from __future__ import annotations

import math
import os
from pathlib import Path

import pytest
from sqlalchemy import text

from app.seed import demo_password
from tests.browser import CHROMIUM, live_server, open_page, sign_in

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="no chromium: ./dev test installs it"),
]
SHOTS = Path(os.environ.get("TAILINGS_SCREENSHOT_DIR", "")) if os.environ.get("TAILINGS_SCREENSHOT_DIR") else None


def _shot(w, name: str) -> None:
    if SHOTS:
        SHOTS.mkdir(parents=True, exist_ok=True)
        w.page.screenshot(path=str(SHOTS / f"{name}.png"))


def test_overview_draws_every_pond_in_scope_offline(server, browser) -> None:
    w = open_page(browser)
    sign_in(w, server, "demo-city", demo_password("city"))
    page = w.page
    page.wait_for_selector("body[data-reference=loaded]")
    assert page.locator("path.pond-marker").count() == 40
    assert page.locator("path.pond-shape").count() == 40
    assert page.locator("path.river").count() >= 2 and page.locator("path.priority-buffer").count() >= 2
    assert page.locator("path.district").count() == 5
    assert page.locator(".legend").is_visible() and page.locator(".leaflet-control-layers").count() == 1
    assert page.locator("#count").inner_text() == "显示 40 / 40 座"
    # the filter and the counts follow each other
    page.select_option("#f-level", "2")
    assert page.locator("#count").inner_text() == "显示 8 / 40 座"
    assert page.locator("path.pond-marker").count() == 8
    page.select_option("#f-level", "")
    page.check("#f-onemap")
    assert page.locator("path.pond-marker").count() == 14
    page.uncheck("#f-onemap")
    page.fill("#search", "万年沟")
    assert page.locator("#pond-list li:not([hidden])").count() == 1
    page.fill("#search", "")
    # a click opens the popup with the way to the pond
    page.locator("path.pond-marker").first.click(force=True)
    assert page.locator(".leaflet-popup-content a[href^='/ponds/']").count() == 1
    _shot(w, "overview-desktop")
    assert w.errors == [] and w.outside == []


def test_county_sees_only_its_county(server, browser, db) -> None:
    w = open_page(browser)
    sign_in(w, server, "demo-county", demo_password("county"))
    w.page.wait_for_selector("body[data-reference=loaded]")
    n = db.execute(text("SELECT count(*) FROM ponds WHERE county_adcode = 510421")).scalar()
    assert w.page.locator("path.pond-marker").count() == n and n < 40


def test_pond_map_draws_each_element_with_flow_arrows_and_controls(server, browser, db) -> None:
    pond_id, n_elements, n_flow_lines = db.execute(
        text("""
        SELECT p.id, count(e.id), count(e.id) FILTER (WHERE e.kind IN ('leachate_pipe', 'interception_ditch',
               'drainage_ditch', 'flood_tunnel', 'return_pipe', 'groundwater_drain'))
        FROM ponds p JOIN elements e ON e.pond_id = p.id WHERE p.code = 'PZH-TP-010' GROUP BY p.id""")
    ).one()
    w = open_page(browser)
    sign_in(w, server, "demo-city", demo_password("city"))
    page = w.page
    page.goto(f"{server}/ponds/{pond_id}")
    page.wait_for_selector("body[data-surroundings]")
    assert page.locator(".el-icon").count() + page.locator("path.el-shape").count() == n_elements
    assert n_flow_lines > 0 and page.locator("path.flow-arrow").count() >= n_flow_lines
    assert page.locator("path.pond-boundary").count() == 1 and page.locator("path.dam-crest").count() == 1
    for control in (
        ".leaflet-control-locate",
        "#polyline-measure-control",
        ".leaflet-control-scale",
        ".leaflet-control-zoom-fullscreen",
        ".leaflet-control-mouseposition",
        ".leaflet-control-layers",
    ):
        assert page.locator(control).count() == 1, control
    assert page.locator("#rules li").count() == 10
    page.locator(".el-icon").first.click()
    assert page.locator("#element-detail h3").count() == 1
    assert "来源" in page.locator("#element-detail").inner_text()
    _shot(w, "pond-desktop")
    assert w.errors == [] and w.outside == []


def test_pages_fit_a_phone(server, browser, db) -> None:
    pond_id = db.execute(text("SELECT id FROM ponds WHERE code = 'PZH-TP-021'")).scalar()
    w = open_page(browser, 360, 740)
    sign_in(w, server, "demo-enterprise", demo_password("enterprise"))
    page = w.page
    page.wait_for_selector("body[data-reference=loaded]")
    box = page.locator(".folium-map").bounding_box()
    assert box["width"] <= 360 and box["height"] >= 300
    _shot(w, "overview-phone")
    page.goto(f"{server}/ponds/{pond_id}")
    page.wait_for_selector("body[data-surroundings]")
    assert page.locator(".leaflet-control-locate").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    _shot(w, "pond-phone")
    assert w.errors == [] and w.outside == []


def test_user_text_stays_text_in_list_and_popups(server, browser, engine) -> None:
    evil = "<img src=x onerror=alert(1)>示例"
    with engine.begin() as conn:
        pond = conn.execute(
            text("""
            INSERT INTO ponds (code, name, county_adcode, supervision_level, status, location, illustrative)
            VALUES ('XSS-TEST', :n, 510402, 3, 'in_use', ST_SetSRID(ST_Point(101.75, 26.6), 4490), true)
            RETURNING id"""),
            {"n": evil},
        ).scalar()
        conn.execute(
            text("""INSERT INTO elements (pond_id, type, kind, name, geom, attributes, source)
                             VALUES (:p, 'dust_control', 'sprinkler', :n, ST_SetSRID(ST_Point(101.75, 26.6), 4490),
                                     '{}', 'field')"""),
            {"p": pond, "n": evil},
        )
    try:
        w = open_page(browser)
        sign_in(w, server, "demo-city", demo_password("city"))
        page = w.page
        page.wait_for_selector("body[data-reference=loaded]")
        assert evil in page.locator("#pond-list").inner_text()
        page.fill("#search", "XSS-TEST")
        page.locator("path.pond-marker").first.click(force=True)
        popup = page.locator(".leaflet-popup-content")
        assert evil in popup.inner_text() and popup.locator("img").count() == 0
        page.goto(f"{server}/ponds/{pond}")
        page.wait_for_selector("body[data-surroundings]")
        page.locator(".el-icon").first.click()
        assert evil in page.locator("#element-detail").inner_text()
        assert page.locator("#element-detail img, .leaflet-popup-content img").count() == 0
        assert w.dialogs == [] and w.errors == []
    finally:
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM elements WHERE pond_id = :p"), {"p": pond})
            conn.execute(text("DELETE FROM ponds WHERE id = :p"), {"p": pond})


def test_data_render_when_every_outside_request_fails(database_url, browser) -> None:
    # A deployment with online basemaps: tiles are refused here, the ponds must still be drawn.
    with live_server(database_url, basemaps="osm,esri_img,none") as base:
        w = open_page(browser)
        sign_in(w, base, "demo-city", demo_password("city"))
        w.page.wait_for_selector("body[data-reference=loaded]")
        assert w.page.locator("path.pond-marker").count() == 40
        assert w.outside and all("openstreetmap.org" in u for u in w.outside)  # tiles were tried and refused
        assert [e for e in w.errors if "openstreetmap" not in e and "ERR_FAILED" not in e] == []


def test_overview_switches_to_vector_tiles_for_large_scopes(database_url, browser) -> None:
    with live_server(database_url, overview_geojson_max="10") as base:
        w = open_page(browser)
        sign_in(w, base, "demo-city", demo_password("city"))
        page = w.page
        page.wait_for_selector("body[data-shown='40']")
        page.wait_for_selector("path.pond-marker")

        def tiles() -> list[str]:
            return [
                u
                for u in page.evaluate("performance.getEntriesByType('resource').map(e => e.name)")
                if "/tiles/ponds/" in u
            ]

        assert tiles() and page.locator("#count").inner_text() == "显示 40 / 40 座"
        assert page.locator("#pond-list li").count() == 40  # the API's first page (limit 50)
        page.select_option("#f-level", "2")
        page.wait_for_selector("body[data-shown='8']")
        assert page.locator("#count").inner_text() == "显示 8 / 40 座"
        page.wait_for_selector("path.pond-marker")
        assert any("level=2" in u for u in tiles())
        page.locator("path.pond-marker").first.click(force=True)
        assert page.locator(".leaflet-popup-content a[href^='/ponds/']").count() == 1
        assert w.errors == [] and w.outside == []


def test_gcj02_basemap_is_shifted_under_the_overlays(database_url, browser) -> None:
    from gis.crs import GEOD
    from gis.gcj02 import wgs84_to_gcj02

    with live_server(database_url, basemaps="amap_vec,none") as base:
        w = open_page(browser)
        sign_in(w, base, "demo-city", demo_password("city"))
        page = w.page
        page.wait_for_selector("[data-gcj-shift]", state="attached")
        # the browser's formula is the same as gis.gcj02
        for lon, lat in ((101.72, 26.58), (116.397, 39.909), (87.6, 43.8)):
            js = page.evaluate(f"Gcj02.fromWgs84({lon}, {lat})")
            assert js == pytest.approx(list(wgs84_to_gcj02(lon, lat)), abs=1e-9)
        # the tiles are moved by the offset at the centre of the view, in pixels at this zoom
        lon, lat, zoom = page.evaluate(
            "(() => { const m = Page.map(); const c = m.getCenter(); return [c.lng, c.lat, m.getZoom()]; })()"
        )
        dx, dy = (float(v) for v in page.locator("[data-gcj-shift]").first.get_attribute("data-gcj-shift").split(","))
        metres = GEOD.inv(lon, lat, *wgs84_to_gcj02(lon, lat))[2]
        metres_per_pixel = 156543.03392 * math.cos(math.radians(lat)) / 2**zoom
        assert math.hypot(dx, dy) == pytest.approx(metres / metres_per_pixel, rel=0.02)
        assert w.outside and all("autonavi" in u for u in w.outside)  # tiles asked for, refused offline
        assert page.locator("path.pond-marker").count() == 40


def test_signed_out_visitors_are_sent_to_sign_in(server, browser) -> None:
    w = open_page(browser)
    w.page.goto(f"{server}/")
    assert w.page.url.endswith("/login?next=/")
