"""Timings of issue 6 on the sample data: dashboard, a pond's file and monitoring, laboratory imports.

Makes a scratch database on the configured server (TAILINGS_DATABASE_URL), migrates and seeds it, measures
in-process (service calls, no HTTP), prints medians, and drops the database. Imports are rolled back after
each run, so every run imports the same rows into the same state.

    TAILINGS_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:55432/tailings python bench/records_monitoring.py
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("TAILINGS_DEMO", "true")

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "15"))


def median_ms(fn: Callable[[], object], rounds: int = ROUNDS) -> float:
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main() -> None:
    from sqlalchemy import text
    from sqlalchemy.engine import make_url
    from sqlalchemy.orm import Session

    from app import migrate, registry
    from app.config import get_settings

    server = os.environ.get("TAILINGS_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:55432/tailings")
    url = make_url(server).set(drivername="postgresql+psycopg", database=f"bench_{uuid.uuid4().hex[:8]}")
    url_s = url.render_as_string(hide_password=False)
    os.environ["TAILINGS_DATABASE_URL"] = url_s
    os.environ.setdefault("TAILINGS_FILES_DIR", f"/tmp/bench-files-{uuid.uuid4().hex[:8]}")
    get_settings.cache_clear()
    registry.clear()
    migrate.create_database(url_s)
    try:
        migrate.upgrade(url_s)
        from app.dashboard.service import dashboard
        from app.db import get_engine
        from app.monitoring.service import import_results, pond_monitoring
        from app.records.service import pond_file
        from app.seed import seed

        engine = get_engine()
        with Session(engine) as s:
            t0 = time.perf_counter()
            report = seed(s, get_settings().layers_dir, demo=False)
            s.commit()
            print(
                f"seed (40 ponds, {report.added.get('monitoring results', 0)} lab results): "
                f"{time.perf_counter() - t0:.1f} s"
            )
        with Session(engine) as s:
            pond = s.execute(
                text("""SELECT pond_id FROM monitoring_results GROUP BY pond_id
                                     ORDER BY count(*) DESC LIMIT 1""")
            ).scalar()
            n = s.execute(text("SELECT count(*) FROM monitoring_results WHERE pond_id = :p"), {"p": pond}).scalar()
            print(f"dashboard, 40 ponds (median of {ROUNDS}): {median_ms(lambda: dashboard(s, ('true', {}))):.1f} ms")
            print(f"pond file (records) of one pond: {median_ms(lambda: pond_file(s, pond, 'zh')):.1f} ms")
            print(f"pond monitoring, {n} results compared: {median_ms(lambda: pond_monitoring(s, pond, 'zh')):.1f} ms")
            wells = [
                r[0].split()[-1]
                for r in s.execute(
                    text("SELECT name FROM elements WHERE pond_id = :p AND kind = 'monitoring_well'"), {"p": pond}
                )
            ]
            for rows in (1000, 10000):
                lines = ["well,date,parameter,value,unit"]
                i = 0
                while len(lines) <= rows:
                    day = (dt.date(2000, 1, 1) + dt.timedelta(days=i)).isoformat()
                    for w in wells:
                        for par, unit in (("Mn", "mg/L"), ("Cd", "μg/L"), ("V", "mg/L")):
                            lines.append(f"{w},{day},{par},{0.01 * (i % 20)},{unit}")
                    i += 1
                data = ("\n".join(lines[: rows + 1]) + "\n").encode()

                def run(data: bytes = data) -> None:
                    with Session(engine) as t:
                        import_results(t, pond, "bench.csv", data)
                        t.rollback()

                print(
                    f"import of {rows} lab rows (checked, stored, audited; rolled back): "
                    f"{median_ms(run, max(3, ROUNDS // 5)):.0f} ms"
                )
        engine.dispose()
    finally:
        migrate.drop_database(url_s)


if __name__ == "__main__":
    main()
