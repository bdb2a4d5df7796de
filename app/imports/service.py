"""Stage an upload, show what it would do, commit it in one transaction, and review what was committed.

Staging reads the file (gis.formats), checks every feature (app.imports.validate), matches it with the
pond's elements (by system id, else by kind and name) and stores one row per feature saying what it would
do: add, move (with the shift in metres), change, leave unchanged; in `replace` mode also which elements
it would remove. The commit applies every row or none: each element it changes must still be at the
version seen when staging, or the commit is refused with nothing changed.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

import shapely
from sqlalchemy import text
from sqlalchemy.orm import Session

from app import files, registry
from app.accounts.scope import EDITORS, MANAGERS
from app.accounts.service import Actor
from app.config import get_settings
from app.elements import service as elements
from app.elements.service import imposed_provenance
from app.enums import GeometrySource, ReviewState
from app.errors import Conflict, Forbidden, Invalid, NotFound, render_params
from app.i18n import MESSAGES, Lang, t
from app.imports.models import BatchState, ImportMode, ReviewDecision, RowAction
from app.imports.spec import template_spec
from app.imports.validate import Candidate, Checker
from app.text import Text, accept
from gis.crs import STORAGE_SRID
from gis.formats.model import Problem, TemplateSpec, Where
from gis.formats.read import read_upload

MAX_PROBLEMS_SHOWN = 500


def reading_spec() -> TemplateSpec:
    """The template in both languages, so a file filled from either reads the same."""
    catalogue = registry.catalogue()
    zh, en = template_spec(catalogue, "zh"), template_spec(catalogue, "en")
    seen = {s.name for s in zh.sheets}
    return TemplateSpec(
        title=zh.title,
        sheets=zh.sheets + tuple(s for s in en.sheets if s.name not in seen),
        instructions=zh.instructions,
        crs_choices=zh.crs_choices,
    )


def problem_json(p: Problem) -> dict[str, Any]:
    return {"severity": p.severity, "code": p.code, "params": _jsonable(p.params), **asdict(p.where)}


def problem_from_json(d: dict[str, Any]) -> Problem:
    where = Where(d.get("file") or "", d.get("sheet"), d.get("row"), d.get("column"))
    return Problem(where, d["code"], d.get("params") or {}, d.get("severity", "error"))


def _jsonable(params: dict[str, Any]) -> dict[str, Any]:
    return json.loads(json.dumps(params, default=str, ensure_ascii=False))


def describe(problem: dict[str, Any], lang: Lang) -> str:
    """A problem in the user's language, saying where it is: file, sheet, row, column, reason."""
    place = [problem.get("file") or ""]
    if problem.get("sheet"):
        place.append(t("where_sheet", lang, sheet=problem["sheet"]))
    if problem.get("row"):
        place.append(t("where_row", lang, row=problem["row"]))
    if problem.get("column"):
        place.append(t("where_column", lang, column=problem["column"]))
    reason = t(problem["code"], lang, **render_params(problem.get("params") or {}, lang))
    return f"{' · '.join(p for p in place if p)}: {reason}"


@dataclass
class _Existing:
    id: int
    kind: str
    name: str | None
    version: int
    geom: Any
    attributes: dict[str, Any]
    captured_at: Any
    accuracy_m: float | None


def _existing(session: Session, pond_id: int) -> list[_Existing]:
    rows = session.execute(
        text("""SELECT id, kind, name, version, ST_AsBinary(geom), attributes, captured_at, accuracy_m
                FROM elements WHERE pond_id = :pond ORDER BY id"""),
        {"pond": pond_id},
    ).all()
    return [_Existing(r[0], r[1], r[2], r[3], shapely.from_wkb(bytes(r[4])), r[5], r[6], r[7]) for r in rows]


def _who_commits(actor: Actor, source: str | None) -> tuple[str, str]:
    """The source and review state an upload's elements get: an enterprise's wait for the bureau."""
    if imposed := imposed_provenance(actor.role):
        return imposed
    chosen = source or GeometrySource.field.value
    if chosen not in GeometrySource.__members__:
        raise Invalid("literal_error", {"expected": ", ".join(GeometrySource.__members__)})
    return chosen, ReviewState.verified.value


