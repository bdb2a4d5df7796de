"""Request dependencies shared by the routers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Path, Query, Request

from app.config import get_settings
from app.errors import FieldProblem, Invalid, PreconditionRequired
from app.i18n import Lang, negotiate

LANG_COOKIE = "tailings_lang"


LangQuery = Annotated[str | None, Query(alias="lang", pattern="^(zh|en)$", description="Language: zh (default) or en")]


def request_language(request: Request, lang: LangQuery = None) -> Lang:
    """`?lang=en|zh` wins, then the language chosen earlier on a page (cookie), then Accept-Language,
    then the configured default (Chinese). As a dependency (LangDep) it also declares and checks `?lang`, so
    a route that takes LangDep needs no second, documentation-only `lang` parameter."""
    for explicit in (request.query_params.get("lang"), request.cookies.get(LANG_COOKIE)):
        if explicit in ("zh", "en"):
            return explicit  # type: ignore[return-value]
    return negotiate(request.headers.get("accept-language"), get_settings().default_language)


LangDep = Annotated[Lang, Depends(request_language)]
# An id the database can hold (BIGINT): a larger number is refused with 422 before any query.
RowId = Annotated[int, Path(ge=1, le=2**63 - 1, description="A row id")]
IfMatch = Annotated[str | None, Header(description='The version being replaced, as returned in ETag, e.g. "3"')]


def if_match_version(if_match: IfMatch = None) -> int | None:
    """The version named by If-Match (`"3"`, `W/"3"` or `3`), None when the header is absent; anything else is
    refused with 422 (if_match_invalid)."""
    if if_match is None:
        return None
    value = if_match.strip().removeprefix("W/").strip('"')
    if not value.isdigit():
        raise Invalid("if_match_invalid")
    return int(value)


def expected_version(version: Annotated[int | None, Depends(if_match_version)]) -> int:
    """The version a change is made on, from If-Match: absent 428 (if_match_required), malformed 422, stale
    409 (said by the service). The one behaviour of every route that takes a version."""
    if version is None:
        raise PreconditionRequired("if_match_required")
    return version


# Declare these after the route's policy parameter: the role is checked before the header is.
ExpectedVersion = Annotated[int, Depends(expected_version)]
# Element PUT only: properties.version may stand in for an absent header.
OptionalVersion = Annotated[int | None, Depends(if_match_version)]


def parse_bbox(value: str | None) -> tuple[float, float, float, float] | None:
    """`minlon,minlat,maxlon,maxlat` in CRS84 (= CGCS2000 lon/lat here); anything else is refused, naming the field."""
    if value is None:
        return None
    bad = Invalid("validation_failed", problems=[FieldProblem("query.bbox", "bbox_invalid")])
    try:
        x0, y0, x1, y1 = (float(v) for v in value.split(","))
    except ValueError:
        raise bad from None
    if not (-180 <= x0 <= x1 <= 180 and -90 <= y0 <= y1 <= 90):  # also refuses nan and inf
        raise bad
    return x0, y0, x1, y1
