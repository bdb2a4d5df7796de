"""The lean read path of tiles and OGC items (app.accounts.lean): its caches of credentials, tiles and
pages never outlive a sign-out or a change, and never cross scopes."""

from __future__ import annotations

import time

import mapbox_vector_tile
import pytest
from sqlalchemy import text

from app.accounts import lean
from app.accounts.lean import CredentialCache, psycopg_sql
from app.accounts.service import Actor, token_hash
from tests.factories import add, at, make_pond
from tests.test_tiles import tile_of

WHOLE_CITY = "101.0,25.8,102.4,27.3"  # every sample pond of Panzhihua


def bbox_around(dx0: float, dy0: float, dx1: float, dy1: float) -> str:
    a, b = at(dx0, dy0), at(dx1, dy1)
    return f"{a.x},{a.y},{b.x},{b.y}"


def test_item_pages_are_cached_revalidate_and_a_change_invalidates_them(client, db) -> None:
    p = make_pond(db, shift_km=9)
    add(db, p, "sprinkler", at(9000, 100), "第一个")
    url = f"/ogc/collections/elements/items?bbox={bbox_around(8700, -100, 9300, 400)}&limit=200"
    first = client.get(url)
    assert first.status_code == 200 and first.headers["content-type"] == "application/geo+json"
    assert [f["properties"]["name"] for f in first.json()["features"]] == ["第一个"]
    tag = first.headers["etag"]
    again = client.get(url)
    assert again.content == first.content and again.headers["etag"] == tag  # served from the cache
    assert client.get(url, headers={"If-None-Match": tag}).status_code == 304
    add(db, p, "monitoring_well", at(9050, 120), "第二个")
    fresh = client.get(url, headers={"If-None-Match": tag})
    assert fresh.status_code == 200 and fresh.headers["etag"] != tag
    assert sorted(f["properties"]["name"] for f in fresh.json()["features"]) == ["第一个", "第二个"]
    # a change to the pond (its fields appear in every element) also makes new pages
    db.execute(text("UPDATE ponds SET illustrative = true WHERE id = :p"), {"p": p})
    changed = client.get(url)
    assert changed.headers["etag"] != fresh.headers["etag"]
    assert {f["properties"]["illustrative"] for f in changed.json()["features"]} == {True}


def test_the_elements_collection_holds_every_type(client, db) -> None:
    body = client.get(f"/ogc/collections/elements/items?bbox={WHOLE_CITY}&limit=1000").json()
    expected = db.execute(text("SELECT count(*), count(DISTINCT type) FROM elements")).one()
    assert body["numberMatched"] == expected[0] and expected[1] > 1
    assert len({f["properties"]["type"] for f in body["features"]}) == expected[1]


def _enterprise_elements(db) -> set[int]:
    return set(
        db.execute(
            text("""SELECT e.id FROM elements e JOIN ponds p ON p.id = e.pond_id
                    JOIN organisations o ON o.enterprise_id = p.enterprise_id
                    JOIN users u ON u.organisation_id = o.id WHERE u.username = 'demo-enterprise'""")
        ).scalars()
    )


def test_cached_pages_never_reach_another_scope(client, app_for, db) -> None:
    url = f"/ogc/collections/elements/items?bbox={WHOLE_CITY}&limit=1000"
    everything = {f["id"] for f in client.get(url).json()["features"]}  # cached for the administrator
    mine = _enterprise_elements(db)
    assert mine and mine < everything
    enterprise = app_for("demo-enterprise").get(url)
    assert {f["id"] for f in enterprise.json()["features"]} == mine
    assert enterprise.headers["etag"] != client.get(url).headers["etag"]


def test_cached_tiles_never_reach_another_scope(client, app_for, db) -> None:
    lon, lat = db.execute(
        text("""SELECT ST_X(p.location), ST_Y(p.location) FROM ponds p JOIN elements e ON e.pond_id = p.id
                WHERE p.enterprise_id IS DISTINCT FROM (SELECT o.enterprise_id FROM organisations o
                  JOIN users u ON u.organisation_id = o.id WHERE u.username = 'demo-enterprise') LIMIT 1""")
    ).one()
    x, y = tile_of(lon, lat, 12)
    url = f"/tiles/elements/12/{x}/{y}.pbf"
    admin = mapbox_vector_tile.decode(client.get(url).content)["elements"]["features"]
    assert client.get(url).headers.get("x-tile-cache") == "hit"
    theirs = app_for("demo-enterprise").get(url)
    assert theirs.headers.get("x-tile-cache") is None
    got = mapbox_vector_tile.decode(theirs.content).get("elements", {"features": []})["features"]
    assert {f["id"] for f in got} <= _enterprise_elements(db) and len(got) < len(admin)


