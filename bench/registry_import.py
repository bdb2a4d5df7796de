"""A bureau's pond registry through the whole import: preview (read, check, match, plan) then commit.

Fills the registry template with N new ponds (default 2,000; a city has tens, a province a few thousand),
one new enterprise per 10 ponds, counties by name, locations in Panzhihua, and times the preview and the
commit (which re-reads the stored file and plans again before applying, as the service does), each round
rolled back. Medians of 3.

    TAILINGS_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:55432/tailings \
        .venv/bin/python -m bench.registry_import [rows]
"""

from __future__ import annotations

import io
import statistics
import sys
import time
from pathlib import Path

import openpyxl
from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script or with -m

from bench.scratch import actor as demo_actor  # noqa: E402
from bench.scratch import sample_database  # noqa: E402

ROUNDS = 3
COUNTIES = ("东区", "西区", "仁和区", "米易县", "盐边县")


def build(rows: int) -> bytes:
    from app.bureau.spec import registry_spec
    from gis.formats.template import write_template

    wb = openpyxl.load_workbook(io.BytesIO(write_template(registry_spec("zh"))))
    ws = wb["尾矿库名录"]
    header = {str(c.value): c.column for c in ws[3] if c.value}

    def col(prefix: str) -> int:
        return next(c for label, c in header.items() if label.startswith(prefix))

    columns = [col(p) for p in ("尾矿库编码", "尾矿库名称", "企业名称", "所在县区", "监管级别", "运行状态")]
    columns += [col("设计库容"), col("经度"), col("纬度")]
    start = ws.max_row + 1
    for i in range(rows):
        values = (
            f"BENCH-{i:05d}",
            f"测试尾矿库{i}",
            f"测试企业{i // 10}",
            COUNTIES[i % 5],
            "3 级",
            "在用",
            100 + i % 50,
        )
        values += (101.60 + (i % 50) * 0.004, 26.40 + (i // 50) * 0.004)
        for c, v in zip(columns, values, strict=True):
            ws.cell(start + i, c, v)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 2_000
    with sample_database("tailings_bench_registry"):
        from app.bureau import pond_registry
        from app.db import get_engine

        with Session(get_engine()) as session:
            actor = demo_actor(session, "demo-city")
            data = build(rows)
            preview_s, commit_s = [], []
            for _ in range(ROUNDS):
                t0 = time.perf_counter()
                p = pond_registry.preview(session, actor, "名录.xlsx", data, crs=None, delist=True, lang="zh")
                t1 = time.perf_counter()
                assert p["committable"], p["problems"][:3]
                applied = pond_registry.commit(
                    session, actor, p["file"], "名录.xlsx", crs=None, delist=True, fingerprint=p["fingerprint"]
                )
                session.flush()
                t2 = time.perf_counter()
                assert applied["add"] == rows, applied
                preview_s.append(t1 - t0)
                commit_s.append(t2 - t1)
                session.rollback()
        print(f"registry import of {rows:,} new ponds from XLSX ({len(data) / 1e6:.2f} MB), medians of {ROUNDS}:")
        print(f"  preview (read, check, match, plan): {statistics.median(preview_s):.2f} s")
        print(f"  commit (re-read, re-plan, apply, audit): {statistics.median(commit_s):.2f} s")


if __name__ == "__main__":
    main()
