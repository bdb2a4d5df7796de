"""The dossier buttons in headless Chromium against a running server, every outside request refused: the pond
page's download, and the dashboard's export of every pond in scope (a job, its progress, its download)."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from app.seed import demo_password
from tests.browser import CHROMIUM, open_page, sign_in

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="no chromium: ./dev test installs it"),
]


def test_pond_page_and_dashboard_export_dossiers(server, browser, engine) -> None:
    w = open_page(browser)
    sign_in(w, server, "demo-enterprise", demo_password("enterprise"))
    page = w.page
    with Session(engine) as s:
        ponds = s.execute(
            text("""SELECT p.id, p.code FROM ponds p JOIN users u ON u.username = 'demo-enterprise'
                    JOIN organisations o ON o.id = u.organisation_id WHERE p.enterprise_id = o.enterprise_id
                    ORDER BY p.code""")
        ).all()
        before = s.execute(text("SELECT coalesce(max(id), 0) FROM jobs")).scalar()
    assert ponds
    page.goto(f"{server}/ponds/{ponds[0].id}")
    href = page.locator("#dossier-link").get_attribute("href")
    got = page.request.get(f"{server}{href}")
    assert got.status == 200 and zipfile.is_zipfile(io.BytesIO(got.body()))
    page.goto(f"{server}/dashboard")
    page.locator("#dossier-all").click()
    job_id = None
    for _ in range(50):
        with Session(engine) as s:
            job_id = s.execute(
                text("SELECT id FROM jobs WHERE kind = 'dossier_all' AND id > :b ORDER BY id LIMIT 1"), {"b": before}
            ).scalar()
        if job_id:
            break
        time.sleep(0.2)
    assert job_id, "the button did not start a job"
    from app.jobs import service as jobs

    assert jobs.run(job_id) == "done"  # what `tailings worker` does
    page.wait_for_selector("#dossier-download:not([hidden])", timeout=15000)
    body = page.request.get(f"{server}{page.locator('#dossier-download').get_attribute('href')}").body()
    codes = {n.split("/", 1)[0] for n in zipfile.ZipFile(io.BytesIO(body)).namelist()}
    assert codes == {p.code for p in ponds}
    assert w.errors == [] and w.outside == []
