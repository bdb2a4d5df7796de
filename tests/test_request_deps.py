"""The shared request dependencies (app.deps) as the API description shows them."""

from __future__ import annotations

from app.main import app


def test_lang_is_declared_once_by_the_language_dependency() -> None:
    """A route taking LangDep documents `?lang` through it (once, zh|en), with no second parameter for it."""
    operations = [(p, m, op) for p, item in app.openapi()["paths"].items() for m, op in item.items()]
    twice = [f"{m} {p}" for p, m, op in operations if [x["name"] for x in op.get("parameters", [])].count("lang") > 1]
    assert twice == []
    dossier = app.openapi()["paths"]["/api/ponds/{pond_id}/dossier.zip"]["get"]["parameters"]
    (lang,) = [x for x in dossier if x["name"] == "lang"]
    assert lang["in"] == "query" and "zh" in lang["schema"]["anyOf"][0]["pattern"]


def test_a_language_outside_zh_en_is_refused_naming_the_parameter(client) -> None:
    pond = client.get("/api/ponds").json()["items"][0]["id"]
    r = client.get(f"/api/ponds/{pond}/compliance", params={"lang": "fr"})
    assert r.status_code == 422 and [p["field"] for p in r.json()["error"]["problems"]] == ["query.lang"], r.text
    assert client.get(f"/api/ponds/{pond}/compliance", params={"lang": "en"}).status_code == 200
