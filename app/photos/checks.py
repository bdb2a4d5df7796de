"""Photos: checked to be real images (Pillow opens and verifies them), and what their EXIF says (time and
GPS position); evidence checks compare both with the hazard a photo is meant to show."""

from __future__ import annotations

import datetime as dt
import io
import warnings
from dataclasses import dataclass
from typing import Any

from PIL import ExifTags, Image, UnidentifiedImageError
from pyproj import Geod

from app.clock import CHINA
from app.config import get_settings
from app.errors import Invalid

FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
# CGCS2000 uses the GRS80 ellipsoid; distances on it, not on a plane.
GEOD = Geod(ellps="GRS80")
MAX_PIXELS = 100_000_000  # refuses decompression bombs
# EXIF times have whole seconds and phone clocks drift a little: "before the hazard was found" means earlier
# by more than this.
CLOCK_TOLERANCE = dt.timedelta(minutes=5)


@dataclass(frozen=True)
class PhotoInfo:
    content_type: str
    width: int
    height: int
    taken_at: dt.datetime | None
    lon: float | None
    lat: float | None


def _ratio(v: Any) -> float:
    return float(v[0]) / float(v[1]) if isinstance(v, tuple) else float(v)


def _dms(values: Any, ref: str | None) -> float | None:
    try:
        d, m, s = (_ratio(x) for x in values)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    deg = d + m / 60 + s / 3600
    return -deg if ref in ("S", "W") else deg


def _exif_time(text: str | None, offset: str | None) -> dt.datetime | None:
    if not text:
        return None
    try:
        naive = dt.datetime.strptime(text.strip().rstrip("\x00")[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    tz = CHINA  # EXIF times without an offset are local time of the camera: in China, UTC+8
    if offset:
        try:
            tz = dt.datetime.strptime(offset.strip().rstrip("\x00"), "%z").tzinfo or CHINA  # type: ignore[assignment]
        except ValueError:
            tz = CHINA
    return naive.replace(tzinfo=tz)


def inspect_photo(data: bytes, filename: str | None = None) -> PhotoInfo:
    """Check that `data` is an image of an accepted format and size; return its size and EXIF time and
    position. Anything else (a renamed text file, a truncated or forged image) is refused with 422."""
    name = filename or ""
    limit_mb = min(get_settings().photo_max_mb, get_settings().upload_max_mb)
    if len(data) > limit_mb * 1024 * 1024:
        raise Invalid("photo_too_large", {"file": name, "limit_mb": limit_mb})
    not_image = Invalid("photo_not_image", {"file": name})
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format not in FORMATS or probe.width * probe.height > MAX_PIXELS:
                    raise not_image
                probe.verify()  # structure and checksums; the image must be reopened after
            with Image.open(io.BytesIO(data)) as img:
                img.load()  # decodes every pixel: catches truncated data that verify() lets through
                fmt, width, height = img.format or "", img.width, img.height
                exif = img.getexif()
    except Invalid:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombWarning):
        raise not_image from None
    except Image.DecompressionBombError:
        raise not_image from None
    sub = exif.get_ifd(ExifTags.IFD.Exif)
    taken = _exif_time(
        sub.get(ExifTags.Base.DateTimeOriginal) or exif.get(ExifTags.Base.DateTime),
        sub.get(ExifTags.Base.OffsetTimeOriginal) or sub.get(ExifTags.Base.OffsetTime),
    )
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    lat = _dms(gps.get(2), gps.get(1)) if gps.get(2) else None
    lon = _dms(gps.get(4), gps.get(3)) if gps.get(4) else None
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180) or (lat == 0 and lon == 0):
        lat = lon = None
    return PhotoInfo(FORMATS[fmt], width, height, taken, lon, lat)


def distance_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Distance in metres on the GRS80 ellipsoid (phones' WGS84 is within centimetres of CGCS2000)."""
    return float(GEOD.inv(lon1, lat1, lon2, lat2)[2])


def evidence_flags(
    photo: dict[str, Any],
    hazard_lon: float | None,
    hazard_lat: float | None,
    found_at: dt.datetime,
    max_distance_m: float,
) -> list[dict[str, Any]]:
    """What a verifier should look at in an evidence photo: taken far from the hazard, taken before the hazard
    was found, or without the EXIF data to tell. Each flag: code, params (for the message), photo id."""
    flags: list[dict[str, Any]] = []
    pid = str(photo["id"])
    limit = max_distance_m
    if photo.get("lon") is None or photo.get("lat") is None:
        flags.append({"photo_id": pid, "code": "flag_no_position", "params": {}})
    elif hazard_lon is None or hazard_lat is None:
        flags.append({"photo_id": pid, "code": "flag_no_hazard_position", "params": {}})
    else:
        d = distance_m(photo["lon"], photo["lat"], hazard_lon, hazard_lat)
        if d > limit:
            flags.append({"photo_id": pid, "code": "flag_far", "params": {"distance_m": round(d), "limit_m": limit}})
    taken = photo.get("taken_at")
    if taken is None:
        flags.append({"photo_id": pid, "code": "flag_no_time", "params": {}})
    elif taken < found_at - CLOCK_TOLERANCE:
        flags.append(
            {
                "photo_id": pid,
                "code": "flag_before_found",
                "params": {
                    "taken_at": taken.astimezone(CHINA).strftime("%Y-%m-%d %H:%M"),
                    "found_at": found_at.astimezone(CHINA).strftime("%Y-%m-%d %H:%M"),
                },
            }
        )
    return flags
