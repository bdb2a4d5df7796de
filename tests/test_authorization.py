"""Every route declares its policy, and behaves by it for every kind of person.

Personas: anonymous, admin, province, city, county (in and out of scope), enterprise (owner and non-owner),
viewer. Each request is made against a pond in the county and enterprise of the demo accounts ("own") and
against one outside both ("other"). A new route without a policy, or without a request recipe here, fails.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.routing import APIRoute
from sqlalchemy import text

from app.main import app
from app.seed import demo_password
from tests.factories import add
from tests.test_records import _png

PERSONAS = [None, "demo-admin", "demo-province", "demo-city", "demo-county", "demo-enterprise", "demo-viewer"]
OWN, OTHER = "PZH-TP-021", "PZH-TP-010"  # 万年沟 (米易县, the demo enterprise's pond); 牛场坪 (仁和区, another's)
ROLE = {
    "demo-admin": "admin",
    "demo-province": "province",
    "demo-city": "city",
    "demo-county": "county",
    "demo-enterprise": "enterprise",
    "demo-viewer": "viewer",
}
SEES_OTHER = {"demo-admin", "demo-province", "demo-city", "demo-viewer"}
# The policy, stated here independently of the code under test (README: Who may do what): who may edit a pond's
# elements and records, and who manages its organisation (pond chiefs).
EDIT_ROLES = {"admin", "city", "county", "enterprise"}
MANAGE_ROLES = {"admin", "city", "county"}
# Who may start long jobs over the ponds of their scope (scope-wide dossier exports; imagery derivations are
# pond edits, EDIT_ROLES): everyone but the read-only viewer.
JOB_ROLES = {"admin", "province", "city", "county", "enterprise"}

# Framework routes that are not APIRoutes, and why they need no policy.
FRAMEWORK_ROUTES = {
    "/openapi.json": "the API description: public by design, holds no data",
    "/static": "vendored assets (CSS, JS) of the pages",
    "/static/swagger-ui": "the vendored Swagger UI",
}


def policy_of(route: APIRoute) -> str | None:
    """The policy a route declares: the `policy` mark of one of its dependencies (searched recursively)."""
    found: list[str] = []

    def walk(dependant: Any) -> None:
        for dep in dependant.dependencies:
            if getattr(dep.call, "policy", None):
                found.append(dep.call.policy)
            walk(dep)

    walk(route.dependant)
    assert len(set(found)) <= 1, f"{route.path} declares several policies: {found}"
    return found[0] if found else None


def _included(route: Any) -> list[Any]:
    # FastAPI >= 0.16x keeps included routers as such; their routes come from effective_route_contexts().
    contexts = getattr(route, "effective_route_contexts", None)
    return [c.original_route for c in contexts()] if contexts else []


def api_routes() -> list[APIRoute]:
    routes: list[APIRoute] = []
    for r in app.routes:
        routes += [x for x in [r, *_included(r)] if isinstance(x, APIRoute)]
    return routes


def route_id(route: APIRoute) -> str:
    return f"{','.join(sorted(route.methods))} {route.path}"


def test_every_route_declares_a_policy() -> None:
    missing = [route_id(r) for r in api_routes() if policy_of(r) is None]
    assert missing == [], f"routes without a declared policy: {missing}"
    others = {getattr(r, "path", "") for r in app.routes if not isinstance(r, APIRoute) and not _included(r)}
    assert others == set(FRAMEWORK_ROUTES), others


@dataclass
class Ctx:
    db: Any
    ponds: dict[str, int]

    def pond(self, which: str) -> int:
        return self.ponds[which]

    def location(self, which: str) -> list[float]:
        return list(
            self.db.execute(
                text("SELECT ARRAY[ST_X(location), ST_Y(location)] FROM ponds WHERE id = :p"), {"p": self.pond(which)}
            ).scalar()
        )

    def element(self, which: str) -> int:
        from shapely.geometry import Point

        return add(self.db, self.pond(which), "sprinkler", Point(*self.location(which)), working=True)

    def batch(self, which: str, state: str = "staged") -> int:
        """An upload of the demo enterprise's (empty: nothing to apply), in `state`."""
        from app import files

        digest = files.put(b'{"type": "FeatureCollection", "features": []}')
        return self.db.execute(
            text("""INSERT INTO import_batches (pond_id, state, filename, file_sha256, format, mode, source,
                                                 review_state, created_by, created_by_name)
                    SELECT :p, :state, 'x.geojson', :sha, 'geojson', 'merge', 'enterprise', 'submitted', id, username
                    FROM users WHERE username = 'demo-enterprise' RETURNING id"""),
            {"p": self.pond(which), "state": state, "sha": digest},
        ).scalar_one()

    def submitted(self, which: str) -> int:
        element = self.element(which)
        self.db.execute(text("UPDATE elements SET review_state = 'submitted' WHERE id = :id"), {"id": element})
        return element

    def chief(self, which: str) -> int:
        return self.db.execute(
            text("""INSERT INTO pond_chiefs (pond_id, role, name, term_start)
                                       VALUES (:p, 'county_chief', '测试库长', '2025-01-01') RETURNING id"""),
            {"p": self.pond(which)},
        ).scalar_one()


