from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from tests.factories import add, at, gj, line, make_pond, rect


def well(dx: float = 0, dy: float = 350, **props) -> dict:
    base = {
        "kind": "monitoring_well",
        "name": "下游监控井 MW-1",
        "source": "field",
        "captured_at": "2026-05-10",
        "accuracy_m": 0.05,
        "attributes": {"role": "monitoring", "depth_m": 30},
    }
    base.update(props)
    return {"type": "Feature", "geometry": gj(at(dx, dy)), "properties": base}


@pytest.fixture
def pond(db) -> int:
    return make_pond(db)


def test_elements_come_as_a_feature_collection_built_by_postgis(client, db, pond) -> None:
    add(db, pond, "monitoring_well", at(0, -200), "MW-1", role="monitoring")
    add(db, pond, "leachate_pipe", line((0, 10), (0, -100)), "pipe", diameter_mm=300)
    add(db, pond, "liner", rect(-200, 0, 200, 300), "liner", site_class="II")
    r = client.get(f"/api/ponds/{pond}/elements")
    assert r.status_code == 200 and r.headers["content-type"] == "application/geo+json"
    fc = r.json()
    assert fc["type"] == "FeatureCollection" and fc["illustrative"] is False
    by_kind = {f["properties"]["kind"]: f for f in fc["features"]}
    assert set(by_kind) == {"monitoring_well", "leachate_pipe", "liner"}
    assert by_kind["leachate_pipe"]["properties"]["length_m"] == pytest.approx(110, abs=0.5)
    assert by_kind["liner"]["properties"]["area_m2"] == pytest.approx(120_000, rel=0.01)
    assert by_kind["monitoring_well"]["geometry"]["type"] == "Point"
    only = client.get(f"/api/ponds/{pond}/elements", params={"type": "groundwater"}).json()
    assert [f["properties"]["kind"] for f in only["features"]] == ["monitoring_well"]


def test_empty_pond_gives_an_empty_collection_and_unknown_pond_404(client, pond) -> None:
    assert client.get(f"/api/ponds/{pond}/elements").json()["features"] == []
    r = client.get("/api/ponds/999999/elements")
    assert r.status_code == 404
    assert r.json()["error"]["message"] == "未找到尾矿库：999999"


def test_create_read_update_delete_with_versions(client, db, pond) -> None:
    r = client.post(f"/api/ponds/{pond}/elements", json=well())
    assert r.status_code == 201, r.text
    created = r.json()
    eid = created["id"]
    assert r.headers["etag"] == '"1"' and created["properties"]["version"] == 1
    assert created["properties"]["type"] == "groundwater"

    got = client.get(f"/api/ponds/{pond}/elements/{eid}")
    assert got.json() == created and got.headers["etag"] == '"1"'

    moved = well(dy=360, name="MW-1 复测")
    r = client.put(f"/api/ponds/{pond}/elements/{eid}", json=moved, headers={"If-Match": '"1"'})
    assert r.status_code == 200, r.text
    assert r.json()["properties"]["version"] == 2 and r.headers["etag"] == '"2"'

    # A second writer who still holds version 1 is refused and changes nothing.
    stale = client.put(f"/api/ponds/{pond}/elements/{eid}", json=well(dy=999), headers={"If-Match": '"1"'})
    assert stale.status_code == 409
    assert "当前版本 2" in stale.json()["error"]["message"]
    assert client.get(f"/api/ponds/{pond}/elements/{eid}").json()["properties"]["name"] == "MW-1 复测"

    # The version may also travel inside the feature.
    r = client.put(f"/api/ponds/{pond}/elements/{eid}", json=well(dy=360, version=2, name="MW-1"))
    assert r.status_code == 200 and r.json()["properties"]["version"] == 3

    assert client.delete(f"/api/ponds/{pond}/elements/{eid}", headers={"If-Match": '"2"'}).status_code == 409
    assert client.delete(f"/api/ponds/{pond}/elements/{eid}", headers={"If-Match": '"3"'}).status_code == 204
    assert client.get(f"/api/ponds/{pond}/elements/{eid}").status_code == 404


