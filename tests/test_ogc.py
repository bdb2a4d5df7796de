"""OGC API - Features under /ogc: resources, paging, filters, scope, formats, and the standard's schemas.

JSON documents are validated against the data schemas of OGC API - Features - Part 1: Core 1.0
(tests/schemas/ogc/ogcapi-features-1.json, transcribed from the standard's OpenAPI building blocks), and every
GeoJSON response with geojson-pydantic as well.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jsonschema
import pytest
from geojson_pydantic import Feature, FeatureCollection
from sqlalchemy import text

from app import registry
from tests.factories import add, at, make_pond

OWN, OTHER = "PZH-TP-021", "PZH-TP-010"  # 万年沟 (米易县, the demo county's and enterprise's); 牛场坪 (仁和区)
CORE = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/"
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
SCHEMAS = json.loads((Path(__file__).parent / "schemas" / "ogc" / "ogcapi-features-1.json").read_text("utf-8"))


def _route_paths(app: Any) -> list[str]:
    paths = []
    for r in app.routes:
        contexts = getattr(r, "effective_route_contexts", None)  # included routers (FastAPI >= 0.16x)
        paths += [c.original_route.path for c in contexts()] if contexts else [getattr(r, "path", "")]
    return paths


@pytest.fixture(scope="module", autouse=True)
def ogc_routes() -> Iterator[None]:
    """Serve the OGC routes even before app.main registers them; once it does, this does nothing."""
    from app.main import app
    from app.ogc.router import router

    if any(p.startswith("/ogc") for p in _route_paths(app)):
        yield
        return
    before = list(app.router.routes)
    app.include_router(router)
    app.openapi_schema = None
    try:
        yield
    finally:
        app.router.routes[:] = before
        getattr(app.router, "_mark_routes_changed", lambda: None)()
        app.openapi_schema = None


def conforms(instance: Any, schema: str) -> None:
    """Validate against one schema of the standard (its $refs resolve within the transcribed bundle)."""
    jsonschema.Draft7Validator({**SCHEMAS, "$ref": f"#/components/schemas/{schema}"}).validate(instance)


def geojson(response: Any, kind: str = "collection") -> dict[str, Any]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/geo+json")
    body = response.json()
    features = body["features"] if kind == "collection" else [body]
    assert all("crs" not in f["geometry"] for f in features)  # RFC 7946: no crs member; coordinates are CRS84
    if kind == "collection":
        FeatureCollection.model_validate(body)
        conforms(body, "featureCollectionGeoJSON")
        assert body["numberReturned"] == len(body["features"])
        assert body["timeStamp"].endswith("Z")
    else:
        Feature.model_validate(body)
        conforms(body, "featureGeoJSON")
    return body


def link(doc: dict[str, Any], rel: str, media_type: str | None = None) -> dict[str, Any] | None:
    found = [x for x in doc["links"] if x["rel"] == rel and (media_type is None or x["type"] == media_type)]
    assert len(found) <= 1, found
    return found[0] if found else None


def local(href: str) -> str:
    parts = urlsplit(href)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def query_of(href: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(href).query)


def pond_id(db, code: str) -> int:
    return db.execute(text("SELECT id FROM ponds WHERE code = :c"), {"c": code}).scalar_one()


def element_of(db, code: str, type_code: str = "groundwater") -> int:
    return db.execute(
        text("SELECT min(e.id) FROM elements e JOIN ponds p ON p.id = e.pond_id WHERE p.code = :c AND e.type = :t"),
        {"c": code, "t": type_code},
    ).scalar_one()


# --- landing page, conformance, collections -----------------------------------------------------------------


def test_landing_page_links_to_everything_a_client_needs(client) -> None:
    r = client.get("/ogc")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    body = r.json()
    conforms(body, "landingPage")
    assert body["title"] and body["description"]
    for rel in ("self", "alternate", "conformance", "data", "service-desc", "service-doc"):
        assert link(body, rel), rel
    assert link(body, "alternate", "text/html")
    assert local(link(body, "service-desc")["href"]) == "/openapi.json"
    assert local(link(body, "service-doc")["href"]) == "/docs"
    assert client.get(local(link(body, "data")["href"])).status_code == 200
    assert client.get(local(link(body, "conformance")["href"])).status_code == 200


def test_conformance_declares_core_geojson_html_and_oas30(client) -> None:
    body = client.get("/ogc/conformance").json()
    conforms(body, "confClasses")
    assert set(body["conformsTo"]) == {CORE + c for c in ("core", "geojson", "html", "oas30")}


def test_collections_are_the_ponds_all_elements_and_the_nine_element_types(client) -> None:
    r = client.get("/ogc/collections")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    body = r.json()
    conforms(body, "collections")
    catalogue = registry.catalogue()
    assert [c["id"] for c in body["collections"]] == ["ponds", "elements", *catalogue.type_codes]
    assert len(body["collections"]) == 11
    for c in body["collections"]:
        conforms(c, "collection")
        assert c["itemType"] == "feature" and c["crs"] == [CRS84]
        assert len(c["extent"]["spatial"]["bbox"]) == 1 and len(c["extent"]["spatial"]["bbox"][0]) == 4
        assert local(link(c, "items", "application/geo+json")["href"]).startswith(f"/ogc/collections/{c['id']}/items")
        assert link(c, "items", "text/html")
    titles = {c["id"]: c["title"] for c in body["collections"]}
    assert titles["ponds"] == "尾矿库" and titles["elements"] == "全部监管要素"
    for element_type in catalogue.types:
        assert titles[element_type.code] == element_type.label["zh"]


@pytest.mark.parametrize("how", ["header", "query"])
def test_titles_follow_the_language(client, how: str) -> None:
    if how == "header":
        body = client.get("/ogc/collections", headers={"Accept-Language": "en"}).json()
    else:
        body = client.get("/ogc/collections?lang=en").json()
    titles = {c["id"]: c["title"] for c in body["collections"]}
    assert titles["ponds"] == "Tailings ponds"
    for element_type in registry.catalogue().types:
        assert titles[element_type.code] == element_type.label["en"]


def test_extents_are_computed_over_the_callers_scope(client, app_for, db) -> None:
    def extent(c, cid: str) -> list[float]:
        return c.get(f"/ogc/collections/{cid}").json()["extent"]["spatial"]["bbox"][0]

    x0, y0, x1, y1 = db.execute(
        text("""SELECT ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b)
                FROM (SELECT ST_Extent(geom) b FROM elements WHERE type = 'groundwater') s""")
    ).one()
    bbox = extent(client, "groundwater")
    assert bbox[0] <= x0 < bbox[0] + 1e-6 and bbox[1] <= y0 < bbox[1] + 1e-6  # rounded outwards to 1e-7
    assert bbox[2] - 1e-6 < x1 <= bbox[2] and bbox[3] - 1e-6 < y1 <= bbox[3]
    county = db.execute(
        text("""SELECT ARRAY[ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b)] FROM (SELECT ST_Extent(e.geom) b
                FROM elements e JOIN ponds p ON p.id = e.pond_id
                WHERE p.county_adcode = 510421 AND e.type = 'groundwater') s""")
    ).scalar_one()
    assert extent(app_for("demo-county"), "groundwater") == pytest.approx(county, abs=1e-6)
    temporal = client.get("/ogc/collections/groundwater").json()["extent"]["temporal"]["interval"][0]
    first, last = db.execute(
        text("SELECT min(captured_at), max(captured_at) FROM elements WHERE type = 'groundwater'")
    ).one()
    assert temporal == [f"{first}T00:00:00Z", f"{last}T23:59:59Z"]


def test_one_collection_and_an_unknown_one(client) -> None:
    r = client.get("/ogc/collections/groundwater")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    body = r.json()
    conforms(body, "collection")
    assert body["id"] == "groundwater" and link(body, "self") and link(body, "items", "application/geo+json")

    r = client.get("/ogc/collections/tailings", headers={"Accept-Language": "en"})
    assert r.status_code == 404 and r.headers["content-type"].startswith("application/json")
    assert r.json()["error"]["code"] == "not_found" and "tailings" in r.json()["error"]["message"]
    for path in ("/ogc/collections/tailings/items", "/ogc/collections/tailings/items/1"):
        assert client.get(path).status_code == 404


# --- items ------------------------------------------------------------------------------------------------------


def test_admin_counts_match_the_database(client, db) -> None:
    body = geojson(client.get("/ogc/collections/ponds/items"))
    assert body["numberMatched"] == 40 and body["numberReturned"] == 40
    pond = body["features"][0]
    assert set(pond["properties"]) >= {
        "id",
        "code",
        "name",
        "name_en",
        "supervision_level",
        "status",
        "county_adcode",
        "enterprise_id",
        "illustrative",
    }
    assert isinstance(pond["properties"]["supervision_level"], int) and pond["id"] == pond["properties"]["id"]
    for type_code in registry.catalogue().type_codes:
        count = db.execute(text("SELECT count(*) FROM elements WHERE type = :t"), {"t": type_code}).scalar_one()
        body = geojson(client.get(f"/ogc/collections/{type_code}/items"))
        assert body["numberMatched"] == count, type_code
        assert body["numberReturned"] == min(count, 100)
        props = body["features"][0]["properties"]
        assert set(props) >= {"pond_id", "type", "kind", "name", "attributes", "source", "captured_at"}
        assert set(props) >= {"review_state", "version"} and props["type"] == type_code


def test_paging_links_walk_every_item_exactly_once(client, db) -> None:
    expected = db.execute(text("SELECT id FROM elements WHERE type = 'groundwater' ORDER BY id")).scalars().all()
    url: str | None = "/ogc/collections/groundwater/items?limit=7&lang=en&datetime=../2099-12-31"
    seen: list[int] = []
    pages = 0
    while url:
        body = geojson(client.get(url))
        assert body["numberMatched"] == len(expected)
        offset = int(query_of(link(body, "self")["href"]).get("offset", ["0"])[0])
        assert offset == pages * 7
        prev = link(body, "prev")
        if pages == 0:
            assert prev is None
        else:
            assert int(query_of(prev["href"]).get("offset", ["0"])[0]) == (pages - 1) * 7
            assert prev["type"] == "application/geo+json"
        seen += [f["id"] for f in body["features"]]
        nxt = link(body, "next")
        if nxt:
            params = query_of(nxt["href"])  # the query is kept across pages
            assert params["limit"] == ["7"] and params["lang"] == ["en"] and params["datetime"] == ["../2099-12-31"]
            assert nxt["type"] == "application/geo+json"
        url = local(nxt["href"]) if nxt else None
        pages += 1
    assert seen == expected and pages == -(-len(expected) // 7)


def test_other_query_parameters_are_refused_not_carried_into_links(client) -> None:
    # issue 19: an unknown parameter is refused (400), as OGC API Features allows, instead of being ignored
    r = client.get("/ogc/collections/ponds/items", params={"limit": 5, "path": "x", "request": "y"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "ogc_parameter_unknown"
    body = geojson(client.get("/ogc/collections/ponds/items", params={"limit": 5, "lang": "en"}))
    assert all("path=" not in x["href"] and "request=" not in x["href"] for x in body["links"])


def test_a_limit_above_the_maximum_is_clamped(client, db) -> None:
    pond = make_pond(db)
    db.execute(
        text("""INSERT INTO elements (pond_id, type, kind, geom, attributes, source)
                SELECT :p, 'groundwater', 'monitoring_well', ST_SetSRID(ST_MakePoint(:x + g * 1e-6, :y), 4490),
                       '{"role": "monitoring"}', 'field'
                FROM generate_series(1, 1001) g"""),
        {"p": pond, "x": at(0, 150).x, "y": at(0, 150).y},
    )
    body = geojson(client.get("/ogc/collections/groundwater/items?limit=5000"))
    assert body["numberReturned"] == 1000 and body["numberMatched"] > 1000
    assert query_of(link(body, "self")["href"])["limit"] == ["1000"]
    assert query_of(link(body, "next")["href"])["offset"] == ["1000"]
    r = client.get("/ogc/collections/groundwater/items?limit=0")
    assert r.status_code == 422 and r.json()["error"]["problems"][0]["field"] == "query.limit"


def test_bbox_selects_what_intersects_it_and_nothing_else(client, db) -> None:
    first, second = make_pond(db), make_pond(db, shift_km=5)
    mine = [add(db, first, "monitoring_well", at(dx, -50), f"MW-{dx}", role="monitoring") for dx in (-150, 0, 150)]
    add(db, second, "monitoring_well", at(5000, -50), "elsewhere", role="monitoring")
    sw, ne = at(-300, -100), at(300, 400)
    bbox = f"{sw.x},{sw.y},{ne.x},{ne.y}"
    body = geojson(client.get(f"/ogc/collections/groundwater/items?bbox={bbox}"))
    assert sorted(f["id"] for f in body["features"]) == sorted(mine) and body["numberMatched"] == 3
    ponds = geojson(client.get(f"/ogc/collections/ponds/items?bbox={bbox}"))
    assert [f["id"] for f in ponds["features"]] == [first]
    assert query_of(link(body, "self")["href"])["bbox"] == [bbox]

    # a sample pond: exactly the elements the database finds in the box
    x0, y0, x1, y1 = db.execute(
        text(
            "SELECT ST_XMin(boundary), ST_YMin(boundary), ST_XMax(boundary), ST_YMax(boundary) FROM ponds "
            "WHERE code = :c"
        ),
        {"c": OTHER},
    ).one()
    expected = db.execute(
        text(
            "SELECT array_agg(id ORDER BY id) FROM elements WHERE type = 'leachate' "
            "AND ST_Intersects(geom, ST_MakeEnvelope(:x0, :y0, :x1, :y1, 4490))"
        ),
        {"x0": x0, "y0": y0, "x1": x1, "y1": y1},
    ).scalar_one()
    body = geojson(client.get(f"/ogc/collections/leachate/items?bbox={x0},{y0},{x1},{y1}"))
    assert [f["id"] for f in body["features"]] == expected
    assert {f["properties"]["pond_id"] for f in body["features"]} == {pond_id(db, OTHER)}


@pytest.mark.parametrize(
    ("value", "condition"),
    [
        ("2024-05-12", "captured_at = DATE '2024-05-12'"),
        ("2024-05-12T10:00:00Z", "captured_at = DATE '2024-05-12'"),
        ("2024-01-01/..", "captured_at >= DATE '2024-01-01'"),
        ("../2023-12-31", "captured_at <= DATE '2023-12-31'"),
        ("/2023-12-31", "captured_at <= DATE '2023-12-31'"),
        ("2024-01-01T00:00:00+08:00/2024-06-30T23:59:59+08:00", "captured_at BETWEEN '2024-01-01' AND '2024-06-30'"),
        ("../..", "true"),
    ],
)
def test_datetime_selects_by_capture_date(client, db, value: str, condition: str) -> None:
    undated = add(db, make_pond(db), "monitoring_well", at(0, -50), "no date", role="monitoring")
    db.execute(
        text(
            "UPDATE elements SET captured_at = '2024-05-12' WHERE type = 'groundwater' AND id = "
            "(SELECT min(id) FROM elements WHERE type = 'groundwater')"
        )
    )
    expected = db.execute(
        text(
            f"SELECT array_agg(id ORDER BY id) FROM elements WHERE type = 'groundwater' "
            f"AND (captured_at IS NULL OR {condition})"
        )
    ).scalar_one()
    assert len(expected) > 1
    body = geojson(client.get("/ogc/collections/groundwater/items", params={"datetime": value, "limit": 1000}))
    ids = [f["id"] for f in body["features"]]
    assert ids == expected and undated in ids  # features without a time match any datetime (OGC 17-069r4)
    # ponds have no temporal property: datetime does not filter them
    ponds = db.execute(text("SELECT count(*) FROM ponds")).scalar_one()
    assert geojson(client.get("/ogc/collections/ponds/items", params={"datetime": value}))["numberMatched"] == ponds


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"bbox": "101,26,102"}, "query.bbox"),
        ({"bbox": "a,b,c,d"}, "query.bbox"),
        ({"bbox": "102,27,101,26"}, "query.bbox"),
        ({"bbox": "101,26,102,27,0,1"}, "query.bbox"),
        ({"bbox": "nan,26,102,27"}, "query.bbox"),
        ({"datetime": "2024-13-01"}, "query.datetime"),
        ({"datetime": "yesterday"}, "query.datetime"),
        ({"datetime": "2024-05-01T10:00:00"}, "query.datetime"),  # RFC 3339 needs the offset
        ({"datetime": "2024-02-01/2024-01-01"}, "query.datetime"),
        ({"datetime": "2024-01-01/2024-02-01/2024-03-01"}, "query.datetime"),
        ({"limit": "0"}, "query.limit"),
        ({"limit": "ten"}, "query.limit"),
        ({"offset": "-1"}, "query.offset"),
        ({"f": "xml"}, "query.f"),
    ],
)
def test_invalid_parameters_are_refused_naming_the_field(client, params: dict[str, str], field: str) -> None:
    r = client.get("/ogc/collections/groundwater/items", params=params, headers={"Accept-Language": "en"})
    assert r.status_code == 422, r.text
    problems = r.json()["error"]["problems"]
    assert [p["field"] for p in problems] == [field] and problems[0]["message"]


def test_one_item_with_its_links(client, db) -> None:
    eid = element_of(db, OWN)
    body = geojson(client.get(f"/ogc/collections/groundwater/items/{eid}"), "feature")
    assert body["id"] == eid and body["properties"]["type"] == "groundwater"
    assert body["properties"]["pond_id"] == pond_id(db, OWN)
    assert local(link(body, "self")["href"]).startswith(f"/ogc/collections/groundwater/items/{eid}")
    assert link(body, "alternate", "text/html") and local(link(body, "collection")["href"]).startswith(
        "/ogc/collections/groundwater"
    )
    pond = geojson(client.get(f"/ogc/collections/ponds/items/{pond_id(db, OWN)}"), "feature")
    assert pond["properties"]["code"] == OWN and pond["geometry"]["type"] == "MultiPolygon"


@pytest.mark.parametrize("feature_id", ["999999999", "abc", "1.5", "99999999999999999999999", "-1"])
def test_a_missing_item_is_not_found(client, feature_id: str) -> None:
    r = client.get(f"/ogc/collections/groundwater/items/{feature_id}")
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    assert client.get(f"/ogc/collections/ponds/items/{feature_id}").status_code == 404


def test_an_item_of_another_collection_is_not_found(client, db) -> None:
    assert client.get(f"/ogc/collections/leachate/items/{element_of(db, OWN)}").status_code == 404


# --- scope ------------------------------------------------------------------------------------------------------


def test_a_county_sees_its_ponds_and_their_elements_only(app_for, db) -> None:
    county = app_for("demo-county")
    expected = db.execute(text("SELECT count(*) FROM ponds WHERE county_adcode = 510421")).scalar_one()
    body = geojson(county.get("/ogc/collections/ponds/items"))
    assert body["numberMatched"] == expected < 40
    assert {f["properties"]["county_adcode"] for f in body["features"]} == {510421}
    wells = db.execute(
        text("""SELECT count(*) FROM elements e JOIN ponds p ON p.id = e.pond_id
                WHERE p.county_adcode = 510421 AND e.type = 'groundwater'"""),
    ).scalar_one()
    assert geojson(county.get("/ogc/collections/groundwater/items"))["numberMatched"] == wells


def test_an_item_out_of_scope_is_indistinguishable_from_a_missing_one(app_for, db) -> None:
    county = app_for("demo-county")
    assert county.get(f"/ogc/collections/groundwater/items/{element_of(db, OWN)}").status_code == 200
    outside = county.get(f"/ogc/collections/groundwater/items/{element_of(db, OTHER)}")
    missing = county.get("/ogc/collections/groundwater/items/999999999")
    assert outside.status_code == missing.status_code == 404
    assert outside.json()["error"]["code"] == missing.json()["error"]["code"] == "not_found"
    assert county.get(f"/ogc/collections/ponds/items/{pond_id(db, OTHER)}").status_code == 404


def test_an_enterprise_sees_its_own_ponds(app_for, db) -> None:
    own = db.execute(
        text(
            "SELECT array_agg(id ORDER BY id) FROM ponds WHERE enterprise_id = "
            "(SELECT enterprise_id FROM ponds WHERE code = :c)"
        ),
        {"c": OWN},
    ).scalar_one()
    body = geojson(app_for("demo-enterprise").get("/ogc/collections/ponds/items"))
    assert [f["id"] for f in body["features"]] == own


@pytest.mark.parametrize(
    "path",
    [
        "/ogc",
        "/ogc/conformance",
        "/ogc/collections",
        "/ogc/collections/ponds",
        "/ogc/collections/ponds/items",
        "/ogc/collections/ponds/items/1",
    ],
)
def test_strangers_must_sign_in(anon, path: str) -> None:
    assert anon.get(path).status_code == 401
    assert anon.get(path, params={"f": "html"}).status_code == 401


# --- HTML -------------------------------------------------------------------------------------------------------


def test_every_resource_has_an_html_page(client, db) -> None:
    eid = element_of(db, OWN)
    for path in (
        "/ogc",
        "/ogc/conformance",
        "/ogc/collections",
        "/ogc/collections/groundwater",
        "/ogc/collections/groundwater/items",
        "/ogc/collections/ponds/items",
        f"/ogc/collections/groundwater/items/{eid}",
        f"/ogc/collections/ponds/items/{pond_id(db, OWN)}",
    ):
        for kwargs in ({"params": {"f": "html"}}, {"headers": {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}}):
            r = client.get(path, **kwargs)
            assert r.status_code == 200 and r.headers["content-type"].startswith("text/html"), path
            assert "<script" not in r.text  # our CSP admits no inline script, and these pages need none
    # JSON when asked for it, whatever the browser prefers
    r = client.get("/ogc/collections", params={"f": "json"}, headers={"Accept": "text/html"})
    assert r.headers["content-type"].startswith("application/json")
    assert client.get("/ogc/collections/nothing?f=html").headers["content-type"].startswith("text/html")


def test_html_pages_escape_names(client, db) -> None:
    evil = "<script>alert(1)</script>"
    pond = make_pond(db, name=evil)
    eid = add(db, pond, "monitoring_well", at(0, -50), evil, role="monitoring")
    pages = [
        f"/ogc/collections/ponds/items/{pond}",
        f"/ogc/collections/groundwater/items/{eid}",
        "/ogc/collections/groundwater/items",
        "/ogc/collections/ponds/items",
    ]
    for path in pages:
        # a single feature has no page size (an unknown parameter there is refused)
        r = client.get(path, params={"f": "html", **({"limit": 1000} if path.endswith("/items") else {})})
        assert r.status_code == 200
        assert evil not in r.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text, path
    # and the JSON carries the name as it is
    assert geojson(client.get(f"/ogc/collections/groundwater/items/{eid}"), "feature")["properties"]["name"] == evil


def test_the_html_items_page_pages_too(client) -> None:
    r = client.get("/ogc/collections/groundwater/items", params={"f": "html", "limit": 10, "offset": 10})
    assert 'rel="next"' in r.text and 'rel="prev"' in r.text
    assert "offset=20" in r.text and "f=html" in r.text


def test_the_api_definition_describes_the_ogc_routes(client) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    items = paths["/ogc/collections/{collection_id}/items"]["get"]
    assert {p["name"] for p in items["parameters"]} >= {"bbox", "datetime", "limit", "offset", "f"}
    for path in ("/ogc", "/ogc/conformance", "/ogc/collections", "/ogc/collections/{collection_id}/items/{feature_id}"):
        assert path in paths


@pytest.mark.parametrize(
    "url",
    [
        "/ogc?crs=nonsense",
        "/ogc/collections?filter=name%3D1",
        "/ogc/collections/ponds/items?crs=nonsense",
        "/ogc/collections/ponds/items?bbox-crs=EPSG:3857",
        "/ogc/collections/ponds/items?limit=5&sortby=name",
    ],
)
def test_unknown_query_parameters_and_unsupported_crs_are_refused_with_400(client, url: str) -> None:
    r = client.get(url, headers={"Accept-Language": "en"})
    assert r.status_code == 400, r.text
    message = r.json()["error"]["message"]
    assert "crs" in message or "filter" in message or "sortby" in message, message


def test_the_crs_we_serve_and_the_declared_parameters_are_accepted(client) -> None:
    crs84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
    assert client.get("/ogc/collections/ponds/items", params={"crs": crs84, "limit": 2, "f": "json"}).status_code == 200
    assert client.get("/ogc/collections/ponds", params={"lang": "en"}).status_code == 200