_SCENES: dict[int, bytes] = {}


def _scene(ctx: Ctx, which: str) -> bytes:
    """A small synthetic 4-band scene over the pond (made once per pond and session)."""
    import tempfile
    from pathlib import Path

    import shapely

    from tests.rasters import scene_around

    pond = ctx.pond(which)
    if pond not in _SCENES:
        wkb = ctx.db.execute(
            text("SELECT ST_AsBinary(coalesce(boundary, ST_Buffer(location, 0.002))) FROM ponds WHERE id = :p"),
            {"p": pond},
        ).scalar()
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "scene.tif"
            scene_around(path, [shapely.from_wkb(bytes(wkb)).convex_hull], epsg=4543, res=20.0, margin=200)
            _SCENES[pond] = path.read_bytes()
    return _SCENES[pond]


def image(ctx: Ctx, which: str) -> int:
    """An image over the pond, ingested as the CLI would."""
    import datetime as dt
    import tempfile
    from pathlib import Path

    from app.imagery import service

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{which}.tif"
        path.write_bytes(_scene(ctx, which))
        img, _ = service.ingest(ctx.db, path, path.name, dt.date(2026, 4, 1), "gf-2")
        ctx.db.flush()
        return img.id


def upload(ctx: Ctx, which: str, user: str | None) -> tuple[str, str, dict[str, Any], int]:
    # any editor whose scope holds a pond under the image may add it; the policy is the pond edit policy
    ok = 202 if ROLE.get(user or "") in EDIT_ROLES else 403
    files = {"file": ("scene.tif", _scene(ctx, which), "image/tiff")}
    return ("POST", "/api/imagery", {"files": files, "data": {"acquired_on": "2026-04-01", "sensor": "gf-2"}}, ok)


def sees_other(ok: int) -> Callable[[str | None], int]:
    return lambda user: ok if user in SEES_OTHER else 404


def job(ctx: Ctx, user: str | None) -> int:
    uid = ctx.db.execute(text("SELECT id FROM users WHERE username = :u"), {"u": user or "demo-admin"}).scalar()
    return ctx.db.execute(
        text("INSERT INTO jobs (kind, username, user_id) VALUES ('test', :u, :id) RETURNING id"),
        {"u": user or "anonymous", "id": uid},
    ).scalar_one()


def sprinkler(ctx: Ctx, which: str) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": ctx.location(which)},
        "properties": {"kind": "sprinkler", "attributes": {"working": True}},
    }


Recipe = Callable[[Ctx, str, str | None], tuple[str, str, dict[str, Any], int]]
P = "/api/ponds/{}"


def _pond(path: str, method: str = "GET", ok: int = 200, **kw: Any) -> Recipe:
    return lambda c, w, u: (method, path.format(c.pond(w)), kw, ok)


