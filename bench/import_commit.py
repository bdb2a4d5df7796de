"""A 10,000-row XLSX through the whole import: read, validate, stage (the preview), then commit.

Fills the catalogue's own Excel template (the monitoring-well sheet) with 10,000 wells around one sample
pond, and times `stage` (read the file, check every row against the catalogue and the region, match with
the pond's elements, store the preview rows, measure distances in PostGIS) and `commit` (apply all rows in
one transaction, with the revision and audit triggers), each round rolled back. Medians of 3.

    TAILINGS_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:55432/tailings .venv/bin/python -m bench.import_commit
"""

from __future__ import annotations

import io
import os
import statistics
import sys
import time
from pathlib import Path

import openpyxl
from sqlalchemy import text
from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script or with -m

from bench.scratch import actor as demo_actor  # noqa: E402
from bench.scratch import sample_database  # noqa: E402

ROUNDS = 3


def build(rows: int, lon: float, lat: float) -> bytes:
    from app import registry
    from app.imports.spec import template_spec
    from gis.formats.template import write_template

    wb = openpyxl.load_workbook(io.BytesIO(write_template(template_spec(registry.catalogue(), "zh"))))
    ws = wb["地下水监测井"]
    header = {str(c.value): c.column for c in ws[3] if c.value}

    def col(prefix: str) -> int:
        return next(c for label, c in header.items() if label.startswith(prefix))

    name, x, y, role, depth = col("名称"), col("经度"), col("纬度"), col("井的作用"), col("井深")
    start = ws.max_row + 1
    for i in range(rows):
        r = start + i
        ws.cell(r, name, f"井-{i:05d}")
        ws.cell(r, x, lon + (i % 100 - 50) * 2e-5)  # a 100 x 100 grid of about 2 m spacing
        ws.cell(r, y, lat + (i // 100 - 50) * 2e-5)
        ws.cell(r, role, "污染监控井(下游)" if i % 2 else "本底井(上游)")
        ws.cell(r, depth, 10 + i % 30)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with sample_database("tailings_bench_import"):
        from app.db import get_engine
        from app.imports import service

        with Session(get_engine()) as session:
            pond, lon, lat = session.execute(
                text("SELECT id, ST_X(location), ST_Y(location) FROM ponds WHERE code = 'PZH-TP-021'")
            ).one()
            actor = demo_actor(session, "demo-admin")
            data = build(rows, lon, lat)
            stage_s, commit_s = [], []
            for _ in range(ROUNDS):
                t0 = time.perf_counter()
                if os.environ.get("BENCH_PROFILE"):
                    import cProfile

                    call = "service.stage(session, actor, pond, 'wells.xlsx', data)"
                    cProfile.runctx(call, globals(), locals(), "/tmp/stage.prof")
                    session.rollback()
                    t0 = time.perf_counter()
                batch = service.stage(session, actor, pond, "wells.xlsx", data)
                t1 = time.perf_counter()
                applied = service.commit(session, actor, pond, batch)
                session.flush()
                t2 = time.perf_counter()
                assert applied["add"] == rows, applied
                stage_s.append(t1 - t0)
                commit_s.append(t2 - t1)
                session.rollback()
        total = [a + b for a, b in zip(stage_s, commit_s, strict=True)]
        print(f"import of {rows:,} rows from XLSX ({len(data) / 1e6:.2f} MB), medians of {ROUNDS}:")
        print(f"  stage (read, validate, match, store preview): {statistics.median(stage_s):.2f} s")
        print(f"  commit (apply in one transaction, revisions, audit): {statistics.median(commit_s):.2f} s")
        median = statistics.median(total)
        print(f"  total: {median:.2f} s (target under 5 s); {rows / median:,.0f} rows/s")


if __name__ == "__main__":
    main()
