"""OGC API - Features, Part 1: Core, under /ogc (conformance classes core, geojson, html and oas30).

Every route is for signed-in users (a bearer token from QGIS or GDAL, or the session of the pages), and
everything is limited to their scope. JSON by default; HTML with `?f=html`, or when the Accept header
prefers text/html over JSON (a browser).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from functools import partial
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

import psycopg
from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from app.accounts.deps import SignedIn
from app.accounts.lean import Reader, ReaderDep, SignedInRead
from app.accounts.scope import pond_scope_sql
from app.accounts.service import Actor
from app.db import SessionDep
from app.deps import LangQuery, parse_bbox, request_language
from app.errors import DomainError
from app.i18n import Lang, t
from app.ogc import service
from app.ogc.service import PONDS, Page, Selection
from app.responses import errors
from app.tiles.cache import response_cache
from app.web.shell import render

Format = Literal["json", "html"]
FormatQuery = Annotated[
    Format | None, Query(alias="f", description="json (the default) or html; without it the Accept header decides")
]
JSON, GEOJSON, HTML = "application/json", "application/geo+json", "text/html"
# what a response depends on: the format and language asked for, and who asks (the scope)
_VARY = {"Vary": "Accept, Accept-Language, Authorization, Cookie", "Cache-Control": "private"}


def _negotiate(request: Request, f: str | None) -> Format:
    """`f` wins; otherwise HTML only when the Accept header rates it above every JSON type (browsers do)."""
    if f in ("json", "html"):
        return f  # type: ignore[return-value]
    html_q = json_q = 0.0
    for part in (request.headers.get("accept") or "").split(","):
        media, *params = (x.strip() for x in part.split(";"))
        q = 1.0
        for p in params:
            if p.startswith("q="):
                try:
                    q = float(p[2:])
                except ValueError:
                    q = 0.0
        media = media.lower()
        if media in (HTML, "application/xhtml+xml", "text/*", "*/*"):
            html_q = max(html_q, q)
        if media in (JSON, GEOJSON, "application/*", "*/*"):
            json_q = max(json_q, q)
    return "html" if html_q > json_q else "json"


CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"


def _query_names(dependant: Any) -> set[str]:
    """The query parameters a route declares, its dependencies' included."""
    names = {p.alias for p in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


def known_query_parameters(request: Request) -> None:
    """A query parameter the route does not declare is refused with 400, as OGC API Features allows
    (/rec/core/query-param-unknown): a client asking for `crs=...` or `filter=...` learns that this service does
    not apply it instead of getting unfiltered data. `crs` is only accepted as CRS84, which is what we serve."""
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return
    known = _query_names(dependant)
    for name in request.query_params:
        if name == "crs" and request.query_params.get(name) == CRS84:
            continue
        if name == "crs":
            raise DomainError("ogc_crs_unsupported", {"crs": request.query_params.get(name, "")[:200]})
        if name not in known:
            raise DomainError("ogc_parameter_unknown", {"name": name[:100]})


router = APIRouter(
    prefix="/ogc",
    tags=["OGC API Features"],
    dependencies=[Depends(known_query_parameters)],
    responses=errors(400, 401, 404, 422),
)


# --- links -----------------------------------------------------------------------------------------------------


def _href(request: Request, path: str, /, **params: Any) -> str:
    """An absolute URL on this server; the `lang` the request chose is kept."""
    if "lang" not in params and request.query_params.get("lang") in ("zh", "en"):
        params["lang"] = request.query_params["lang"]
    query = urlencode({k: v for k, v in params.items() if v is not None})
    return f"{str(request.base_url).rstrip('/')}{path}" + (f"?{query}" if query else "")


def _link(href: str, rel: str, media_type: str, title: str) -> dict[str, str]:
    return {"href": href, "rel": rel, "type": media_type, "title": title}


def _self_links(
    request: Request, path: str, fmt: Format, json_type: str = JSON, /, **params: Any
) -> list[dict[str, str]]:
    """`self` and `alternate` of a resource that exists as JSON (`json_type`) and HTML."""
    lang = request_language(request)
    as_json = _link(_href(request, path, **params, f="json"), "alternate", json_type, t("ogc_link_json", lang))
    as_html = _link(_href(request, path, **params, f="html"), "alternate", HTML, t("ogc_link_html", lang))
    current, other = (as_json, as_html) if fmt == "json" else (as_html, as_json)
    return [{**current, "rel": "self", "title": t("ogc_link_self", lang)}, other]


def _json(body: dict[str, Any]) -> Response:
    return JSONResponse(body, headers=_VARY)


def _html(request: Request, template: str, **context: Any) -> Response:
    response = render(request, template, **context)
    response.headers.update(_VARY)
    return response


# --- routes ----------------------------------------------------------------------------------------------------


@router.get("", summary="Landing page of the OGC API Features service", response_class=Response)
def landing(request: Request, actor: SignedIn, f: FormatQuery = None, lang: LangQuery = None) -> Response:
    fmt, language = _negotiate(request, f), request_language(request)
    openapi = ".".join(request.app.openapi_version.split(".")[:2])
    body = {
        "title": t("ogc_title", language),
        "description": t("ogc_description", language),
        "links": [
            *_self_links(request, "/ogc", fmt),
            _link(
                _href(request, "/openapi.json", lang=None),
                "service-desc",
                f"application/vnd.oai.openapi+json;version={openapi}",
                t("ogc_link_service_desc", language),
            ),
            _link(_href(request, "/docs", lang=None), "service-doc", HTML, t("ogc_link_service_doc", language)),
            _link(
                _href(request, "/ogc/conformance", f="json"), "conformance", JSON, t("ogc_link_conformance", language)
            ),
            _link(_href(request, "/ogc/collections", f="json"), "data", JSON, t("ogc_link_data", language)),
        ],
    }
    return _html(request, "ogc_landing.html", doc=body) if fmt == "html" else _json(body)


@router.get("/conformance", summary="The conformance classes this service implements", response_class=Response)
def conformance(request: Request, actor: SignedIn, f: FormatQuery = None, lang: LangQuery = None) -> Response:
    fmt = _negotiate(request, f)
    body = {"conformsTo": service.CONFORMANCE}
    if fmt == "html":
        return _html(request, "ogc_conformance.html", doc=body, links=_self_links(request, "/ogc/conformance", fmt))
    return _json(body)


def _collection(request: Request, collection_id: str, extent: dict[str, Any] | None) -> dict[str, Any]:
    lang = request_language(request)
    title = service.title(collection_id, lang)
    path = f"/ogc/collections/{collection_id}"
    doc: dict[str, Any] = {
        "id": collection_id,
        "title": title,
        "description": service.description(collection_id, lang),
        "links": [
            _link(_href(request, path, f="json"), "self", JSON, title),
            _link(_href(request, path, f="html"), "alternate", HTML, title),
            _link(_href(request, f"{path}/items", f="json"), "items", GEOJSON, t("ogc_link_items", lang, title=title)),
            _link(
                _href(request, f"{path}/items", f="html"), "items", HTML, t("ogc_link_items_html", lang, title=title)
            ),
        ],
        "itemType": "feature",
        "crs": [service.CRS84],
    }
    if extent is not None:
        doc["extent"] = extent
    return doc


@router.get(
    "/collections", summary="The feature collections: ponds and the nine element types", response_class=Response
)
def collections(
    request: Request, session: SessionDep, actor: SignedIn, f: FormatQuery = None, lang: LangQuery = None
) -> Response:
    fmt = _negotiate(request, f)
    extents = service.extents(session, pond_scope_sql(actor))
    body = {
        "links": _self_links(request, "/ogc/collections", fmt),
        "collections": [_collection(request, cid, extents.get(cid)) for cid in service.collection_ids()],
    }
    return _html(request, "ogc_collections.html", doc=body) if fmt == "html" else _json(body)


@router.get("/collections/{collection_id}", summary="One feature collection", response_class=Response)
def collection(
    request: Request,
    collection_id: str,
    session: SessionDep,
    actor: SignedIn,
    f: FormatQuery = None,
    lang: LangQuery = None,
) -> Response:
    service.ensure_collection(collection_id)
    fmt = _negotiate(request, f)
    extent = service.extents(session, pond_scope_sql(actor), collection_id).get(collection_id)
    body = _collection(request, collection_id, extent)
    if fmt == "html":
        links = _self_links(request, f"/ogc/collections/{collection_id}", fmt)
        return _html(request, "ogc_collection.html", doc=body, links=links)
    return _json(body)


@router.get(
    "/collections/{collection_id}/items",
    summary="Features of a collection, paged; filter by bbox and (elements) by capture date",
    response_class=Response,
    responses={200: {"content": {GEOJSON: {}, HTML: {}}, "description": "A GeoJSON FeatureCollection"}},
)
async def items(
    request: Request,
    collection_id: str,
    actor: SignedInRead,
    read: ReaderDep,
    bbox: Annotated[
        str | None, Query(description="min lon,min lat,max lon,max lat (CRS84 = CGCS2000 lon/lat here)")
    ] = None,
    datetime_: Annotated[
        str | None,
        Query(
            alias="datetime",
            description="RFC 3339 date or date-time, or an interval a/b with '..' for an open end; "
            "applies to captured_at of elements, ignored by ponds",
        ),
    ] = None,
    limit: Annotated[
        int, Query(ge=1, description=f"page size; above {service.MAX_LIMIT} it is {service.MAX_LIMIT}")
    ] = service.DEFAULT_LIMIT,
    offset: Annotated[int, Query(ge=0, le=1_000_000_000)] = 0,
    f: FormatQuery = None,
    lang: LangQuery = None,
    if_none_match: Annotated[str | None, Header()] = None,
) -> Response:
    """The lean read path (app.accounts.lean): one crossing into the thread pool; GeoJSON pages are kept in
    the response cache per (data versions, scope, language, URL), so a repeated page costs one statement
    (the session re-check and the data versions)."""
    service.ensure_collection(collection_id)
    fmt, language = _negotiate(request, f), request_language(request)
    scope = pond_scope_sql(actor)
    selection = Selection(
        collection_id,
        scope,
        parse_bbox(bbox),
        service.parse_datetime(datetime_) if collection_id != PONDS else None,
    )
    limit = min(limit, service.MAX_LIMIT)  # above the maximum is not an error (/per/core/fc-limit-response-2)
    if fmt == "html":
        page = await run_in_threadpool(read.run, partial(_checked_page, actor, selection, limit, offset))
        return _html(
            request,
            "ogc_items.html",
            doc=_envelope(request, collection_id, fmt, language, page, limit, offset),
            features=json.loads(page.features),
            collection_id=collection_id,
            title=service.title(collection_id, language),
            kinds=service.kind_labels(language),
            first=offset + 1,
        )
    key = f"ogc-items:{language}:{scope[0]}:{sorted(scope[1].items())}:{request.url}"
    work = partial(_json_page, request, actor, selection, limit, offset, language, key, if_none_match)
    return await run_in_threadpool(read.run, work)


def _checked_page(actor: Actor, selection: Selection, limit: int, offset: int, conn: psycopg.Connection) -> Page:
    Reader.check(conn, actor)
    return service.page(conn, selection, limit, offset)


def _json_page(
    request: Request,
    actor: Actor,
    selection: Selection,
    limit: int,
    offset: int,
    language: Lang,
    key: str,
    if_none_match: str | None,
    conn: psycopg.Connection,
) -> Response:
    versions = Reader.check(conn, actor)
    # pages of elements show their pond's fields and follow its scope: both layers' versions
    key = f"{versions.get('ponds', 0)}:{versions.get('elements', 0)}:{key}"
    tag = '"' + hashlib.sha256(key.encode()).hexdigest()[:20] + '"'
    headers = {**_VARY, "ETag": tag}
    if if_none_match and tag in (v.strip() for v in if_none_match.split(",")):
        return Response(status_code=304, headers=headers)
    cache = response_cache()
    if cache and (body := cache.get(key)) is not None:
        return Response(body, media_type=GEOJSON, headers=headers)
    page = service.page(conn, selection, limit, offset)
    envelope = _envelope(request, selection.collection_id, "json", language, page, limit, offset)
    # the features stay the text PostGIS wrote: spliced in, never parsed
    head = json.dumps(envelope, ensure_ascii=False)
    body = f'{head[:-1]},"features":{page.features}}}'.encode()
    if cache:
        cache.put(key, body)
    return Response(body, media_type=GEOJSON, headers=headers)


def _envelope(
    request: Request, collection_id: str, fmt: Format, language: Lang, page: Page, limit: int, offset: int
) -> dict[str, Any]:
    path = f"/ogc/collections/{collection_id}/items"
    kept = {k: v for k, v in request.query_params.items() if k in ("bbox", "datetime", "lang")}  # the query
    links = _self_links(request, path, fmt, GEOJSON, **kept, limit=limit, offset=offset or None)
    media = GEOJSON if fmt == "json" else HTML
    if offset + page.returned < page.matched:
        next_href = _href(request, path, **kept, limit=limit, offset=offset + limit, f=fmt)
        links.append(_link(next_href, "next", media, t("ogc_link_next", language)))
    if offset > 0:
        prev_href = _href(request, path, **kept, limit=limit, offset=max(offset - limit, 0) or None, f=fmt)
        links.append(_link(prev_href, "prev", media, t("ogc_link_prev", language)))
    links.append(
        _link(
            _href(request, f"/ogc/collections/{collection_id}", f="json"),
            "collection",
            JSON,
            t("ogc_link_collection", language),
        )
    )
    return {
        "type": "FeatureCollection",
        "numberMatched": page.matched,
        "numberReturned": page.returned,
        "timeStamp": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "links": links,
    }


@router.get(
    "/collections/{collection_id}/items/{feature_id}",
    summary="One feature",
    response_class=Response,
    responses={200: {"content": {GEOJSON: {}, HTML: {}}, "description": "A GeoJSON Feature"}},
)
def item(
    request: Request,
    collection_id: str,
    feature_id: str,
    session: SessionDep,
    actor: SignedIn,
    f: FormatQuery = None,
    lang: LangQuery = None,
) -> Response:
    service.ensure_collection(collection_id)
    fmt, language = _negotiate(request, f), request_language(request)
    links = [
        *_self_links(request, f"/ogc/collections/{collection_id}/items/{feature_id}", fmt, GEOJSON),
        _link(
            _href(request, f"/ogc/collections/{collection_id}", f="json"),
            "collection",
            JSON,
            t("ogc_link_collection", language),
        ),
    ]
    feature = service.feature(session, Selection(collection_id, pond_scope_sql(actor)), feature_id, links)
    if fmt == "html":
        return _html(
            request,
            "ogc_item.html",
            feature=json.loads(feature),
            collection_id=collection_id,
            title=service.title(collection_id, language),
        )
    return Response(feature, media_type=GEOJSON, headers=_VARY)
