"""Reading `layers/rules.yaml` (used by compliance, imports, the map and the bureau): each rule's id, labels,
source and typed parameters. Data at the bottom, loaded once by `app.registry.rules`."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from app.catalogue import Catalogue
from app.enums import PondStatus


class _Params(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GroundwaterWells(_Params):
    min_background: int = Field(1, ge=0)
    min_monitoring: int = Field(1, ge=0)
    min_diffusion: int = Field(1, ge=0)
    min_drain_outlet: int = Field(1, ge=0)
    drain_kinds: list[str] = ["groundwater_drain"]


class LeachatePipeToPool(_Params):
    tolerance_m: float = Field(15, ge=0)
    pipe_kinds: list[str] = ["leachate_pipe"]
    pool_kinds: list[str] = ["leachate_pool"]


class PoolKinds(_Params):
    pool_kinds: list[str]


class ElementsNearPond(_Params):
    max_distance_m: float = Field(300, ge=0)
    outside_kinds: dict[str, float] = {}
    # beyond this distance from the pond a geometry is refused on every write path, not merely flagged
    refuse_beyond_m: float = Field(5000, gt=0)


class RiverBuffer(_Params):
    river: str
    distance_m: float = Field(gt=0)


class PriorityZone(_Params):
    buffers: list[RiverBuffer]


class ClosureDeadline(_Params):
    years: int = Field(2, ge=1)


class OneMapCompleteness(_Params):
    field_sources: list[str] = ["field"]


class FloodReturnPeriod(_Params):
    min_years: int = Field(50, ge=1)
    kinds: list[str] = ["spillway_tower", "flood_tunnel"]


class LinerClassII(_Params):
    hdpe_min_mm: float = 1.5
    clay_min_m: float = 0.75
    permeability_max_cm_s: float = 1e-7


PARAMS: dict[str, type[_Params]] = {
    "groundwater_wells": GroundwaterWells,
    "leachate_pipe_to_pool": LeachatePipeToPool,
    "emergency_pool": PoolKinds,
    "pools_lined": PoolKinds,
    "elements_near_pond": ElementsNearPond,
    "priority_zone": PriorityZone,
    "closure_deadline": ClosureDeadline,
    "one_map_completeness": OneMapCompleteness,
    "flood_return_period": FloodReturnPeriod,
    "liner_class_ii": LinerClassII,
}


class RuleConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    label: dict[Literal["zh", "en"], str]
    source: str
    enabled: bool = True
    # pond statuses the rule applies to; others get not_applicable (None: every status)
    statuses: list[PondStatus] | None = None
    params: Any = None


class RuleSet(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    version: int
    rules: list[RuleConfig]

    def get(self, rule_id: str) -> RuleConfig | None:
        return next((r for r in self.rules if r.id == rule_id), None)


def load_rules(path: Path, catalogue: Catalogue) -> RuleSet:
    """Read and validate the rules file; every kind it names must exist in the catalogue."""
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        ruleset = RuleSet.model_validate(raw)
        typed = []
        for rule in ruleset.rules:
            if rule.id not in PARAMS:
                raise ValueError(f"unknown rule id {rule.id!r}; known: {sorted(PARAMS)}")
            params = PARAMS[rule.id].model_validate(rule.params or {})
            _check_kinds(rule.id, params, catalogue)
            typed.append(rule.model_copy(update={"params": params}))
        ids = [r.id for r in typed]
        if len(ids) != len(set(ids)):
            raise ValueError("duplicate rule ids")
        return ruleset.model_copy(update={"rules": typed})
    except (OSError, yaml.YAMLError, ValidationError, ValueError) as exc:
        raise ValueError(f"invalid rules file {path}: {exc}") from exc


def _check_kinds(rule_id: str, params: _Params, catalogue: Catalogue) -> None:
    for name, value in params:
        if name.endswith("kinds"):
            names = list(value) if isinstance(value, dict | list) else []
            unknown = [k for k in names if k not in catalogue.kinds]
            if unknown:
                raise ValueError(f"rule {rule_id}: {name} names unknown kinds {unknown}")