def same_geometry(a: Any, b: Any) -> bool:
    """Equal within 1e-9 degrees (about 0.1 mm), vertex by vertex; a polygon's ring may start anywhere and run
    either way (Shapefiles turn rings clockwise), a line's direction is its flow and counts."""
    if a.geom_type in ("Polygon", "MultiPolygon"):
        a, b = shapely.normalize(a), shapely.normalize(b)
    return bool(shapely.equals_exact(a, b, tolerance=1e-9))


def _refuse_far(session: Session, pond_id: int, candidates: list[Candidate]) -> None:
    """A row farther from the pond than the bureau's limit is an error (the same check as the element API)."""
    far = elements.too_far_from_pond(session, pond_id, [c.geometry for c in candidates])
    limit = round(elements.refuse_beyond_m())
    for i, distance in far.items():
        candidates[i].problems.append(
            Problem(candidates[i].where, "element_too_far_from_pond", {"distance_m": round(distance), "limit_m": limit})
        )


def _plan(candidates: list[Candidate], existing: list[_Existing], mode: str) -> list[dict[str, Any]]:
    """One staged row per candidate (and per element to remove), with its action and problems."""
    by_id = {e.id: e for e in existing}
    by_name: dict[tuple[str, str], list[_Existing]] = {}
    for e in existing:
        if e.name:
            by_name.setdefault((e.kind, e.name), []).append(e)
    first_of_name: dict[tuple[str, str], Where] = {}
    first_of_id: dict[int, Where] = {}
    matched: set[int] = set()
    rows: list[dict[str, Any]] = []
    for seq, c in enumerate(candidates, start=1):
        problems = list(c.problems)
        target: _Existing | None = None
        if c.kind is not None and c.name:
            key = (c.kind.code, c.name)
            if key in first_of_name:
                seen = first_of_name[key]
                problems.append(Problem(c.where, "import_duplicate_name", {"name": c.name, "row": seen.row or ""}))
            else:
                first_of_name[key] = c.where
        if c.element_id is not None:
            if c.element_id in first_of_id:
                seen = first_of_id[c.element_id]
                problems.append(Problem(c.where, "import_duplicate_id", {"id": c.element_id, "row": seen.row or ""}))
            first_of_id.setdefault(c.element_id, c.where)
            target = by_id.get(c.element_id)
            if target is None:
                problems.append(Problem(c.where, "import_element_not_found", {"id": c.element_id}))
        elif c.kind is not None and c.name:
            same = [e for e in by_name.get((c.kind.code, c.name), []) if e.id not in matched]
            if len(same) == 1:
                target = same[0]
        changed: list[str] = []
        action = RowAction.add
        if target is not None:
            matched.add(target.id)
            if c.kind is not None and c.kind.code != target.kind:
                changed.append("kind")
            if c.name != target.name:
                changed.append("name")
            if c.attributes != (target.attributes or {}):
                changed.append("attributes")
            if c.accuracy_m is not None and c.accuracy_m != target.accuracy_m:
                changed.append("accuracy_m")
            if c.captured_at is not None and c.captured_at != target.captured_at:
                changed.append("captured_at")
            moved = c.geometry is not None and not same_geometry(c.geometry, target.geom)
            action = RowAction.move if moved else RowAction.change if changed else RowAction.unchanged
        if any(p.severity == "error" for p in problems):
            action = RowAction.error
        rows.append(
            {
                "seq": seq,
                "action": action.value,
                "element_id": target.id if target else None,
                "base_version": target.version if target else None,
                "type": c.kind.type_code if c.kind else None,
                "kind": c.kind.code if c.kind else None,
                "name": c.name,
                "wkb": c.geometry.wkb if c.geometry is not None else None,
                "attributes": json.dumps(c.attributes, ensure_ascii=False),
                "captured_at": c.captured_at,
                "accuracy_m": c.accuracy_m,
                "changed": json.dumps(changed),
                "origin": json.dumps(asdict(c.where), ensure_ascii=False),
                "problems": json.dumps([problem_json(p) for p in problems], ensure_ascii=False),
            }
        )
    if mode == ImportMode.replace:
        kinds = {c.kind.code for c in candidates if c.kind is not None}
        for e in existing:
            if e.kind in kinds and e.id not in matched:
                rows.append(
                    {
                        "seq": len(rows) + 1,
                        "action": RowAction.remove.value,
                        "element_id": e.id,
                        "base_version": e.version,
                        "type": registry.catalogue().kinds[e.kind].type_code
                        if e.kind in registry.catalogue().kinds
                        else None,
                        "kind": e.kind,
                        "name": e.name,
                        "wkb": e.geom.wkb,
                        "attributes": json.dumps(e.attributes or {}, ensure_ascii=False),
                        "captured_at": e.captured_at,
                        "accuracy_m": e.accuracy_m,
                        "changed": "[]",
                        "origin": "{}",
                        "problems": "[]",
                    }
                )
    return rows