def test_writes_without_a_version_are_refused(client, db, pond) -> None:
    eid = client.post(f"/api/ponds/{pond}/elements", json=well()).json()["id"]
    r = client.put(f"/api/ponds/{pond}/elements/{eid}", json=well())
    assert r.status_code == 428
    assert client.delete(f"/api/ponds/{pond}/elements/{eid}").status_code == 428
    bad = client.put(f"/api/ponds/{pond}/elements/{eid}", json=well(), headers={"If-Match": "*"})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "if_match_invalid"


def test_an_element_of_another_pond_is_not_found(client, db, pond) -> None:
    other = make_pond(db, shift_km=3)
    eid = client.post(f"/api/ponds/{other}/elements", json=well(dx=3000)).json()["id"]
    assert client.get(f"/api/ponds/{pond}/elements/{eid}").status_code == 404
    r = client.put(f"/api/ponds/{pond}/elements/{eid}", json=well(), headers={"If-Match": '"1"'})
    assert r.status_code == 404
    assert client.delete(f"/api/ponds/{pond}/elements/{eid}", headers={"If-Match": '"1"'}).status_code == 404


def test_every_change_is_kept_with_who_and_the_shift_in_metres(client, db, pond) -> None:
    eid = client.post(f"/api/ponds/{pond}/elements", json=well(dy=350)).json()["id"]
    client.put(f"/api/ponds/{pond}/elements/{eid}", json=well(dy=362.5), headers={"If-Match": '"1"'})
    client.put(f"/api/ponds/{pond}/elements/{eid}", json=well(dy=362.5, name="renamed"), headers={"If-Match": '"2"'})
    client.delete(f"/api/ponds/{pond}/elements/{eid}", headers={"If-Match": '"3"'})
    history = client.get(f"/api/ponds/{pond}/elements/{eid}/revisions").json()
    assert [h["op"] for h in history] == ["create", "update", "update", "delete"]
    assert [h["version"] for h in history] == [1, 2, 3, 4]
    assert history[1]["geometry_changed"] and history[1]["shift_m"] == pytest.approx(12.5, abs=0.01)
    assert not history[2]["geometry_changed"] and history[2]["shift_m"] is None
    assert history[0]["source"] == "field" and history[0]["captured_at"] == "2026-05-10"
    assert {h["changed_by"] for h in history} == {"demo-admin"}  # the signed-in user
    # the revision table itself holds the deleted element's last geometry
    n = db.execute(
        text("SELECT count(*) FROM element_revisions WHERE element_id = :e AND op = 'delete'"), {"e": eid}
    ).scalar()
    assert n == 1


def _problems(r) -> list[tuple[str, str]]:
    assert r.status_code == 422, r.text
    return [(p["field"], p["code"]) for p in r.json()["error"]["problems"]]


