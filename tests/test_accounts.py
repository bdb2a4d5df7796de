from __future__ import annotations

import re

import pytest
from pydantic import ValidationError
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from typer.testing import CliRunner

from app.accounts import service
from app.cli import cli
from app.config import DEMO_SECRET_KEY, Settings
from app.seed import demo_password
from tests.factories import make_pond

CITY_PW = demo_password("city")


def sign_in(c, username: str = "demo-city", password: str = CITY_PW):
    return c.post("/api/auth/token", data={"username": username, "password": password})


# --- API tokens ---------------------------------------------------------------------------------------


def test_password_flow_gives_a_bearer_token_with_expiry(anon) -> None:
    r = sign_in(anon)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["token_type"] == "bearer" and body["expires_in"] == 3600
    me = anon.get("/api/auth/me", headers={"Authorization": f"Bearer {body['access_token']}"}).json()
    assert me["username"] == "demo-city" and me["role"] == "city"
    assert me["organisation"]["adcode"] == 510400


def test_wrong_password_is_refused_without_saying_which_part_was_wrong(anon) -> None:
    r = sign_in(anon, password="nope")
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
    assert r.json()["error"]["message"] == "用户名或密码错误，或账号已停用"
    assert sign_in(anon, username="nobody-here").json()["error"]["code"] == "login_failed"


def test_expired_and_revoked_tokens_stop_working(anon, db) -> None:
    token = sign_in(anon).json()["access_token"]
    auth = {"Authorization": f"Bearer {token}"}
    assert anon.get("/api/auth/me", headers=auth).status_code == 200
    db.execute(
        text("UPDATE auth_sessions SET expires_at = now() - interval '1 second' WHERE token_hash = :h"),
        {"h": service.token_hash(token)},
    )
    r = anon.get("/api/auth/me", headers=auth)
    assert r.status_code == 401 and r.json()["error"]["code"] == "token_invalid"

    token = sign_in(anon).json()["access_token"]
    auth = {"Authorization": f"Bearer {token}"}
    assert anon.post("/api/auth/logout", headers=auth).status_code == 204
    assert anon.get("/api/auth/me", headers=auth).status_code == 401


def test_tokens_are_stored_only_as_keyed_hashes(anon, db) -> None:
    token = sign_in(anon).json()["access_token"]
    stored = db.execute(text("SELECT token_hash FROM auth_sessions ORDER BY id DESC LIMIT 1")).scalar()
    assert stored != token and len(stored) == 64 and stored == service.token_hash(token)


def test_repeated_failures_lock_the_username(anon) -> None:
    for _ in range(5):
        assert sign_in(anon, password="wrong").status_code in (401, 429)
    r = sign_in(anon)  # even the right password is refused while locked
    assert r.status_code == 429
    assert int(r.headers["retry-after"]) > 60
    assert "分钟后再试" in r.json()["error"]["message"]
    assert sign_in(anon, username="demo-county", password=demo_password("county")).status_code == 200


def test_failed_sign_ins_are_audited(anon, db) -> None:
    sign_in(anon, password="wrong")
    row = db.execute(
        text("SELECT username, action, after FROM audit_log WHERE action = 'login_failed' ORDER BY id DESC LIMIT 1")
    ).one()
    assert row.username == "demo-city" and row.after == {"reason": "bad_credentials"}


def test_a_disabled_user_cannot_sign_in_and_loses_its_sessions(anon, db) -> None:
    token = sign_in(anon).json()["access_token"]
    service.set_active(db, "demo-city", False)
    assert anon.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert sign_in(anon).status_code == 401


