"""A synthetic national-scale database for benchmarks: 10,000 ponds x 200 elements = 2,000,000 elements.

    tailings synth [--ponds N] [--elements-per-pond M] [--database-url URL] [--force]

Fills a SEPARATE database (default `tailings_bench_2m` on the server of TAILINGS_DATABASE_URL), created
and migrated with `app.migrate`. Ponds lie in clusters over China's mining regions (lon 75-135, lat
18-53), each with a location and a boundary of 5-150 ha; around each pond, elements of the catalogue's
kinds: about 70 % points, 20 % short lines (3 vertices, 30-150 m legs), 10 % small polygons (10-60 m
across), each with the attributes its kind requires (so every element passes the catalogue's checks).
Everything is generated inside PostgreSQL (INSERT ... SELECT over generate_series, random() after setseed:
deterministic): no row crosses the network, which is faster than COPY from a client. The load runs the
element revision, audit and data-version triggers switched off (`session_replication_role = replica`;
they would triple the rows), the secondary indexes built after the load, then VACUUM ANALYZE.
The demo accounts are created too (demo mode), so the API can be called with `demo-admin`.

Idempotent: a database that already holds exactly that many ponds and elements is left as it is.
"""

from __future__ import annotations

import json
import os
import time
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import make_url

from app import migrate
from app.catalogue.model import AttributeSpec, load_catalogue
from app.config import ROOT
from app.db import make_engine, set_actor
from app.seed import SeedReport, load_demo_accounts, load_organisations, load_reference

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:55432/tailings"
BENCH_DATABASE = "tailings_bench_2m"
DEFAULT_SEED = 0.42

# Mining regions: centre lon, lat, half-width lon, half-height lat, share of the ponds.
CLUSTERS = [
    (102.0, 26.0, 3.0, 3.0, 0.24),  # Panxi (Panzhihua, Liangshan) and north-east Yunnan
    (111.5, 41.5, 5.5, 1.5, 0.14),  # Inner Mongolia (Baotou, Bayan Obo, Chifeng)
    (117.8, 40.3, 1.8, 1.2, 0.16),  # Hebei (Chengde, Tangshan, Qian'an)
    (116.8, 29.8, 2.5, 2.0, 0.16),  # Anhui and Jiangxi (Tongling, Ma'anshan, Dexing)
    (123.3, 41.2, 1.5, 1.0, 0.10),  # Liaoning (Anshan, Benxi)
    (112.5, 25.8, 2.5, 1.8, 0.10),  # Hunan and Guangxi (Chenzhou, Hechi)
    (98.0, 39.5, 8.0, 3.0, 0.10),  # Gansu, Qinghai and Xinjiang (Jinchang, Jiuquan)
]


def bench_url(base_url: str | None = None, database: str = BENCH_DATABASE) -> str:
    """The URL of the benchmark database: the server of `base_url`, another database."""
    url = make_url(base_url or os.environ.get("TAILINGS_DATABASE_URL") or os.environ.get("DATABASE_URL") or DEFAULT_URL)
    if url.drivername in ("postgres", "postgresql"):
        url = url.set(drivername="postgresql+psycopg")
    return url.set(database=database).render_as_string(hide_password=False)


def _valid_value(spec: AttributeSpec) -> Any:
    """A value the catalogue accepts for the attribute."""
    match spec.type:
        case "enum":
            return (spec.values or [""])[0]
        case "boolean":
            return True
        case "date":
            return "2025-06-01"
        case "string":
            return "synthetic"
        case _:
            low = spec.min if spec.min is not None else 0
            high = spec.max if spec.max is not None else low + 100
            value = (low + high) / 2
            return int(value) if spec.type == "integer" else value


