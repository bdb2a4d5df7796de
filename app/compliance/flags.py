"""Two rules the map and the dashboard show for many ponds at once, as SQL over `ponds p`: whether a pond's
one map is complete (every element type of the catalogue present, rule `one_map_completeness`) and whether
it lies in a priority zone (within a rule-set distance of a listed river, rule `priority_zone`).

compliance/service.py checks one pond in full, with the details; this is the one place for the per-pond
flags computed in bulk, so the overview map and the dashboard count the same ponds.
"""

from __future__ import annotations

from typing import Any

from app import registry

# Both read the parameters of `flag_params()`; `p` is the ponds table.
ONE_MAP_COMPLETE_SQL = """((SELECT count(DISTINCT e.type) FROM elements e WHERE e.pond_id = p.id
                              AND e.type = ANY(:types)) = cardinality(CAST(:types AS text[])))"""
PRIORITY_ZONE_SQL = """EXISTS (SELECT 1 FROM rivers r JOIN unnest(CAST(:rivers AS text[]), CAST(:distances AS float8[]))
                           AS b(code, distance) ON b.code = r.code
                         WHERE ST_DWithin(coalesce(p.boundary, p.location)::geography, r.geom::geography,
                                          b.distance))"""


def priority_buffers() -> list[tuple[str, float]]:
    """(river code, distance in metres) of the priority-zone rule; none when the rule is off."""
    rule = registry.rules().get("priority_zone")
    return [(b.river, b.distance_m) for b in rule.params.buffers] if rule and rule.enabled else []


def buffer_params() -> dict[str, Any]:
    buffers = priority_buffers()
    return {"rivers": [r for r, _ in buffers], "distances": [d for _, d in buffers]}


def flag_params() -> dict[str, Any]:
    """The parameters ONE_MAP_COMPLETE_SQL and PRIORITY_ZONE_SQL read."""
    return {"types": list(registry.catalogue().type_codes), **buffer_params()}
