"""Reading `layers/monitoring.yaml`: parameters with their limits and aliases, units, sampling frequency."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from app.config import get_settings
from app.enums import PondStatus

Labels = dict[Literal["zh", "en"], str]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Parameter(_Model):
    code: str
    label: Labels
    unit: str  # "" for pH, else mg/L
    min: float | None = None
    max: float | None = None
    source: str
    aliases: list[str] = []

    def exceeds(self, value: float) -> bool:
        return (self.max is not None and value > self.max) or (self.min is not None and value < self.min)


class FrequencyRule(_Model):
    statuses: list[PondStatus]
    label: Labels
    period_months: Literal[1, 2, 3, 4, 6, 12]  # calendar periods from 1 January
    min_gap_days: int = Field(ge=0)


class FrequencyEnd(_Model):
    """When the duty ends: after closure, wells not above background for some consecutive calendar years."""

    statuses: list[PondStatus]
    consecutive_years: int = Field(gt=0)
    label: Labels


class Frequency(_Model):
    source: str
    rules: list[FrequencyRule]
    window_days: int = Field(gt=0)
    end: FrequencyEnd | None = None

    def rule_for(self, status: str) -> FrequencyRule | None:
        return next((r for r in self.rules if status in r.statuses), None)


def _key(name: str) -> str:
    return "".join(str(name).split()).lower()


class MonitoringConfig(_Model):
    version: int
    units: dict[str, float]
    parameters: list[Parameter]
    not_detected: list[str]
    frequency: Frequency

    def parameter(self, name: str) -> Parameter | None:
        key = _key(name)
        for p in self.parameters:
            if key == p.code or key in {_key(a) for a in p.aliases} or key in {_key(v) for v in p.label.values()}:
                return p
        return None

    def unit_factor(self, unit: str) -> float | None:
        key = _key(unit)
        return next((f for u, f in self.units.items() if _key(u) == key), None)

    @property
    def by_code(self) -> dict[str, Parameter]:
        return {p.code: p for p in self.parameters}


def load(path: Path) -> MonitoringConfig:
    try:
        cfg = MonitoringConfig.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        raise ValueError(f"invalid monitoring file {path}: {exc}") from exc
    codes = [p.code for p in cfg.parameters]
    if len(codes) != len(set(codes)):
        raise ValueError(f"invalid monitoring file {path}: duplicate parameter codes")
    return cfg


@lru_cache
def monitoring_config() -> MonitoringConfig:
    return load(get_settings().layers_dir / "monitoring.yaml")