@pytest.mark.parametrize(
    ("feature", "expected"),
    [
        ({"type": "FeatureCollection", "features": []}, [("type", "feature_expected")]),
        ({"type": "Feature", "geometry": None, "properties": None}, [("properties", "attribute_type")]),
        (well(kind="pipe_dream"), [("properties.kind", "unknown_kind")]),
        (well(kind=None), [("properties.kind", "missing")]),
        (well(type="leachate"), [("properties.type", "kind_type_mismatch")]),
        ({**well(), "geometry": gj(line((0, 0), (0, 10)))}, [("geometry", "geometry_type_not_allowed")]),
        (
            {**well(), "geometry": {"type": "Point", "coordinates": [565000.0, 2920000.0]}},
            [("geometry", "coordinates_out_of_range")],
        ),
        ({**well(), "geometry": {"type": "Point", "coordinates": [116.40, 39.90]}}, [("geometry", "outside_region")]),
        ({**well(), "geometry": {"type": "Point"}}, [("geometry", "geometry_malformed")]),
        (well(attributes={"depth_m": 30}), [("properties.attributes.role", "attribute_required")]),
        (well(attributes={"role": "up"}), [("properties.attributes.role", "attribute_enum")]),
        (
            well(attributes={"role": "background", "depth_m": "deep"}),
            [("properties.attributes.depth_m", "attribute_type")],
        ),
        (well(attributes={"role": "background", "depth_m": -3}), [("properties.attributes.depth_m", "attribute_min")]),
        (
            well(attributes={"role": "background", "colour": "blue"}),
            [("properties.attributes.colour", "attribute_unknown")],
        ),
        (well(source="guess"), [("properties.source", "literal_error")]),
        (well(review_state="approved"), [("properties.review_state", "literal_error")]),
        (well(captured_at="yesterday"), [("properties.captured_at", "attribute_type")]),
        (well(accuracy_m=-1), [("properties.accuracy_m", "too_small")]),
        (well(name=["x"]), [("properties.name", "attribute_type")]),
    ],
)
def test_every_validation_error_names_the_field_and_reason(client, pond, feature, expected) -> None:
    assert _problems(client.post(f"/api/ponds/{pond}/elements", json=feature)) == expected


def test_all_problems_are_reported_at_once(client, pond) -> None:
    feature = {
        **well(source="guess", attributes={"role": "up"}),
        "geometry": {"type": "Point", "coordinates": [116.4, 39.9]},
    }
    assert len(_problems(client.post(f"/api/ponds/{pond}/elements", json=feature))) == 3


def test_invalid_polygon_reason_is_reported(client, pond) -> None:
    bowtie = {
        "type": "Polygon",
        "coordinates": [
            [at(0, 0).coords[0], at(100, 100).coords[0], at(100, 0).coords[0], at(0, 100).coords[0], at(0, 0).coords[0]]
        ],
    }
    feature = {
        "type": "Feature",
        "geometry": bowtie,
        "properties": {"kind": "liner", "attributes": {"site_class": "II"}},
    }
    r = client.post(f"/api/ponds/{pond}/elements", json=feature)
    assert _problems(r) == [("geometry", "geometry_invalid")]
    assert "Self-intersection" in r.json()["error"]["problems"][0]["message"]


