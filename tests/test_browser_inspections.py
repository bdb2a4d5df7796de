"""The inspection loop in headless Chromium at phone size, against a running server: an inspector fills a
checklist with a photo and a problem; the enterprise rectifies with evidence; the county rejects once, then
county, city and province verify; the hazard closes; the audit log holds every step. And the offline draft:
network cut, reload, network back, exactly one submission."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from app.seed import demo_password
from tests.browser import CHROMIUM, open_page, sign_in
from tests.photos import jpeg

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="no chromium: ./dev test installs it"),
]
POND = "PZH-TP-021"  # 米易县, the demo enterprise's pond
CHINA = dt.timezone(dt.timedelta(hours=8))
SHOTS = Path(os.environ["TAILINGS_SCREENSHOT_DIR"]) if os.environ.get("TAILINGS_SCREENSHOT_DIR") else None
ROLE = {"demo-county": "county", "demo-city": "city", "demo-province": "province", "demo-enterprise": "enterprise"}


@pytest.fixture
def pond(engine) -> Iterator[dict]:
    """The pond, made level 1 (so the province verifies) for the test; what the test wrote is removed after."""
    with engine.begin() as c:
        row = c.execute(
            text("SELECT id, supervision_level, ST_X(location), ST_Y(location), now() FROM ponds WHERE code = :c"),
            {"c": POND},
        ).one()
        c.execute(text("UPDATE ponds SET supervision_level = 1 WHERE id = :p"), {"p": row[0]})
    try:
        yield {"id": row[0], "lon": row[2], "lat": row[3], "t0": row[4]}
    finally:
        with engine.begin() as c:
            p = {"p": row[0], "t0": row[4]}
            c.execute(text("DELETE FROM hazard_steps WHERE pond_id = :p AND at >= :t0"), p)
            c.execute(text("DELETE FROM hazards WHERE pond_id = :p AND created_at >= :t0"), p)
            c.execute(
                text("""DELETE FROM inspection_answers WHERE inspection_id IN
                        (SELECT id FROM inspections WHERE pond_id = :p AND created_at >= :t0)"""),
                p,
            )
            c.execute(text("DELETE FROM inspections WHERE pond_id = :p AND created_at >= :t0"), p)
            c.execute(text("DELETE FROM photos WHERE pond_id = :p AND uploaded_at >= :t0"), p)
            c.execute(text("UPDATE ponds SET supervision_level = :l WHERE id = :p"), {"l": row[1], "p": row[0]})


def _shot(page, name: str) -> None:
    if SHOTS:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


def phone(browser, server: str, user: str, pond: dict):
    w = open_page(browser, 360, 740)
    w.page.context.set_geolocation({"latitude": pond["lat"] + 0.0002, "longitude": pond["lon"], "accuracy": 8})
    sign_in(w, server, user, demo_password(ROLE[user]))
    return w


def fill_checklist(page, photo: Path) -> None:
    page.wait_for_selector("body[data-ready=true]")
    leachate = page.locator("fieldset[data-section=leachate]").first
    leachate.locator("[data-item='leachate.pool_lined'] button[data-answer=ok]").click()
    row = leachate.locator("[data-item='leachate.no_overflow']")
    row.locator("button[data-answer=problem]").click()
    row.locator("textarea").fill("收集池溢流，池壁渗水")
    row.locator("input[type=file]").set_input_files(str(photo))
    assert row.locator(".count").inner_text() == "1 张照片"
    page.locator("fieldset[data-section=management] [data-item='management.eia_approved'] "
                 "button[data-answer=ok]").click()  # fmt: skip


def test_the_whole_loop_on_a_phone(server, browser, engine, pond, tmp_path) -> None:
    now = dt.datetime.now(CHINA)
    overflow = tmp_path / "overflow.jpg"
    overflow.write_bytes(jpeg(pond["lon"], pond["lat"], now))
    w = phone(browser, server, "demo-county", pond)
    page = w.page
    page.goto(f"{server}/ponds/{pond['id']}")
    page.wait_for_selector("body[data-surroundings]")
    page.click("#start-inspection")
    page.wait_for_selector("body[data-position=known]")
    assert page.locator("#nearest li").count() >= 1 and page.locator("path.my-position").count() == 1
    assert page.locator("fieldset[data-section=management]").count() == 1
    fill_checklist(page, overflow)
    page.locator("fieldset[data-section=leachate]").first.scroll_into_view_if_needed()
    _shot(page, "inspect-phone")
    page.click("#submit")
    page.wait_for_selector("#sync-status[data-state=sent]")
    assert "1" in page.locator("#result").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert w.errors == [] and w.outside == []
    with engine.connect() as c:
        hazard_id, inspection_id, photos = c.execute(
            text("""SELECT h.id, h.inspection_id, cardinality(h.photo_ids) FROM hazards h
                    WHERE h.pond_id = :p AND h.created_at >= :t0"""),
            {"p": pond["id"], "t0": pond["t0"]},
        ).one()
    assert photos == 1
    pdf = page.request.get(f"{server}/api/ponds/{pond['id']}/inspections/{inspection_id}/record.pdf")
    assert pdf.ok and pdf.body()[:5] == b"%PDF-"

    evidence = tmp_path / "fixed.jpg"
    evidence.write_bytes(jpeg(pond["lon"], pond["lat"], now + dt.timedelta(minutes=1), colour=(40, 160, 60)))
    url = f"{server}/ponds/{pond['id']}/hazards/{hazard_id}"
    pages = {}

    def act(user: str, action: str, expect: str, **fields: str) -> None:
        if user not in pages:
            pages[user] = phone(browser, server, user, pond)
        p = pages[user].page
        p.goto(url)
        p.select_option("#action", action)
        for name, value in fields.items():
            if name == "photos":
                p.set_input_files("input[name=photos]", value)
            else:
                p.fill(f"[name={name}]", value)
        p.click("#do-action")
        p.wait_for_selector(f"#state[data-state={expect}]")
        assert p.locator("#action-error").count() == 0 or p.locator("#action-error").inner_text() == ""

    deadline = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    act(
        "demo-county", "assign", "assigned", plan="清理溢流，修补池壁", deadline=deadline, responsible="企业安环部 李工"
    )
    ent = phone(browser, server, "demo-enterprise", pond)
    ent.page.goto(f"{server}/hazards")
    assert ent.page.locator(f"#inbox li[data-hazard='{hazard_id}']").count() == 1  # waits for the enterprise
    pages["demo-enterprise"] = ent
    act("demo-enterprise", "rectify", "rectified", note="已清理并修补", photos=str(evidence))
    act("demo-county", "reject", "assigned", reason="池壁仍有渗水痕迹")
    act("demo-enterprise", "rectify", "rectified", note="重新防渗处理", photos=str(evidence))
    act("demo-county", "county_verify", "county_verified", note="县区现场核查属实")
    act("demo-city", "city_verify", "city_verified", note="市级核查通过")
    act("demo-province", "province_verify", "province_verified", note="省级抽查通过")
    act("demo-city", "close", "closed", note="销号")
    final = pages["demo-city"].page
    _shot(final, "hazard-phone")
    assert final.locator("#action-form").count() == 0  # nothing left to do
    trail = final.locator("#trail > li")
    assert [trail.nth(i).get_attribute("data-action") for i in range(trail.count())] == [
        "report", "assign", "rectify", "reject", "rectify", "county_verify", "city_verify", "province_verify",
        "close",
    ]  # fmt: skip
    assert "池壁仍有渗水痕迹" in final.locator("#trail").inner_text()
    assert final.locator("#trail img.thumb").count() == 3  # the inspector's photo, the evidence at both rectifications
    with engine.connect() as c:
        audited = c.execute(
            text("""SELECT after->>'action', username FROM audit_log WHERE object_type = 'hazard_steps'
                    AND (after->>'hazard_id')::int = :h ORDER BY id"""),
            {"h": hazard_id},
        ).all()
        changes = c.execute(
            text("""SELECT count(*) FILTER (WHERE object_type = 'hazards' AND action = 'update'),
                           count(*) FILTER (WHERE object_type = 'inspections'),
                           count(*) FILTER (WHERE object_type = 'inspection_answers'),
                           count(*) FILTER (WHERE object_type = 'photos')
                    FROM audit_log WHERE pond_id = :p AND at >= :t0"""),
            {"p": pond["id"], "t0": pond["t0"]},
        ).one()
    assert [a for a, _ in audited] == ["report", "assign", "rectify", "reject", "rectify", "county_verify",
                                       "city_verify", "province_verify", "close"]  # fmt: skip
    who = ["county", "county", "enterprise", "county", "enterprise", "county", "city", "province", "city"]
    assert [u for _, u in audited] == [f"demo-{x}" for x in who]
    assert changes[0] == 8 and changes[1] >= 1 and changes[2] >= 3 and changes[3] >= 2
    for x in [w, ent, *pages.values()]:
        assert x.errors == [] and x.outside == [], (x.errors, x.outside)


def test_offline_draft_survives_a_reload_and_is_sent_exactly_once(server, browser, engine, pond, tmp_path) -> None:
    photo = tmp_path / "p.jpg"
    photo.write_bytes(jpeg(pond["lon"], pond["lat"], dt.datetime.now(CHINA)))
    w = phone(browser, server, "demo-county", pond)
    page, context = w.page, w.page.context
    page.goto(f"{server}/ponds/{pond['id']}/inspect")
    fill_checklist(page, photo)

    def stored() -> tuple[int, int, int]:
        with engine.connect() as c:
            return tuple(
                c.execute(
                    text("""SELECT (SELECT count(*) FROM inspections WHERE pond_id = :p AND created_at >= :t0),
                                   (SELECT count(*) FROM hazards WHERE pond_id = :p AND created_at >= :t0),
                                   (SELECT count(*) FROM photos WHERE pond_id = :p AND uploaded_at >= :t0)"""),
                    {"p": pond["id"], "t0": pond["t0"]},
                ).one()
            )

    context.set_offline(True)  # the network is cut
    page.click("#submit")
    page.wait_for_selector("#sync-status[data-state=offline]")
    assert stored() == (0, 0, 0)
    # the page is reloaded while the server still cannot be reached (the document loads, the API does not)
    page.route("**/api/**", lambda route: route.abort())
    context.set_offline(False)
    page.reload()
    page.wait_for_selector("body[data-ready=true]")
    row = page.locator("fieldset[data-section=leachate]").first.locator("[data-item='leachate.no_overflow']")
    assert row.locator("button[data-answer=problem]").get_attribute("aria-pressed") == "true"
    assert row.locator("textarea").input_value() == "收集池溢流，池壁渗水"
    assert row.locator(".count").inner_text() == "1 张照片"
    page.wait_for_selector("#sync-status[data-state=pending]")
    assert stored() == (0, 0, 0)
    # the network returns, and the first answer to the submission is lost on its way back: the server has
    # it, the phone does not know, and sends it again
    lost: list[int] = []

    def lose_first_answer(route) -> None:
        if route.request.method == "PUT" and not lost:
            lost.append(route.fetch().status)
            route.abort()
        else:
            route.continue_()

    page.unroute("**/api/**")
    page.route("**/api/ponds/*/inspections/*", lose_first_answer)
    page.wait_for_selector("#sync-status[data-state=sent]", timeout=30_000)
    assert lost == [201]
    assert stored() == (1, 1, 1)
    page.reload()
    page.wait_for_selector("#sync-status[data-state=sent]")
    assert stored() == (1, 1, 1)
    assert w.errors == [] or all("ERR_" in e or "Failed to fetch" in e or "net::" in e for e in w.errors), w.errors
