"""China time: the time zone every shown time and every "today" of the rules is in (UTC+8, no daylight
saving). One place, at the bottom, for every domain that needs it."""

from __future__ import annotations

import datetime as dt

CHINA = dt.timezone(dt.timedelta(hours=8))


def today() -> dt.date:
    """Today in China, whatever the server's own time zone."""
    return dt.datetime.now(CHINA).date()