def stage(
    session: Session,
    actor: Actor,
    pond_id: int,
    filename: str,
    data: bytes,
    *,
    crs: str | None = None,
    mode: str = ImportMode.merge.value,
    source: str | None = None,
    layer_map: dict[str, str] | None = None,
) -> int:
    """Read, check and stage an upload for a pond; returns the batch id. Nothing in `elements` changes."""
    if mode not in ImportMode.__members__:
        raise Invalid("literal_error", {"expected": ", ".join(ImportMode.__members__)})
    source_value, review_state = _who_commits(actor, source)
    files.check_size(data, filename)
    digest = files.put(data)
    # the region's box lets a Gauss-Kruger file without zone numbers find Panzhihua's zone (102°E)
    region = registry.region()
    result = read_upload(filename, data, crs=crs or None, spec=reading_spec(), region_bounds=region.area.bounds)
    checker = Checker(registry.catalogue(), region, layer_map)
    candidates = [checker.check(f) for f in result.features]
    _refuse_far(session, pond_id, candidates)
    if not candidates and result.ok:
        result.problems.append(Problem(Where(filename), "import_empty"))
    rows = _plan(candidates, _existing(session, pond_id), mode)
    batch_id = session.execute(
        text("""INSERT INTO import_batches (pond_id, filename, file_sha256, format, crs, mode, source, review_state,
                                            problems, created_by, created_by_name)
                VALUES (:pond, :filename, :sha, :format, :crs, :mode, :source, :review, CAST(:problems AS jsonb),
                        :user_id, :username)
                RETURNING id"""),
        {
            "pond": pond_id,
            "filename": filename,
            "sha": digest,
            "format": result.format,
            "crs": result.crs,
            "mode": mode,
            "source": source_value,
            "review": review_state,
            "problems": json.dumps([problem_json(p) for p in result.problems], ensure_ascii=False),
            "user_id": actor.user_id,
            "username": actor.username,
        },
    ).scalar_one()
    expire_staged(session)
    if rows:
        session.execute(
            text(f"""INSERT INTO import_rows (batch_id, seq, action, element_id, base_version, type, kind, name, geom,
                                              attributes, captured_at, accuracy_m, changed, origin, problems)
                     VALUES (:batch, :seq, :action, :element_id, :base_version, :type, :kind, :name,
                             ST_GeomFromWKB(:wkb, {STORAGE_SRID}), CAST(:attributes AS jsonb), :captured_at,
                             :accuracy_m, CAST(:changed AS jsonb), CAST(:origin AS jsonb),
                             CAST(:problems AS jsonb))"""),
            [{"batch": batch_id, **row} for row in rows],
        )
    _measure(session, batch_id, pond_id)
    _count(session, batch_id)
    if not result.ok or any(r["action"] == RowAction.error for r in rows):
        # a refused file is kept for its error report, but is not work waiting for a decision
        session.execute(text("UPDATE import_batches SET state = 'refused' WHERE id = :id"), {"id": batch_id})
    return batch_id


def expire_staged(session: Session) -> int:
    """Staged uploads left undecided longer than imports_staged_ttl_hours become `expired` (run at every
    upload, so the list of work never holds stale plans); returns how many expired."""
    return len(
        session.execute(
            text("""UPDATE import_batches SET state = 'expired'
                    WHERE state = 'staged' AND created_at < now() - make_interval(secs => :ttl) RETURNING id"""),
            {"ttl": get_settings().imports_staged_ttl_hours * 3600},
        ).all()
    )


