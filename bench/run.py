"""All the benchmarks, one command (`./dev bench` runs this): a table of medians, p95 and ratios at city scale
(the sample data) and at national scale (the `tailings synth` database), then ours against tipg, then the
benchmarks of the other capabilities when they exist.

    python bench/run.py [--requests 200] [--rounds 3] [--no-tipg] [--tipg-args "..."]

Latency table: our service (one uvicorn worker, as tiles_vs_tipg.py starts it) on each database, one client,
sequential requests after a warm-up; per round the p50 and p95 of REQUESTS requests, the table shows the
median over rounds. Cases: a pond's elements as GeoJSON (`/api/ponds/{id}/elements`), OGC API items (the
pond's elements' bbox in the collection of its most common type, limit 200), detail tiles (z10-14 around mapped
ponds) and overview tiles (z6-8, the ponds layer). The target at national scale: tiles and items p95 under
50 ms on the 2-core machine. A measurement, not a test: exit code 0 whatever the figures.

Hooks: every script in EXTRA that exists is run after ours and prints its own table (imports, dossier export,
imagery against GDAL are added with those capabilities).
"""

from __future__ import annotations

import argparse
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from sqlalchemy import text
from sqlalchemy.engine import make_url

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
for p in (str(ROOT), str(BENCH)):
    if p not in sys.path:
        sys.path.insert(0, p)

import tiles_vs_tipg as tv  # noqa: E402

from app.db import make_engine  # noqa: E402
from app.ops import synth  # noqa: E402

# (name, script, what it measures): run when the script exists
EXTRA = [
    ("imports", "import_read.py", "reading enterprise files (Shapefile, DXF, KML, GeoPackage, CSV) into elements"),
    ("import commit", "import_commit.py", "a 10,000-row XLSX upload staged and committed"),
    ("registry", "registry_import.py", "the bureau's pond registry: 2,000 new ponds previewed and committed"),
    ("dossier", "dossier.py", "the dossier export: one pond and all ponds"),
    ("imagery", "imagery_vs_gdal.py", "water mask and polygons against gdal_calc/gdal_polygonize"),
]
CASES = ("elements", "ogc_items", "tiles_detail", "tiles_overview")
TARGET_P95_MS = {"ogc_items": 50.0, "tiles_detail": 50.0, "tiles_overview": 50.0, "elements": 50.0}


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def ogc_paths(database_url: str, plan: tv.Plan) -> list[str]:
    engine = make_engine(database_url, 1)
    try:
        with engine.connect() as c:
            types = dict(
                c.execute(
                    text("""SELECT DISTINCT ON (pond_id) pond_id, type FROM elements WHERE pond_id = ANY(:ids)
                            GROUP BY pond_id, type ORDER BY pond_id, count(*) DESC"""),
                    {"ids": [pid for pid, _, _ in plan.ponds]},
                ).all()
            )
    finally:
        engine.dispose()
    out = []
    for pid, (x0, y0, x1, y1), _ in plan.ponds:
        m = tv.BBOX_MARGIN
        out.append(
            f"/ogc/collections/{types[pid]}/items?bbox={x0 - m:.7f},{y0 - m:.7f},{x1 + m:.7f},{y1 + m:.7f}&limit=200"
        )
    return out


def measure(server: tv.Server, paths: list[str], n: int, rounds: int) -> dict[str, float]:
    headers = {"Authorization": server.auth} if server.auth else {}
    p50s, p95s, sizes, bad = [], [], [], 0
    with httpx.Client(base_url=server.base, headers=headers, timeout=60) as client:
        for path in paths[: min(len(paths), 20)]:  # warm-up: caches, plans, connections
            client.get(path)
        for _ in range(rounds):
            times = []
            for i in range(n):
                path = paths[i % len(paths)]
                t0 = time.perf_counter()
                r = client.get(path)
                times.append((time.perf_counter() - t0) * 1000)
                bad += r.status_code != 200
                sizes.append(len(r.content))
            p50s.append(statistics.median(times))
            p95s.append(percentile(times, 0.95))
    return {
        "p50": statistics.median(p50s),
        "p95": statistics.median(p95s),
        "kib": statistics.median(sizes) / 1024,
        "errors": bad,
    }


