"""Authorization comes first: on every write route (enumerated from the app's routes), a role the route's
policy refuses gets 403 whatever it sends (no body, a body of the wrong shape, a broken upload, no If-Match),
before anything is parsed or stored; and no error body shows a server path or an exception's text."""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import APIRoute
from sqlalchemy import text

from app.config import get_settings
from tests.test_authorization import OWN, PERSONAS, api_routes, expected, policy_of, route_id

WRITES = {"POST", "PUT", "PATCH", "DELETE"}
PATH_VALUES = {
    "kind": "projects",
    "layer": "sensitive_targets",
    "inspection_id": str(uuid.uuid4()),
    "photo_id": str(uuid.uuid4()),
}


def leaks(body: str) -> list[str]:
    """What in a response body reveals the server: a file-store, temporary or code path, or a traceback."""
    files_dir = str(get_settings().files_dir)
    found = [files_dir] if files_dir in body else []
    found += re.findall(r"(?:/tmp/|/work/|/var/tmp/|site-packages|Traceback \(most recent call last\))\S*", body)
    return found


def _write_routes() -> list[APIRoute]:
    return [r for r in api_routes() if set(r.methods) & WRITES and policy_of(r) not in ("public", "signed_in")]


def _stored_files() -> set[Path]:
    root = get_settings().files_dir
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


BODIES: dict[str, dict[str, Any]] = {
    "empty": {},
    "wrong shape": {"json": {"unexpected": ["<x>"], "geometry": 7}},
    "broken upload": {"files": {"file": ("x.tif", b"II*\x00 not really a tiff")}, "data": {"id": "nope"}},
}


def test_every_write_route_is_covered() -> None:
    ids = {route_id(r) for r in _write_routes()}
    assert "POST /api/imagery" in ids and "PUT /api/ponds/{pond_id}/inspections/{inspection_id}" in ids
    assert "POST /api/dossiers" in ids and len(ids) >= 25, sorted(ids)


@pytest.mark.parametrize("route", _write_routes(), ids=route_id)
def test_forbidden_role_is_refused_before_the_body_is_read(route: APIRoute, db, app_for) -> None:
    policy = policy_of(route)
    assert policy is not None
    pond = db.execute(text("SELECT id FROM ponds WHERE code = :c"), {"c": OWN}).scalar_one()
    url = route.path
    for name in re.findall(r"{(\w+)}", route.path):
        url = url.replace("{" + name + "}", str(pond if name == "pond_id" else PATH_VALUES.get(name, 1)))
    refused = [u for u in PERSONAS if u and expected(policy, u, "own", 200) == 403]
    assert refused or policy == "admin_only", f"{route_id(route)} ({policy}) refuses no role"
    before = _stored_files()
    wrong = []
    for user in [None, *refused]:
        client = app_for(user)
        for label, kwargs in BODIES.items():
            for method in sorted(set(route.methods) & WRITES):
                response = client.request(method, url, **kwargs)
                want = 401 if user is None else 403
                if response.status_code != want:
                    wrong.append(f"{user or 'anonymous'}, {label} body: {response.status_code} {response.text[:200]}")
                if found := leaks(response.text):
                    wrong.append(f"{user or 'anonymous'}, {label} body: the answer shows {found}")
    assert wrong == [], f"{route_id(route)} ({policy}):\n" + "\n".join(wrong)
    assert _stored_files() == before, "a refused request stored a file"


def test_a_broken_image_upload_names_the_file_not_the_server_path(app_for) -> None:
    """An editor's broken GeoTIFF is refused naming the file the user sent, never where the server put it."""
    response = app_for("demo-city").post(
        "/api/imagery",
        files={"file": ("场景.tif", b"II*\x00 truncated", "image/tiff")},
        data={"acquired_on": "2026-04-01", "sensor": "gf-2"},
    )
    assert response.status_code == 422, response.text
    assert "场景.tif" in response.text
    assert leaks(response.text) == [] and "upload.tif" not in response.text, response.text
