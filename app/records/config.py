"""Reading `layers/records.yaml`: safety-grade thresholds, flags and value lists of the pond records."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.config import get_settings
from app.enums import FacilityStatus, PondStatus, ProjectKind, ProjectStatus, RiskGrade
from app.layer_files import read_layer

Labels = dict[Literal["zh", "en"], str]
FileKind = Literal["pdf", "image", "office"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GradeThreshold(_Model):
    grade: int = Field(ge=1, le=5)
    min_volume_10k_m3: float = Field(ge=0)
    min_dam_height_m: float = Field(ge=0)


class GradeCombination(_Model):
    """How the capacity grade and the dam-height grade make the pond's grade (GB 50863-2013 §3.2.1)."""

    take_higher_within: int = Field(ge=0)
    otherwise_lower_by: int = Field(ge=0)


class SafetyGrades(_Model):
    source: str
    default: int = Field(ge=1, le=5)
    grades: list[GradeThreshold]
    combine: GradeCombination

    def by_volume(self, volume_10k_m3: float) -> int:
        ordered = sorted(self.grades, key=lambda g: g.grade)
        return next((g.grade for g in ordered if volume_10k_m3 >= g.min_volume_10k_m3), self.default)

    def by_dam_height(self, dam_height_m: float) -> int:
        ordered = sorted(self.grades, key=lambda g: g.grade)
        return next((g.grade for g in ordered if dam_height_m >= g.min_dam_height_m), self.default)

    def grade(self, volume_10k_m3: float | None, dam_height_m: float | None) -> int | None:
        """The pond's grade from its capacity grade and dam-height grade (None when either is unknown):
        the higher of the two when they differ by little, else the higher lowered (see layers/records.yaml)."""
        if volume_10k_m3 is None or dam_height_m is None:
            return None
        by_v, by_h = self.by_volume(volume_10k_m3), self.by_dam_height(dam_height_m)
        higher = min(by_v, by_h)  # grade 1 is the highest
        if abs(by_v - by_h) <= self.combine.take_higher_within:
            return higher
        return min(higher + self.combine.otherwise_lower_by, self.default)


class Permits(_Model):
    expiring_within_days: int = Field(90, ge=0)


class Ledger(_Model):
    source: str
    due_month: int = Field(ge=1, le=12)
    due_day: int = Field(ge=1, le=31)
    statuses: list[PondStatus]
    first_year: int = Field(ge=1950)


class DocumentType(_Model):
    label: Labels
    accepts: list[FileKind]


class RecordsConfig(_Model):
    version: int
    safety_grades: SafetyGrades
    permits: Permits
    ledger: Ledger
    risk_grades: dict[RiskGrade, Labels]
    project_kinds: dict[ProjectKind, Labels]
    project_statuses: dict[ProjectStatus, Labels]
    facility_statuses: dict[FacilityStatus, Labels]
    facility_kinds: dict[str, Labels]
    document_types: dict[str, DocumentType]


def load(path: Path) -> RecordsConfig:
    return read_layer(path, RecordsConfig, "invalid records file ")


@lru_cache
def records_config() -> RecordsConfig:
    return load(get_settings().layers_dir / "records.yaml")