def _kinds_by_geometry() -> dict[str, list[tuple[str, str, str]]]:
    """(type, kind, attributes JSON) of the catalogue, grouped by the simple geometry each admits; the
    attributes are the kind's required ones, each with a value the catalogue accepts."""
    catalogue = load_catalogue(ROOT / "layers" / "catalogue" / "element_types.yaml")
    groups: dict[str, list[tuple[str, str, str]]] = {"Point": [], "LineString": [], "Polygon": []}
    for kind in catalogue.kinds.values():
        attributes = {a.name: _valid_value(a) for a in kind.attributes if a.required}
        for g in groups:
            if g in kind.geometry:
                groups[g].append((kind.type_code, kind.code, json.dumps(attributes)))
    return groups


def _sql_array(values: list[str]) -> str:
    return "ARRAY[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]::text[]"


def _clusters_sql() -> str:
    rows, start = [], 0.0
    for lon, lat, dlon, dlat, share in CLUSTERS:
        rows.append(f"({start:.4f}, {start + share:.4f}, {lon}, {lat}, {dlon}, {dlat})")
        start += share
    return "(VALUES " + ", ".join(rows) + ") AS c(lo, hi, lon, lat, dlon, dlat)"


def _ponds_sql(ponds: int) -> str:
    # Two uniform numbers summed: more ponds near a cluster's centre than at its edge.
    return f"""
    INSERT INTO ponds (code, name, name_en, county_adcode, supervision_level, status, safety_grade, dam_type,
                       storage, location, boundary, illustrative)
    SELECT format('BENCH-%s', lpad(g.i::text, 5, '0')), format('合成尾矿库 %s', g.i), format('Synthetic pond %s', g.i),
           (SELECT array_agg(adcode ORDER BY adcode) FROM districts)[1 + g.i % (SELECT count(*) FROM districts)],
           CASE WHEN g.u1 < 0.05 THEN 1 WHEN g.u1 < 0.30 THEN 2 ELSE 3 END,
           (ARRAY['in_use', 'in_use', 'stopped', 'closing', 'closed'])[1 + (g.i % 5)],
           1 + (g.i % 5), (ARRAY['upstream', 'centerline', 'downstream', 'one_time'])[1 + (g.i % 4)],
           (ARRAY['wet', 'dry'])[1 + (g.i % 2)],
           ST_SetSRID(ST_MakePoint(g.x, g.y), 4490),
           -- an octagon of the pond's area (5-150 ha), metres to degrees at its latitude
           ST_Multi(ST_SetSRID(ST_Translate(ST_Scale(ST_Buffer('POINT(0 0)'::geometry, 1, 'quad_segs=2'),
                    g.r / (111320 * cos(radians(g.y))), g.r / 110540), g.x, g.y), 4490)),
           true
    FROM (
      SELECT s.i, s.u1,
             least(135, greatest(75, c.lon + c.dlon * (s.u2 + s.u3 - 1))) AS x,
             least(53, greatest(18, c.lat + c.dlat * (s.u4 + s.u5 - 1))) AS y,
             sqrt((5 + 145 * s.u6) * 10000 / (2 * sqrt(2))) AS r  -- an octagon of radius r: 2√2 r²
      FROM (SELECT i, random() u0, random() u1, random() u2, random() u3, random() u4, random() u5, random() u6
            FROM generate_series(1, {ponds}) i OFFSET 0) s
      JOIN {_clusters_sql()} ON s.u0 >= c.lo AND (s.u0 < c.hi OR c.hi >= 0.9999)
      ORDER BY s.i
    ) g"""


