"""Our vector tiles and pond items versus tipg, side by side, on the sample data and on 2 million elements.

    python bench/tiles_vs_tipg.py [--duration S] [--rounds N] [--connections C] [--only sample|synthetic]

For each database (the sample `tailings` of TAILINGS_DATABASE_URL, and `tailings_bench_2m` on the same
server, filled by `tailings synth` on first use) it starts our service and tipg, each one uvicorn worker
(BENCH_WORKERS: as many for both) on a loopback port against that database, and drives three cases with
wrk (8 connections, a fixed duration, three rounds, after a warm-up):

  detail    elements at z10-14: tiles around mapped ponds; ours /tiles/elements/{z}/{x}/{y}.pbf, tipg
            /collections/public.elements/tiles/WebMercatorQuad/{z}/{x}/{y}
  overview  z6-8: every tile holding a pond; ours the generalised `ponds` layer, tipg public.elements
            (tipg's only way to draw them)
  items     one pond's elements, the same request of both: ours /ogc/collections/elements/items, tipg
            /collections/public.elements/items, ?bbox=<the pond's elements' bbox, widened 1e-5 degrees>&limit=200

tipg runs from its own virtual environment (bench/.venv/tipg, created on first run with `pip install tipg
uvicorn[standard]`, the same HTTP stack as ours) with its default settings. Prints one table of medians
over the rounds and the ratios ours/tipg, a table of where the CPU went, and writes every round to
bench/results/. Exit code 0: it is a measurement, not a test. Stops everything it started, also on Ctrl-C.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import math
import os
import random
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import text
from sqlalchemy.engine import make_url

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

from app.db import make_engine  # noqa: E402
from app.ops import synth  # noqa: E402

TIPG_VENV = BENCH / ".venv" / "tipg"  # `.venv/` is in .gitignore at any depth
TIPG_SPEC = os.environ.get("BENCH_TIPG_SPEC", "tipg>=1.6,<2")
LUA = BENCH / "wrk_urls.lua"
RESULTS = BENCH / "results"
ADMIN = ("demo-admin", "Tailings-admin-2025")
CASES = ("detail", "overview", "items")
TARGETS = {"detail": 1.5, "items": 3.0, "overview": 10.0}  # overview: on the two-million table
DETAIL_ZOOMS = range(10, 15)
OVERVIEW_ZOOMS = range(6, 9)
BBOX_MARGIN = 1e-5  # degrees, about a metre
SHUFFLE_SEED = 20251122


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- processes ------------------------------------------------------------------------------------------


@dataclass
class Server:
    name: str
    proc: subprocess.Popen[bytes]
    base: str
    log_path: Path
    auth: str = ""  # Authorization header value
    paths: dict[str, list[str]] = field(default_factory=dict)


STARTED: list[subprocess.Popen[bytes]] = []


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _spawn(cmd: list[str], env: dict[str, str], cwd: Path, log_path: Path) -> subprocess.Popen[bytes]:
    with log_path.open("wb") as out:
        # a session of its own: a Ctrl-C reaches us, and we stop our children in order
        proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    STARTED.append(proc)
    return proc


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)  # its own process group (start_new_session), nothing else
        proc.wait(timeout=15)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            pass


def stop_all() -> None:
    while STARTED:
        stop(STARTED.pop())


def _wait_ready(server: Server, path: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            tail = server.log_path.read_text()[-2000:]
            raise RuntimeError(f"{server.name} exited at start; see {server.log_path}:\n{tail}")
        try:
            if httpx.get(server.base + path, timeout=5).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{server.name} not ready after {timeout:.0f} s; see {server.log_path}")


WORKERS = int(os.environ.get("BENCH_WORKERS", "1"))  # uvicorn workers of each server (the same for both)


def _uvicorn_args(app: str, port: int) -> list[str]:
    return [
        "-m",
        "uvicorn",
        app,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(WORKERS),
        "--log-level",
        "warning",
        "--no-access-log",
    ]


def start_ours(database_url: str, logs: Path, tag: str, cold: bool = False) -> Server:
    port = _free_port()
    env = {**os.environ, "TAILINGS_DATABASE_URL": database_url, "TAILINGS_DEMO": "true"}
    if cold:  # no response cache: every tile and page is made by the database, as tipg makes them
        env["TAILINGS_TILE_CACHE_MB"] = "0"
    env.pop("DATABASE_URL", None)
    log_path = logs / f"ours-{tag}.log"
    proc = _spawn([sys.executable, *_uvicorn_args("app.main:app", port)], env, ROOT, log_path)
    server = Server("ours", proc, f"http://127.0.0.1:{port}", log_path)
    _wait_ready(server, "/healthz")
    r = httpx.post(f"{server.base}/api/auth/token", data={"username": ADMIN[0], "password": ADMIN[1]}, timeout=30)
    r.raise_for_status()
    server.auth = f"Bearer {r.json()['access_token']}"
    return server


def ensure_tipg() -> str:
    """tipg in its own virtual environment; returns its version."""
    python = TIPG_VENV / "bin" / "python"
    if not python.exists():
        log(f"creating {TIPG_VENV.relative_to(ROOT)} and installing {TIPG_SPEC} (once)")
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(TIPG_VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "--upgrade", "pip"], check=True)
    probe = "import importlib.metadata as m; print(m.version('tipg'), m.version('uvicorn'))"
    if subprocess.run([str(python), "-c", probe], capture_output=True).returncode != 0:
        subprocess.run([str(python), "-m", "pip", "install", "-q", TIPG_SPEC, "uvicorn[standard]"], check=True)
    return subprocess.run([str(python), "-c", probe], capture_output=True, text=True, check=True).stdout.split()[0]


def start_tipg(database_url: str, logs: Path, tag: str) -> Server:
    port = _free_port()
    url = make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)
    # default settings: nothing of ours leaks in (no TIPG_* variables, no .env: it runs in its venv folder)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "LANG": "C.UTF-8",
        "DATABASE_URL": url,
    }
    log_path = logs / f"tipg-{tag}.log"
    proc = _spawn([str(TIPG_VENV / "bin" / "python"), *_uvicorn_args("tipg.main:app", port)], env, TIPG_VENV, log_path)
    server = Server("tipg", proc, f"http://127.0.0.1:{port}", log_path)
    _wait_ready(server, "/healthz")
    return server


# --- request lists --------------------------------------------------------------------------------------


def _tile(lon: float, lat: float, z: int) -> tuple[int, int, int]:
    n = 2**z
    lat = max(min(lat, 85.0511), -85.0511)
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return z, min(max(x, 0), n - 1), min(max(y, 0), n - 1)


@dataclass
class Plan:
    detail: list[tuple[int, int, int]]
    overview: list[tuple[int, int, int]]
    ponds: list[tuple[int, tuple[float, float, float, float], int]]  # id, bbox of its elements, element count
    elements: int
    pond_count: int


def plan(database_url: str, n_ponds: int, max_detail: int) -> Plan:
    """Deterministic request lists: mapped ponds evenly spread over their ids, tiles in a fixed shuffle
    (so that the part of a list a slow server gets through in a round is a fair sample of all of it)."""
    engine = make_engine(database_url, pool_size=1)
    try:
        with engine.connect() as c:
            mapped = [
                r[0]
                for r in c.execute(
                    text(
                        "SELECT p.id FROM ponds p WHERE EXISTS (SELECT 1 FROM elements e WHERE e.pond_id = p.id) "
                        "ORDER BY p.id"
                    )
                )
            ]
            chosen = mapped[:: max(1, len(mapped) // n_ponds)][:n_ponds]
            rows = c.execute(
                text("""
                SELECT pond_id, ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b), n FROM (
                  SELECT pond_id, ST_Extent(geom) b, count(*) n FROM elements WHERE pond_id = ANY(:ids)
                  GROUP BY pond_id) s ORDER BY pond_id"""),
                {"ids": chosen},
            ).all()
            locations = c.execute(text("SELECT ST_X(location), ST_Y(location) FROM ponds ORDER BY id")).all()
            elements = c.execute(text("SELECT count(*) FROM elements")).scalar_one()
    finally:
        engine.dispose()
    rnd = random.Random(SHUFFLE_SEED)
    ponds = [(r[0], (r[1], r[2], r[3], r[4]), r[5]) for r in rows]
    detail = list(
        dict.fromkeys(_tile((b[0] + b[2]) / 2, (b[1] + b[3]) / 2, z) for z in DETAIL_ZOOMS for _, b, _ in ponds)
    )
    rnd.shuffle(detail)
    overview = sorted({_tile(lon, lat, z) for z in OVERVIEW_ZOOMS for lon, lat in locations})
    rnd.shuffle(overview)
    rnd.shuffle(ponds)
    return Plan(detail[:max_detail], overview, ponds, elements, len(locations))


def paths_for(server: str, p: Plan) -> dict[str, list[str]]:
    # one pond's items: the same request of both, the bbox of the pond's elements and a page of 200
    items = []
    for _, (x0, y0, x1, y1), _ in p.ponds:
        m = BBOX_MARGIN
        bbox = f"{x0 - m:.7f},{y0 - m:.7f},{x1 + m:.7f},{y1 + m:.7f}"
        prefix = "/ogc/collections/elements" if server == "ours" else "/collections/public.elements"
        items.append(f"{prefix}/items?bbox={bbox}&limit=200")
    if server == "ours":
        return {
            "detail": [f"/tiles/elements/{z}/{x}/{y}.pbf" for z, x, y in p.detail],
            "overview": [f"/tiles/ponds/{z}/{x}/{y}.pbf" for z, x, y in p.overview],
            "items": items,
        }
    tiles = "/collections/public.elements/tiles/WebMercatorQuad"
    return {
        "detail": [f"{tiles}/{z}/{x}/{y}" for z, x, y in p.detail],
        "overview": [f"{tiles}/{z}/{x}/{y}" for z, x, y in p.overview],
        "items": items,
    }


def check_tipg_layout(server: Server) -> None:
    """tipg's own description of its tiles of public.elements: the URL template we request."""
    r = httpx.get(f"{server.base}/collections/public.elements/tiles/WebMercatorQuad/tilejson.json", timeout=60)
    r.raise_for_status()
    template = r.json()["tiles"][0]
    expected = f"{server.base}/collections/public.elements/tiles/WebMercatorQuad/{{z}}/{{x}}/{{y}}"
    if template.split("?")[0] != expected:
        raise RuntimeError(f"tipg's tile URL template is {template}, expected {expected}")


