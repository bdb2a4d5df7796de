"""API fuzzing: schemathesis generates requests for every operation of our OpenAPI description, as the
administrator and anonymously; no response may be a 5xx or break the schema the API declares for it, and no
error body may show a server path or a traceback.

Bounded: EXAMPLES cases per operation and persona, derandomised (the same cases every run), in the test's
rolled-back transaction.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance
from sqlalchemy import text

from app.main import app
from tests.conftest import bearer
from tests.test_authorize_first import leaks

EXAMPLES = 8
PERSONAS = ("demo-admin", None)
schema = schemathesis.openapi.from_asgi("/openapi.json", app)
CASES: dict[str, int] = {}
STATUSES: dict[str, set[int]] = {}


@pytest.fixture
def fuzz_session(db):
    from app.db import get_session
    from app.tiles.router import _cache

    app.dependency_overrides[get_session] = lambda: db
    _cache.cache_clear()
    yield db
    app.dependency_overrides.clear()


@pytest.mark.slow
@pytest.mark.parametrize("persona", PERSONAS, ids=["admin", "anonymous"])
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_fuzz(case, persona, fuzz_session) -> None:
    headers = bearer(fuzz_session, persona) if persona else {}
    if not persona:
        case.headers = {k: v for k, v in (case.headers or {}).items() if k.lower() != "authorization"}
    key = f"{persona} {case.operation.method.upper()} {case.operation.path}"
    CASES[key] = CASES.get(key, 0) + 1
    params = case.path_parameters or {}
    if CASES[key] % 2 and "pond_id" in params:
        # every other case on an existing pond (and element), so that fuzzed queries and bodies reach the
        # code behind the 404
        pond, element, chief = fuzz_session.execute(
            text("""SELECT e.pond_id, e.id, (SELECT min(id) FROM pond_chiefs c WHERE c.pond_id = e.pond_id)
                    FROM elements e ORDER BY e.id LIMIT 1""")
        ).one()
        params["pond_id"] = pond
        if "element_id" in params:
            params["element_id"] = element
        if "chief_id" in params and chief is not None:
            params["chief_id"] = chief
    response = case.call_and_validate(headers=headers, checks=[not_a_server_error, response_schema_conformance])
    STATUSES.setdefault(key, set()).add(response.status_code)
    if response.status_code >= 400:  # no error shows where the server keeps files, or its code's traceback
        assert leaks(response.text) == [], f"{key} {response.status_code}: {response.text[:300]}"


@pytest.mark.slow
def test_fuzzing_covered_every_operation_with_enough_cases(request) -> None:
    operations = [op for op in schema.get_all_operations()]
    assert len(operations) >= 30
    ran = [i.nodeid for i in request.session.items if "test_api_fuzz" in i.nodeid]
    if len(ran) < len(operations) * len(PERSONAS):
        pytest.skip("the fuzz tests were not all selected in this run")
    assert len(CASES) == len(operations) * len(PERSONAS), sorted(CASES)
    # the personas were who they should be: the administrator got data, the anonymous caller did not
    assert 200 in STATUSES["demo-admin GET /api/ponds"] and 200 in STATUSES["demo-admin GET /api/ponds/{pond_id}"]
    assert STATUSES["None GET /api/ponds"] <= {401, 405, 422}  # 405: schemathesis probes other methods
    assert sum(CASES.values()) >= 1000, sum(CASES.values())
    print(f"\n[fuzz] {sum(CASES.values())} cases over {len(operations)} operations x {len(PERSONAS)} personas")
