"""Running the rules of `layers/rules.yaml` on a pond.

Each rule is one function registered under its id: it gets the pond's facts and its typed parameters and
returns pass / fail / not_applicable with a reason in the user's language. Distances are computed in
PostGIS on the spheroid (geography), so thresholds are metres.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from app import registry
from app import ruleset as cfg
from app.errors import NotFound
from app.i18n import Lang, label, t

PASS, FAIL, NA = "pass", "fail", "not_applicable"


@dataclass
class PondFacts:
    """What most rules need, read once per pond: the pond's status and its elements without geometry."""

    id: int
    code: str
    name: str
    status: str
    stopped_since: dt.date | None
    has_boundary: bool
    elements: list[dict[str, Any]]

    def of_kinds(self, kinds: list[str]) -> list[dict[str, Any]]:
        return [e for e in self.elements if e["kind"] in kinds]


@dataclass
class Outcome:
    status: str
    reason: str
    details: dict[str, Any] = field(default_factory=dict)
    element_ids: list[int] = field(default_factory=list)


@dataclass
class Ctx:
    session: Session
    pond: PondFacts
    lang: Lang
    today: dt.date

    def name(self, e: dict[str, Any]) -> str:
        return e["name"] or t("unnamed", self.lang, id=e["id"])

    def join(self, items: list[str]) -> str:
        return t("list_sep", self.lang).join(items)


Rule = Callable[[Ctx, Any], Outcome]
RULES: dict[str, Rule] = {}


def rule(rule_id: str) -> Callable[[Rule], Rule]:
    def register(fn: Rule) -> Rule:
        RULES[rule_id] = fn
        return fn

    return register


def _role_label(role: str, lang: Lang) -> str:
    spec = registry.catalogue().kinds["monitoring_well"].attribute_map["role"]
    return label((spec.value_labels or {}).get(role), lang) or role


@rule("groundwater_wells")
def groundwater_wells(ctx: Ctx, p: cfg.GroundwaterWells) -> Outcome:
    wells = ctx.pond.of_kinds(["monitoring_well"])
    roles = Counter(w["attributes"].get("role") for w in wells)
    need = {"background": p.min_background, "monitoring": p.min_monitoring, "diffusion": p.min_diffusion}
    has_drain = bool(ctx.pond.of_kinds(p.drain_kinds))
    if has_drain:
        need["drain_outlet"] = p.min_drain_outlet
    missing = [
        t("gw_count", ctx.lang, role=_role_label(r, ctx.lang), need=n, have=roles[r])
        for r, n in need.items()
        if roles[r] < n
    ]
    details = {
        "wells": dict(sorted(roles.items(), key=lambda kv: str(kv[0]))),
        "required": need,
        "groundwater_drain": has_drain,
    }
    ids = [w["id"] for w in wells]
    if missing:
        return Outcome(FAIL, t("gw_missing", ctx.lang, missing=ctx.join(missing)), details, ids)
    counts = ctx.join([t("gw_have", ctx.lang, role=_role_label(r, ctx.lang), have=roles[r]) for r in need])
    return Outcome(PASS, t("gw_ok", ctx.lang, counts=counts), details, ids)