def _elements_sql(per_pond: int, kinds: dict[str, list[tuple[str, str, str]]]) -> str:
    pts, lines, polys = kinds["Point"], kinds["LineString"], kinds["Polygon"]

    def arrays(triples: list[tuple[str, str, str]]) -> tuple[str, str, str]:
        return tuple(_sql_array([t[i] for t in triples]) for i in range(3))  # type: ignore[return-value]

    (pt_t, pt_k, pt_a), (ln_t, ln_k, ln_a), (pg_t, pg_k, pg_a) = arrays(pts), arrays(lines), arrays(polys)
    # j % 10: 0-6 point, 7-8 line, 9 polygon. Positions: within about 2.2 pond radii of its centre.
    # mx, my: metres to degrees at the pond's latitude.
    return f"""
    INSERT INTO elements (pond_id, type, kind, name, geom, attributes, source, captured_at, accuracy_m,
                          review_state)
    SELECT e.pond_id,
           CASE WHEN e.g < 7 THEN ({pt_t})[1 + e.k % {len(pts)}]
                WHEN e.g < 9 THEN ({ln_t})[1 + e.k % {len(lines)}]
                ELSE ({pg_t})[1 + e.k % {len(polys)}] END,
           CASE WHEN e.g < 7 THEN ({pt_k})[1 + e.k % {len(pts)}]
                WHEN e.g < 9 THEN ({ln_k})[1 + e.k % {len(lines)}]
                ELSE ({pg_k})[1 + e.k % {len(polys)}] END,
           format('E%s-%s', e.pond_id, e.j),
           ST_SetSRID(CASE
             WHEN e.g < 7 THEN ST_MakePoint(e.x, e.y)
             WHEN e.g < 9 THEN ST_MakeLine(ARRAY[
               ST_MakePoint(e.x, e.y),
               ST_MakePoint(e.x + e.l1 * cos(e.a1) * e.mx, e.y + e.l1 * sin(e.a1) * e.my),
               ST_MakePoint(e.x + (e.l1 * cos(e.a1) + e.l2 * cos(e.a2)) * e.mx,
                            e.y + (e.l1 * sin(e.a1) + e.l2 * sin(e.a2)) * e.my)])
             ELSE ST_Translate(ST_Scale(ST_Buffer('POINT(0 0)'::geometry, 1, 'quad_segs=2'),
                                        e.s * e.mx, e.s * e.my), e.x, e.y)
           END, 4490),
           (CASE WHEN e.g < 7 THEN ({pt_a})[1 + e.k % {len(pts)}]
                 WHEN e.g < 9 THEN ({ln_a})[1 + e.k % {len(lines)}]
                 ELSE ({pg_a})[1 + e.k % {len(polys)}] END)::jsonb,
           'digitised', DATE '2025-06-01' + (e.k % 365), 0.5, 'verified'
    FROM (
      SELECT q.pond_id, q.j, q.j % 10 AS g, (q.j / 10 + q.pond_id) AS k, q.mx, q.my,
             q.px + q.d * cos(q.t) * q.mx AS x, q.py + q.d * sin(q.t) * q.my AS y,
             30 + 120 * q.u3 AS l1, 30 + 120 * q.u4 AS l2, 2 * pi() * q.u5 AS a1,
             2 * pi() * q.u5 + (q.u6 - 0.5) * pi() AS a2, 5 + 25 * q.u3 AS s
      FROM (
        SELECT p.id AS pond_id, j, ST_X(p.location) AS px, ST_Y(p.location) AS py,
               1 / (111320 * cos(radians(ST_Y(p.location)))) AS mx, 1 / 110540.0 AS my,
               p.r * (0.1 + 2.1 * sqrt(random())) AS d,
               2 * pi() * random() AS t, random() u3, random() u4, random() u5, random() u6
        FROM (SELECT id, location, sqrt(ST_Area(boundary::geography) / pi()) AS r
              FROM ponds WHERE code LIKE 'BENCH-%' ORDER BY id OFFSET 0) p,
             LATERAL generate_series(0, {per_pond} - 1 + 0 * p.id) j  -- pond by pond: stored clustered by pond
        OFFSET 0
      ) q
    ) e"""


def _secondary_indexes(conn, table: str) -> list[tuple[str, str]]:
    return list(
        conn.execute(
            text("""SELECT i.indexname, i.indexdef FROM pg_indexes i
                    JOIN pg_class c ON c.relname = i.indexname
                    WHERE i.schemaname = 'public' AND i.tablename = :t
                      AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = c.oid)"""),
            {"t": table},
        )
    )