def test_sign_out_ends_the_cached_credential_at_once(app_for) -> None:
    c = app_for("demo-city")
    secret = c.headers["authorization"].removeprefix("Bearer ")
    assert c.get("/tiles/ponds/4/12/6.pbf").status_code == 200
    assert lean.CREDENTIALS.get((token_hash(secret), "api")) is not None
    assert c.post("/api/auth/logout").status_code == 204
    assert lean.CREDENTIALS.get((token_hash(secret), "api")) is None
    assert c.get("/tiles/ponds/4/12/6.pbf").status_code == 401
    assert c.get(f"/ogc/collections/elements/items?bbox={WHOLE_CITY}").status_code == 401


def test_a_session_revoked_elsewhere_is_refused_while_still_cached(app_for, db) -> None:
    """Another worker (or the CLI) revokes or disables without touching this process's cache: the
    statement every lean request sends re-checks the session."""
    c = app_for("demo-county")
    secret = c.headers["authorization"].removeprefix("Bearer ")
    url = f"/ogc/collections/ponds/items?bbox={WHOLE_CITY}"
    assert c.get(url).status_code == 200 and c.get("/tiles/ponds/4/12/6.pbf").status_code == 200
    db.execute(text("UPDATE auth_sessions SET revoked_at = now() WHERE token_hash = :h"), {"h": token_hash(secret)})
    assert c.get("/tiles/ponds/4/12/6.pbf").status_code == 401
    d = app_for("demo-viewer")
    assert d.get(url).status_code == 200
    db.execute(text("UPDATE users SET active = false WHERE username = 'demo-viewer'"))
    assert d.get(url).status_code == 401 and d.get("/tiles/ponds/4/12/6.pbf").status_code == 401


def test_disabling_a_user_drops_their_cached_credentials(app_for, db) -> None:
    from app.accounts.service import set_active

    c = app_for("demo-viewer")
    secret = c.headers["authorization"].removeprefix("Bearer ")
    assert c.get("/tiles/ponds/4/12/6.pbf").status_code == 200
    set_active(db, "demo-viewer", False)
    assert lean.CREDENTIALS.get((token_hash(secret), "api")) is None
    assert c.get("/tiles/ponds/4/12/6.pbf").status_code == 401


def test_unknown_tokens_and_cookies_are_refused(anon) -> None:
    assert anon.get("/tiles/ponds/4/12/6.pbf").status_code == 401
    assert anon.get("/tiles/ponds/4/12/6.pbf", headers={"Authorization": "Bearer nope"}).status_code == 401
    anon.cookies.set("tailings_session", "nope")
    assert anon.get("/ogc/collections/elements/items").status_code == 401


def _actor(session_id: int, user_id: int) -> Actor:
    return Actor(user_id, "u", "U", "viewer", 1, "system", "S", None, None, session_id, "api")


def test_credential_cache_expires_and_forgets() -> None:
    cache = CredentialCache(0.05, 3)
    cache.put(("a", "api"), _actor(1, 10))
    cache.put(("b", "api"), _actor(2, 10))
    cache.put(("c", "api"), _actor(3, 11))
    assert cache.get(("a", "api")) is not None
    cache.forget(session_id=1)
    assert cache.get(("a", "api")) is None and cache.get(("b", "api")) is not None
    cache.forget(user_id=10)
    assert cache.get(("b", "api")) is None and cache.get(("c", "api")) is not None
    time.sleep(0.06)
    assert cache.get(("c", "api")) is None
    for i in range(5):  # bounded: a flood of tokens starts it over
        cache.put((str(i), "api"), _actor(i, i))
    assert len(cache._items) <= 3


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("SELECT :a, '[]'::json, x::text", "SELECT %(a)s, '[]'::json, x::text"),
        ("WHERE name ILIKE '50%' AND id = :id_2", "WHERE name ILIKE '50%%' AND id = %(id_2)s"),
        ("CAST(:links AS json)", "CAST(%(links)s AS json)"),
    ],
)
def test_parameters_in_psycopg_style(sql: str, expected: str) -> None:
    assert psycopg_sql(sql) == expected
