"""The API answers what it declares: schemathesis sends requests to every operation of the OpenAPI description
as each role (write methods included), and every response must be documented for its operation (status
code) and match the schema declared for it; no 5xx.

The writes are real: a throw-away database of this module's own (migrated and seeded), each case in a
session that commits. The pond id is fixed to a pond the role may write (or, for read-only roles, read), so
that requests reach the code behind the scope check. Bounded and deterministic: EXAMPLES cases per operation
and role, derandomised.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance, status_code_conformance
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from app.main import app
from tests.conftest import bearer, scratch_url

EXAMPLES = 1
ROLES = ("demo-admin", "demo-province", "demo-city", "demo-county", "demo-enterprise", "demo-viewer")
schema = schemathesis.openapi.from_asgi("/openapi.json", app)
CASES: dict[str, int] = {}
STATUSES: dict[str, set[int]] = {}


@pytest.fixture(scope="module")
def scratch_engine(database_url: str) -> Iterator[Engine]:
    """A database of this module's own: migrated, seeded with the sample data and demo accounts; dropped after."""
    from app import migrate
    from app.config import get_settings
    from app.db import make_engine
    from app.seed import seed

    url = scratch_url("tailings_conformance")
    migrate.create_database(url)
    engine = make_engine(url)
    try:
        migrate.upgrade(url)
        with Session(engine) as session:
            seed(session, get_settings().layers_dir, demo=True)
            session.commit()
        yield engine
    finally:
        engine.dispose()
        migrate.drop_database(url)


@pytest.fixture(scope="module")
def role_ponds(scratch_engine: Engine) -> dict[str, tuple[int, int | None, int | None]]:
    """Per role: a pond it may write (read, for the read-only roles), one of its elements and its chief."""
    sql = """SELECT p.id, (SELECT min(e.id) FROM elements e WHERE e.pond_id = p.id),
                    (SELECT min(c.id) FROM pond_chiefs c WHERE c.pond_id = p.id)
             FROM ponds p WHERE {where} ORDER BY (SELECT count(*) FROM elements e WHERE e.pond_id = p.id) DESC,
             p.id LIMIT 1"""
    with scratch_engine.connect() as conn:
        anywhere = conn.execute(text(sql.format(where="true"))).one()
        county = conn.execute(text(sql.format(where="p.county_adcode = 510421"))).one()
        own = conn.execute(text(sql.format(where="p.code = 'PZH-TP-021'"))).one()
    return {
        role: tuple(county if role == "demo-county" else own if role == "demo-enterprise" else anywhere)
        for role in ROLES
    }


@pytest.fixture
def scratch_session(scratch_engine: Engine) -> Iterator[Session]:
    from app.db import get_session
    from app.tiles.router import _cache

    session = Session(scratch_engine, expire_on_commit=False)
    app.dependency_overrides[get_session] = lambda: session
    _cache.cache_clear()  # tiles cached from the suite's own database must not answer for this one
    try:
        yield session
    finally:
        session.rollback()
        session.close()
        app.dependency_overrides.clear()
        _cache.cache_clear()


@pytest.mark.slow
@pytest.mark.parametrize("role", ROLES, ids=[r.removeprefix("demo-") for r in ROLES])
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms(case, role, role_ponds, scratch_session) -> None:
    # a fresh token each case: a fuzzed sign-out must not sign the next case out
    headers = bearer(scratch_session, role)
    scratch_session.commit()
    key = f"{role} {case.operation.method.upper()} {case.operation.path}"
    CASES[key] = CASES.get(key, 0) + 1
    params = case.path_parameters or {}
    pond, element, chief = role_ponds[role]
    if "pond_id" in params:
        params["pond_id"] = pond
        if CASES[key] % 2:
            if "element_id" in params and element is not None:
                params["element_id"] = element
            if "chief_id" in params and chief is not None:
                params["chief_id"] = chief
    response = case.call(headers=headers)
    STATUSES.setdefault(key, set()).add(response.status_code)
    case.validate_response(
        response, checks=[not_a_server_error, status_code_conformance, response_schema_conformance], headers=headers
    )


@pytest.mark.slow
def test_conformance_covered_every_operation(request) -> None:
    operations = list(schema.get_all_operations())
    ran = [i.nodeid for i in request.session.items if "test_api_conforms" in i.nodeid]
    if len(ran) < len(operations) * len(ROLES):
        pytest.skip("the conformance tests were not all selected in this run")
    assert len(CASES) == len(operations) * len(ROLES), sorted(CASES)
    # the roles reached the data behind the scope check: each one read its pond
    for role in ROLES:
        assert 200 in STATUSES[f"{role} GET /api/ponds/{{pond_id}}"], role
    # and writes went through for an editor, and were refused to the read-only roles
    assert STATUSES["demo-viewer POST /api/ponds/{pond_id}/elements"] <= {403, 422}
    print(f"\n[conformance] {sum(CASES.values())} cases over {len(operations)} operations x {len(ROLES)} roles")