def _measure(session: Session, batch_id: int, pond_id: int) -> None:
    """Shifts of moved elements in metres (Gauss-Kruger zone), and a warning for anything far from the pond."""
    session.execute(
        text("""UPDATE import_rows r
                SET shift_m = ST_HausdorffDistance(ST_Transform(r.geom, tailings_gk3_srid(e.geom)),
                                                   ST_Transform(e.geom, tailings_gk3_srid(e.geom)))
                FROM elements e
                WHERE r.batch_id = :batch AND r.action = 'move' AND e.id = r.element_id"""),
        {"batch": batch_id},
    )
    rule = registry.rules().get("elements_near_pond")
    if rule is None or not rule.enabled:
        return
    params = rule.params
    session.execute(
        text("""UPDATE import_rows r
                SET problems = r.problems || jsonb_build_array(jsonb_build_object(
                    'severity', 'warning', 'code', 'import_far_from_pond',
                    'params', jsonb_build_object('distance_m', round(d.m), 'limit_m', d.limit_m),
                    'file', r.origin->>'file', 'sheet', r.origin->>'sheet', 'row', (r.origin->>'row')::int,
                    'column', NULL))
                FROM (SELECT r2.id, ST_Distance(r2.geom::geography, p.boundary::geography) AS m,
                             coalesce((CAST(:outside AS jsonb)->>r2.kind)::float, :default_m) AS limit_m
                      FROM import_rows r2 JOIN ponds p ON p.id = :pond
                      WHERE r2.batch_id = :batch AND r2.action IN ('add', 'move') AND p.boundary IS NOT NULL) d
                WHERE r.id = d.id AND d.m > d.limit_m"""),
        {
            "batch": batch_id,
            "pond": pond_id,
            "outside": json.dumps(params.outside_kinds),
            "default_m": params.max_distance_m,
        },
    )


def _count(session: Session, batch_id: int) -> None:
    session.execute(
        text("""UPDATE import_batches b SET counts = c.counts FROM (
                  SELECT jsonb_build_object(
                    'rows', count(*) FILTER (WHERE action <> 'remove'),
                    'add', count(*) FILTER (WHERE action = 'add'),
                    'move', count(*) FILTER (WHERE action = 'move'),
                    'change', count(*) FILTER (WHERE action = 'change'),
                    'unchanged', count(*) FILTER (WHERE action = 'unchanged'),
                    'remove', count(*) FILTER (WHERE action = 'remove'),
                    'error', count(*) FILTER (WHERE action = 'error'),
                    'warnings', coalesce(sum((SELECT count(*) FROM jsonb_array_elements(problems) x
                                              WHERE x->>'severity' = 'warning')), 0),
                    'max_shift_m', round(max(shift_m)::numeric, 2)) AS counts
                  FROM import_rows WHERE batch_id = :batch) c
                WHERE b.id = :batch"""),
        {"batch": batch_id},
    )


def _batch_row(session: Session, pond_id: int, batch_id: int, lock: bool = False) -> Any:
    row = (
        session.execute(
            text(f"""SELECT b.*, (SELECT count(*) FROM import_rows r WHERE r.batch_id = b.id AND r.action = 'error')
                              AS errors
                     FROM import_batches b WHERE b.id = :id AND b.pond_id = :pond
                     {"FOR UPDATE OF b" if lock else ""}"""),
            {"id": batch_id, "pond": pond_id},
        )
        .mappings()
        .one_or_none()
    )
    if row is None:
        raise NotFound("not_found", {"what_code": "import_batch", "id": batch_id})
    return row


def batch_summary(session: Session, pond_id: int, batch_id: int, lang: Lang) -> dict[str, Any]:
    """A batch: what it would do, and its problems (file-level and per row) in the user's language."""
    b = _batch_row(session, pond_id, batch_id)
    row_problems = session.execute(
        text("""SELECT x FROM import_rows r, jsonb_array_elements(r.problems) x
                WHERE r.batch_id = :batch ORDER BY (x->>'severity') = 'warning', r.seq LIMIT :n"""),
        {"batch": batch_id, "n": MAX_PROBLEMS_SHOWN},
    ).scalars()
    problems = [*b["problems"], *row_problems]
    file_errors = sum(1 for p in b["problems"] if p.get("severity") == "error")
    return {
        "id": b["id"],
        "pond_id": b["pond_id"],
        "state": b["state"],
        "filename": b["filename"],
        "format": b["format"],
        "crs": b["crs"],
        "crs_label": t(f"crs_{b['crs']}", lang) if f"crs_{b['crs']}" in MESSAGES else b["crs"],
        "mode": b["mode"],
        "source": b["source"],
        "review_state": b["review_state"],
        "counts": b["counts"],
        "committable": b["state"] == BatchState.staged and b["errors"] == 0 and file_errors == 0,
        "created_by": b["created_by_name"],
        "created_at": b["created_at"].isoformat(),
        "committed_at": b["committed_at"].isoformat() if b["committed_at"] else None,
        "problems": [{**p, "message": describe(p, lang)} for p in problems],
    }