def test_password_change(anon) -> None:
    token = sign_in(anon).json()["access_token"]
    other = sign_in(anon).json()["access_token"]
    auth = {"Authorization": f"Bearer {token}"}
    r = anon.post("/api/auth/password", headers=auth, json={"current_password": "bad", "new_password": "x" * 12})
    assert r.status_code == 422 and r.json()["error"]["problems"][0]["field"] == "current_password"
    r = anon.post("/api/auth/password", headers=auth, json={"current_password": CITY_PW, "new_password": "short"})
    assert r.json()["error"]["problems"][0]["code"] == "password_too_short"
    r = anon.post(
        "/api/auth/password", headers=auth, json={"current_password": CITY_PW, "new_password": "my-demo-city-pass"}
    )
    assert r.json()["error"]["problems"][0]["code"] == "password_contains_username"
    r = anon.post(
        "/api/auth/password", headers=auth, json={"current_password": CITY_PW, "new_password": "Correct-Horse-Battery"}
    )
    assert r.status_code == 204
    assert anon.get("/api/auth/me", headers=auth).status_code == 200  # this session stays
    assert anon.get("/api/auth/me", headers={"Authorization": f"Bearer {other}"}).status_code == 401
    assert sign_in(anon).status_code == 401
    assert sign_in(anon, password="Correct-Horse-Battery").status_code == 200


# --- web sessions and CSRF ----------------------------------------------------------------------------


def _csrf_from(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def web_sign_in(c, username: str = "demo-county", password: str | None = None):
    page = c.get("/login")
    return c.post(
        "/login",
        data={
            "username": username,
            "password": password or demo_password("county"),
            "csrf_token": _csrf_from(page.text),
            "next": "/",
        },
        follow_redirects=False,
    )


def test_web_sign_in_sets_a_hardened_session_cookie(anon) -> None:
    r = web_sign_in(anon)
    assert r.status_code == 303 and r.headers["location"] == "/"
    cookie = next(h for h in r.headers.get_list("set-cookie") if h.startswith("tailings_session="))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" in cookie
    home = anon.get("/")
    assert home.status_code == 200 and "演示·米易县分局" in home.text
    assert "万年沟" in home.text and "牛场坪" not in home.text  # the county sees only its county


def test_login_form_without_its_csrf_token_is_refused(anon) -> None:
    anon.get("/login")
    r = anon.post(
        "/login", data={"username": "demo-county", "password": demo_password("county"), "csrf_token": "forged"}
    )
    assert r.status_code == 403 and "CSRF" in r.text
    assert "tailings_session" not in r.cookies


def test_cookie_requests_that_change_things_need_the_csrf_header(anon, db) -> None:
    web_sign_in(anon)
    pond = db.execute(text("SELECT id FROM ponds WHERE code = 'PZH-TP-021'")).scalar()
    feature = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [101.9, 26.9]},
        "properties": {"kind": "sprinkler", "attributes": {}},
    }
    loc = db.execute(text("SELECT ARRAY[ST_X(location), ST_Y(location)] FROM ponds WHERE id = :p"), {"p": pond})
    feature["geometry"]["coordinates"] = list(loc.scalar())
    assert anon.get(f"/api/ponds/{pond}").status_code == 200  # reading needs no token
    r = anon.post(f"/api/ponds/{pond}/elements", json=feature)
    assert r.status_code == 403 and r.json()["error"]["code"] == "csrf_failed"
    token = db.execute(text("SELECT csrf_token FROM auth_sessions WHERE kind = 'web' ORDER BY id DESC LIMIT 1"))
    r = anon.post(f"/api/ponds/{pond}/elements", json=feature, headers={"X-CSRF-Token": token.scalar()})
    assert r.status_code == 201


