"""The checklist file: valid, tied to the catalogue, every item with its source; broken files refused."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from app import registry
from app.checklists import load_checklists

FILE = Path(__file__).resolve().parents[1] / "layers" / "checklists" / "checklists.yaml"


def test_templates_per_status_cover_every_element_type_with_sourced_items() -> None:
    checklists = load_checklists(FILE, registry.catalogue())
    types = {t.code for t in registry.catalogue().types}
    for status in ("in_use", "stopped", "closed"):
        template = checklists.template(status)
        codes = {s["code"] for s in template["sections"]}
        assert "management" in codes
        assert types - {"seepage_prevention", "return_water"} <= codes  # liners and return water end with service
        for s in template["sections"]:
            for item in s["items"]:
                assert any(src in item["source"] for src in ("GB 18599-2020", "Order 26", "Guide 2022")), item
    assert {s["code"] for s in checklists.template("in_use")["sections"]} >= types
    assert {checklists.checklist_status(s) for s in ("closing", "delisted")} == {"stopped", "closed"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["sections"][0]["items"].append(dict(d["sections"][0]["items"][0])), "used twice"),
        (
            lambda d: d["sections"].append(
                {**d["sections"][0], "code": "no_such_type", "items": [{**d["sections"][0]["items"][0], "id": "x.y"}]}
            ),
            "no_such_type",
        ),
        (lambda d: d["sections"][0]["items"][0].pop("source"), "source"),
        (lambda d: d["status_map"].pop("closing"), "closing"),
    ],
)
def test_a_broken_file_is_refused_naming_it(tmp_path, change, message) -> None:
    data = yaml.safe_load(FILE.read_text(encoding="utf-8"))
    change(data)
    broken = tmp_path / "checklists.yaml"
    broken.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ValueError) as exc:
        load_checklists(broken, registry.catalogue())
    assert str(broken) in str(exc.value) and message in str(exc.value)