def batches(session: Session, pond_id: int) -> list[dict[str, Any]]:
    rows = session.execute(
        text("""SELECT id, state, filename, format, mode, counts, created_by_name, created_at, committed_at
                FROM import_batches WHERE pond_id = :pond ORDER BY id DESC LIMIT 200"""),
        {"pond": pond_id},
    ).mappings()
    return [
        {
            **dict(r),
            "created_at": r["created_at"].isoformat(),
            "committed_at": r["committed_at"] and r["committed_at"].isoformat(),
        }
        for r in rows
    ]


def rows_geojson(session: Session, pond_id: int, batch_id: int, lang: Lang) -> str:
    """The staged rows as GeoJSON for the preview map and table; moved rows carry their current geometry."""
    _batch_row(session, pond_id, batch_id)
    features = session.execute(
        text("""SELECT r.seq, r.action, r.element_id, r.kind, r.name, r.attributes, r.shift_m, r.changed, r.origin,
                       r.problems, ST_AsGeoJSON(r.geom, 9)::jsonb AS geometry,
                       CASE WHEN r.action = 'move' THEN ST_AsGeoJSON(e.geom, 9)::jsonb END AS current
                FROM import_rows r LEFT JOIN elements e ON e.id = r.element_id
                WHERE r.batch_id = :batch ORDER BY r.seq"""),
        {"batch": batch_id},
    ).mappings()
    kinds = registry.catalogue().kinds
    out = []
    for f in features:
        kind = kinds.get(f["kind"] or "")
        out.append(
            {
                "type": "Feature",
                "geometry": f["geometry"],
                "properties": {
                    "seq": f["seq"],
                    "action": f["action"],
                    "element_id": f["element_id"],
                    "kind": f["kind"],
                    "kind_label": kind.label.get(lang) if kind else None,
                    "name": f["name"],
                    "attributes": f["attributes"],
                    "shift_m": round(f["shift_m"], 2) if f["shift_m"] is not None else None,
                    "changed": f["changed"],
                    "row": f["origin"].get("row"),
                    "sheet": f["origin"].get("sheet"),
                    "current_geometry": f["current"],
                    "problems": [describe(p, lang) for p in f["problems"]],
                },
            }
        )
    return json.dumps({"type": "FeatureCollection", "features": out}, ensure_ascii=False)


def may_decide(actor: Actor, created_by: int | None) -> bool:
    """Who commits or discards a staged batch: whoever staged it, and bureau staff of the pond (an
    enterprise never decides on another's batch, though it may be in the same pond's scope)."""
    return actor.role in EDITORS and (created_by == actor.user_id or actor.role in MANAGERS)


def may_review(actor: Actor) -> bool:
    """Who verifies or returns what enterprises submitted: the bureaus (the review routes ask the same
    roles of the pond through `PondManager`)."""
    return actor.role in MANAGERS


def _may_decide(actor: Actor, batch: Any) -> None:
    if not may_decide(actor, batch["created_by"]):
        raise Forbidden("import_not_yours")