def test_sign_out_from_the_page(anon, db) -> None:
    web_sign_in(anon)
    home = anon.get("/")
    r = anon.post("/logout", data={"csrf_token": _csrf_from(home.text)}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login"
    assert anon.get("/", follow_redirects=False).status_code == 303
    assert (
        db.execute(text("SELECT count(*) FROM auth_sessions WHERE kind = 'web' AND revoked_at IS NULL")).scalar() == 0
    )


def test_next_parameter_cannot_redirect_off_site(anon) -> None:
    page = anon.get("/login?next=//evil.example/x")
    assert 'value="/"' in page.text


def test_user_text_is_escaped_in_pages(anon, db) -> None:
    make_pond(db, name="<script>alert('x')</script>")  # crafted ponds lie in 仁和区
    page = anon.get("/login")
    anon.post("/login", data={"username": "demo-city", "password": CITY_PW, "csrf_token": _csrf_from(page.text)})
    home = anon.get("/").text
    assert "<script>alert" not in home and "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in home


# --- audit log ----------------------------------------------------------------------------------------


def test_changes_are_audited_with_who_where_and_the_request(app_for, db) -> None:
    c = app_for("demo-county")
    pond = db.execute(text("SELECT id FROM ponds WHERE code = 'PZH-TP-021'")).scalar()
    loc = list(
        db.execute(text("SELECT ARRAY[ST_X(location), ST_Y(location)] FROM ponds WHERE id = :p"), {"p": pond}).scalar()
    )
    feature = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": loc},
        "properties": {"kind": "sprinkler", "name": "审计测试", "attributes": {"working": True}},
    }
    r = c.post(f"/api/ponds/{pond}/elements", json=feature, headers={"X-Request-ID": "req-audit-0001"})
    assert r.headers["x-request-id"] == "req-audit-0001"
    row = (
        db.execute(
            text("""SELECT a.*, o.kind AS org_kind FROM audit_log a JOIN organisations o
                             ON o.id = a.organisation_id WHERE object_type = 'elements' ORDER BY a.id DESC LIMIT 1""")
        )
        .mappings()
        .one()
    )
    assert row["username"] == "demo-county" and row["org_kind"] == "county" and row["action"] == "insert"
    assert row["pond_id"] == pond and row["request_id"] == "req-audit-0001"
    assert row["before"] is None and row["after"]["name"] == "审计测试"
    history = c.get(f"/api/ponds/{pond}/history").json()["entries"]
    assert history[0]["object_type"] == "elements" and history[0]["username"] == "demo-county"


def test_password_hashes_never_reach_the_audit_log(db) -> None:
    service.reset_password(db, "demo-viewer")
    rows = db.execute(text("SELECT before, after FROM audit_log WHERE object_type = 'users'")).all()
    assert rows and all(
        "password_hash" not in (r.before or {}) and "password_hash" not in (r.after or {}) for r in rows
    )


@pytest.mark.parametrize(
    "statement", ["UPDATE audit_log SET username = 'someone else'", "DELETE FROM audit_log", "TRUNCATE audit_log"]
)
def test_the_database_refuses_to_change_the_audit_log(db, statement: str) -> None:
    assert db.execute(text("SELECT count(*) FROM audit_log")).scalar() > 0
    with pytest.raises(DBAPIError, match="append-only"), db.begin_nested():
        db.execute(text(statement))


# --- settings, demo accounts, headers, CLI --------------------------------------------------------------


def test_outside_demo_mode_the_default_secret_key_is_refused() -> None:
    with pytest.raises(ValidationError, match="TAILINGS_SECRET_KEY"):
        Settings(demo=False, secret_key=DEMO_SECRET_KEY)
    with pytest.raises(ValidationError):
        Settings(demo=False, secret_key="short")
    assert Settings(demo=False, secret_key="x" * 40).demo is False
    assert Settings(demo=True).secret_key.get_secret_value() == DEMO_SECRET_KEY


def test_the_secret_key_is_not_shown_in_settings_output() -> None:
    assert "x" * 40 not in repr(Settings(demo=False, secret_key="x" * 40))


def test_demo_accounts_are_disabled_outside_demo_mode(anon, db) -> None:
    assert service.disable_demo_accounts(db) == 6
    assert sign_in(anon).status_code == 401


def test_security_headers_on_every_response(anon) -> None:
    for path in ("/healthz", "/login", "/api/ponds", "/docs"):
        h = anon.get(path).headers
        assert "frame-ancestors 'none'" in h["content-security-policy"]
        assert "script-src 'self'" in h["content-security-policy"] and "cdn" not in h["content-security-policy"]
        assert h["x-content-type-options"] == "nosniff" and h["referrer-policy"] == "same-origin"
        assert re.fullmatch(r"[0-9a-f]{32}", h["x-request-id"])