@rule("leachate_pipe_to_pool")
def leachate_pipe_to_pool(ctx: Ctx, p: cfg.LeachatePipeToPool) -> Outcome:
    pipes = ctx.pond.of_kinds(p.pipe_kinds)
    if not pipes:
        return Outcome(NA, t("pipe_none", ctx.lang))
    if not ctx.pond.of_kinds(p.pool_kinds):
        return Outcome(FAIL, t("pipe_no_pool", ctx.lang, pipes=len(pipes)), {}, [e["id"] for e in pipes])
    # The last vertex in flow direction; for a multi-line, the end of its last part.
    rows = ctx.session.execute(
        text("""
        SELECT pipe.id, (
            SELECT min(ST_Distance(ST_EndPoint(CASE WHEN GeometryType(pipe.geom) = 'MULTILINESTRING'
                                     THEN ST_GeometryN(pipe.geom, ST_NumGeometries(pipe.geom)) ELSE pipe.geom END
                                   )::geography, pool.geom::geography))
            FROM elements pool WHERE pool.pond_id = pipe.pond_id AND pool.kind = ANY(:pools)) AS distance
        FROM elements pipe WHERE pipe.pond_id = :pond AND pipe.kind = ANY(:pipes) ORDER BY pipe.id"""),
        {"pond": ctx.pond.id, "pipes": p.pipe_kinds, "pools": p.pool_kinds},
    ).all()
    by_id = {e["id"]: e for e in pipes}
    distances = {r.id: round(r.distance, 1) for r in rows}
    far = [i for i, d in distances.items() if d > p.tolerance_m]
    details = {"tolerance_m": p.tolerance_m, "end_to_pool_m": distances}
    if far:
        items = [t("pipe_far_item", ctx.lang, name=ctx.name(by_id[i]), distance=distances[i]) for i in far]
        return Outcome(FAIL, t("pipe_far", ctx.lang, items=ctx.join(items)), details, far)
    return Outcome(
        PASS, t("pipe_ok", ctx.lang, pipes=len(pipes), tolerance=f"{p.tolerance_m:g}"), details, list(distances)
    )


def _unlined(ctx: Ctx, pools: list[dict[str, Any]]) -> Outcome:
    unlined = [e for e in pools if e["attributes"].get("lined") is not True]
    if unlined:
        return Outcome(
            FAIL,
            t("pool_unlined", ctx.lang, items=ctx.join([ctx.name(e) for e in unlined])),
            {"unlined": [e["id"] for e in unlined]},
            [e["id"] for e in unlined],
        )
    return Outcome(PASS, t("pool_ok", ctx.lang, n=len(pools)), {}, [e["id"] for e in pools])


@rule("emergency_pool")
def emergency_pool(ctx: Ctx, p: cfg.PoolKinds) -> Outcome:
    pools = ctx.pond.of_kinds(p.pool_kinds)
    if not pools:
        return Outcome(FAIL, t("epool_none", ctx.lang))
    return _unlined(ctx, pools)


@rule("pools_lined")
def pools_lined(ctx: Ctx, p: cfg.PoolKinds) -> Outcome:
    pools = ctx.pond.of_kinds(p.pool_kinds)
    if not pools:
        return Outcome(NA, t("pool_none", ctx.lang))
    return _unlined(ctx, pools)


@rule("elements_near_pond")
def elements_near_pond(ctx: Ctx, p: cfg.ElementsNearPond) -> Outcome:
    if not ctx.pond.has_boundary:
        return Outcome(NA, t("rule_no_boundary", ctx.lang))
    if not ctx.pond.elements:
        return Outcome(NA, t("near_none", ctx.lang))
    rows = ctx.session.execute(
        text("""
        SELECT e.id, e.kind, ST_Distance(e.geom::geography, p.boundary::geography) AS distance
        FROM elements e JOIN ponds p ON p.id = e.pond_id WHERE e.pond_id = :pond ORDER BY e.id"""),
        {"pond": ctx.pond.id},
    ).all()
    by_id = {e["id"]: e for e in ctx.pond.elements}
    far = []
    for r in rows:
        limit = p.outside_kinds.get(r.kind, p.max_distance_m)
        if r.distance > limit:
            far.append((r.id, round(r.distance), limit))
    if far:
        items = [
            t("near_far_item", ctx.lang, name=ctx.name(by_id[i]), distance=d, limit=f"{lim:g}") for i, d, lim in far
        ]
        return Outcome(
            FAIL,
            t("near_far", ctx.lang, items=ctx.join(items)),
            {"too_far": {i: d for i, d, _ in far}},
            [i for i, _, _ in far],
        )
    return Outcome(PASS, t("near_ok", ctx.lang, n=len(rows)))


