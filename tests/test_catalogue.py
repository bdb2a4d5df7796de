from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from app import registry
from app.catalogue import load_catalogue
from app.config import get_settings

CATALOGUE = get_settings().layers_dir / "catalogue" / "element_types.yaml"


def test_the_catalogue_has_the_nine_types_of_domain_section_3() -> None:
    cat = load_catalogue(CATALOGUE)
    assert cat.type_codes == (
        "dust_control",
        "leachate",
        "emergency",
        "groundwater",
        "seepage_prevention",
        "rain_sewage_diversion",
        "flood_discharge",
        "return_water",
        "discharge_outlet",
    )
    assert all(t.label["zh"] and t.label["en"] for t in cat.types)
    # the facilities the bulletin names are all placed
    for kind in (
        "dust_cover",
        "emergency_pool",
        "leachate_pool",
        "leachate_pipe",
        "monitoring_well",
        "high_level_tank",
        "spillway_tower",
        "floating_intake",
        "flood_tunnel_outlet",
    ):
        assert kind in cat.kinds
    assert cat.kinds["leachate_pipe"].flow and not cat.kinds["monitoring_well"].flow
    assert cat.kinds["monitoring_well"].geometry == ["Point"]


def _broken(tmp_path: Path, mutate) -> Path:
    raw = yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))
    mutate(raw)
    path = tmp_path / "catalogue.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


def _first_kind(raw):
    return raw["types"][0]["kinds"][0]


@pytest.mark.parametrize(
    ("mutate", "needle"),
    [
        (lambda r: r["types"].append(dict(r["types"][0])), "duplicate type codes"),
        (lambda r: _first_kind(r).update(geometry=["Circle"]), "geometry types"),
        (lambda r: r["types"][3]["kinds"][0].update(flow=True), "only lines can carry flow"),
        (
            lambda r: _first_kind(r)["attributes"].append(
                {"name": "x", "type": "enum", "label": {"zh": "x", "en": "x"}}
            ),
            "an enum needs values",
        ),
        (
            lambda r: _first_kind(r)["attributes"].append(
                {"name": "y", "type": "number", "min": 5, "max": 1, "label": {"zh": "y", "en": "y"}}
            ),
            "min > max",
        ),
        (
            lambda r: _first_kind(r)["attributes"].append(
                {"name": "z", "type": "colour", "label": {"zh": "z", "en": "z"}}
            ),
            "type",
        ),
        (lambda r: _first_kind(r)["style"].update(color="red"), "color"),
        (lambda r: _first_kind(r).update(unexpected=1), "unexpected"),
    ],
)
def test_a_broken_catalogue_is_refused_with_the_reason(tmp_path: Path, mutate, needle: str) -> None:
    with pytest.raises(ValueError) as err:
        load_catalogue(_broken(tmp_path, mutate))
    assert needle in str(err.value)


def test_unreadable_catalogue_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "c.yaml"
    bad.write_text("types: [unclosed", encoding="utf-8")
    with pytest.raises(ValueError, match="cannot read element catalogue"):
        load_catalogue(bad)


@pytest.mark.parametrize(
    ("kind", "attrs", "problems"),
    [
        ("leachate_pool", {"volume_m3": 200, "lined": True}, []),
        ("leachate_pool", {"lined": True}, [("attributes.volume_m3", "attribute_required")]),
        ("leachate_pool", {"volume_m3": "200", "lined": True}, [("attributes.volume_m3", "attribute_type")]),
        ("leachate_pool", {"volume_m3": -1, "lined": True}, [("attributes.volume_m3", "attribute_min")]),
        ("leachate_pool", {"volume_m3": 5, "lined": "yes"}, [("attributes.lined", "attribute_type")]),
        ("leachate_pool", {"volume_m3": 5, "lined": True, "colour": 1}, [("attributes.colour", "attribute_unknown")]),
        ("monitoring_well", {"role": "sideways"}, [("attributes.role", "attribute_enum")]),
        ("monitoring_well", {"role": "background", "depth_m": 2000}, [("attributes.depth_m", "attribute_max")]),
        (
            "spillway_tower",
            {"design_return_period_years": 50.5},
            [("attributes.design_return_period_years", "attribute_type")],
        ),
        (
            "spillway_tower",
            {"design_return_period_years": True},
            [("attributes.design_return_period_years", "attribute_type")],
        ),
    ],
)
def test_attribute_checks(kind: str, attrs: dict, problems: list) -> None:
    found = registry.catalogue().kinds[kind].check_attributes(attrs)
    assert [(p.field, p.code) for p in found] == problems


def test_element_types_endpoint_serves_the_catalogue(client) -> None:
    body = client.get("/api/element-types").json()
    assert [t["code"] for t in body["types"]] == list(registry.catalogue().type_codes)
    pipe = next(k for t in body["types"] for k in t["kinds"] if k["code"] == "leachate_pipe")
    assert pipe["flow"] is True and pipe["style"]["color"].startswith("#")
    assert pipe["label"] == {"zh": "渗滤液收集管/盲沟", "en": "Leachate collection pipe / blind drain"}