RECIPES: dict[str, Recipe] = {
    "GET /healthz": lambda c, w, u: ("GET", "/healthz", {}, 200),
    "GET /readyz": lambda c, w, u: ("GET", "/readyz", {}, 200),
    "GET /login": lambda c, w, u: ("GET", "/login", {}, 200),
    "POST /login": lambda c, w, u: ("POST", "/login", {"data": {"username": "x", "password": "y"}}, 403),  # no CSRF
    "POST /logout": lambda c, w, u: ("POST", "/logout", {"follow_redirects": False}, 303),
    "GET /": lambda c, w, u: ("GET", "/", {"follow_redirects": False}, 200),
    "GET /ponds/{pond_id}": lambda c, w, u: ("GET", f"/ponds/{c.pond(w)}", {"follow_redirects": False}, 200),
    "GET /api/map/ponds": lambda c, w, u: ("GET", "/api/map/ponds", {}, 200),
    "GET /api/map/reference": lambda c, w, u: ("GET", "/api/map/reference", {}, 200),
    "GET /api/ponds/{pond_id}/surroundings": _pond(P + "/surroundings"),
    "GET /ogc": lambda c, w, u: ("GET", "/ogc", {}, 200),
    "GET /ogc/conformance": lambda c, w, u: ("GET", "/ogc/conformance", {}, 200),
    "GET /ogc/collections": lambda c, w, u: ("GET", "/ogc/collections", {}, 200),
    "GET /ogc/collections/{collection_id}": lambda c, w, u: ("GET", "/ogc/collections/groundwater", {}, 200),
    "GET /ogc/collections/{collection_id}/items": lambda c, w, u: (
        "GET",
        "/ogc/collections/groundwater/items",
        {},
        200,
    ),
    "GET /ogc/collections/{collection_id}/items/{feature_id}": lambda c, w, u: (
        "GET",
        f"/ogc/collections/dust_control/items/{c.element(w)}",
        {},
        200,
    ),
    "GET /tiles/{collection}.json": lambda c, w, u: ("GET", "/tiles/ponds.json", {}, 200),
    "GET /tiles/{collection}/{z}/{x}/{y}.pbf": lambda c, w, u: ("GET", "/tiles/ponds/4/12/6.pbf", {}, 200),
    "GET /docs": lambda c, w, u: ("GET", "/docs", {}, 200),
    "POST /api/auth/token": lambda c, w, u: (
        "POST",
        "/api/auth/token",
        {"data": {"username": "demo-viewer", "password": demo_password("viewer")}},
        200,
    ),
    "POST /api/auth/logout": lambda c, w, u: ("POST", "/api/auth/logout", {}, 204),
    "GET /api/auth/me": lambda c, w, u: ("GET", "/api/auth/me", {}, 200),
    "POST /api/auth/password": lambda c, w, u: (
        "POST",
        "/api/auth/password",
        {"json": {"current_password": demo_password(ROLE.get(u or "", "x")), "new_password": "A-new-password-2026"}},
        204,
    ),
    "GET /api/element-types": lambda c, w, u: ("GET", "/api/element-types", {}, 200),
    "GET /api/ponds": lambda c, w, u: ("GET", "/api/ponds", {}, 200),
    "GET /api/ponds/{pond_id}": _pond(P),
    "GET /api/ponds/{pond_id}/elements": _pond(P + "/elements"),
    "POST /api/ponds/{pond_id}/elements": lambda c, w, u: (
        "POST",
        f"{P.format(c.pond(w))}/elements",
        {"json": sprinkler(c, w)},
        201,
    ),
    "GET /api/ponds/{pond_id}/elements/{element_id}": lambda c, w, u: (
        "GET",
        f"{P.format(c.pond(w))}/elements/{c.element(w)}",
        {},
        200,
    ),
    "PUT /api/ponds/{pond_id}/elements/{element_id}": lambda c, w, u: (
        "PUT",
        f"{P.format(c.pond(w))}/elements/{c.element(w)}",
        {"json": sprinkler(c, w), "headers": {"If-Match": '"1"'}},
        200,
    ),
    "DELETE /api/ponds/{pond_id}/elements/{element_id}": lambda c, w, u: (
        "DELETE",
        f"{P.format(c.pond(w))}/elements/{c.element(w)}",
        {"headers": {"If-Match": '"1"'}},
        204,
    ),
    "GET /api/ponds/{pond_id}/elements/{element_id}/revisions": lambda c, w, u: (
        "GET",
        f"{P.format(c.pond(w))}/elements/{c.element(w)}/revisions",
        {},
        200,
    ),
    "GET /api/import-template.xlsx": lambda c, w, u: ("GET", "/api/import-template.xlsx", {}, 200),
    "GET /api/ponds/{pond_id}/import-template.xlsx": _pond(P + "/import-template.xlsx"),
    "POST /api/ponds/{pond_id}/imports": lambda c, w, u: (
        "POST",
        f"{P.format(c.pond(w))}/imports",
        {"files": {"file": ("s.geojson", json.dumps({"type": "FeatureCollection", "features": [sprinkler(c, w)]}))}},
        201,
    ),
    "GET /api/ponds/{pond_id}/imports": _pond(P + "/imports"),
    "GET /api/ponds/{pond_id}/imports/{batch_id}": lambda c, w, u: (
        "GET",
        f"{P.format(c.pond(w))}/imports/{c.batch(w)}",
        {},
        200,
    ),
    "GET /api/ponds/{pond_id}/imports/{batch_id}/rows": lambda c, w, u: (
        "GET",
        f"{P.format(c.pond(w))}/imports/{c.batch(w)}/rows",
        {},
        200,
    ),
    "GET /api/ponds/{pond_id}/imports/{batch_id}/errors.xlsx": lambda c, w, u: (
        "GET",
        f"{P.format(c.pond(w))}/imports/{c.batch(w)}/errors.xlsx",
        {},
        200,
    ),
    "POST /api/ponds/{pond_id}/imports/{batch_id}/commit": lambda c, w, u: (
        "POST",
        f"{P.format(c.pond(w))}/imports/{c.batch(w)}/commit",
        {},
        200,
    ),
    "POST /api/ponds/{pond_id}/imports/{batch_id}/discard": lambda c, w, u: (
        "POST",
        f"{P.format(c.pond(w))}/imports/{c.batch(w)}/discard",
        {},
        200,
    ),
    "POST /api/ponds/{pond_id}/imports/{batch_id}/review": lambda c, w, u: (
        "POST",
        f"{P.format(c.pond(w))}/imports/{c.batch(w, 'committed')}/review",
        {"json": {"decision": "verified"}},
        200,
    ),
    "POST /api/ponds/{pond_id}/elements/{element_id}/review": lambda c, w, u: (
        "POST",
        f"{P.format(c.pond(w))}/elements/{c.submitted(w)}/review",
        {"json": {"decision": "verified"}, "headers": {"If-Match": '"1"'}},
        200,
    ),
    "GET /api/ponds/{pond_id}/elements/{element_id}/reviews": lambda c, w, u: (
        "GET",
        f"{P.format(c.pond(w))}/elements/{c.element(w)}/reviews",
        {},
        200,
    ),
    "GET /api/ponds/{pond_id}/export": _pond(P + "/export", params={"format": "geojson"}),
    "GET /api/export": lambda c, w, u: ("GET", "/api/export", {"params": {"format": "geojson"}}, 200),
    "GET /ponds/{pond_id}/import": lambda c, w, u: (
        "GET",
        f"/ponds/{c.pond(w)}/import",
        {"follow_redirects": False},
        200,
    ),
    "GET /ponds/{pond_id}/imports/{batch_id}": lambda c, w, u: (
        "GET",
        f"/ponds/{c.pond(w)}/imports/{c.batch(w)}",
        {"follow_redirects": False},
        200,
    ),
    "GET /api/ponds/{pond_id}/compliance": _pond(P + "/compliance"),
    "GET /api/ponds/{pond_id}/history": _pond(P + "/history"),
    "GET /api/ponds/{pond_id}/chiefs": _pond(P + "/chiefs"),
    "POST /api/ponds/{pond_id}/chiefs": _pond(
        P + "/chiefs", "POST", 201, json={"role": "county_chief", "name": "张示例", "term_start": "2026-01-01"}
    ),
    # imagery: an image is seen by whoever sees a pond it covers ("other": SEES_OTHER only)
    "POST /api/imagery": lambda c, w, u: upload(c, w, u),
    "GET /api/imagery/{image_id}": lambda c, w, u: ("GET", f"/api/imagery/{image(c, 'other')}", {}, sees_other(200)(u)),
    "GET /imagery/{image_id}/tiles/{z}/{x}/{y}.png": lambda c, w, u: (
        "GET",
        f"/imagery/{image(c, 'other')}/tiles/10/799/439.png",
        {},
        sees_other(200)(u),
    ),
    "GET /api/ponds/{pond_id}/imagery": _pond(P + "/imagery"),
    "POST /api/ponds/{pond_id}/imagery/{image_id}/derive": lambda c, w, u: (
        "POST",
        f"{P.format(c.pond(w))}/imagery/{image(c, w)}/derive",
        {},
        202,
    ),
    "GET /api/ponds/{pond_id}/imagery/areas": _pond(P + "/imagery/areas"),
    "GET /api/ponds/{pond_id}/imagery/derived": _pond(P + "/imagery/derived"),
    "GET /api/ponds/{pond_id}/imagery/{image_id}/stats": lambda c, w, u: (
        "GET",
        f"{P.format(c.pond(w))}/imagery/{image(c, w)}/stats",
        {},
        200,
    ),
    "GET /api/ponds/{pond_id}/field-corrections": _pond(P + "/field-corrections"),
    # a job is seen by its owner only: each persona asks for its own
    "GET /api/jobs/{job_id}": lambda c, w, u: ("GET", f"/api/jobs/{job(c, u)}", {}, 200),
    "POST /api/ponds/{pond_id}/chiefs/{chief_id}/end": lambda c, w, u: (
        "POST",
        f"{P.format(c.pond(w))}/chiefs/{c.chief(w)}/end",
        {"json": {"term_end": "2026-06-30"}},
        200,
    ),
}


