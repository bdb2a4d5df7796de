"""Reading and validating `layers/checklists/checklists.yaml`: the inspection checklists, as data.

A template is what an inspector fills for one pond: the sections that apply to the pond's status, each
with its items. Templates are versioned: an inspection stores the template it was started with (see
`app.inspections.service.template_row`), so a later edit of the file never changes an old inspection.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.catalogue import Catalogue

ChecklistStatus = Literal["in_use", "stopped", "closed"]
Labels = dict[Literal["zh", "en"], str]
_ITEM_ID = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Item(_Strict):
    id: str = Field(pattern=_ITEM_ID.pattern)
    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)
    source: str = Field(min_length=3, description="The clause the item comes from")
    statuses: list[ChecklistStatus] | None = None


class Section(_Strict):
    code: str
    label: Labels
    statuses: list[ChecklistStatus] = Field(min_length=1)
    pond_level: bool = False  # answered once per pond (management, closure), not per element
    items: list[Item] = Field(min_length=1)


class Schedule(_Strict):
    flood_season_starts: str = Field(pattern=r"^\d\d-\d\d$")
    government_per_year: dict[int, int]
    level1_before_flood_season: int = Field(ge=0)
    self_inspection_per_year: int = Field(ge=0)


class Checklists(_Strict):
    version: int = Field(ge=1)
    status_map: dict[str, ChecklistStatus]
    schedule: Schedule
    sections: list[Section] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> Checklists:
        ids = [i.id for s in self.sections for i in s.items]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"item ids used twice: {dupes}")
        codes = [s.code for s in self.sections]
        if len(set(codes)) != len(codes):
            raise ValueError("a section code is used twice")
        return self

    def checklist_status(self, pond_status: str) -> ChecklistStatus:
        return self.status_map[pond_status]

    def template(self, status: ChecklistStatus) -> dict[str, Any]:
        """The template for ponds of `status`: the sections and items that apply, as stored with an inspection."""
        sections = []
        for s in self.sections:
            if status not in s.statuses:
                continue
            items = [
                {"id": i.id, "zh": i.zh, "en": i.en, "source": i.source}
                for i in s.items
                if i.statuses is None or status in i.statuses
            ]
            if items:
                sections.append({"code": s.code, "label": dict(s.label), "pond_level": s.pond_level, "items": items})
        return {"version": self.version, "status": status, "sections": sections}


def template_hash(template: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(template, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def load_checklists(path: Path, catalogue: Catalogue) -> Checklists:
    """Read and check the checklist file; a ValueError names the file and the problem."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        checklists = Checklists.model_validate(raw)
    except (OSError, yaml.YAMLError, ValueError) as exc:
        raise ValueError(f"{path}: {exc}") from exc
    types = {t.code for t in catalogue.types}
    for s in checklists.sections:
        if not s.pond_level and s.code not in types:
            raise ValueError(f"{path}: section {s.code} is neither an element type of the catalogue nor pond_level")
    from app.enums import PondStatus

    missing = {s.value for s in PondStatus} - set(checklists.status_map)
    if missing:
        raise ValueError(f"{path}: status_map lacks the pond statuses {sorted(missing)}")
    return checklists
