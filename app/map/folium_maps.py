"""Building the map pages with folium, with every asset served by the app.

folium writes the map, its basemaps and its controls; the data layers are added by our own scripts
(app/static/js/), which read the API and build popups with textContent, so no user text is ever parsed
as HTML. folium's defaults point at CDNs: each is replaced by the vendored copy. The few inline scripts
folium writes (configuration only, no user data) are returned with the map, so that the page shell
(app/web/shell.py) admits them in the page's Content-Security-Policy through their SHA-256 hashes; no
other inline script can run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import folium
from branca.element import MacroElement
from folium import plugins
from folium.elements import JSCSSMixin
from jinja2 import Template

from app.i18n import Lang, label, t
from app.map import basemaps

V = "/static/vendor"
LEAFLET_JS = [("leaflet", f"{V}/leaflet/leaflet.js")]
LEAFLET_CSS = [("leaflet_css", f"{V}/leaflet/leaflet.css")]
PLUGIN_ASSETS: dict[type, tuple[list[tuple[str, str]], list[tuple[str, str]]]] = {
    plugins.LocateControl: (
        [("Control_locate_min_js", f"{V}/leaflet.locatecontrol/L.Control.Locate.min.js")],
        [("Control_locate_min_css", f"{V}/leaflet.locatecontrol/L.Control.Locate.min.css")],
    ),
    plugins.Fullscreen: (
        [("Control.Fullscreen.js", f"{V}/leaflet.fullscreen/Control.FullScreen.js")],
        [("Control.FullScreen.css", f"{V}/leaflet.fullscreen/Control.FullScreen.css")],
    ),
    plugins.MousePosition: (
        [("Control_MousePosition_js", f"{V}/leaflet-mouse-position/L.Control.MousePosition.js")],
        [("Control_MousePosition_css", f"{V}/leaflet-mouse-position/L.Control.MousePosition.css")],
    ),
}


class PolylineMeasure(JSCSSMixin, MacroElement):
    """Distance measuring (Leaflet.PolylineMeasure) as a folium plugin.

    folium's own MeasureControl loads leaflet-measure, which compiles its templates with Function() and so
    cannot run under a Content-Security-Policy without 'unsafe-eval'.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        L.control.polylineMeasure({{ this.options|tojson }}).addTo({{ this._parent.get_name() }});
        {% endmacro %}""")
    default_js = [("polylinemeasure_js", f"{V}/leaflet.polylinemeasure/Leaflet.PolylineMeasure.js")]
    default_css = [("polylinemeasure_css", f"{V}/leaflet.polylinemeasure/Leaflet.PolylineMeasure.css")]

    def __init__(self, **options: object):
        super().__init__()
        self._name = "PolylineMeasure"
        self.options = options


BLANK_TILE = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)
_ANY_URL = re.compile(r"""(?:src|href)=["'](https?:)?//""")


@dataclass(frozen=True)
class MapParts:
    """The pieces of a folium map to place in our own page, the inline scripts among them (for the page's
    Content-Security-Policy) and the origins its basemap tiles come from."""

    head: str
    body: str
    script: str
    inline_scripts: tuple[str, ...]
    tile_origins: tuple[str, ...]


def _vendored(element: folium.Element) -> folium.Element:
    for cls, (js, css) in PLUGIN_ASSETS.items():
        if isinstance(element, cls):
            element.default_js, element.default_css = js, css
    return element


def build_map(name: str, lang: Lang, center: tuple[float, float], zoom: int) -> MapParts:
    """A folium map named `map_<name>` (with `layer_control_<name>`), basemaps and controls, no data."""
    m = folium.Map(location=center, zoom_start=zoom, tiles=None, control_scale=True, prefer_canvas=False, max_zoom=20)
    m._id = name
    m.default_js, m.default_css = LEAFLET_JS, LEAFLET_CSS
    for i, b in enumerate(basemaps.configured()):
        title = label(b.label, lang)  # type: ignore[arg-type]
        if b.url is None:  # "none": a transparent layer, so the switcher can also turn basemaps off
            folium.TileLayer(tiles=BLANK_TILE, attr=" ", name=title, overlay=False, show=i == 0).add_to(m)
            continue
        folium.TileLayer(
            tiles=b.url,
            attr=b.attribution,
            name=title,
            subdomains=b.subdomains or "abc",
            max_zoom=b.max_zoom,
            overlay=False,
            show=i == 0,
            **({"gcj02": True} if b.crs == "gcj02" else {}),  # read by app/static/js/gcj02.js
        ).add_to(m)
        if b.labels_url:
            folium.TileLayer(
                tiles=b.labels_url,
                attr=b.attribution,
                name=f"{title} · {t('map_labels', lang)}",
                subdomains=b.subdomains or "abc",
                overlay=True,
                show=i == 0,
            ).add_to(m)
    for control in (
        plugins.Fullscreen(position="topleft", title=t("map_fullscreen", lang), title_cancel=t("map_exit", lang)),
        plugins.LocateControl(
            position="topleft",
            flyTo=True,
            showCompass=True,
            drawCircle=True,
            strings={"title": t("map_locate", lang)},
            locateOptions={"enableHighAccuracy": True},
        ),
        PolylineMeasure(
            position="topleft",
            unit="metres",
            showClearControl=True,
            clearMeasurementsOnStop=False,
            measureControlTitleOn=t("map_measure", lang),
            measureControlTitleOff=t("map_measure_off", lang),
            clearControlTitle=t("map_measure_clear", lang),
        ),
        plugins.MousePosition(
            position="bottomright",
            separator=" , ",
            num_digits=6,
            empty_string="—",
            prefix=t("map_mouse_position", lang),
            lng_first=True,
        ),
    ):
        _vendored(control).add_to(m)
    lc = folium.LayerControl(position="topright", collapsed=True)
    lc._id = name
    lc.add_to(m)

    fig = m.get_root()
    fig.render()
    head, body, script = fig.header.render(), fig.html.render(), fig.script.render()
    assert not _ANY_URL.search(head + body), "a map asset is not served by the app"
    inline = (*_INLINE_SCRIPT.findall(head + body), script)
    return MapParts(head, body, script, inline_scripts=inline, tile_origins=tuple(basemaps.tile_origins()))