# --- records, monitoring, dashboard (issue 6) ---
_days = iter(range(10**6))


def _project(c: Ctx, which: str) -> int:
    return c.db.execute(
        text(
            "INSERT INTO pond_projects (pond_id, name, kind, status) VALUES (:p, '示例工程', 'other', 'planned') "
            "RETURNING id"
        ),
        {"p": c.pond(which)},
    ).scalar_one()


def _document(c: Ctx, which: str) -> int:
    from app import files

    data = _png()
    return c.db.execute(
        text("""INSERT INTO pond_documents (pond_id, doc_type, title, filename, media_type, size_bytes, sha256)
                VALUES (:p, 'photo', '照片', 'a.png', 'image/png', :n, :h) RETURNING id"""),
        {"p": c.pond(which), "n": len(data), "h": files.put(data)},
    ).scalar_one()


def _well(c: Ctx, which: str) -> tuple[int, str]:
    return tuple(
        c.db.execute(
            text("SELECT id, name FROM elements WHERE pond_id = :p AND kind = 'monitoring_well' ORDER BY id LIMIT 1"),
            {"p": c.pond(which)},
        ).one()
    )


def _permits_version(c: Ctx, which: str) -> int:
    return c.db.execute(text("SELECT version FROM pond_permits WHERE pond_id = :p"), {"p": c.pond(which)}).scalar() or 0


