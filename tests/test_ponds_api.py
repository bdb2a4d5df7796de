from __future__ import annotations

import pytest

from app import registry
from tests.factories import make_pond

NAMED = [
    "龙佰丰源牛场坪尾矿库",
    "龙佰矿冶牛望田尾矿库",
    "攀钢新白马矿业万年沟尾矿库",
    "安宁铁钛烂坝山尾矿库",
    "攀钢马家田尾矿库",
    "攀枝花鑫帝矿业磨刀沟尾矿库",
]


def test_the_40_sample_ponds_have_the_counts_of_the_bulletin(client) -> None:
    body = client.get("/api/ponds").json()
    assert body["total"] == 40 and len(body["items"]) == 40
    s = body["summary"]
    assert s["by_level"] == {"2": 8, "3": 32}
    assert s["by_status"]["in_use"] == 11
    assert s["by_status"]["stopped"] + s["by_status"].get("closing", 0) == 14
    assert s["by_status"]["closed"] == 15
    assert s["one_map_complete"] == 14
    assert sum(s["by_county"].values()) == 40 and set(s["by_county"]) <= {
        "510402",
        "510403",
        "510411",
        "510421",
        "510422",
    }
    items = body["items"]
    assert {p["name"] for p in items} >= set(NAMED)
    assert all(p["illustrative"] for p in items)
    assert all(isinstance(p["supervision_level"], int) for p in items)
    assert {p["status"] for p in items} <= {"in_use", "stopped", "closing", "closed", "delisted"}
    # the items agree with the summary
    assert sum(p["one_map"]["complete"] for p in items) == 14
    assert sum(p["supervision_level"] == 2 for p in items) == 8


def test_the_four_key_ponds_are_mapped(client) -> None:
    items = client.get("/api/ponds").json()["items"]
    by_name = {p["name"]: p for p in items}
    for name in NAMED[:4]:
        assert by_name[name]["one_map"]["complete"], name
    for name in NAMED[4:]:
        assert by_name[name]["status"] == "closing"


def test_pond_geometry_is_plausible(client) -> None:
    for p in client.get("/api/ponds").json()["items"]:
        assert 5 <= p["area_ha"] <= 150, (p["code"], p["area_ha"])
        lon, lat = p["location"]
        assert 101.0 < lon < 102.4 and 26.0 < lat < 27.3
        x0, y0, x1, y1 = p["bbox"]
        assert x0 <= lon <= x1 and y0 <= lat <= y1


@pytest.mark.parametrize(
    ("params", "check"),
    [
        ({"level": 2}, lambda ps: len(ps) == 8 and all(p["supervision_level"] == 2 for p in ps)),
        ({"status": "closed"}, lambda ps: len(ps) == 15),
        ({"status": ["stopped", "closing"]}, lambda ps: len(ps) == 14),
        ({"one_map": "true"}, lambda ps: len(ps) == 14 and all(p["one_map"]["complete"] for p in ps)),
        ({"one_map": "false"}, lambda ps: len(ps) == 26 and not any(p["one_map"]["complete"] for p in ps)),
        ({"text": "万年沟"}, lambda ps: [p["name"] for p in ps] == ["攀钢新白马矿业万年沟尾矿库"]),
        ({"text": "pzh-tp-001"}, lambda ps: [p["code"] for p in ps] == ["PZH-TP-001"]),
        ({"text": "100%"}, lambda ps: ps == []),  # % is matched literally, not as a wildcard
        ({"county": 510421}, lambda ps: ps and all(p["county"]["adcode"] == 510421 for p in ps)),
        (
            {"county": 510421, "level": 2, "status": "in_use"},
            lambda ps: all(
                p["county"]["adcode"] == 510421 and p["supervision_level"] == 2 and p["status"] == "in_use" for p in ps
            ),
        ),
    ],
)
def test_filters(client, params, check) -> None:
    r = client.get("/api/ponds", params=params)
    assert r.status_code == 200, r.text
    body = r.json()
    assert check(body["items"]), body["items"]
    assert body["total"] == len(body["items"])