@rule("priority_zone")
def priority_zone(ctx: Ctx, p: cfg.PriorityZone) -> Outcome:
    codes = [b.river for b in p.buffers]
    rows = ctx.session.execute(
        text("""
        SELECT r.code, r.name_zh, r.name_en,
               ST_Distance(coalesce(p.boundary, p.location)::geography, r.geom::geography) AS distance
        FROM rivers r, ponds p WHERE p.id = :pond AND r.code = ANY(:codes)"""),
        {"pond": ctx.pond.id, "codes": codes},
    ).all()
    found = {r.code: r for r in rows}
    missing = [c for c in codes if c not in found]
    if not found:
        return Outcome(NA, t("zone_no_rivers", ctx.lang, rivers=", ".join(missing)), {"missing_rivers": missing})
    rivers, inside, items = [], [], []
    for b in p.buffers:
        r = found.get(b.river)
        if r is None:
            continue
        name = r.name_zh if ctx.lang == "zh" else (r.name_en or r.name_zh)
        within = r.distance <= b.distance_m
        rivers.append({"river": b.river, "distance_m": round(r.distance), "buffer_m": b.distance_m, "within": within})
        item = t("zone_item", ctx.lang, river=name, distance=round(r.distance), buffer=f"{b.distance_m:g}")
        (inside if within else items).append(item)
    details = {"in_priority_zone": bool(inside), "rivers": rivers, "missing_rivers": missing}
    reason = (
        t("zone_in", ctx.lang, items=ctx.join(inside)) if inside else t("zone_out", ctx.lang, items=ctx.join(items))
    )
    if missing:
        reason += t("zone_missing_rivers", ctx.lang, rivers=", ".join(missing))
    return Outcome(PASS, reason, details)


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a common year
        return day.replace(year=day.year + years, day=28)


@rule("closure_deadline")
def closure_deadline(ctx: Ctx, p: cfg.ClosureDeadline) -> Outcome:
    since = ctx.pond.stopped_since
    if since is None:
        return Outcome(FAIL, t("closure_unknown", ctx.lang))
    deadline = _add_years(since, p.years)
    days = (deadline - ctx.today).days
    details = {"stopped_since": since.isoformat(), "deadline": deadline.isoformat()}
    if days < 0:
        return Outcome(
            FAIL,
            t("closure_overdue", ctx.lang, since=since, deadline=deadline, days=-days),
            {**details, "days_overdue": -days},
        )
    return Outcome(PASS, t("closure_ok", ctx.lang, deadline=deadline, days=days), {**details, "days_left": days})


@rule("one_map_completeness")
def one_map_completeness(ctx: Ctx, p: cfg.OneMapCompleteness) -> Outcome:
    cat = registry.catalogue()
    present = {e["type"] for e in ctx.pond.elements}
    checked = {e["type"] for e in ctx.pond.elements if e["source"] in p.field_sources}
    missing = [code for code in cat.type_codes if code not in present]
    details = {
        "types_present": [c for c in cat.type_codes if c in present],
        "types_missing": missing,
        "field_checked": {c: c in checked for c in cat.type_codes if c in present},
    }
    if missing:
        names = [label(cat.type(c).label, ctx.lang) for c in missing]  # type: ignore[union-attr]
        return Outcome(
            FAIL,
            t(
                "onemap_missing",
                ctx.lang,
                n=len(missing),
                types="、".join(names) if ctx.lang == "zh" else ", ".join(names),
            ),
            details,
        )
    return Outcome(PASS, t("onemap_ok", ctx.lang, field=len(checked & present)), details)


