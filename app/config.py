"""Settings: every one is an environment variable with the prefix TAILINGS_ (see README, "Configuration")."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parents[1]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TAILINGS_", extra="ignore")

    database_url: str = Field(
        "postgresql+psycopg://postgres@127.0.0.1:55432/tailings",
        validation_alias=AliasChoices("TAILINGS_DATABASE_URL", "DATABASE_URL"),
        description="SQLAlchemy URL of the PostGIS database; DATABASE_URL is accepted too.",
    )
    db_pool_size: int = Field(8, ge=1, le=200)
    layers_dir: Path = Field(ROOT / "layers", description="Folder of the editable data layers.")
    region_file: Path | None = Field(
        None, description="GeoJSON of the supervised region; default layers/reference/panzhihua_city.geojson."
    )
    region_margin_m: float = Field(5000, ge=0, description="Geometries farther outside the region are refused.")
    default_language: Literal["zh", "en"] = "zh"
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)

    @field_validator("database_url")
    @classmethod
    def _psycopg3(cls, url: str) -> str:
        # Accept the libpq-style URL people paste; SQLAlchemy needs the driver name.
        for prefix in ("postgres://", "postgresql://"):
            if url.startswith(prefix):
                return "postgresql+psycopg://" + url[len(prefix) :]
        return url

    @property
    def region_path(self) -> Path:
        return self.region_file or self.layers_dir / "reference" / "panzhihua_city.geojson"


@lru_cache
def get_settings() -> Settings:
    return Settings()
