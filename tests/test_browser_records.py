"""The dashboard and a pond's file in headless Chromium against a running server, every outside request refused."""

from __future__ import annotations

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


def test_dashboard_numbers_lead_to_their_ponds(server, browser) -> None:
    w = open_page(browser)
    sign_in(w, server, "demo-city", demo_password("city"))
    page = w.page
    page.goto(f"{server}/dashboard")
    assert page.locator(".card[data-key=total] .num").inner_text() == "40"
    assert page.locator(".card[data-key=one_map] .num").inner_text() == "14"
    assert page.locator(".card[data-key=bulletin_stopped] .num").inner_text() == "14"
    assert page.locator("[data-chart=level] a.bar[data-key='2']").get_attribute("data-n") == "8"
    _shot(w, "dashboard-desktop")
    # the list behind a number, on the page
    page.locator("#list-monitoring_exceedances summary").click()
    assert page.locator("#list-monitoring_exceedances li").count() == 4
    # a bar opens the overview filtered to its ponds
    page.locator("[data-chart=level] a.bar[data-key='2'] rect").click()
    page.wait_for_selector("body[data-reference=loaded]")
    assert page.locator("#count").inner_text() == "显示 8 / 40 座"
    assert page.locator("path.pond-marker").count() == 8
    page.goto(f"{server}/dashboard")
    page.locator(".card[data-key=one_map] .num").click()
    page.wait_for_selector("body[data-reference=loaded]")
    assert page.locator("path.pond-marker").count() == 14
    page.goto(f"{server}/dashboard")
    page.locator(".card[data-key=ledger_missing] .num").click()
    page.wait_for_selector("body[data-reference=loaded]")
    assert page.locator("path.pond-marker").count() == 3
    assert w.errors == [] and w.outside == []


def test_a_record_edit_is_saved_and_a_stale_one_refused(server, browser, db) -> None:
    pond = db.execute(text("SELECT id FROM ponds WHERE code = 'PZH-TP-021'")).scalar()
    first, second = open_page(browser), open_page(browser)
    for w in (first, second):
        sign_in(w, server, "demo-enterprise", demo_password("enterprise"))
        w.page.goto(f"{server}/ponds/{pond}/records")
    page = first.page
    # the pond's map page shows each well's series with its limit line, and leads to the file
    page.goto(f"{server}/ponds/{pond}")
    page.wait_for_load_state("load")
    charts = page.locator("a.well-chart img")
    assert charts.count() >= 3
    assert all(w > 0 for w in charts.evaluate_all("imgs => imgs.map(i => i.naturalWidth)"))
    page.goto(f"{server}/ponds/{pond}/records")
    assert "示例数据" in page.locator(".notice").inner_text()
    # the monitoring charts are drawn (SVG images, loaded from the server)
    assert page.locator(".well-chart img").count() >= 3
    page.wait_for_load_state("load")
    assert all(w > 0 for w in page.locator(".well-chart img").evaluate_all("imgs => imgs.map(i => i.naturalWidth)"))
    version = int(page.locator("#permits-form").get_attribute("data-version"))
    page.fill("#permits-form input[name=discharge_permit_no]", "示例<b>许可证</b>-2026")
    page.click("#permits-form button[type=submit]")
    page.wait_for_selector(f"#permits-form[data-version='{version + 1}']")
    assert page.input_value("#permits-form input[name=discharge_permit_no]") == "示例<b>许可证</b>-2026"
    # the second tab still holds the old version: its save is refused with the reason, nothing is lost
    other = second.page
    other.fill("#permits-form input[name=note]", "在另一个窗口修改")
    other.click("#permits-form button[type=submit]")
    other.wait_for_selector("#permits-form .msg.flag")
    assert "已被他人修改" in other.locator("#permits-form .msg").inner_text()
    saved = db.execute(text("SELECT discharge_permit_no, note FROM pond_permits WHERE pond_id = :p"), {"p": pond}).one()
    assert saved.discharge_permit_no == "示例<b>许可证</b>-2026" and saved.note != "在另一个窗口修改"
    # a ledger year added in the browser
    page.fill("#ledger-form input[name=year]", "2021")
    page.fill("#ledger-form input[name=produced_t]", "123456")
    page.click("#ledger-form button[type=submit]")
    page.wait_for_selector("#ledger tr:has-text('2021')")
    # and then corrected: the row's values go into the form, which replaces that row
    page.locator("#ledger tr:has-text('2021') button.edit-row").click()
    assert page.input_value("#ledger-form input[name=produced_t]") == "123456"
    page.fill("#ledger-form input[name=produced_t]", "654321")
    page.click("#ledger-form button[type=submit]")
    page.wait_for_selector("#ledger tr:has-text('654321')")
    assert page.locator("#ledger tr:has-text('2021')").count() == 1
    # a photo uploaded in the browser is checked, stored and shown inline
    from tests.test_records import _png

    page.select_option("#document-form select[name=doc_type]", "photo")
    page.fill("#document-form input[name=title]", "坝面照片")
    page.set_input_files(
        "#document-form input[name=file]", {"name": "dam.png", "mimeType": "image/png", "buffer": _png()}
    )
    page.click("#document-form button[type=submit]")
    page.wait_for_selector("#documents img.thumb")
    page.wait_for_load_state("load")
    assert page.locator("#documents img.thumb").evaluate("i => i.naturalWidth") == 32
    page.set_input_files(
        "#document-form input[name=file]", {"name": "fake.png", "mimeType": "image/png", "buffer": b"not an image"}
    )
    page.click("#document-form button[type=submit]")
    page.wait_for_selector("#document-form .msg.flag")
    assert "fake.png" in page.locator("#document-form .msg").inner_text()
    # the refused upload's 422 is the only console message (Chromium logs every failed request)
    assert [e for e in first.errors if "status of 422" not in e] == []
    assert first.outside == [] and second.outside == []
