"""The illustrative sample data set: reproducible from its script and true to the counts of the city's 2025 bulletin."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from shapely.geometry import shape
from shapely.ops import unary_union

from app import registry
from app.config import ROOT, get_settings
from gis.crs import geodesic_area_m2

SAMPLE = get_settings().layers_dir / "sample"
REFERENCE = get_settings().layers_dir / "reference"


def _features(path):
    return json.loads(path.read_text(encoding="utf-8"))["features"]


def test_the_committed_sample_is_what_the_script_generates() -> None:
    r = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "generate_sample.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 0, r.stdout + r.stderr


def test_ponds_lie_in_their_district_apart_from_each_other() -> None:
    districts = {
        f["properties"]["adcode"]: shape(f["geometry"]) for f in _features(REFERENCE / "panzhihua_districts.geojson")
    }
    ponds = _features(SAMPLE / "ponds.geojson")
    shapes = [shape(f["geometry"]) for f in ponds]
    for f, s in zip(ponds, shapes, strict=True):
        p = f["properties"]
        assert s.is_valid and districts[p["county_adcode"]].contains(s), p["code"]
        assert 5 <= geodesic_area_m2(s) / 10_000 <= 150, p["code"]
        assert p["illustrative"] is True and "示例数据" in p["note"]
    assert unary_union(shapes).area == pytest.approx(sum(s.area for s in shapes), rel=1e-9)  # no overlaps


def test_every_sample_element_is_valid_for_the_catalogue() -> None:
    from app.elements.service import validate_feature

    kinds = registry.catalogue().kinds
    for f in _features(SAMPLE / "elements.geojson"):
        v = validate_feature(f)
        assert v.kind in kinds and v.type == f["properties"]["type"]


def test_mapped_ponds_have_all_nine_types() -> None:
    ponds = {f["properties"]["code"]: f["properties"] for f in _features(SAMPLE / "ponds.geojson")}
    types: dict[str, set[str]] = {}
    for f in _features(SAMPLE / "elements.geojson"):
        types.setdefault(f["properties"]["pond_code"], set()).add(f["properties"]["type"])
    nine = set(registry.catalogue().type_codes)
    mapped = {c for c, p in ponds.items() if p["one_map"]}
    assert len(mapped) == 14
    assert {c for c, t in types.items() if t == nine} == mapped
