"""The service with two test-only routes, for fault tests against a real server (never imported by app/).

- `POST /test/bulk-elements?pond_id=&n=`: creates n elements through the service's own `elements.service.create`
  in ONE transaction (what an import does), then commits; the elements' names start with `bulk-`.
- `GET /test/slow?seconds=`: a request that holds a database connection for a while (graceful shutdown).
"""

from __future__ import annotations

import time

from sqlalchemy import text

from app.db import AuditContext, SessionDep, bind_audit_context
from app.elements import service
from app.main import app


@app.post("/test/bulk-elements", include_in_schema=False)
def bulk_elements(session: SessionDep, pond_id: int, n: int, lon: float, lat: float) -> dict[str, int]:
    bind_audit_context(session, AuditContext(actor="fault-test"))
    for i in range(n):
        feature = {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [lon + i * 1e-6, lat]},
            "properties": {"kind": "monitoring_well", "name": f"bulk-{i}", "attributes": {"role": "monitoring"}},
        }
        service.create(session, pond_id, feature)
    session.commit()
    return {"created": n}


@app.get("/test/slow", include_in_schema=False)
def slow(session: SessionDep, seconds: float = 2.0) -> dict[str, str]:
    session.execute(text("SELECT pg_sleep(:s)"), {"s": seconds})
    time.sleep(0)
    return {"status": "done"}