# --- sanity: what the responses hold --------------------------------------------------------------------


def _varint(buf: bytes, i: int) -> tuple[int, int]:
    shift = value = 0
    while True:
        b = buf[i]
        i += 1
        value |= (b & 0x7F) << shift
        if b < 0x80:
            return value, i
        shift += 7


def _fields(buf: bytes):
    i = 0
    while i < len(buf):
        key, i = _varint(buf, i)
        number, kind = key >> 3, key & 7
        if kind == 0:
            _, i = _varint(buf, i)
            yield number, None
        elif kind == 2:
            n, i = _varint(buf, i)
            yield number, buf[i : i + n]
            i += n
        elif kind == 1:
            i += 8
        elif kind == 5:
            i += 4
        else:
            raise ValueError(f"protobuf wire type {kind}")


def mvt_features(tile: bytes) -> int:
    """Features in all layers of a Mapbox vector tile (Tile.layers = 3, Layer.features = 2)."""
    return sum(1 for n, layer in _fields(tile) if n == 3 for m, _ in _fields(layer) if m == 2)


def sanity(server: Server, case: str, paths: list[str], n: int) -> dict[str, Any]:
    """Fetch the first n paths once, one at a time: statuses, sizes, features (also a warm-up)."""
    headers = {"Authorization": server.auth} if server.auth else {}
    sizes, features, statuses, matched, ids = [], [], {}, [], []
    with httpx.Client(base_url=server.base, headers=headers, timeout=120) as client:
        for path in paths[:n]:
            r = client.get(path)
            statuses[r.status_code] = statuses.get(r.status_code, 0) + 1
            if r.status_code != 200:
                features.append(None)
                matched.append(None)
                ids.append(None)
                continue
            sizes.append(len(r.content))
            if case == "items":
                body = r.json()
                features.append(len(body["features"]))
                matched.append(body.get("numberMatched", len(body["features"])))
                ids.append({f["id"] for f in body["features"]})
            else:
                features.append(mvt_features(r.content))
    out: dict[str, Any] = {
        "checked": min(n, len(paths)),
        "statuses": statuses,
        "mean_kib": statistics.fmean(sizes) / 1024 if sizes else 0.0,
        "max_kib": max(sizes) / 1024 if sizes else 0.0,
        "mean_features": statistics.fmean(ok) if (ok := [f for f in features if f is not None]) else 0.0,
        "max_features": max(ok) if ok else 0,
        "features": features,
    }
    if case == "items":
        out["matched"] = matched
        out["ids"] = ids
    return out


