"""An in-process cache of vector tiles and OGC item pages, bounded in bytes, least recently used out first.

A tile's key is its ETag: the layer's data version, the caller's scope and the tile address; a page's key
holds the versions of ponds and elements, the scope, the language and the URL. A change to ponds or
elements bumps the versions, so stale responses are never served; they simply stop being asked for and
age out. A key always carries the scope, so one scope's response never reaches another.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from functools import lru_cache

from app.config import get_settings


class TileCache:
    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._items: OrderedDict[str, bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: str) -> bytes | None:
        with self._lock:
            body = self._items.get(key)
            if body is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return body

    def put(self, key: str, body: bytes) -> None:
        if len(body) > self.max_bytes // 8:  # one huge tile must not flush the cache
            return
        with self._lock:
            if key in self._items:
                return
            self._items[key] = body
            self._size += len(body)
            while self._size > self.max_bytes:
                _, old = self._items.popitem(last=False)
                self._size -= len(old)

    @property
    def size(self) -> int:
        return self._size


@lru_cache
def response_cache() -> TileCache | None:
    """The process's cache of tiles and OGC item pages (keys carry the data versions and the scope)."""
    megabytes = get_settings().tile_cache_mb
    return TileCache(int(megabytes * 2**20)) if megabytes > 0 else None