def commit(session: Session, actor: Actor, pond_id: int, batch_id: int) -> dict[str, int]:
    """Apply every staged row of a batch, or none; returns the counts applied."""
    batch = _batch_row(session, pond_id, batch_id, lock=True)
    _may_decide(actor, batch)
    if batch["state"] == BatchState.refused:  # refused for its errors: say so, as for any file with errors
        raise Invalid("import_has_errors", {"errors": batch["errors"]})
    if batch["state"] != BatchState.staged:
        raise Conflict("import_not_staged", {"state_code": f"import_state_{batch['state']}"})
    if batch["errors"] or any(p.get("severity") == "error" for p in batch["problems"]):
        raise Invalid("import_has_errors", {"errors": batch["errors"]})
    expected = dict(
        session.execute(
            text("""SELECT action, count(*) FROM import_rows WHERE batch_id = :batch
                    AND action IN ('add', 'move', 'change', 'remove') GROUP BY action"""),
            {"batch": batch_id},
        ).all()
    )
    # Lock the elements the batch changes, then check none changed since staging.
    session.execute(
        text("""SELECT e.id FROM elements e JOIN import_rows r ON e.id = r.element_id
                WHERE r.batch_id = :batch AND r.action IN ('move', 'change', 'remove') AND e.pond_id = :pond
                ORDER BY e.id FOR UPDATE OF e"""),
        {"batch": batch_id, "pond": pond_id},
    )
    stale = session.execute(
        text("""SELECT r.element_id, r.base_version, e.version FROM import_rows r
                LEFT JOIN elements e ON e.id = r.element_id AND e.pond_id = :pond
                WHERE r.batch_id = :batch AND r.action IN ('move', 'change', 'remove')
                  AND (e.id IS NULL OR e.version <> r.base_version)
                ORDER BY r.seq LIMIT 1"""),
        {"batch": batch_id, "pond": pond_id},
    ).first()
    if stale is not None:
        raise Conflict("import_stale", {"id": stale[0], "given": stale[1], "current": stale[2] or "-"})
    params = {"batch": batch_id, "pond": pond_id, "source": batch["source"], "review": batch["review_state"]}
    updated = session.execute(
        text("""UPDATE elements e SET kind = r.kind, type = r.type, name = r.name, geom = r.geom,
                       attributes = r.attributes, source = :source, review_state = :review,
                       captured_at = CASE WHEN r.action = 'move' THEN r.captured_at
                                          ELSE coalesce(r.captured_at, e.captured_at) END,
                       accuracy_m = CASE WHEN r.action = 'move' THEN r.accuracy_m
                                         ELSE coalesce(r.accuracy_m, e.accuracy_m) END,
                       version = e.version + 1, updated_at = now()
                FROM import_rows r
                WHERE r.batch_id = :batch AND r.action IN ('move', 'change') AND e.id = r.element_id
                  AND e.pond_id = :pond AND e.version = r.base_version"""),
        params,
    ).rowcount
    removed = session.execute(
        text("""DELETE FROM elements e USING import_rows r
                WHERE r.batch_id = :batch AND r.action = 'remove' AND e.id = r.element_id
                  AND e.pond_id = :pond AND e.version = r.base_version"""),
        params,
    ).rowcount
    if updated != expected.get("move", 0) + expected.get("change", 0) or removed != expected.get("remove", 0):
        raise Conflict("import_stale", {"id": "-", "given": "-", "current": "-"})  # raced past the check above
    # Added elements get their ids first, so the batch remembers which elements it made (for the review).
    session.execute(
        text("""UPDATE import_rows SET element_id = nextval(pg_get_serial_sequence('elements', 'id'))
                WHERE batch_id = :batch AND action = 'add'"""),
        params,
    )
    added = session.execute(
        text("""INSERT INTO elements (id, pond_id, type, kind, name, geom, attributes, source, captured_at,
                                      accuracy_m, review_state)
                SELECT element_id, :pond, type, kind, name, geom, attributes, :source, captured_at, accuracy_m,
                       :review
                FROM import_rows WHERE batch_id = :batch AND action = 'add' ORDER BY seq"""),
        params,
    ).rowcount
    session.execute(
        text("UPDATE import_batches SET state = 'committed', committed_at = now() WHERE id = :batch"), params
    )
    return {"add": added, "update": updated, "remove": removed}


def discard(session: Session, actor: Actor, pond_id: int, batch_id: int) -> None:
    batch = _batch_row(session, pond_id, batch_id, lock=True)
    _may_decide(actor, batch)
    if batch["state"] != BatchState.staged:
        raise Conflict("import_not_staged", {"state_code": f"import_state_{batch['state']}"})
    session.execute(text("UPDATE import_batches SET state = 'discarded' WHERE id = :id"), {"id": batch_id})


def error_report(session: Session, pond_id: int, batch_id: int, lang: Lang) -> tuple[str, bytes]:
    """The user's file with an error column (XLSX), or a table of the problems, to fix and upload again."""
    from gis.formats.report import error_report as build

    b = _batch_row(session, pond_id, batch_id)
    row_problems = session.execute(
        text("""SELECT x FROM import_rows r, jsonb_array_elements(r.problems) x
                WHERE r.batch_id = :batch ORDER BY r.seq"""),
        {"batch": batch_id},
    ).scalars()
    problems = [problem_from_json(p) for p in [*b["problems"], *row_problems]]
    data = files.get(b["file_sha256"])

    def translate(p: Problem) -> str:
        return t(p.code, lang, **render_params(dict(p.params), lang))

    stem = b["filename"].rsplit(".", 1)[0]
    return f"{stem}-{t('error_report_suffix', lang)}.xlsx", build(b["filename"], data, problems, translate)