def test_api_docs_are_served_from_vendored_assets(anon) -> None:
    page = anon.get("/docs").text
    assert "http" not in page  # nothing from another site
    for asset in re.findall(r'(?:src|href)="(/[^"]+)"', page):
        assert anon.get(asset).status_code == 200, asset


def test_cli_user_commands(database_url, engine) -> None:
    runner = CliRunner()
    r = runner.invoke(
        cli, ["user", "add", "miyi-inspector", "--org", "510421", "--role", "county", "--name", "米易检查员"]
    )
    assert r.exit_code == 0, r.output
    password = re.search(r"password: (\S+)", r.output).group(1)
    with engine.connect() as conn:
        row = conn.execute(
            text("SELECT role, active, password_hash FROM users WHERE username = 'miyi-inspector'")
        ).one()
    assert row.role == "county" and row.active and row.password_hash.startswith("$argon2id$")
    assert password not in row.password_hash
    assert runner.invoke(cli, ["user", "add", "miyi-inspector", "--org", "510421", "--role", "county"]).exit_code == 2
    bad = runner.invoke(cli, ["user", "add", "wrong-org", "--org", "510421", "--role", "enterprise"])
    assert bad.exit_code == 2 and "cannot belong" in bad.output
    assert runner.invoke(cli, ["user", "disable", "miyi-inspector"]).exit_code == 0
    with engine.connect() as conn:
        assert conn.execute(text("SELECT active FROM users WHERE username = 'miyi-inspector'")).scalar() is False
    r = runner.invoke(cli, ["user", "reset", "miyi-inspector"])
    assert r.exit_code == 0 and "new password:" in r.output
    assert runner.invoke(cli, ["user", "disable", "no-such-user"]).exit_code == 2
    with engine.begin() as conn:  # leave the shared database as it was (users are referenced by audit rows)
        conn.execute(text("UPDATE users SET active = false WHERE username = 'miyi-inspector'"))


# --- pond chiefs ----------------------------------------------------------------------------------------


def test_pond_chiefs_with_terms(app_for, db) -> None:
    c = app_for("demo-county")
    pond = db.execute(text("SELECT id FROM ponds WHERE code = 'PZH-TP-021'")).scalar()
    chiefs = c.post(
        f"/api/ponds/{pond}/chiefs",
        json={"role": "county_chief", "name": "李示例", "username": "demo-county", "term_start": "2025-01-01"},
    ).json()
    mine = next(x for x in chiefs if x["name"] == "李示例")
    assert mine["current"] and mine["username"] == "demo-county"
    bad = c.post(f"/api/ponds/{pond}/chiefs/{mine['id']}/end", json={"term_end": "2024-01-01"})
    assert bad.status_code == 422
    ended = c.post(f"/api/ponds/{pond}/chiefs/{mine['id']}/end", json={"term_end": "2025-12-31"}).json()
    assert next(x for x in ended if x["id"] == mine["id"])["current"] is False
    r = c.post(
        f"/api/ponds/{pond}/chiefs",
        json={"role": "city_chief", "name": "x", "username": "ghost", "term_start": "2025-01-01"},
    )
    assert r.status_code == 422 and r.json()["error"]["problems"][0]["field"] == "username"


def test_no_secret_reaches_the_logs(anon, caplog) -> None:
    import logging

    with caplog.at_level(logging.DEBUG):
        token = sign_in(anon).json()["access_token"]
        anon.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})
        sign_in(anon, password="a-wrong-guess-123")
    text_logged = "\n".join(r.getMessage() for r in caplog.records)
    assert CITY_PW not in text_logged and token not in text_logged and "a-wrong-guess-123" not in text_logged


def test_a_language_chosen_on_a_page_holds_for_the_next_pages(anon) -> None:
    assert "Sign in" in anon.get("/login?lang=en").text
    assert "Sign in" in anon.get("/login").text  # remembered
    assert "登录" in anon.get("/login?lang=zh").text
    assert "登录" in anon.get("/login", headers={"Accept-Language": "en"}).text  # the choice beats the browser
