// A pond's one map: boundary, dam crest, the nine element types each in its own layer with the catalogue's
// styles, flow arrows along pipes and ditches, unverified geometries marked, details and rule results.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const { data, t, el, label, map: getMap, layerControl } = Page;
  const map = getMap();
  const lc = layerControl();
  const pond = data.pond;
  const colour = (c, fallback) => (/^#[0-9a-fA-F]{6}$/.test(c || "") ? c : fallback);
  const kinds = {};
  const types = {};
  for (const type of data.catalogue) {
    types[type.code] = type;
    for (const kind of type.kinds) kinds[kind.code] = { ...kind, type };
  }
  const all = L.featureGroup();

  if (pond.boundary) {
    const boundary = L.geoJSON(pond.boundary, { interactive: false, style: { color: "#37474f", weight: 2,
      fillColor: "#90a4ae", fillOpacity: 0.12, className: "pond-boundary" } }).addTo(map);
    boundary.addTo(all);
    if (lc) lc.addOverlay(boundary, t("layer_boundary"));
  }
  if (pond.dam_crest) {
    const crest = L.geoJSON(pond.dam_crest, { interactive: false,
      style: { color: "#5d4037", weight: 6, opacity: 0.9, className: "dam-crest" } }).addTo(map);
    if (lc) lc.addOverlay(crest, t("layer_dam_crest"));
  }

  // Which rules speak of which element.
  const rulesOf = {};
  for (const r of data.compliance.results) {
    for (const id of r.element_ids || []) (rulesOf[id] = rulesOf[id] || []).push(r);
  }

  function value(spec, v) {
    if (v === true || v === false) return v ? "✓" : "✗";
    if (spec && spec.value_labels && spec.value_labels[v]) return label(spec.value_labels[v]);
    return spec && spec.unit ? `${v} ${spec.unit}` : String(v);
  }

  function details(f) {
    const p = f.properties;
    const kind = kinds[p.kind];
    const rows = [];
    const specs = {};
    (kind ? kind.attributes : []).forEach((a) => { specs[a.name] = a; });
    for (const [k, v] of Object.entries(p.attributes || {})) {
      rows.push(el("tr", {}, el("th", {}, specs[k] ? label(specs[k].label) : k), el("td", {}, value(specs[k], v))));
    }
    const meta = [
      [t("source"), t("src_" + p.source)], [t("captured_at"), p.captured_at || "–"],
      [t("accuracy"), p.accuracy_m !== null && p.accuracy_m !== undefined ? `${p.accuracy_m} m` : "–"],
      [t("review_state"), t("rs_" + p.review_state)],
    ];
    if (p.length_m) meta.push(["m", `${p.length_m} m`]);
    if (p.area_m2) meta.push(["m²", `${p.area_m2} m²`]);
    return el("div", { class: "element" },
      el("h3", {}, p.name || (kind ? label(kind.label) : p.kind)),
      el("p", { class: "kind" }, `${kind ? label(kind.type.label) : p.type} · ${kind ? label(kind.label) : p.kind}`),
      p.review_state === "submitted" ? el("p", { class: "warn" }, t("pending_review")) : null,
      el("table", {}, ...rows, ...meta.map(([k, v]) => el("tr", {}, el("th", {}, k), el("td", {}, v)))),
      ...(rulesOf[f.id] || []).map((r) => el("p", { class: "rule " + r.status },
        `${t(r.status)} · ${r.label}: ${r.reason}`)));
  }

  function show(f) {
    const box = document.getElementById("element-detail");
    box.replaceChildren(details(f));
  }

  function pointIcon(kind, pending) {
    const symbol = (kind && kind.style.symbol) || "dot";
    const c = colour(kind && kind.style.color, "#455a64");
    return L.divIcon({ className: `el-icon sym-${symbol.replace(/[^a-z]/g, "")}${pending ? " pending" : ""}`,
                       html: `<span style="--c:${c}"></span>`, iconSize: [18, 18], iconAnchor: [9, 9] });
  }

  const groups = {};
  for (const f of data.elements.features) {
    const p = f.properties;
    const kind = kinds[p.kind];
    const type = types[p.type];
    const group = groups[p.type] || (groups[p.type] = L.featureGroup());
    const pending = p.review_state === "submitted";
    const st = kind ? kind.style : { color: "#455a64" };
    const c = colour(st.color, "#455a64");
    let layer;
    if (f.geometry.type === "Point") {
      layer = L.marker([f.geometry.coordinates[1], f.geometry.coordinates[0]], { icon: pointIcon(kind, pending),
                                                                                 title: p.name || "" });
    } else {
      const isLine = f.geometry.type.endsWith("LineString");
      layer = L.geoJSON(f, { style: { color: c, weight: st.weight || (isLine ? 3 : 2), opacity: pending ? 0.7 : 1,
        dashArray: pending ? "5 5" : st.dash || null, fillColor: colour(st.fill, c), fillOpacity: st.fill_opacity || 0.3,
        className: `el-shape kind-${p.kind}${pending ? " pending" : ""}` } });
      if (isLine && kind && kind.flow) {
        // arrows along the line in its drawn (flow) direction
        const lines = f.geometry.type === "LineString" ? [f.geometry.coordinates] : f.geometry.coordinates;
        for (const coords of lines) {
          L.polylineDecorator(L.polyline(coords.map(([x, y]) => [y, x])), { patterns: [{ offset: 18, repeat: 70,
            symbol: L.Symbol.arrowHead({ pixelSize: 9, polygon: true,
              pathOptions: { color: c, fillColor: c, fillOpacity: 1, weight: 0, className: "flow-arrow" } }) }] })
            .addTo(group);
        }
      }
    }
    layer.bindPopup(() => el("div", { class: "popup" }, el("strong", {}, p.name || (kind ? label(kind.label) : p.kind)),
      el("div", {}, kind ? label(kind.label) : p.kind), pending ? el("div", { class: "warn" }, t("pending_review")) : null));
    layer.on("click", () => show(f));
    layer.addTo(group);
    if (!type) continue;
  }
  for (const type of data.catalogue) {
    const group = groups[type.code];
    if (!group) continue;
    group.addTo(map).addTo(all);
    const n = data.elements.features.filter((f) => f.properties.type === type.code).length;
    if (lc) lc.addOverlay(group, `${label(type.label)} (${n})`);
  }
  if (all.getLayers().length) map.fitBounds(all.getBounds(), { padding: [30, 30], maxZoom: 17 });

  const rules = document.getElementById("rules");
  for (const r of data.compliance.results) {
    rules.append(el("li", { class: "rule " + r.status }, el("b", {}, t(r.status)), ` ${r.label}: ${r.reason}`));
  }

  fetch(data.surroundings_url, { credentials: "same-origin" })
    .then((r) => (r.ok ? r.json() : Promise.reject(r.status)))
    .then((fc) => {
      const targets = L.geoJSON(fc, {
        pointToLayer: (f, latlng) => L.circleMarker(latlng, { radius: 6, color: "#6a1b9a", fillOpacity: 0.6,
                                                               className: "sensitive-target" }),
        style: { color: "#6a1b9a", weight: 1, fillOpacity: 0.15, className: "sensitive-target" },
        onEachFeature: (f, layer) => layer.bindTooltip(el("span", {},
          `${(data.lang === "en" && f.properties.name_en) || f.properties.name} · ${f.properties.distance_m} m`)),
      }).addTo(map);
      if (lc) lc.addOverlay(targets, t("layer_targets"));
      document.body.dataset.surroundings = String(fc.features.length);
    })
    .catch(() => rules.before(el("p", { class: "warn" }, t("load_failed"))));
  document.body.dataset.elements = String(data.elements.features.length);
});
