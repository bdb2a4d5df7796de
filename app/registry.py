"""Data loaded once per process from `layers/`: the element catalogue, the rules, the region, the vocabulary.

Loaded at start-up (the lifespan calls `load_all`) so that a broken file stops the service with a clear
message instead of failing a request later; cached, so no request reads a file.
"""

from __future__ import annotations

from functools import lru_cache

from app.catalogue import Catalogue, load_catalogue
from app.checklists import Checklists, load_checklists
from app.config import get_settings
from app.ruleset import RuleSet, load_rules
from gis.region import Region


@lru_cache
def catalogue() -> Catalogue:
    return load_catalogue(get_settings().layers_dir / "catalogue" / "element_types.yaml")


@lru_cache
def rules() -> RuleSet:
    return load_rules(get_settings().layers_dir / "rules.yaml", catalogue())


@lru_cache
def region() -> Region:
    settings = get_settings()
    return Region.from_geojson(settings.region_path, settings.region_margin_m)


@lru_cache
def checklists() -> Checklists:
    return load_checklists(get_settings().layers_dir / "checklists" / "checklists.yaml", catalogue())


def load_all() -> None:
    from app.hazards.config import hazards_config
    from app.monitoring.config import monitoring_config
    from app.records.config import records_config
    from app.vocabulary import vocabulary

    hazards_config()
    catalogue()
    rules()
    region()
    records_config()
    monitoring_config()
    checklists()
    vocabulary()


def clear() -> None:
    from app.hazards.config import hazards_config
    from app.monitoring.config import monitoring_config
    from app.records.config import records_config
    from app.vocabulary import vocabulary

    for f in (catalogue, rules, region, records_config, monitoring_config, checklists, hazards_config, vocabulary):
        f.cache_clear()
