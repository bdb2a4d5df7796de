"""Real JPEGs for tests, made with Pillow, with or without EXIF time and GPS position."""

from __future__ import annotations

import datetime as dt
import io

from PIL import ExifTags, Image


def _dms(value: float) -> tuple[float, float, float]:
    value = abs(value)
    d = int(value)
    m = int((value - d) * 60)
    s = round((value - d - m / 60) * 3600, 4)
    return (float(d), float(m), s)


def jpeg(
    lon: float | None = None,
    lat: float | None = None,
    taken_at: dt.datetime | None = None,
    size: tuple[int, int] = (64, 48),
    colour: tuple[int, int, int] = (120, 90, 60),
) -> bytes:
    """A JPEG; with `lon`/`lat` its EXIF holds a GPS position, with `taken_at` its time (and UTC offset)."""
    img = Image.new("RGB", size, colour)
    exif = Image.Exif()
    if taken_at is not None:
        stamp = taken_at.strftime("%Y:%m:%d %H:%M:%S")
        exif[ExifTags.Base.DateTime] = stamp
        sub = exif.get_ifd(ExifTags.IFD.Exif)
        sub[ExifTags.Base.DateTimeOriginal] = stamp
        if taken_at.utcoffset() is not None:
            total = int(taken_at.utcoffset().total_seconds() // 60)  # type: ignore[union-attr]
            sub[ExifTags.Base.OffsetTimeOriginal] = (
                f"{'+' if total >= 0 else '-'}{abs(total) // 60:02d}:{abs(total) % 60:02d}"
            )
    if lon is not None and lat is not None:
        exif[ExifTags.Base.GPSInfo] = {
            1: "N" if lat >= 0 else "S",
            2: _dms(lat),
            3: "E" if lon >= 0 else "W",
            4: _dms(lon),
        }
    buf = io.BytesIO()
    img.save(buf, "JPEG", exif=exif, quality=85)
    return buf.getvalue()