@rule("flood_return_period")
def flood_return_period(ctx: Ctx, p: cfg.FloodReturnPeriod) -> Outcome:
    facilities = ctx.pond.of_kinds(p.kinds)
    if not facilities:
        return Outcome(NA, t("flood_none", ctx.lang))
    low = [
        e
        for e in facilities
        if not isinstance(e["attributes"].get("design_return_period_years"), int | float)
        or e["attributes"]["design_return_period_years"] < p.min_years
    ]
    if low:
        return Outcome(
            FAIL,
            t("flood_low", ctx.lang, min=p.min_years, items=ctx.join([ctx.name(e) for e in low])),
            {},
            [e["id"] for e in low],
        )
    return Outcome(PASS, t("flood_ok", ctx.lang, min=p.min_years), {}, [e["id"] for e in facilities])


@rule("liner_class_ii")
def liner_class_ii(ctx: Ctx, p: cfg.LinerClassII) -> Outcome:
    liners = [e for e in ctx.pond.of_kinds(["liner"]) if e["attributes"].get("site_class") == "II"]
    if not liners:
        return Outcome(NA, t("liner_none", ctx.lang))
    spec = registry.catalogue().kinds["liner"].attribute_map
    bad = []
    for e in liners:
        a, problems = e["attributes"], []
        for attr, code, limit, below in (
            ("hdpe_mm", "liner_hdpe", p.hdpe_min_mm, True),
            ("clay_m", "liner_clay", p.clay_min_m, True),
            ("permeability_cm_s", "liner_perm", p.permeability_max_cm_s, False),
        ):
            value = a.get(attr)
            if value is None:
                problems.append(t("value_missing", ctx.lang, what=label(spec[attr].label, ctx.lang)))
            elif (value < limit) if below else (value > limit):
                problems.append(t(code, ctx.lang, value=f"{value:g}", min=f"{limit:g}", max=f"{limit:g}"))
        if problems:
            bad.append((e, problems))
    if bad:
        items = [t("liner_item", ctx.lang, name=ctx.name(e), problems=", ".join(pr)) for e, pr in bad]
        return Outcome(FAIL, t("liner_bad", ctx.lang, items=ctx.join(items)), {}, [e["id"] for e, _ in bad])
    return Outcome(PASS, t("liner_ok", ctx.lang), {}, [e["id"] for e in liners])


def pond_facts(session: Session, pond_id: int) -> PondFacts:
    row = session.execute(
        text("""
        SELECT id, code, name, status, stopped_since, boundary IS NOT NULL AS has_boundary FROM ponds
        WHERE id = :id"""),
        {"id": pond_id},
    ).one_or_none()
    if row is None:
        raise NotFound("not_found", {"what_code": "pond", "id": pond_id})
    elements = (
        session.execute(
            text("""
        SELECT id, type, kind, name, attributes, source FROM elements WHERE pond_id = :id ORDER BY id"""),
            {"id": pond_id},
        )
        .mappings()
        .all()
    )
    return PondFacts(
        row.id, row.code, row.name, row.status, row.stopped_since, row.has_boundary, [dict(e) for e in elements]
    )


def check_pond(session: Session, pond_id: int, lang: Lang = "zh", today: dt.date | None = None) -> dict[str, Any]:
    """Every enabled rule on one pond, with a summary count per outcome."""
    facts = pond_facts(session, pond_id)
    ctx = Ctx(session, facts, lang, today or dt.date.today())
    results = []
    for rc in registry.rules().rules:
        if not rc.enabled:
            continue
        if rc.statuses is not None and facts.status not in rc.statuses:
            outcome = Outcome(NA, t("rule_not_for_status", lang, status=t(f"status_{facts.status}", lang)))
        else:
            outcome = RULES[rc.id](ctx, rc.params)
        results.append(
            {
                "id": rc.id,
                "label": label(rc.label, lang),
                "source": rc.source,
                "status": outcome.status,
                "reason": outcome.reason,
                "details": outcome.details,
                "element_ids": outcome.element_ids,
            }
        )
    summary = Counter(r["status"] for r in results)
    return {
        "pond_id": facts.id,
        "pond_code": facts.code,
        "pond_name": facts.name,
        "checked_on": ctx.today.isoformat(),
        "summary": {s: summary.get(s, 0) for s in (PASS, FAIL, NA)},
        "results": results,
    }