def test_messages_are_chinese_by_default_and_english_on_request(client, pond) -> None:
    bad = well(attributes={"depth_m": 30})
    zh = client.post(f"/api/ponds/{pond}/elements", json=bad).json()["error"]
    assert zh["message"] == "提交的数据未通过校验"
    assert zh["problems"][0]["message"] == "缺少必填属性“井的作用”"
    en = client.post(f"/api/ponds/{pond}/elements", json=bad, headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert en.json()["error"]["problems"][0]["message"] == "Required attribute 'Role' is missing"
    q = client.post(f"/api/ponds/{pond}/elements?lang=en", json=bad, headers={"Accept-Language": "zh-CN"})
    assert q.json()["error"]["message"] == "The submitted data failed validation"
    outside = {**well(), "geometry": {"type": "Point", "coordinates": [116.4, 39.9]}}
    msg = client.post(f"/api/ponds/{pond}/elements", json=outside).json()["error"]["problems"][0]["message"]
    assert "攀枝花市" in msg and "坐标错误" in msg


def test_a_body_that_is_not_json_gets_a_clear_error(client, pond) -> None:
    r = client.post(f"/api/ponds/{pond}/elements", content=b"{not json", headers={"Content-Type": "application/json"})
    assert r.status_code == 422
    assert r.json()["error"]["problems"][0]["code"] == "json_invalid"


def test_creating_on_a_missing_pond_is_404_and_writes_nothing(client, db) -> None:
    before = db.execute(text("SELECT count(*) FROM elements")).scalar()
    assert client.post("/api/ponds/999999/elements", json=well()).status_code == 404
    assert db.execute(text("SELECT count(*) FROM elements")).scalar() == before


def test_geojson_has_no_crs_member(client, db, pond) -> None:
    # RFC 7946 dropped `crs`; PostGIS adds one for SRIDs other than 4326 unless told not to.
    add(db, pond, "monitoring_well", at(0, -200), "MW-1", role="monitoring")
    fc = client.get(f"/api/ponds/{pond}/elements").json()
    assert "crs" not in fc["features"][0]["geometry"]
    assert "crs" not in client.get(f"/api/ponds/{pond}").json()["boundary"]


def test_far_geometry_is_refused_on_every_write_path(client, db) -> None:
    """The OpenAPI example's old coordinates (32 km from the pond) and anything beyond the bureau's limit
    (layers/rules.yaml, refuse_beyond_m) are refused by POST and PUT and in an upload, with the distance named;
    the example itself is accepted on its pond."""
    from app.elements.router import FEATURE_EXAMPLE
    from app.elements.service import refuse_beyond_m

    assert refuse_beyond_m() == 5000
    pond = db.execute(text("SELECT id FROM ponds WHERE code = 'PZH-TP-001'")).scalar_one()
    base = f"/api/ponds/{pond}/elements"
    far = {**FEATURE_EXAMPLE, "geometry": {"type": "Point", "coordinates": [102.01, 26.58]}}
    r = client.post(base, json=far)
    assert r.status_code == 422, r.text
    problem = r.json()["error"]["problems"][0]
    assert problem["field"] == "geometry" and problem["code"] == "element_too_far_from_pond"
    assert "5000" in problem["message"] and "米" in problem["message"]
    created = client.post(base, json=FEATURE_EXAMPLE)
    assert created.status_code == 201, created.text
    r = client.put(f"{base}/{created.json()['id']}", json=far, headers={"If-Match": created.headers["ETag"]})
    assert r.status_code == 422 and r.json()["error"]["problems"][0]["code"] == "element_too_far_from_pond"
    # 4.9 km away is still allowed (a distant outlet), 5.2 km is not: about 0.0465 degrees of latitude per 5.2 km
    near_enough = {**FEATURE_EXAMPLE, "geometry": {"type": "Point", "coordinates": [101.6866, 26.5728 - 0.040]}}
    assert client.post(base, json=near_enough).status_code == 201
    upload = {"type": "FeatureCollection", "features": [far]}
    r = client.post(f"{base.removesuffix('/elements')}/imports", files={"file": ("far.geojson", json.dumps(upload))})
    assert r.status_code == 201, r.text
    batch = r.json()
    assert batch["counts"]["error"] == 1, batch
    assert "element_too_far_from_pond" in r.text


def test_every_route_that_takes_a_version_reads_if_match_the_same_way(client, pond) -> None:
    """One behaviour for If-Match (app.deps.expected_version), on every route that depends on it: absent
    428, not a version 422, each naming the header; element PUT alone may take properties.version instead."""
    import re

    from app.deps import expected_version
    from tests.test_authorization import api_routes, route_id

    def takes_version(dependant) -> bool:
        return any(d.call is expected_version or takes_version(d) for d in dependant.dependencies)

    routes = [r for r in api_routes() if takes_version(r.dependant)]
    assert {route_id(r) for r in routes} >= {
        "DELETE /api/ponds/{pond_id}/elements/{element_id}",
        "PUT /api/ponds/{pond_id}/records/permits",
        "POST /api/ponds/{pond_id}/elements/{element_id}/review",
    }
    for route in routes:
        url = re.sub(r"{(\w+)}", lambda m: str(pond) if m[1] == "pond_id" else "projects" if m[1] == "kind" else "1",
                     route.path)  # fmt: skip
        method = next(iter(route.methods))
        missing = client.request(method, url)
        assert missing.status_code == 428 and missing.json()["error"]["code"] == "if_match_required", route.path
        assert "If-Match" in missing.json()["error"]["message"]
        bad = client.request(method, url, headers={"If-Match": "*"})
        assert bad.status_code == 422 and bad.json()["error"]["code"] == "if_match_invalid", route.path
