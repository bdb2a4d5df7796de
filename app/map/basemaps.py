"""Basemaps from layers/basemaps.yaml, filtered by the TAILINGS_BASEMAPS setting."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

import yaml

from app.config import get_settings
from app.i18n import LANGS, t


@dataclass(frozen=True)
class Basemap:
    name: str
    label: dict[str, str]
    url: str | None = None
    labels_url: str | None = None
    subdomains: str | None = None
    attribution: str = ""
    max_zoom: int = 18
    crs: str = "wgs84"  # wgs84 (also CGCS2000 web tiles) or gcj02 (shifted in the browser)

    @property
    def origins(self) -> set[str]:
        """Where its tiles come from, for the Content-Security-Policy."""
        found = set()
        for url in (self.url, self.labels_url):
            if url:
                parts = urlsplit(url)
                host = parts.hostname or ""
                found.add(
                    f"{parts.scheme}://{'*.' + host.split('.', 1)[1] if '{s}' in host else host}"
                    f"{':' + str(parts.port) if parts.port else ''}"
                )
        return found


@lru_cache
def configured() -> list[Basemap]:
    """The basemaps this deployment offers, in the configured order; unusable ones are left out."""
    settings = get_settings()
    raw = yaml.safe_load((settings.layers_dir / "basemaps.yaml").read_text(encoding="utf-8"))["basemaps"]
    known = {b["name"]: b for b in raw}
    key = settings.tianditu_key.get_secret_value() if settings.tianditu_key else None
    chosen: list[Basemap] = []
    for name in (n.strip() for n in settings.basemaps.split(",") if n.strip()):
        if name not in known:
            raise ValueError(f"TAILINGS_BASEMAPS: unknown basemap {name!r}; known: {sorted(known)}")
        b = dict(known[name])
        if b.pop("needs_key", False):
            if not key:
                raise ValueError(f"TAILINGS_BASEMAPS: {name} needs TAILINGS_TIANDITU_KEY")
            b["url"] = b["url"].replace("{key}", key)
            b["labels_url"] = b["labels_url"].replace("{key}", key) if b.get("labels_url") else None
        if name == "custom":
            if not settings.basemap_custom_url:
                raise ValueError("TAILINGS_BASEMAPS: custom needs TAILINGS_BASEMAP_CUSTOM_URL")
            b["url"] = settings.basemap_custom_url
        chosen.append(Basemap(**b))
    return chosen or [Basemap(name="none", label={lang: t("basemap_none", lang) for lang in LANGS})]


def tile_origins() -> list[str]:
    return sorted({o for b in configured() for o in b.origins})
