"""Reading `layers/vocabulary.yaml`: the headings and cell words accepted in uploaded files.

Loaded once per process (registered in `app.registry`) and checked on load, so a bureau's edit that breaks
the file stops the service at start with the file named, not a request later.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, field_validator

from app.config import get_settings
from app.layer_files import read_layer


class Values(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    true: frozenset[str]
    false: frozenset[str]
    below_detection: frozenset[str]
    dimensionless: frozenset[str]


class Vocabulary(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    version: int
    columns: dict[str, dict[str, tuple[str, ...]]]
    values: Values

    @field_validator("columns")
    @classmethod
    def _headings_given(cls, v: dict[str, dict[str, tuple[str, ...]]]) -> dict[str, dict[str, tuple[str, ...]]]:
        for upload, fields in v.items():
            for name, headings in fields.items():
                if not headings or any(not isinstance(h, str) or not h.strip() for h in headings):
                    raise ValueError(f"columns.{upload}.{name}: needs one or more non-empty headings")
        return v

    def headings(self, upload: str) -> dict[str, tuple[str, ...]]:
        """field -> the headings accepted for it, for one kind of upload (a KeyError names a missing kind)."""
        return self.columns[upload]


def load_vocabulary(path: Path) -> Vocabulary:
    return read_layer(path, Vocabulary, "")


@lru_cache
def vocabulary() -> Vocabulary:
    return load_vocabulary(get_settings().layers_dir / "vocabulary.yaml")
