from __future__ import annotations

import math

import mapbox_vector_tile
import pytest
from sqlalchemy import text

from tests.factories import add, at, make_pond


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


def decode(body: bytes) -> dict:
    return mapbox_vector_tile.decode(body) if body else {}


def test_pond_tiles_carry_every_pond_in_scope(client, app_for) -> None:
    x, y = tile_of(101.7, 26.6, 4)
    r = client.get(f"/tiles/ponds/4/{x}/{y}.pbf")
    assert r.status_code == 200 and r.headers["content-type"] == "application/vnd.mapbox-vector-tile"
    layer = decode(r.content)["ponds"]
    assert len(layer["features"]) == 40
    props = layer["features"][0]["properties"]
    assert {"code", "name", "supervision_level", "status"} <= set(props)
    assert {f["geometry"]["type"] for f in layer["features"]} == {"Point"}  # points below zoom 10
    county = decode(app_for("demo-county").get(f"/tiles/ponds/4/{x}/{y}.pbf").content)["ponds"]
    assert len(county["features"]) == 10


def test_pond_outlines_from_zoom_10(client, db) -> None:
    lon, lat = db.execute(text("SELECT ST_X(location), ST_Y(location) FROM ponds WHERE code = 'PZH-TP-010'")).one()
    x, y = tile_of(lon, lat, 13)
    features = decode(client.get(f"/tiles/ponds/13/{x}/{y}.pbf").content)["ponds"]["features"]
    mine = [f for f in features if f["properties"]["code"] == "PZH-TP-010"]
    assert mine and mine[0]["geometry"]["type"] in ("Polygon", "MultiPolygon")


def test_element_tiles_match_the_database(client, db) -> None:
    lon, lat = db.execute(text("SELECT ST_X(location), ST_Y(location) FROM ponds WHERE code = 'PZH-TP-010'")).one()
    for z in (12, 14, 16):
        x, y = tile_of(lon, lat, z)
        expected = db.execute(
            text("""SELECT count(*) FROM elements
            WHERE ST_Intersects(geom, ST_Transform(ST_TileEnvelope(:z, :x, :y, margin => 256.0 / 4096), 4490))"""),
            {"z": z, "x": x, "y": y},
        ).scalar()
        body = client.get(f"/tiles/elements/{z}/{x}/{y}.pbf").content
        got = decode(body).get("elements", {"features": []})["features"]
        assert len(got) == expected and expected > 0, z
        assert {"type", "kind", "pond_id", "review_state"} <= set(got[0]["properties"])


def test_no_elements_below_their_minimum_zoom(client) -> None:
    x, y = tile_of(101.7, 26.6, 8)
    r = client.get(f"/tiles/elements/8/{x}/{y}.pbf")
    assert r.status_code == 200 and r.content == b""


def test_unchanged_tiles_revalidate_and_changes_invalidate(client, db) -> None:
    p = make_pond(db)
    x, y = tile_of(at(0, 0).x, at(0, 0).y, 14)
    url = f"/tiles/elements/14/{x}/{y}.pbf"
    first = client.get(url)
    tag = first.headers["etag"]
    assert first.headers["cache-control"] == "private, max-age=60"
    assert client.get(url, headers={"If-None-Match": tag}).status_code == 304
    add(db, p, "sprinkler", at(0, 50), "新喷淋")
    again = client.get(url, headers={"If-None-Match": tag})
    assert again.status_code == 200 and again.headers["etag"] != tag
    names = [f["properties"].get("name") for f in decode(again.content)["elements"]["features"]]
    assert "新喷淋" in names


def test_scope_changes_the_etag(client, app_for) -> None:
    x, y = tile_of(101.7, 26.6, 4)
    a = client.get(f"/tiles/ponds/4/{x}/{y}.pbf").headers["etag"]
    b = app_for("demo-county").get(f"/tiles/ponds/4/{x}/{y}.pbf").headers["etag"]
    assert a != b


@pytest.mark.parametrize("path", ["/tiles/rivers/4/12/6.pbf", "/tiles/ponds/4/16/6.pbf", "/tiles/ponds/23/0/0.pbf"])
def test_bad_tile_addresses(client, path) -> None:
    assert client.get(path).status_code in (404, 422)


def test_tilejson(client) -> None:
    tj = client.get("/tiles/elements.json").json()
    assert tj["tilejson"] == "3.0.0" and tj["minzoom"] == 10
    assert tj["tiles"][0].endswith("/tiles/elements/{z}/{x}/{y}.pbf")
    assert tj["vector_layers"][0]["fields"]["kind"] == "String"


def test_pond_tiles_apply_the_overview_filters(client) -> None:
    x, y = tile_of(101.7, 26.6, 4)
    level2 = decode(client.get(f"/tiles/ponds/4/{x}/{y}.pbf?level=2").content)["ponds"]["features"]
    assert len(level2) == 8 and {f["properties"]["supervision_level"] for f in level2} == {2}
    found = decode(client.get(f"/tiles/ponds/4/{x}/{y}.pbf", params={"text": "万年沟"}).content)["ponds"]["features"]
    assert [f["properties"]["code"] for f in found] == ["PZH-TP-021"]
    assert client.get(f"/tiles/ponds/4/{x}/{y}.pbf?level=7").status_code == 422


def test_the_tile_cache_serves_repeats_and_never_a_stale_tile(client, db) -> None:
    from app.tiles.router import _cache

    if _cache() is None:
        pytest.skip("tile cache switched off")
    p = make_pond(db, shift_km=6)
    x, y = tile_of(at(6000, 0).x, at(6000, 0).y, 15)
    url = f"/tiles/elements/15/{x}/{y}.pbf"
    first = client.get(url)
    again = client.get(url)
    assert again.headers.get("x-tile-cache") == "hit" and again.content == first.content
    add(db, p, "sprinkler", at(6000, 60), "缓存后新增")
    fresh = client.get(url)
    assert fresh.headers.get("x-tile-cache") is None and fresh.headers["etag"] != first.headers["etag"]
    assert "缓存后新增" in [f["properties"].get("name") for f in decode(fresh.content)["elements"]["features"]]


def test_tile_cache_is_bounded() -> None:
    from app.tiles.cache import TileCache

    cache = TileCache(1000)
    for i in range(50):
        cache.put(str(i), b"x" * 100)
    assert cache.size <= 1000 and cache.get("0") is None and cache.get("49") == b"x" * 100
    cache.put("huge", b"x" * 500)  # more than an eighth of the cache: not kept
    assert cache.get("huge") is None
