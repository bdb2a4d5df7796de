"""Band roles: which band of an image is blue, green, red, near-infrared...

Roles come, in this order, from what the user gives (`--bands blue,green,red,nir`), from the band
descriptions in the file (GDAL band description, e.g. "green", "NIR", or Sentinel-2 codes "B03", "B08"),
or from the band count: 4 bands are taken as blue, green, red, NIR (the order of GF-1/GF-2 PMS
multispectral products and of the usual Sentinel-2 10 m stack B2, B3, B4, B8); 3 bands as red, green,
blue (drone orthophotos); 1 band as a DEM's elevation. Anything else must be given.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from gis.raster.errors import RasterRefused

ROLES = ("blue", "green", "red", "nir", "swir1", "swir2", "alpha", "elevation", "other")

BandRoles = dict[str, int]
"""Role name -> 1-based band index."""

_ALIASES: Mapping[str, str] = {
    "blue": "blue",
    "b": "blue",
    "green": "green",
    "g": "green",
    "red": "red",
    "r": "red",
    "nir": "nir",
    "near-infrared": "nir",
    "near infrared": "nir",
    "nearinfrared": "nir",
    "swir1": "swir1",
    "swir2": "swir2",
    "alpha": "alpha",
    "elevation": "elevation",
    "dem": "elevation",
    "height": "elevation",
}
_SENTINEL2 = {"b02": "blue", "b2": "blue", "b03": "green", "b3": "green", "b04": "red", "b4": "red"}
_SENTINEL2 |= {"b08": "nir", "b8": "nir", "b11": "swir1", "b12": "swir2"}

_BY_COUNT: Mapping[int, tuple[str, ...]] = {
    4: ("blue", "green", "red", "nir"),
    3: ("red", "green", "blue"),
    1: ("elevation",),
}


def _role(name: str, sensor: str | None) -> str | None:
    key = name.strip().lower()
    if key in _ALIASES:
        return _ALIASES[key]
    if sensor and sensor.lower().startswith("sentinel") and key in _SENTINEL2:
        return _SENTINEL2[key]
    return None


def resolve_band_roles(
    count: int,
    descriptions: Sequence[str | None] = (),
    given: Sequence[str] | None = None,
    sensor: str | None = None,
) -> BandRoles:
    """The role of each band, from `given` names, else the file's band descriptions, else the band count.

    Refuses (`raster_band_roles`) given names that are unknown, repeated or not one per band.
    """
    if given:
        names = [g.strip().lower() for g in given]
        roles = [_ALIASES.get(n) or (_SENTINEL2.get(n) if sensor else None) for n in names]
        if len(names) != count or any(r is None for r in roles) or len(set(roles)) != len(roles):
            raise RasterRefused("raster_band_roles", {"bands": ",".join(given), "count": count})
        return {r: i + 1 for i, r in enumerate(roles) if r is not None}
    described = [_role(d, sensor) if d else None for d in descriptions]
    found = {r: i + 1 for i, r in enumerate(described) if r is not None}
    if len(found) == count or ("green" in found and "nir" in found):
        return found
    if count in _BY_COUNT:
        return {r: i + 1 for i, r in enumerate(_BY_COUNT[count])}
    return found
