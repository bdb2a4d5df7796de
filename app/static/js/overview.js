// City overview: every pond in the user's scope, coloured by supervision level and styled by status,
// with districts, rivers and the priority buffers; a filter panel whose counts follow the filter.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const { data, t, el, map: getMap, layerControl } = Page;
  const map = getMap();
  const LEVEL_COLOURS = { 1: "#c62828", 2: "#ef6c00", 3: "#1565c0" };
  const STATUS_STYLE = {
    in_use: { dashArray: null, fillOpacity: 0.45 },
    stopped: { dashArray: "6 4", fillOpacity: 0.3 },
    closing: { dashArray: "2 4", fillOpacity: 0.25 },
    closed: { dashArray: null, fillOpacity: 0.35, fillColor: "#9e9e9e" },
    delisted: { dashArray: "1 6", fillOpacity: 0.1, fillColor: "#bdbdbd" },
  };
  const name = (p) => (data.lang === "en" && p.name_en) || p.name;

  function style(p) {
    const colour = LEVEL_COLOURS[p.supervision_level] || "#455a64";
    const s = STATUS_STYLE[p.status] || {};
    return { color: colour, weight: 2, fillColor: s.fillColor || colour, fillOpacity: s.fillOpacity,
             dashArray: s.dashArray, className: "pond-shape" };
  }

  function markerStyle(p) {
    return { radius: 5, color: "#fff", weight: 1.5, fillOpacity: 1, className: "pond-marker",
             fillColor: LEVEL_COLOURS[p.supervision_level] || "#455a64" };
  }

  function popup(p) {
    const county = (data.lang === "en" && p.county_en) || p.county;
    return el("div", { class: "popup" },
      el("strong", {}, name(p)),
      el("div", {}, county ? `${p.code} · ${county}` : p.code),
      el("div", {}, `${t("level_n", { n: p.supervision_level })} · ${t("status_" + p.status)}`),
      "one_map_complete" in p ? el("div", {}, p.one_map_complete ? t("one_map_complete") : t("one_map_incomplete"))
        : null,
      p.priority_zone ? el("div", { class: "warn" }, t("priority_zone")) : null,
      el("a", { href: `/ponds/${Number(p.id)}` }, t("open_pond") + " →"));
  }

  const controls = {
    search: document.getElementById("search"), county: document.getElementById("f-county"),
    level: document.getElementById("f-level"), status: document.getElementById("f-status"),
    onemap: document.getElementById("f-onemap"), priority: document.getElementById("f-priority"),
  };
  const count = document.getElementById("count");
  // A link may preset the filter (the dashboard's numbers do): ?county=&level=&status=&one_map=1&priority=1&ids=1,2
  const preset = new URLSearchParams(window.location.search);
  for (const key of ["county", "level", "status"]) {
    if (preset.get(key) && controls[key].querySelector(`option[value="${CSS.escape(preset.get(key))}"]`)) {
      controls[key].value = preset.get(key);
    }
  }
  if (controls.onemap && preset.get("one_map") === "1") controls.onemap.checked = true;
  if (controls.priority && preset.get("priority") === "1") controls.priority.checked = true;
  const onlyIds = preset.get("ids") ? new Set(preset.get("ids").split(",").map(Number)) : null;
  const ponds = data.tiles ? tileMode() : geojsonMode();

  // All ponds in one GeoJSON, filtered in the browser.
  function geojsonMode() {
    const group = L.featureGroup().addTo(map);
    // One entry per pond: its shape, a marker that stays visible when zoomed out, its list item.
    const entries = data.ponds.features.map((f) => {
      const p = f.properties;
      const layers = [];
      if (f.geometry.type !== "Point") layers.push(L.geoJSON(f, { style: () => style(p) }));
      const [lon, lat] = p.location;
      layers.push(L.circleMarker([lat, lon], markerStyle(p)));
      layers.forEach((layer) => layer.bindPopup(() => popup(p)).addTo(group));
      const item = document.querySelector(`#pond-list li[data-id="${Number(p.id)}"]`);
      return { p, layers, item, shown: true };
    });

    function matches(p) {
      const q = controls.search.value.trim().toLowerCase();
      return (!q || [p.name, p.name_en, p.code].some((v) => v && v.toLowerCase().includes(q)))
        && (!controls.county.value || String(p.county_adcode) === controls.county.value)
        && (!controls.level.value || String(p.supervision_level) === controls.level.value)
        && (!controls.status.value || p.status === controls.status.value)
        && (!controls.onemap.checked || p.one_map_complete)
        && (!controls.priority.checked || p.priority_zone)
        && (!onlyIds || onlyIds.has(Number(p.id)));
    }

    function applyFilter() {
      let shown = 0;
      for (const e of entries) {
        const show = matches(e.p);
        if (show !== e.shown) {
          e.layers.forEach((layer) => (show ? group.addLayer(layer) : group.removeLayer(layer)));
          e.shown = show;
        }
        if (e.item) e.item.hidden = !show;
        shown += show ? 1 : 0;
      }
      count.textContent = t("shown_of", { shown, total: entries.length });
      document.body.dataset.shown = String(shown);
    }
    Object.values(controls).forEach((c) => c.addEventListener("input", applyFilter));
    applyFilter();
    if (entries.length) map.fitBounds(group.getBounds(), { padding: [20, 20], maxZoom: 13 });
    return group;
  }

  // Too many ponds for one GeoJSON: vector tiles made by the server with the filter applied there;
  // counts and the list come from the ponds API with the same filter.
  function tileMode() {
    L.DomEvent.fakeStop = L.DomEvent.fakeStop || (() => true);  // VectorGrid 1.3 expects it; Leaflet 1.9 dropped it
    // VectorGrid's point features are circle markers without a latlng, and Leaflet 1.9 asks small circle
    // markers for theirs on every click: give them the pond's location, which the tiles carry.
    const getLatLng = L.CircleMarker.prototype.getLatLng;
    L.CircleMarker.prototype.getLatLng = function () {
      const p = this.properties;
      return this._latlng || (p && p.lat !== undefined ? L.latLng(p.lat, p.lon) : getLatLng.call(this));
    };
    const filterQuery = () => {
      const q = new URLSearchParams();
      if (controls.search.value.trim()) q.append("text", controls.search.value.trim());
      for (const key of ["county", "level", "status"]) if (controls[key].value) q.append(key, controls[key].value);
      return q;
    };
    const makeGrid = () => L.vectorGrid.protobuf(`${data.tiles.url}?${filterQuery()}`, {
      rendererFactory: L.svg.tile, interactive: true, maxNativeZoom: 22,
      getFeatureId: (f) => f.properties.id,
      vectorTileLayerStyles: { ponds: (p, zoom) => (zoom < 10 ? { ...markerStyle(p), fill: true } : { ...style(p), fill: true }) },
    }).on("click", (e) => {
      // VectorGrid 1.3 under Leaflet 1.9 leaves latlng out of its click events
      const at = e.latlng || map.mouseEventToLatLng(e.originalEvent);
      L.popup().setLatLng(at).setContent(popup(e.layer.properties)).openOn(map);
    });
    const holder = L.layerGroup().addTo(map);
    let grid = makeGrid().addTo(holder);
    const list = document.getElementById("pond-list");
    let timer = null;
    function refresh() {
      holder.removeLayer(grid);
      grid = makeGrid().addTo(holder);
      const q = filterQuery();
      q.append("limit", "50");
      fetch(`${data.tiles.search_url}?${q}`, { credentials: "same-origin" })
        .then((r) => (r.ok ? r.json() : Promise.reject(r.status)))
        .then((body) => {
          count.textContent = t("shown_of", { shown: body.total, total: data.total });
          document.body.dataset.shown = String(body.total);
          list.replaceChildren(...body.items.map((p) => el("li", { "data-id": p.id },
            el("a", { href: `/ponds/${Number(p.id)}` }, el("span", { class: `lvl lvl${Number(p.supervision_level)}` },
              String(p.supervision_level)), " ", name(p)),
            el("small", {}, `${p.code} · ${(data.lang === "en" && p.county.name_en) || p.county.name} · `
              + t("status_" + p.status)))));
        })
        .catch(() => { count.textContent = t("load_failed"); });
    }
    Object.values(controls).filter(Boolean).forEach((c) => c.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(refresh, 250);
    }));
    refresh();
    return holder;
  }

  const lc = layerControl();
  if (lc) lc.addOverlay(ponds, t("layer_ponds"));

  // Legend: levels by colour, statuses by line style.
  const legend = L.control({ position: "bottomleft" });
  legend.onAdd = () => {
    const box = el("div", { class: window.innerWidth > 700 ? "legend open" : "legend" },
      el("strong", { role: "button", tabindex: 0, onclick: () => box.classList.toggle("open") }, t("legend")));
    for (const level of [1, 2, 3]) {
      box.append(el("div", {}, el("i", { class: "swatch", style: `background:${LEVEL_COLOURS[level]}` }),
                    t("level_n", { n: level })));
    }
    for (const status of Object.keys(STATUS_STYLE)) {
      box.append(el("div", {}, el("i", { class: `line line-${status}` }), t("status_" + status)));
    }
    L.DomEvent.disableClickPropagation(box);
    return box;
  };
  legend.addTo(map);

  // Reference layers, below the ponds.
  fetch(data.reference_url, { credentials: "same-origin" })
    .then((r) => (r.ok ? r.json() : Promise.reject(r.status)))
    .then((ref) => {
      const districts = L.geoJSON(ref.districts, { interactive: false,
        style: { color: "#616161", weight: 1.2, fill: false, className: "district" } }).addTo(map);
      const buffers = L.geoJSON(ref.priority_buffers, { interactive: false,
        style: { color: "#0288d1", weight: 1, dashArray: "4 4", fillColor: "#4fc3f7", fillOpacity: 0.12,
                 className: "priority-buffer" } }).addTo(map);
      const rivers = L.geoJSON(ref.rivers, { style: { color: "#0277bd", weight: 3, className: "river" },
        onEachFeature: (f, layer) => layer.bindTooltip(
          el("span", {}, (data.lang === "en" && f.properties.name_en) || f.properties.name)) }).addTo(map);
      [districts, buffers, rivers].forEach((layer) => layer.bringToBack());
      if (lc) {
        lc.addOverlay(districts, t("layer_districts"));
        lc.addOverlay(rivers, t("layer_rivers"));
        lc.addOverlay(buffers, t("layer_buffers"));
      }
      document.body.dataset.reference = "loaded";
    })
    .catch(() => { count.append(el("span", { class: "warn" }, " · " + t("load_failed"))); });
});
