"""The bureau's import page in headless Chromium: the city previews and commits a registry change."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from app.seed import demo_password
from tests.browser import CHROMIUM, open_page, sign_in

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="no chromium: ./dev test installs it"),
]
OWN = "PZH-TP-021"


def test_the_city_previews_and_commits_a_registry_change(server, browser, engine, tmp_path) -> None:
    with engine.connect() as conn:
        before = conn.execute(
            text("SELECT name, county_adcode, supervision_level, status, version FROM ponds WHERE code = :c"),
            {"c": OWN},
        ).one()
    name, county, level, status, version = before
    upload = tmp_path / "名录.csv"
    upload.write_text(
        f"尾矿库编码,尾矿库名称,所在县区,监管级别,运行状态\n{OWN},<b>浏览器更名</b>,{county},{level},{status}\n",
        encoding="utf-8",
    )
    try:
        w = open_page(browser)
        sign_in(w, server, "demo-city", demo_password("city"))
        page = w.page
        page.goto(f"{server}/")
        page.click("a#bureau-link")
        page.wait_for_selector("#registry-form")
        bad = tmp_path / "错误名录.csv"
        bad.write_text(f"尾矿库编码,尾矿库名称,所在县区,监管级别,运行状态\n{OWN},x,不存在县,{level},{status}\n")
        page.set_input_files("#registry-form input[type=file]", str(bad))
        page.click("#registry-form button[type=submit]")
        page.wait_for_selector("#registry-report")
        assert page.locator("#registry button.commit").is_disabled()
        assert "不存在县" in page.locator("#registry .problems").inner_text()
        with page.expect_download() as download:
            page.click("#registry-report")
        assert download.value.suggested_filename.endswith(".xlsx")
        page.set_input_files("#registry-form input[type=file]", str(upload))
        page.click("#registry-form button[type=submit]")
        page.wait_for_selector("body[data-previewed=registry]")
        rows = page.locator("#registry tbody tr.action-update")
        assert rows.count() == 1
        assert "<b>浏览器更名</b>" in rows.inner_text()  # a name stays text
        assert page.locator("#registry tbody b").count() == 0
        page.click("#registry button.commit")
        page.wait_for_selector("body[data-committed=registry]")
        assert "已提交" in page.locator("#registry .ok").inner_text()
        assert w.errors == [] and w.outside == []
        with engine.connect() as conn:
            now = conn.execute(text("SELECT name, version FROM ponds WHERE code = :c"), {"c": OWN}).one()
        assert now == ("<b>浏览器更名</b>", version + 1)
    finally:
        with engine.begin() as conn:  # the live server committed: leave the shared sample data as it was
            conn.execute(
                text("UPDATE ponds SET name = :n, illustrative = true, version = :v WHERE code = :c"),
                {"n": name, "v": version, "c": OWN},
            )
