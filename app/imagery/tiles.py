"""Raster tiles (web-mercator XYZ, PNG) of stored images with rio-tiler, read from their COG overviews."""

from __future__ import annotations

from functools import lru_cache

from rio_tiler.errors import TileOutsideBounds
from rio_tiler.io import Reader

from app import files
from app.imagery.models import Image
from app.imagery.service import display_bands


@lru_cache(maxsize=1)
def empty_png() -> bytes:
    import numpy as np
    from rio_tiler.models import ImageData

    return ImageData(np.ma.masked_all((1, 256, 256), dtype="uint8")).render(img_format="PNG", add_mask=True)


def tile_png(image: Image, z: int, x: int, y: int) -> bytes:
    """The tile as PNG (transparent outside the image and where it has no data), stretched to the image's
    2nd-98th percentiles."""
    bands = display_bands(image)
    with Reader(str(files.path_of(image.sha256))) as src:
        try:
            data = src.tile(x, y, z, indexes=bands, tilesize=256)
        except TileOutsideBounds:
            return empty_png()
    ranges = image.display_range or [[0, 255]] * len(bands)
    data = data.rescale(in_range=[tuple(r) for r in ranges])
    return data.render(img_format="PNG", add_mask=True)