def bench_scale(label: str, database_url: str, args: argparse.Namespace, logs: Path) -> dict[str, dict[str, float]]:
    plan = tv.plan(database_url, args.ponds, args.detail_tiles)
    paths = tv.paths_for("ours", plan)
    lists = {
        "elements": paths["items"],
        "ogc_items": ogc_paths(database_url, plan),
        "tiles_detail": paths["detail"],
        "tiles_overview": paths["overview"],
    }
    tv.log(f"{label}: {plan.pond_count:,} ponds, {plan.elements:,} elements; {args.requests} requests x {args.rounds}")
    server = tv.start_ours(database_url, logs, label)
    try:
        return {case: measure(server, lists[case], args.requests, args.rounds) for case in CASES}
    finally:
        tv.stop(server.proc)


def report(city: dict[str, dict[str, float]], national: dict[str, dict[str, float]]) -> None:
    print("\n| case | city p50 ms | city p95 ms | national p50 ms | national p95 ms | national/city (p50) "
          "| KiB city / national | national p95 < 50 ms |")  # fmt: skip
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for case in CASES:
        c, n = city[case], national[case]
        met = "met" if n["p95"] < TARGET_P95_MS[case] else "**not met**"
        errors = f" ({int(c['errors'] + n['errors'])} non-200)" if c["errors"] + n["errors"] else ""
        print(
            f"| {case} | {c['p50']:.1f} | {c['p95']:.1f} | {n['p50']:.1f} | {n['p95']:.1f} | "
            f"{n['p50'] / c['p50']:.2f}x | {c['kib']:.1f} / {n['kib']:.1f} | {met}{errors} |"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=int(os.environ.get("BENCH_REQUESTS", "200")))
    parser.add_argument("--rounds", type=int, default=int(os.environ.get("BENCH_ROUNDS", "3")))
    parser.add_argument("--ponds", type=int, default=60)
    parser.add_argument("--detail-tiles", type=int, default=300)
    parser.add_argument("--synth-ponds", type=int, default=10_000)
    parser.add_argument("--no-tipg", action="store_true", help="skip ours-against-tipg (about 8 minutes)")
    parser.add_argument("--tipg-args", default="", help="arguments for tiles_vs_tipg.py, e.g. '--rounds 1'")
    args = parser.parse_args()
    base = os.environ.get("TAILINGS_DATABASE_URL") or os.environ.get("DATABASE_URL") or synth.DEFAULT_URL
    city_url = synth.bench_url(base, make_url(base).database or "tailings")
    national_url = synth.bench_url(base, os.environ.get("BENCH_SYNTH_DATABASE", synth.BENCH_DATABASE))
    logs = Path(tempfile.mkdtemp(prefix="bench-run-"))
    t0 = time.perf_counter()
    try:
        synth.synthesise(national_url, ponds=args.synth_ponds)
        city = bench_scale("city", city_url, args, logs)
        national = bench_scale("national", national_url, args, logs)
    finally:
        tv.stop_all()
    print(f"\nLatency, one client, median over {args.rounds} rounds of {args.requests} requests "
          f"(city: {make_url(city_url).database}; national: {make_url(national_url).database})")  # fmt: skip
    report(city, national)
    print(f"\n(run time {(time.perf_counter() - t0) / 60:.1f} min; logs in {logs})", flush=True)

    if not args.no_tipg:
        print("\n## Ours against tipg (bench/tiles_vs_tipg.py)", flush=True)
        subprocess.run([sys.executable, str(BENCH / "tiles_vs_tipg.py"), *shlex.split(args.tipg_args)], check=False)
    for name, script, what in EXTRA:
        path = BENCH / script
        print(f"\n## {name}: {what}", flush=True)
        if path.exists():
            subprocess.run([sys.executable, str(path)], check=False)
        else:
            print(f"(bench/{script} does not exist yet: added with that capability)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
