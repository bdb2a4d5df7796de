"""The walls between the parts of the code: gis/ stays pure, no package takes another's private names, and
no (method, path) is registered twice. The import arrows are read by scripts/import_arrows.py (one reader
for the script and this test)."""

from __future__ import annotations

import ast
import importlib.util
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

from fastapi import APIRouter, FastAPI
from starlette.routing import BaseRoute, Mount

from app.main import app

ROOT = Path(__file__).resolve().parents[1]
# What gis/ must never import: the service, the web, the database.
GIS_FORBIDDEN = {"app", "fastapi", "starlette", "sqlalchemy", "geoalchemy2", "psycopg", "psycopg2", "psycopg_pool"}
GIS_FORBIDDEN |= {"alembic", "uvicorn", "jinja2"}

# Private names still taken across packages in parts other branches of issue 13 change; the lead removes
# each line when those merge. (module, imported module, name)
KNOWN_PRIVATE: set[tuple[str, str, str]] = set()


def _arrows_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("import_arrows", ROOT / "scripts" / "import_arrows.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


def _top_imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def test_gis_imports_nothing_of_the_service_the_web_or_the_database() -> None:
    files = sorted((ROOT / "gis").rglob("*.py"))
    assert len(files) > 5
    bad = {str(f.relative_to(ROOT)): sorted(_top_imports(f) & GIS_FORBIDDEN) for f in files}
    assert {f: names for f, names in bad.items() if names} == {}


def test_no_package_imports_a_private_name_of_another() -> None:
    arrows = _arrows_script()
    _, listed = arrows.report(ROOT)
    private = {(a.source, a.target, a.name) for a, why in listed if why == "private name"}
    assert private - KNOWN_PRIVATE == set(), "import a public name, or make the name public where it lives"
    assert KNOWN_PRIVATE - private == set(), "a known exception is gone: remove it from KNOWN_PRIVATE"


def test_the_arrow_reader_sees_private_names_and_upward_arrows(tmp_path: Path) -> None:
    # The reader itself, on a small tree: a private name by `from` and by attribute, a service that
    # imports the web edge, a route module imported by another domain, a job plug-in named as a string.
    for name, body in {
        "app/__init__.py": "",
        "app/deps.py": "",
        "app/map/__init__.py": "",
        "app/map/router.py": "def _page(): ...\n",
        "app/map/service.py": "def _buffers(): ...\n",
        "app/imports/__init__.py": "",
        "app/imports/pages.py": "from app.map.router import _page\n",
        "app/imports/service.py": "from app.map import service as m\nimport app.deps\nm._buffers()\n",
        "app/jobs/__init__.py": "",
        "app/jobs/service.py": 'PLUGINS = ("app.imports.service",)\n',
    }.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(body)
    counted, listed = _arrows_script().report(tmp_path)
    assert {(a.source, a.target, a.name) for a, why in listed if why == "private name"} == {
        ("app.imports.pages", "app.map.router", "_page"),
        ("app.imports.service", "app.map.service", "_buffers"),
    }
    assert counted[("imports", "map", "imports a route module")] == 1
    assert counted[("imports", "deps", "non-HTTP module imports the web edge")] == 1
    assert counted[("jobs", "imports", "to a higher layer")] == 1


def flat_routes(routes: list[BaseRoute]) -> list[Any]:
    """The routes in the order they are tried; FastAPI >= 0.16x keeps an included router as one route."""
    out: list[Any] = []
    for route in routes:
        contexts = getattr(route, "effective_route_contexts", None)
        out += list(contexts()) if contexts else [route]
    return out


def route_keys(routes: list[BaseRoute]) -> list[tuple[str, str]]:
    """(method, path) of every route; a mount counts once under its path."""
    keys = []
    for route in flat_routes(routes):
        if isinstance(route, Mount):
            keys.append(("MOUNT", route.path))
        else:
            keys += [(method, route.path) for method in sorted(getattr(route, "methods", None) or {"*"})]
    return keys


def test_no_method_and_path_is_registered_twice() -> None:
    keys = route_keys(app.routes)
    assert len(keys) > 100
    assert [k for k, n in Counter(keys).items() if n > 1] == []


def test_route_keys_find_a_router_included_twice() -> None:
    router = APIRouter()
    router.get("/x")(lambda: None)
    twice = FastAPI()
    twice.include_router(router)
    twice.include_router(router)
    assert Counter(route_keys(twice.routes))[("GET", "/x")] == 2


def test_the_hot_read_paths_are_matched_first() -> None:
    # Every unmatched request is tried against the routes before it: tiles and OGC items come first.
    paths = [getattr(r, "path", "") for r in flat_routes(app.routes)]
    first_tile = next(i for i, p in enumerate(paths) if p.startswith("/tiles/"))
    first_ogc = next(i for i, p in enumerate(paths) if p.startswith("/ogc"))
    first_other = next(i for i, p in enumerate(paths) if p.startswith("/api/"))
    assert first_tile < first_other and first_ogc < first_other