def _lab_csv(c: Ctx, which: str) -> bytes:
    import datetime as dt

    day = dt.date(2001, 1, 1) + dt.timedelta(days=next(_days))
    return f"well,date,parameter,value,unit\n{_well(c, which)[1]},{day},Mn,0.05,mg/L\n".encode()


# --- inspections and hazards (issue 5) ---
# Who may inspect, report hazards and upload photos: the bureaus' inspectors and the operator (its own
# self-inspection); not the administrator nor a viewer. Who assigns a found hazard: the county or the city.
INSPECT_ROLES = {"province", "city", "county", "enterprise"}
ASSIGN_ROLES = {"county", "city"}
# Who takes some step of the verification at all (assign, rectify, verify, close): not the administrator
# nor a viewer, who are refused before the body is read.
HAZARD_ROLES = {"province", "city", "county", "enterprise"}


def _by_role(user: str | None, roles: set[str], ok: int) -> int:
    return ok if ROLE.get(user or "") in roles else 403


def _inspection(c: Ctx, which: str) -> str:
    import uuid as _uuid

    from app.inspections.service import template_row

    template_id, _ = template_row(c.db, "in_use")
    iid = str(_uuid.uuid4())
    c.db.execute(
        text("""INSERT INTO inspections (id, pond_id, template_id, kind, state, inspector_id, organisation_id,
                                         started_at, submitted_at)
                SELECT :i, :p, :t, 'government', 'submitted', u.id, u.organisation_id, now(), now()
                FROM users u WHERE u.username = 'demo-city'"""),
        {"i": iid, "p": c.pond(which), "t": template_id},
    )
    return iid


def _photo(c: Ctx, which: str) -> str:
    import uuid as _uuid

    from app import files
    from tests.photos import jpeg

    pid, data = str(_uuid.uuid4()), jpeg()
    c.db.execute(
        text("""INSERT INTO photos (id, pond_id, sha256, content_type, size_bytes, width, height, uploaded_by)
                SELECT :i, :p, :h, 'image/jpeg', :n, 64, 48, id FROM users WHERE username = 'demo-city'"""),
        {"i": pid, "p": c.pond(which), "h": files.put(data), "n": len(data)},
    )
    return pid


def _hazard(c: Ctx, which: str) -> int:
    import uuid as _uuid

    return c.db.execute(
        text("""INSERT INTO hazards (client_id, pond_id, source, description, state, province_required, found_at,
                                     found_by, found_org_id)
                SELECT :c, :p, 'report', '测试隐患', 'found', false, now(), u.id, u.organisation_id
                FROM users u WHERE u.username = 'demo-city' RETURNING id"""),
        {"c": str(_uuid.uuid4()), "p": c.pond(which)},
    ).scalar_one()


def _new_photo_upload() -> dict[str, Any]:
    import uuid as _uuid

    from tests.photos import jpeg

    return {"files": {"file": ("a.jpg", jpeg(), "image/jpeg")}, "data": {"id": str(_uuid.uuid4())}}


def _new_id() -> str:
    import uuid as _uuid

    return str(_uuid.uuid4())