def _counts(engine) -> tuple[int, int]:
    with engine.connect() as conn:
        ponds = conn.execute(text("SELECT count(*) FROM ponds WHERE code LIKE 'BENCH-%'")).scalar()
        elements = conn.execute(text("SELECT count(*) FROM elements")).scalar()
    return ponds, elements


def _accounts(engine) -> None:
    from sqlalchemy.orm import Session

    with Session(engine) as session:
        set_actor(session, "bench-synth")
        report = SeedReport()
        load_organisations(session, report)
        load_demo_accounts(session, report)
        session.commit()


def synthesise(
    database_url: str | None = None,
    ponds: int = 10_000,
    elements_per_pond: int = 200,
    seed: float = DEFAULT_SEED,
    force: bool = False,
) -> dict[str, float]:
    """Create, migrate and fill the benchmark database; returns what it did and how long it took."""
    os.environ.setdefault("TAILINGS_DEMO", "true")  # the demo accounts need demo mode
    url = database_url or bench_url()
    t0 = time.perf_counter()
    created = migrate.create_database(url)
    migrate.upgrade(url)
    engine = make_engine(url, pool_size=1)  # jit off, no parallel workers: one deterministic plan
    try:
        have_ponds, have_elements = _counts(engine)
        want = ponds * elements_per_pond
        if have_ponds == ponds and have_elements == want and not force:
            _accounts(engine)
            took = time.perf_counter() - t0
            print(
                f"[synth] {make_url(url).database}: already {have_ponds:,} ponds and {have_elements:,} elements "
                f"({took:.1f} s)",
                flush=True,
            )
            return {"created": 0, "ponds": have_ponds, "elements": have_elements, "seconds": took}

        kinds = _kinds_by_geometry()
        steps: dict[str, float] = {}
        with engine.begin() as conn:
            t = time.perf_counter()
            conn.execute(text("SET LOCAL session_replication_role = replica"))  # no revision/audit triggers
            conn.execute(text("SET LOCAL synchronous_commit = off"))
            conn.execute(text("SET LOCAL maintenance_work_mem = '512MB'"))
            if have_ponds or have_elements:
                conn.execute(text("TRUNCATE elements, element_revisions, pond_chiefs, ponds RESTART IDENTITY CASCADE"))
            set_actor_sql = "SELECT set_config('tailings.actor', 'bench-synth', true)"
            conn.execute(text(set_actor_sql))
            from sqlalchemy.orm import Session

            with Session(bind=conn) as session:
                load_reference(session, ROOT / "layers", SeedReport())  # the 5 districts (and rivers)
                session.flush()
            indexes = _secondary_indexes(conn, "elements")
            for name, _ in indexes:
                conn.execute(text(f'DROP INDEX "{name}"'))
            conn.execute(text("SELECT setseed(:s)"), {"s": seed})
            conn.execute(text(_ponds_sql(ponds)))
            steps["ponds"] = time.perf_counter() - t
            t = time.perf_counter()
            conn.execute(text(_elements_sql(elements_per_pond, kinds)))
            steps["elements"] = time.perf_counter() - t
            t = time.perf_counter()
            for _, definition in indexes:
                conn.execute(text(definition))
            steps["indexes"] = time.perf_counter() - t
        t = time.perf_counter()
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM (ANALYZE) ponds, elements, districts"))
        steps["vacuum_analyze"] = time.perf_counter() - t
        _accounts(engine)
        have_ponds, have_elements = _counts(engine)
        took = time.perf_counter() - t0
        print(
            f"[synth] {make_url(url).database}: {have_ponds:,} ponds, {have_elements:,} elements in {took:.1f} s "
            f"({'new database; ' if created else ''}" + ", ".join(f"{k} {v:.1f} s" for k, v in steps.items()) + ")",
            flush=True,
        )
        return {"created": 1, "ponds": have_ponds, "elements": have_elements, "seconds": took, **steps}
    finally:
        engine.dispose()
