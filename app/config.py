"""Settings: every one is an environment variable with the prefix TAILINGS_ (see README, "Configuration")."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parents[1]
DEMO_SECRET_KEY = "demo-only-secret-key-do-not-use-in-production"


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

    demo: bool = Field(False, description="Demo mode: demo accounts exist and the default secret key is allowed.")
    secret_key: SecretStr = Field(SecretStr(DEMO_SECRET_KEY), description="Keys the session and token hashes.")
    cookie_secure: bool = Field(True, description="Send the session cookie over HTTPS only (localhost is exempt).")
    session_hours: float = Field(12, gt=0, description="Lifetime of a web session.")
    token_minutes: float = Field(60, gt=0, description="Lifetime of an API bearer token.")
    login_max_failures: int = Field(5, ge=1, description="Failed sign-ins before a username or address is locked.")
    login_lock_minutes: float = Field(15, gt=0)
    password_min_length: int = Field(10, ge=8)

    basemaps: str = Field(
        "none",
        description="Basemaps offered on the maps, comma-separated names from "
        "layers/basemaps.yaml; the first is shown at start.",
    )
    tianditu_key: SecretStr | None = Field(None, description="Tianditu key, for tianditu_vec / tianditu_img.")
    overview_geojson_max: int = Field(
        2000,
        ge=0,
        description="Above this many ponds in a user's scope the "
        "overview draws ponds from vector tiles instead of one GeoJSON.",
    )
    tile_cache_mb: float = Field(64, ge=0, description="Vector tiles kept in memory per worker (0: none).")
    files_dir: Path = Field(
        ROOT / "var" / "files",
        description="Where uploaded files (photos, documents, imports) are kept, by hash.",
    )
    upload_max_mb: float = Field(50, gt=0, description="Largest file accepted by any upload.")
    imports_staged_ttl_hours: float = Field(
        72, gt=0, description="A staged upload left undecided this long expires (checked at every upload)."
    )
    log_format: Literal["text", "json"] = Field(
        "text", description="Logs as readable text or as one JSON object per line (for a log collector)."
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    workers: int = Field(1, ge=1, le=64, description="uvicorn worker processes of `tailings serve`.")
    shutdown_timeout_s: float = Field(
        30, ge=0, le=600, description="On SIGTERM, how long requests in flight may take to finish."
    )
    province_sample_rate: float | None = Field(
        None,
        ge=0,
        le=1,
        description="Overrides layers/hazards.yaml: share of hazards on level-2 and level-3 ponds that also need "
        "provincial verification (level 1 always does); chosen per hazard by a hash of its id.",
    )
    evidence_max_distance_m: float | None = Field(
        None,
        gt=0,
        description="Overrides layers/hazards.yaml: a photo taken farther than this from its hazard is flagged.",
    )
    pdf_font: Path | None = Field(
        None, description="CJK font (.ttc/.otf/.ttf) embedded in PDF reports; default: Noto Sans CJK SC."
    )
    photo_max_mb: float = Field(20, gt=0, description="Largest photo accepted (also bounded by upload_max_mb).")
    basemap_custom_url: str | None = Field(
        None, description="Tile URL template ({z}/{x}/{y}) of the `custom` basemap, e.g. our own imagery tiles."
    )

    @field_validator("database_url")
    @classmethod
    def _psycopg3(cls, url: str) -> str:
        # Accept the libpq-style URL people paste; SQLAlchemy needs the driver name.
        for prefix in ("postgres://", "postgresql://"):
            if url.startswith(prefix):
                url = "postgresql+psycopg://" + url[len(prefix) :]
        if not url.startswith("postgresql+psycopg://"):
            raise ValueError("must be a PostgreSQL URL, e.g. postgresql://user:password@host:5432/tailings")
        return url

    @field_validator("layers_dir")
    @classmethod
    def _layers_exist(cls, path: Path) -> Path:
        if not (path / "catalogue" / "element_types.yaml").is_file():
            raise ValueError(f"{path} is not a layers folder (no catalogue/element_types.yaml in it)")
        return path

    @model_validator(mode="after")
    def _secret_outside_demo(self) -> Settings:
        key = self.secret_key.get_secret_value()
        if not self.demo and (key == DEMO_SECRET_KEY or len(key) < 32):
            raise ValueError(
                "TAILINGS_SECRET_KEY must be set to a random value of at least 32 characters outside demo mode "
                "(for example: python3 -c 'import secrets; print(secrets.token_urlsafe(48))'), "
                "or set TAILINGS_DEMO=true for a demonstration"
            )
        return self

    @property
    def region_path(self) -> Path:
        return self.region_file or self.layers_dir / "reference" / "panzhihua_city.geojson"


def describe_error(exc: Exception) -> str:
    """A settings error as lines naming the environment variable, its value and what is wrong with it."""
    from pydantic import ValidationError

    if not isinstance(exc, ValidationError):
        return str(exc)
    lines = []
    for err in exc.errors():
        field = str(err["loc"][0]) if err["loc"] else ""
        message = str(err["msg"]).removeprefix("Value error, ")
        if not field:  # a check across settings (the secret key): its message names the variables
            lines.append(message)
            continue
        name = field.upper() if field.upper().startswith(("TAILINGS_", "DATABASE_")) else f"TAILINGS_{field.upper()}"
        # never echo a secret or a URL that may hold a password
        hidden = any(word in name for word in ("SECRET", "KEY", "URL"))
        shown = "" if hidden else f"={err.get('input')!s:.80}"
        lines.append(f"{name}{shown}: {message}")
    return "; ".join(lines)


@lru_cache
def get_settings() -> Settings:
    return Settings()