# --- load -----------------------------------------------------------------------------------------------


def _proc_cpu(pid: int) -> float:
    """CPU seconds of a process, all its threads."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _group_cpu(pgid: int) -> float:
    """CPU seconds of a process group: a server and, with several workers, its worker processes (exited
    children count in the parent's cutime/cstime, which is not read: workers live as long as the server)."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(FileNotFoundError, ProcessLookupError, IndexError, ValueError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) == pgid:  # pgrp
                total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def _machine_cpu() -> tuple[float, float]:
    """(busy, total) CPU seconds of the machine since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:9]]
    total = sum(values)
    idle = values[3] + values[4]
    return (total - idle) / os.sysconf("SC_CLK_TCK"), total / os.sysconf("SC_CLK_TCK")


class DbProcesses:
    """CPU seconds of the PostgreSQL backends serving one database (not those of other databases on the
    server, which other work on the machine may be using)."""

    def __init__(self, database_url: str) -> None:
        self.engine = make_engine(database_url, pool_size=1)
        self.database = make_url(database_url).database

    def pids(self) -> set[int]:
        with self.engine.connect() as c:
            return {
                r[0]
                for r in c.execute(
                    text("SELECT pid FROM pg_stat_activity WHERE datname = :d AND pid <> pg_backend_pid()"),
                    {"d": self.database},
                )
            }

    @staticmethod
    def cpu(pids: set[int]) -> dict[int, float]:
        out = {}
        for pid in pids:
            with contextlib.suppress(FileNotFoundError, ProcessLookupError, IndexError):
                out[pid] = _proc_cpu(pid)
        return out

    def close(self) -> None:
        self.engine.dispose()


def wrk(
    server: Server, case: str, paths_file: Path, duration: float, connections: int, db: DbProcesses
) -> dict[str, Any]:
    env = {**os.environ, "WRK_PATHS": str(paths_file), "WRK_AUTH": server.auth}
    cmd = ["wrk", "-t1", f"-c{connections}", f"-d{duration:g}s", "--timeout", "60s", "-s", str(LUA), server.base]
    db_before = db.cpu(db.pids())
    before_children = resource.getrusage(resource.RUSAGE_CHILDREN)
    server_cpu, (busy, total) = _group_cpu(server.proc.pid), _machine_cpu()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    STARTED.append(proc)
    out, err = proc.communicate()
    STARTED.remove(proc)
    after_children = resource.getrusage(resource.RUSAGE_CHILDREN)
    server_cpu = _group_cpu(server.proc.pid) - server_cpu
    busy2, total2 = _machine_cpu()
    db_after = db.cpu(db.pids() | set(db_before))
    db_cpu = sum(v - db_before.get(pid, 0.0) for pid, v in db_after.items())
    line = next((ln for ln in out.decode().splitlines() if ln.startswith("WRK_JSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk gave no result for {server.name} {case}: {out.decode()[-500:]} {err.decode()[-500:]}")
    result = json.loads(line.removeprefix("WRK_JSON "))
    seconds = result["duration_us"] / 1e6
    capacity = total2 - total  # CPU seconds all cores could give during the run
    wrk_cpu = (after_children.ru_utime + after_children.ru_stime) - (
        before_children.ru_utime + before_children.ru_stime
    )
    errors = sum(result[k] for k in result if k.startswith("errors_"))
    pct = (lambda v: v / capacity * 100) if capacity > 0 else (lambda v: 0.0)
    return {
        "rps": (result["requests"] - errors) / seconds,
        "p50_ms": result["p50_us"] / 1000,
        "p90_ms": result["p90_us"] / 1000,
        "p99_ms": result["p99_us"] / 1000,
        "requests": result["requests"],
        "errors": errors,
        "kib_per_request": result["bytes"] / max(1, result["requests"]) / 1024,
        # shares of the whole machine (all cores) over the run; "other" is everything else on the machine
        "cpu_server_pct": pct(server_cpu),
        "cpu_db_pct": pct(db_cpu),
        "cpu_wrk_pct": pct(wrk_cpu),
        "cpu_machine_pct": pct(busy2 - busy),
        "cpu_other_pct": max(0.0, pct(busy2 - busy - server_cpu - db_cpu - wrk_cpu)),
        "cpu_ms_per_request_server": server_cpu * 1000 / max(1, result["requests"]),
        "cpu_ms_per_request_db": db_cpu * 1000 / max(1, result["requests"]),
    }


# --- one database ---------------------------------------------------------------------------------------


def bench_database(label: str, database_url: str, args: argparse.Namespace, logs: Path) -> dict[str, Any]:
    name = make_url(database_url).database
    log(f"{label} ({name}): planning requests")
    p = plan(database_url, args.ponds, args.detail_tiles)
    log(
        f"{label}: {p.pond_count:,} ponds, {p.elements:,} elements; {len(p.detail)} detail tiles, "
        f"{len(p.overview)} overview tiles, {len(p.ponds)} ponds for items"
    )
    t0 = time.perf_counter()
    servers = [start_ours(database_url, logs, label, args.cold), start_tipg(database_url, logs, label)]
    log(f"{label}: both servers up ({time.perf_counter() - t0:.1f} s)")
    check_tipg_layout(servers[1])
    files: dict[tuple[str, str], Path] = {}
    checks: dict[str, dict[str, Any]] = {}
    for server in servers:
        server.paths = paths_for(server.name, p)
        for case in CASES:
            f = logs / f"{label}-{server.name}-{case}.txt"
            f.write_text("\n".join(server.paths[case]) + "\n")
            files[server.name, case] = f
            n = len(server.paths[case]) if case == "items" else args.sanity
            checks[f"{server.name}:{case}"] = sanity(server, case, server.paths[case], n)
    ours_items, tipg_items = checks["ours:items"], checks["tipg:items"]
    pairs = list(zip(ours_items["features"], tipg_items["features"], tipg_items["matched"], strict=True))
    item_counts = {
        "ponds": len(p.ponds),
        "ours_features": sum(a or 0 for a, _, _ in pairs),
        "tipg_returned": sum(b or 0 for _, b, _ in pairs),
        "tipg_matched": sum(m or 0 for _, _, m in pairs),
        "ponds_equal": sum(1 for a, b, _ in pairs if a is not None and a == b),
        "ponds_tipg_matched_more": sum(1 for a, _, m in pairs if a is not None and m is not None and m > a),
        # the same features, not only as many: tipg's bbox also catches neighbours' elements, and keeps the
        # first `limit` by id
        "ponds_same_features": sum(
            1 for a, b in zip(ours_items["ids"], tipg_items["ids"], strict=True) if a is not None and a == b
        ),
    }
    log(
        f"{label}: items, {item_counts['ponds']} ponds: ours {item_counts['ours_features']} features, tipg "
        f"{item_counts['tipg_returned']} returned of {item_counts['tipg_matched']} matched; as many for "
        f"{item_counts['ponds_equal']} ponds, the same features for {item_counts['ponds_same_features']}"
    )
    for case in CASES:
        a, b = checks[f"ours:{case}"], checks[f"tipg:{case}"]
        log(
            f"{label}: {case:<8} ours {a['statuses']} {a['mean_kib']:.1f} KiB {a['mean_features']:.0f} features | "
            f"tipg {b['statuses']} {b['mean_kib']:.1f} KiB {b['mean_features']:.0f} features (first {a['checked']})"
        )

    rounds: dict[str, dict[str, list[dict[str, Any]]]] = {c: {"ours": [], "tipg": []} for c in CASES}
    db = DbProcesses(database_url)
    try:
        for case in CASES:
            for server in servers:
                wrk(server, case, files[server.name, case], args.warmup, args.connections, db)
        for r in range(args.rounds):
            for case in CASES:
                order = servers if r % 2 == 0 else servers[::-1]  # alternate who goes first: drift cancels
                for server in order:
                    res = wrk(server, case, files[server.name, case], args.duration, args.connections, db)
                    rounds[case][server.name].append(res)
                    log(
                        f"{label} round {r + 1} {case:<8} {server.name:<4} {res['rps']:8.1f} req/s  p50 "
                        f"{res['p50_ms']:7.1f} ms  errors {res['errors']}  CPU % server {res['cpu_server_pct']:.0f} "
                        f"db {res['cpu_db_pct']:.0f} wrk {res['cpu_wrk_pct']:.1f} other {res['cpu_other_pct']:.0f}"
                    )
    finally:
        db.close()
    for server in servers:
        stop(server.proc)
        STARTED.remove(server.proc)
    return {
        "label": label,
        "database": name,
        "ponds": p.pond_count,
        "elements": p.elements,
        "lists": {
            "detail": len(p.detail),
            "overview": len(p.overview),
            "items": len(p.ponds),
            "overview_by_zoom": {z: sum(1 for t in p.overview if t[0] == z) for z in OVERVIEW_ZOOMS},
        },
        "checks": {
            k: {kk: vv for kk, vv in v.items() if kk not in ("features", "matched", "ids")} for k, v in checks.items()
        },
        "item_counts": item_counts,
        "rounds": rounds,
    }


# --- report ---------------------------------------------------------------------------------------------


def _median(rows: list[dict[str, Any]], key: str) -> float:
    return statistics.median(r[key] for r in rows)


def report(results: list[dict[str, Any]], args: argparse.Namespace) -> None:
    print()
    print(
        f"Medians of {args.rounds} rounds of {args.duration:g} s, {args.connections} connections, wrk -t1, "
        f"{WORKERS} worker(s) each; req/s count 2xx responses only"
        + ("; ours WITHOUT its response cache (--cold)" if args.cold else "")
    )
    head = (
        f"{'case':<9}{'database':<19}{'ours req/s':>11}{'tipg req/s':>11}{'ratio':>8}{'target':>8}"
        f"{'ours p50 ms':>12}{'tipg p50 ms':>12}   sanity (ours | tipg)"
    )
    print(head)
    print("-" * len(head))
    for res in results:
        for case in CASES:
            ours, tipg = res["rounds"][case]["ours"], res["rounds"][case]["tipg"]
            o, t = _median(ours, "rps"), _median(tipg, "rps")
            ratio = o / t if t else float("inf")
            target = TARGETS[case]
            applies = case != "overview" or res["label"] == "synthetic"
            mark = (f"{'≥' if ratio >= target else '<'}{target:g}×") if applies else f"({target:g}×)"
            if case == "items":
                ic = res["item_counts"]
                n = ic["ponds"]
                extra = (
                    f"{ic['ours_features'] / n:.0f} | {ic['tipg_returned'] / n:.0f} features/pond "
                    f"(tipg matched {ic['tipg_matched'] / n:.0f}; same features for {ic['ponds_same_features']}/{n})"
                )
            else:
                a, b = res["checks"][f"ours:{case}"], res["checks"][f"tipg:{case}"]
                extra = (
                    f"{a['mean_features']:.0f} | {b['mean_features']:.0f} features, {a['mean_kib']:.1f} | "
                    f"{b['mean_kib']:.1f} KiB/tile"
                )
            errors = sum(r["errors"] for r in ours + tipg)
            if errors:
                extra += f"  ({errors} non-2xx/errors)"
            print(
                f"{case:<9}{res['database']:<19}{o:>11.1f}{t:>11.1f}{ratio:>7.2f}×{mark:>8}"
                f"{_median(ours, 'p50_ms'):>12.1f}{_median(tipg, 'p50_ms'):>12.1f}   {extra}"
            )
    print()
    print(
        "Where the CPU went (medians over rounds, % of the whole machine, "
        f"{os.cpu_count()} cores shared by server, PostgreSQL and wrk):"
    )
    head = (
        f"{'case':<9}{'database':<19}{'server':<6}{'server %':>9}{'db %':>6}{'wrk %':>7}{'other %':>8}"
        f"{'idle %':>7}{'server ms/req':>14}{'db ms/req':>10}"
    )
    print(head)
    print("-" * len(head))
    for res in results:
        for case in CASES:
            for name in ("ours", "tipg"):
                rows = res["rounds"][case][name]
                s, d, w, o, m, sr, dr = (
                    _median(rows, k)
                    for k in (
                        "cpu_server_pct",
                        "cpu_db_pct",
                        "cpu_wrk_pct",
                        "cpu_other_pct",
                        "cpu_machine_pct",
                        "cpu_ms_per_request_server",
                        "cpu_ms_per_request_db",
                    )
                )
                print(
                    f"{case:<9}{res['database']:<19}{name:<6}{s:>9.0f}{d:>6.0f}{w:>7.1f}{o:>8.0f}{100 - m:>7.0f}"
                    f"{sr:>14.2f}{dr:>10.2f}"
                )
    print("other: everything else on the machine during the run (other work, the kernel); idle: unused.")
    others = [
        r["cpu_other_pct"] for res in results for c in CASES for n in ("ours", "tipg") for r in res["rounds"][c][n]
    ]
    if others and statistics.median(others) > 15:
        print(
            f"NOTE: other work took a median {statistics.median(others):.0f} % of the machine during the runs: "
            "absolute figures are lower and noisier than on a quiet machine; the ratios suffer less."
        )


def main() -> int:
    env = os.environ.get
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=float(env("BENCH_DURATION", "10")), help="seconds per round")
    parser.add_argument("--warmup", type=float, default=float(env("BENCH_WARMUP", "2")), help="seconds per case")
    parser.add_argument("--rounds", type=int, default=int(env("BENCH_ROUNDS", "3")))
    parser.add_argument("--connections", type=int, default=int(env("BENCH_CONCURRENCY", "8")))
    parser.add_argument("--ponds", type=int, default=60, help="ponds sampled for detail tiles and items")
    parser.add_argument("--detail-tiles", type=int, default=300)
    parser.add_argument("--sanity", type=int, default=40, help="tiles fetched once per list for the sanity columns")
    parser.add_argument("--only", choices=("sample", "synthetic"))
    parser.add_argument("--cold", action="store_true", help="our service without its tile and page cache")
    args = parser.parse_args()

    def terminate(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, terminate)
    signal.signal(signal.SIGINT, terminate)  # also when started in the background, where SIGINT is ignored
    if shutil.which("wrk") is None:
        print("wrk is missing: apt-get install -y wrk (Debian package `wrk`)", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    base = env("TAILINGS_DATABASE_URL") or env("DATABASE_URL") or synth.DEFAULT_URL
    sample_url = synth.bench_url(base, make_url(base).database or "tailings")
    synthetic_url = synth.bench_url(base, env("BENCH_SYNTH_DATABASE", synth.BENCH_DATABASE))
    logs = Path(tempfile.mkdtemp(prefix="tiles-vs-tipg-"))
    results: list[dict[str, Any]] = []
    timings: dict[str, float] = {}
    try:
        version = ensure_tipg()
        log(f"tipg {version} in {TIPG_VENV.relative_to(ROOT)}; logs and URL lists in {logs}")
        if args.only != "synthetic":
            t = time.perf_counter()
            results.append(bench_database("sample", sample_url, args, logs))
            timings["sample"] = time.perf_counter() - t
        if args.only != "sample":
            t = time.perf_counter()
            timings["synthesise"] = synth.synthesise(synthetic_url)["seconds"]
            t = time.perf_counter()
            results.append(bench_database("synthetic", synthetic_url, args, logs))
            timings["synthetic"] = time.perf_counter() - t
    except KeyboardInterrupt:
        log("interrupted: stopping what was started")
        return 130
    finally:
        stop_all()
    report(results, args)
    total = time.perf_counter() - t0
    print(f"\nrun time {total / 60:.1f} min (" + ", ".join(f"{k} {v:.0f} s" for k, v in timings.items()) + ")")
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"tiles_vs_tipg-{dt.datetime.now():%Y%m%d-%H%M%S}.json"
    out.write_text(
        json.dumps(
            {
                "tipg": version,
                "args": vars(args),
                "run_seconds": total,
                "timings": timings,
                "cpus": os.cpu_count(),
                "workers": WORKERS,
                "results": results,
            },
            indent=1,
            default=str,
        )
    )
    print(f"every round: {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
