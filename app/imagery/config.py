"""Imagery settings: environment variables with the prefix TAILINGS_IMAGERY_."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class ImagerySettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TAILINGS_IMAGERY_", extra="ignore")

    ndwi_threshold: float = Field(0.0, ge=-1, le=1, description="NDWI above which a pixel is water (McFeeters).")
    rgb_threshold: float = Field(0.05, ge=-1, le=1, description="Drone RGB: (blue-red)/(blue+red) above which water.")
    min_area_m2: float = Field(200, ge=0, description="Water bodies smaller than this are dropped.")
    fill_holes_m2: float = Field(200, ge=0, description="Dry holes smaller than this are filled.")
    pond_margin_m: float = Field(300, ge=0, description="Water is searched this far around a pond's boundary.")
    outline_closing_m: float = Field(30, ge=0, description="Gaps narrower than twice this join a pond's outline.")
    growth_flag_m2: float = Field(
        1000, ge=0, description="An outline reaching beyond the approved boundary by more than this is flagged."
    )
    dask_scheduler: str | None = Field(
        None, description="Address of a Dask scheduler (tcp://host:8786) for batch derivation; none: a local cluster."
    )
    dask_workers: int = Field(2, ge=1, description="Worker processes of the local Dask cluster.")


@lru_cache
def get_imagery_settings() -> ImagerySettings:
    return ImagerySettings()
