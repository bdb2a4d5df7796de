"""Reading `layers/hazards.yaml`: verification periods, the deadline after a rejection, the province's sample
rate and the evidence-photo distance (the last two may be overridden by a deployment's environment)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from app.config import get_settings
from app.layer_files import read_layer


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class VerificationDays(_Model):
    county: int = Field(gt=0)
    city: int = Field(gt=0)
    province: int = Field(gt=0)


class HazardsConfig(_Model):
    version: int
    province_sample_rate: float = Field(ge=0, le=1)
    evidence_max_distance_m: float = Field(gt=0)
    verification_days: VerificationDays
    rejection_deadline_days: int = Field(gt=0)


def load(path: Path) -> HazardsConfig:
    return read_layer(path, HazardsConfig, "invalid hazards file ")


@lru_cache
def hazards_config() -> HazardsConfig:
    return load(get_settings().layers_dir / "hazards.yaml")


def province_sample_rate() -> float:
    """The deployment's TAILINGS_PROVINCE_SAMPLE_RATE where set, else layers/hazards.yaml."""
    rate = get_settings().province_sample_rate
    return hazards_config().province_sample_rate if rate is None else rate


def evidence_max_distance_m() -> float:
    """The deployment's TAILINGS_EVIDENCE_MAX_DISTANCE_M where set, else layers/hazards.yaml."""
    limit = get_settings().evidence_max_distance_m
    return hazards_config().evidence_max_distance_m if limit is None else limit