# --- review of what enterprises submitted -------------------------------------------------------------------


def _may_review(actor: Actor) -> None:
    if not may_review(actor):
        raise Forbidden("forbidden_role", {"role_code": f"role_{actor.role}"})


REVIEW_REASON = Text("field_reason", 2000)


def _decide(decision: str, reason: str | None) -> str:
    if decision not in ReviewDecision.__members__:
        raise Invalid("literal_error", {"expected": ", ".join(ReviewDecision.__members__)})
    cleaned = accept(reason or "", "reason", REVIEW_REASON).strip()
    if decision == ReviewDecision.returned and not cleaned:
        raise Invalid("review_reason_required")
    return cleaned or None  # type: ignore[return-value]


def review_element(
    session: Session,
    actor: Actor,
    pond_id: int,
    element_id: int,
    decision: str,
    reason: str | None,
    expected_version: int,
) -> dict[str, Any]:
    """Verify or return (with a reason) one submitted element, if it is still at `expected_version`."""
    _may_review(actor)
    note = _decide(decision, reason)
    current = session.execute(
        text("SELECT version, review_state FROM elements WHERE id = :id AND pond_id = :pond FOR UPDATE"),
        {"id": element_id, "pond": pond_id},
    ).one_or_none()
    if current is None:
        raise NotFound("not_found", {"what_code": "element", "id": element_id})
    if current[0] != expected_version:
        raise Conflict("version_conflict", {"current": current[0], "given": expected_version})
    if current[1] != ReviewState.submitted:
        raise Conflict("review_not_submitted", {"state_code": f"review_{current[1]}"})
    _record_reviews(session, actor, pond_id, [element_id], decision, note, None)
    return {"element_id": element_id, "review_state": decision, "version": expected_version + 1}


def review_batch(
    session: Session, actor: Actor, pond_id: int, batch_id: int, decision: str, reason: str | None
) -> dict[str, Any]:
    """Verify or return every element of a committed batch that still waits for review."""
    _may_review(actor)
    note = _decide(decision, reason)
    batch = _batch_row(session, pond_id, batch_id, lock=True)
    if batch["state"] != BatchState.committed:
        raise Conflict("import_not_committed", {"state_code": f"import_state_{batch['state']}"})
    ids = list(
        session.execute(
            text("""SELECT e.id FROM import_rows r JOIN elements e ON e.id = r.element_id AND e.pond_id = :pond
                    WHERE r.batch_id = :batch AND r.action IN ('add', 'move', 'change')
                      AND e.review_state = 'submitted'
                    ORDER BY e.id FOR UPDATE OF e"""),
            {"batch": batch_id, "pond": pond_id},
        ).scalars()
    )
    _record_reviews(session, actor, pond_id, ids, decision, note, batch_id)
    return {"batch_id": batch_id, "review_state": decision, "elements": len(ids)}


def _record_reviews(
    session: Session,
    actor: Actor,
    pond_id: int,
    ids: list[int],
    decision: str,
    note: str | None,
    batch_id: int | None,
) -> None:
    if not ids:
        return
    session.execute(
        text("""UPDATE elements SET review_state = :decision, version = version + 1, updated_at = now()
                WHERE id = ANY(:ids)"""),
        {"decision": decision, "ids": ids},
    )
    session.execute(
        text("""INSERT INTO element_reviews (element_id, pond_id, element_version, batch_id, decision, reason,
                                             reviewed_by, reviewed_by_name)
                SELECT e.id, e.pond_id, e.version, :batch, :decision, :reason, :user_id, :username
                FROM elements e WHERE e.id = ANY(:ids)"""),
        {
            "ids": ids,
            "batch": batch_id,
            "decision": decision,
            "reason": note,
            "user_id": actor.user_id,
            "username": actor.username,
        },
    )


def reviews(session: Session, pond_id: int, element_id: int) -> list[dict[str, Any]]:
    rows = session.execute(
        text("""SELECT id, element_version, batch_id, decision, reason, reviewed_by_name, created_at
                FROM element_reviews WHERE element_id = :id AND pond_id = :pond ORDER BY id"""),
        {"id": element_id, "pond": pond_id},
    ).mappings()
    return [{**dict(r), "created_at": r["created_at"].isoformat()} for r in rows]