def test_summary_follows_the_filter(client) -> None:
    s = client.get("/api/ponds", params={"level": 2}).json()["summary"]
    assert s["by_level"] == {"2": 8} and sum(s["by_status"].values()) == 8


def test_bbox_filter_takes_ponds_touching_the_box(client) -> None:
    target = client.get("/api/ponds", params={"text": "烂坝山"}).json()["items"][0]
    x0, y0, x1, y1 = target["bbox"]
    found = client.get("/api/ponds", params={"bbox": f"{x0},{y0},{x1},{y1}"}).json()["items"]
    assert target["id"] in [p["id"] for p in found]
    assert len(found) < 40
    nowhere = client.get("/api/ponds", params={"bbox": "110,30,110.1,30.1"}).json()
    assert nowhere["total"] == 0 and nowhere["items"] == []


def test_paging(client) -> None:
    first = client.get("/api/ponds", params={"limit": 15}).json()
    rest = client.get("/api/ponds", params={"limit": 15, "offset": 15}).json()
    last = client.get("/api/ponds", params={"limit": 15, "offset": 30}).json()
    assert first["total"] == rest["total"] == 40
    codes = [p["code"] for p in first["items"] + rest["items"] + last["items"]]
    assert len(codes) == 40 and codes == sorted(codes) and len(set(codes)) == 40


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"level": 4}, "query.level.0"),
        ({"limit": 0}, "query.limit"),
        ({"limit": 5000}, "query.limit"),
        ({"status": "abandoned"}, "query.status.0"),
        ({"bbox": "1,2,3"}, "query.bbox"),
        ({"bbox": "102,27,101,26"}, "query.bbox"),
        ({"county": "east"}, "query.county.0"),
        ({"offset": -1}, "query.offset"),
    ],
)
def test_bad_query_parameters_name_the_field(client, params, field) -> None:
    r = client.get("/api/ponds", params=params)
    assert r.status_code == 422
    problems = r.json()["error"]["problems"]
    assert [p["field"] for p in problems] == [field]
    assert problems[0]["message"] and problems[0]["message"].isascii() is False  # Chinese by default


def test_pond_detail_has_counts_per_type_and_completeness(client) -> None:
    key = client.get("/api/ponds", params={"text": "牛场坪"}).json()["items"][0]
    d = client.get(f"/api/ponds/{key['id']}").json()
    assert d["one_map"]["complete"] and d["one_map"]["types_missing"] == []
    assert tuple(d["element_counts"]) == registry.catalogue().type_codes
    assert all(n >= 1 for n in d["element_counts"].values())
    assert d["boundary"]["type"] == "MultiPolygon" and d["dam_crest"]["type"] == "LineString"
    assert d["dam_crest_length_m"] > 50
    assert d["supervision_level"] == 2 and d["enterprise"]["name"]
    fc = client.get(f"/api/ponds/{key['id']}/elements").json()
    assert len(fc["features"]) == sum(d["element_counts"].values())


def test_pond_without_boundary_or_elements(client, db) -> None:
    p = make_pond(db, boundary=False)
    d = client.get(f"/api/ponds/{p}").json()
    assert d["boundary"] is None and d["area_ha"] is None and d["bbox"] is None
    assert d["one_map"]["complete"] is False and len(d["one_map"]["types_missing"]) == 9
    assert set(d["element_counts"].values()) == {0}


def test_unknown_pond_is_404_in_the_users_language(client) -> None:
    assert client.get("/api/ponds/424242").json()["error"]["message"] == "未找到尾矿库：424242"
    r = client.get("/api/ponds/424242", headers={"Accept-Language": "en"})
    assert r.status_code == 404 and r.json()["error"]["message"] == "tailings pond not found: 424242"
    assert client.get("/api/ponds/not-a-number").status_code == 422


def test_healthz(client) -> None:
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok"}


def test_openapi_documents_the_api(client) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/api/ponds",
        "/api/ponds/{pond_id}",
        "/api/ponds/{pond_id}/elements",
        "/api/ponds/{pond_id}/elements/{element_id}",
        "/api/ponds/{pond_id}/compliance",
        "/api/element-types",
        "/healthz",
    ):
        assert path in paths
    assert client.get("/docs").status_code == 200
