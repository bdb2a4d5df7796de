"""Request dependencies shared by the routers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Query, Request

from app.config import get_settings
from app.i18n import Lang, negotiate

LANG_COOKIE = "tailings_lang"


def request_language(request: Request) -> Lang:
    """`?lang=en|zh` wins, then the language chosen earlier on a page (cookie), then Accept-Language,
    then the configured default (Chinese)."""
    for explicit in (request.query_params.get("lang"), request.cookies.get(LANG_COOKIE)):
        if explicit in ("zh", "en"):
            return explicit  # type: ignore[return-value]
    return negotiate(request.headers.get("accept-language"), get_settings().default_language)


LangDep = Annotated[Lang, Depends(request_language)]
LangQuery = Annotated[str | None, Query(alias="lang", pattern="^(zh|en)$", description="Language: zh (default) or en")]
IfMatch = Annotated[str | None, Header(description='The version being replaced, as returned in ETag, e.g. "3"')]