RECIPES.update(
    {
        "GET /api/ponds/{pond_id}/records": _pond(P + "/records"),
        "PUT /api/ponds/{pond_id}/records/permits": lambda c, w, u: (
            "PUT",
            f"{P.format(c.pond(w))}/records/permits",
            {"json": {"risk_grade": "general"}, "headers": {"If-Match": f'"{_permits_version(c, w)}"'}},
            200,
        ),
        "POST /api/ponds/{pond_id}/records/{kind}": _pond(
            P + "/records/projects", "POST", 201, json={"name": "工程", "kind": "other", "status": "planned"}
        ),
        "PUT /api/ponds/{pond_id}/records/{kind}/{record_id}": lambda c, w, u: (
            "PUT",
            f"{P.format(c.pond(w))}/records/projects/{_project(c, w)}",
            {"json": {"name": "工程", "kind": "other", "status": "completed"}, "headers": {"If-Match": '"1"'}},
            200,
        ),
        "DELETE /api/ponds/{pond_id}/records/{kind}/{record_id}": lambda c, w, u: (
            "DELETE",
            f"{P.format(c.pond(w))}/records/projects/{_project(c, w)}",
            {"headers": {"If-Match": '"1"'}},
            204,
        ),
        "GET /api/ponds/{pond_id}/records/{kind}/{record_id}/revisions": lambda c, w, u: (
            "GET",
            f"{P.format(c.pond(w))}/records/projects/{_project(c, w)}/revisions",
            {},
            200,
        ),
        "POST /api/ponds/{pond_id}/documents": lambda c, w, u: (
            "POST",
            f"{P.format(c.pond(w))}/documents",
            {"data": {"doc_type": "photo"}, "files": {"file": ("a.png", _png())}},
            201,
        ),
        "POST /api/ponds/{pond_id}/documents/{doc_id}/versions": lambda c, w, u: (
            "POST",
            f"{P.format(c.pond(w))}/documents/{_document(c, w)}/versions",
            {"files": {"file": ("b.png", _png("blue"))}, "headers": {"If-Match": '"1"'}},
            200,
        ),
        "GET /api/ponds/{pond_id}/documents/{doc_id}/file": lambda c, w, u: (
            "GET",
            f"{P.format(c.pond(w))}/documents/{_document(c, w)}/file",
            {},
            200,
        ),
        "GET /api/ponds/{pond_id}/monitoring": _pond(P + "/monitoring"),
        "POST /api/ponds/{pond_id}/monitoring/imports": lambda c, w, u: (
            "POST",
            f"{P.format(c.pond(w))}/monitoring/imports",
            {"files": {"file": ("lab.csv", _lab_csv(c, w))}},
            201,
        ),
        "GET /api/ponds/{pond_id}/monitoring/chart.svg": lambda c, w, u: (
            "GET",
            f"{P.format(c.pond(w))}/monitoring/chart.svg?well={_well(c, w)[0]}&parameter=mn",
            {},
            200,
        ),
        "GET /api/dashboard": lambda c, w, u: ("GET", "/api/dashboard", {}, 200),
        "GET /api/ponds/{pond_id}/workbook.xlsx": _pond(P + "/workbook.xlsx"),
        "GET /dashboard": lambda c, w, u: ("GET", "/dashboard", {"follow_redirects": False}, 200),
        "GET /ponds/{pond_id}/records": lambda c, w, u: (
            "GET",
            f"/ponds/{c.pond(w)}/records",
            {"follow_redirects": False},
            200,
        ),
        "GET /api/ponds/{pond_id}/checklist": _pond(P + "/checklist"),
        "GET /api/ponds/{pond_id}/inspections": _pond(P + "/inspections"),
        "PUT /api/ponds/{pond_id}/inspections/{inspection_id}": lambda c, w, u: (
            "PUT",
            f"{P.format(c.pond(w))}/inspections/{_new_id()}",
            {"json": {"answers": [{"id": _new_id(), "item_id": "management.eia_approved", "answer": "ok"}]}},
            _by_role(u, INSPECT_ROLES, 201),
        ),
        "GET /api/ponds/{pond_id}/inspections/{inspection_id}": lambda c, w, u: (
            "GET",
            f"{P.format(c.pond(w))}/inspections/{_inspection(c, w)}",
            {},
            200,
        ),
        "GET /api/ponds/{pond_id}/inspections/{inspection_id}/record.pdf": lambda c, w, u: (
            "GET",
            f"{P.format(c.pond(w))}/inspections/{_inspection(c, w)}/record.pdf",
            {},
            200,
        ),
        "POST /api/ponds/{pond_id}/photos": lambda c, w, u: (
            "POST",
            f"{P.format(c.pond(w))}/photos",
            _new_photo_upload(),
            _by_role(u, INSPECT_ROLES, 201),
        ),
        "GET /api/ponds/{pond_id}/photos/{photo_id}": lambda c, w, u: (
            "GET",
            f"{P.format(c.pond(w))}/photos/{_photo(c, w)}",
            {},
            200,
        ),
        "GET /api/ponds/{pond_id}/hazards": _pond(P + "/hazards"),
        "POST /api/ponds/{pond_id}/hazards": lambda c, w, u: (
            "POST",
            f"{P.format(c.pond(w))}/hazards",
            {"json": {"id": _new_id(), "description": "坝面裸露"}},
            _by_role(u, INSPECT_ROLES, 201),
        ),
        "GET /api/ponds/{pond_id}/hazards/{hazard_id}": lambda c, w, u: (
            "GET",
            f"{P.format(c.pond(w))}/hazards/{_hazard(c, w)}",
            {},
            200,
        ),
        "POST /api/ponds/{pond_id}/hazards/{hazard_id}/transitions": lambda c, w, u: (
            "POST",
            f"{P.format(c.pond(w))}/hazards/{_hazard(c, w)}/transitions",
            {"json": {"action": "assign", "plan": "整改", "deadline": "2099-01-01", "responsible": "张工"}},
            _by_role(u, ASSIGN_ROLES, 200),
        ),
        "GET /api/hazards/workflow": lambda c, w, u: ("GET", "/api/hazards/workflow", {}, 200),
        "GET /api/hazards/inbox": lambda c, w, u: ("GET", "/api/hazards/inbox", {}, 200),
        "GET /api/stats/hazards": lambda c, w, u: ("GET", "/api/stats/hazards", {}, 200),
        "GET /api/stats/inspections-due": lambda c, w, u: ("GET", "/api/stats/inspections-due", {}, 200),
        "GET /ponds/{pond_id}/inspect": lambda c, w, u: (
            "GET",
            f"/ponds/{c.pond(w)}/inspect",
            {"follow_redirects": False},
            200,
        ),
        "GET /ponds/{pond_id}/hazards/{hazard_id}": lambda c, w, u: (
            "GET",
            f"/ponds/{c.pond(w)}/hazards/{_hazard(c, w)}",
            {"follow_redirects": False},
            200,
        ),
        "GET /hazards": lambda c, w, u: ("GET", "/hazards", {"follow_redirects": False}, 200),
        "GET /api/exports/hazards.xlsx": lambda c, w, u: ("GET", "/api/exports/hazards.xlsx", {}, 200),
        "GET /api/exports/inspections.xlsx": lambda c, w, u: ("GET", "/api/exports/inspections.xlsx", {}, 200),
    }
)


# --- bureau imports: the pond registry and reference layers (issue 4, item 6) ---
# Who replaces the city's registry and its reference layers: the city bureau and the administrator; not a
# county bureau (its own county only), the province, an enterprise or a viewer.
BUREAU_ROLES = {"admin", "city"}


def _registry_csv(c: Ctx) -> bytes:
    name, county, level, status = c.db.execute(
        text("SELECT name, county_adcode, supervision_level, status FROM ponds WHERE code = :c"), {"c": OWN}
    ).one()
    return f"尾矿库编码,尾矿库名称,所在县区,监管级别,运行状态\n{OWN},{name},{county},{level},{status}\n".encode()


_TARGETS_CSV = "名称,类型,经度,纬度\n测试小学,学校,101.83,26.52\n".encode()


def _admin_actor(c: Ctx) -> Any:
    from app.accounts import service
    from tests.conftest import bearer

    return service.resolve(c.db, bearer(c.db, "demo-admin")["Authorization"].removeprefix("Bearer "), "api")


def _registry_commit(c: Ctx) -> dict[str, Any]:
    """What a preview answers, planned now (each persona's commit follows the one before)."""
    from app.bureau import pond_registry

    p = pond_registry.plan(c.db, _admin_actor(c), "r.csv", _registry_csv(c), crs=None, delist=False)
    return {"file": p.sha256, "filename": "r.csv", "crs": None, "delist": False, "fingerprint": p.fingerprint()}


def _targets_commit(c: Ctx) -> dict[str, Any]:
    from app.bureau import reference

    p = reference.plan(c.db, reference.Layer.sensitive_targets, "t.csv", _TARGETS_CSV, crs=None, source="test")
    return {"file": p.sha256, "filename": "t.csv", "crs": None, "source": "test", "fingerprint": p.fingerprint()}


RECIPES.update(
    {
        "GET /api/bureau/ponds/template.xlsx": lambda c, w, u: ("GET", "/api/bureau/ponds/template.xlsx", {}, 200),
        "GET /api/bureau/ponds/export.xlsx": lambda c, w, u: ("GET", "/api/bureau/ponds/export.xlsx", {}, 200),
        "POST /api/bureau/ponds/preview": lambda c, w, u: (
            "POST",
            "/api/bureau/ponds/preview",
            {"files": {"file": ("r.csv", _registry_csv(c))}},
            200,
        ),
        "POST /api/bureau/ponds/errors.xlsx": lambda c, w, u: (
            "POST",
            "/api/bureau/ponds/errors.xlsx",
            {"files": {"file": ("r.csv", _registry_csv(c))}},
            200,
        ),
        "POST /api/bureau/ponds/commit": lambda c, w, u: (
            "POST",
            "/api/bureau/ponds/commit",
            {"json": _registry_commit(c)},
            200,
        ),
        "POST /api/bureau/reference/{layer}/preview": lambda c, w, u: (
            "POST",
            "/api/bureau/reference/sensitive_targets/preview",
            {"files": {"file": ("t.csv", _TARGETS_CSV)}, "data": {"source": "test"}},
            200,
        ),
        "POST /api/bureau/reference/{layer}/commit": lambda c, w, u: (
            "POST",
            "/api/bureau/reference/sensitive_targets/commit",
            {"json": _targets_commit(c)},
            200,
        ),
        "GET /bureau/imports": lambda c, w, u: ("GET", "/bureau/imports", {"follow_redirects": False}, 200),
    }
)


def expected(policy: str, user: str | None, which: str, ok: int) -> int | None:
    """The status a persona should get; None for public routes (checked for sameness instead)."""
    if policy == "public":
        return None
    if user is None:
        return 303 if policy.startswith("page_") else 401  # pages send strangers to the sign-in page
    if policy in ("signed_in", "page_signed_in"):
        return ok
    if policy == "admin_only":
        return ok if user == "demo-admin" else 403
    if policy in ("bureau_staff", "page_bureau_staff"):
        return ok if ROLE[user] in BUREAU_ROLES else 403
    if policy == "editor":  # an upload not tied to one pond (an image): an editor's role first
        return ok if ROLE[user] in EDIT_ROLES else 403
    if policy == "job_starter":
        return ok if ROLE[user] in JOB_ROLES else 403
    visible = which == "own" or user in SEES_OTHER
    if not visible:
        return 404
    allowed = {
        "pond_read": None,
        "page_pond_read": None,
        "pond_edit": EDIT_ROLES,
        "pond_manage": MANAGE_ROLES,
        "pond_inspect": INSPECT_ROLES,
        "pond_hazard_step": HAZARD_ROLES,
    }[policy]
    if allowed is not None and ROLE[user] not in allowed:
        return 403
    return ok


@pytest.mark.parametrize("route", api_routes(), ids=route_id)
def test_route_behaves_by_its_policy_for_every_persona(route: APIRoute, db, app_for) -> None:
    key = f"{next(iter(sorted(route.methods)))} {route.path}"
    assert key in RECIPES, f"no request recipe for {key}: add one to tests/test_authorization.py"
    policy = policy_of(route)
    ponds = dict(db.execute(text("SELECT code, id FROM ponds WHERE code IN (:a, :b)"), {"a": OWN, "b": OTHER}).all())
    ctx = Ctx(db, {"own": ponds[OWN], "other": ponds[OTHER]})
    wrong, seen = [], {}
    for which in ("own", "other") if "{pond_id}" in route.path else ("own",):
        for user in PERSONAS:
            method, url, kwargs, ok = RECIPES[key](ctx, which, user)
            status = app_for(user).request(method, url, **kwargs).status_code
            seen[(user, which)] = status
            want = expected(policy, user, which, ok)
            if (want is not None and status != want) or status >= 500:
                wrong.append(f"{user or 'anonymous'} on {which} pond: got {status}, expected {want}")
    if policy == "public":
        assert len(set(seen.values())) == 1, f"a public route answers by persona: {seen}"
    assert wrong == [], f"{key} ({policy}):\n" + "\n".join(wrong)


@pytest.mark.parametrize(
    ("user", "count"),
    [
        ("demo-admin", 40),
        ("demo-province", 40),
        ("demo-city", 40),
        ("demo-viewer", 40),
        ("demo-county", None),
        ("demo-enterprise", None),
    ],
)
def test_listing_shows_exactly_the_ponds_in_scope(db, app_for, user: str, count: int | None) -> None:
    body = app_for(user).get("/api/ponds").json()
    if user == "demo-county":
        count = db.execute(text("SELECT count(*) FROM ponds WHERE county_adcode = 510421")).scalar()
        assert {p["county"]["adcode"] for p in body["items"]} == {510421}
    if user == "demo-enterprise":
        own = db.execute(
            text("""SELECT array_agg(p.code ORDER BY p.code) FROM ponds p WHERE p.enterprise_id =
                                 (SELECT enterprise_id FROM ponds WHERE code = :c)"""),
            {"c": OWN},
        ).scalar()
        assert [p["code"] for p in body["items"]] == own
        count = len(own)
    assert body["total"] == count and len(body["items"]) == count
    assert sum(body["summary"]["by_level"].values()) == count  # counts follow the scope too


# --- dossiers (issue 6 item 3) ---
def _dossier_job(ctx: Ctx, user: str | None) -> int:
    """A finished `dossier_all` job owned by the persona (another's job is not found: GET /api/jobs/{id})."""
    from app import files

    sha = files.put(b"PK\x05\x06" + b"\x00" * 18)  # an empty ZIP
    uid = ctx.db.execute(text("SELECT id FROM users WHERE username = :u"), {"u": user or "demo-admin"}).scalar()
    return ctx.db.execute(
        text("""INSERT INTO jobs (kind, username, user_id, state, progress, result)
                VALUES ('dossier_all', :u, :id, 'done', 1, CAST(:r AS jsonb)) RETURNING id"""),
        {"u": user or "anonymous", "id": uid, "r": f'{{"sha256": "{sha}", "filename": "d.zip", "ponds": 0}}'},
    ).scalar_one()


RECIPES.update(
    {
        "GET /api/ponds/{pond_id}/dossier.zip": _pond(P + "/dossier.zip"),
        # every role but the viewer may export the ponds of its own scope (JOB_ROLES)
        "POST /api/dossiers": lambda c, w, u: ("POST", "/api/dossiers", {}, 202),
        # the result is downloaded by the job's owner: each persona asks for its own
        "GET /api/dossiers/{job_id}/download": lambda c, w, u: (
            "GET",
            f"/api/dossiers/{_dossier_job(c, u)}/download",
            {},
            200,
        ),
    }
)
