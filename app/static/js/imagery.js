// Imagery on a pond's map: the image of a date as an overlay, a second date side by side (swipe), the water
// surface and outline derived from each image, a derivation job with its progress, and area over time.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const { data, t, el } = Page;
  const cfg = data.imagery;
  const box = document.getElementById("imagery");
  if (!cfg || !box) return;
  const map = Page.map();
  const lc = Page.layerControl();
  const dateSel = document.getElementById("imagery-date");
  const compareSel = document.getElementById("imagery-compare");
  const deriveBtn = document.getElementById("imagery-derive");
  const bar = document.getElementById("imagery-progress");
  const jobText = document.getElementById("imagery-job");
  const chart = document.getElementById("imagery-chart");
  const byId = {};
  let left = null, right = null, swipe = null, derived = null;

  const getJSON = (url) => fetch(url, { credentials: "same-origin" }).then((r) => (r.ok ? r.json() : Promise.reject(r.status)));
  const tiles = (img) => L.tileLayer(img.tiles, { maxZoom: 20, className: "imagery-tile", attribution: `${img.sensor} ${img.acquired_on}` });
  const option = (img) => el("option", { value: img.id }, `${img.acquired_on} · ${img.sensor}`);

  function clear() {
    if (swipe) { swipe.remove(); swipe = null; }
    for (const layer of [left, right]) if (layer) map.removeLayer(layer);
    left = right = null;
  }

  function loadDerived(imageId) {
    if (derived) { map.removeLayer(derived); if (lc) lc.removeLayer(derived); derived = null; }
    if (!imageId) return;
    getJSON(`${cfg.derived_url}?image_id=${encodeURIComponent(imageId)}`).then((fc) => {
      derived = L.geoJSON(fc, {
        style: (f) => f.properties.kind === "water_surface"
          ? { color: "#0277bd", weight: 2, fillColor: "#29b6f6", fillOpacity: 0.35, className: "derived-water" }
          : { color: f.properties.flagged ? "#c62828" : "#ef6c00", weight: 2, dashArray: "6 4", fill: false, className: "derived-outline" },
        onEachFeature: (f, layer) => layer.bindTooltip(el("span", {},
          `${t(f.properties.kind === "water_surface" ? "imagery_water" : "imagery_outline")} · ${f.properties.acquired_on} · ` +
          `${(f.properties.area_m2 / 1e4).toFixed(2)} ha${f.properties.flagged ? " · " + t("imagery_flagged") : ""}`)),
      }).addTo(map);
      if (lc) lc.addOverlay(derived, t("imagery_water"));
      box.dataset.derived = String(fc.features.length);
    });
  }

  function update() {
    clear();
    const a = byId[dateSel.value];
    const b = byId[compareSel.value];
    if (a) left = tiles(a).addTo(map);
    if (a && b && b !== a) {
      right = tiles(b).addTo(map);
      swipe = L.control.sideBySide(left, right).addTo(map);
    }
    box.dataset.shown = [a && a.id, b && b !== a && b.id].filter(Boolean).join(",");
    loadDerived(a && a.id);
    if (deriveBtn) deriveBtn.disabled = !a || !["multispectral", "rgb"].includes(a.kind);
  }

  function drawChart(body) {
    const NS = "http://www.w3.org/2000/svg";
    const svg = (tag, attrs) => { const n = document.createElementNS(NS, tag); for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, v); return n; };
    chart.replaceChildren();
    const series = body.series;
    box.dataset.points = String(series.length);
    if (!series.length) return;
    const W = 300, H = 150, P = 28;
    const times = series.map((s) => Date.parse(s.acquired_on));
    const values = series.flatMap((s) => [s.water_area_m2 || 0, s.outline_area_m2 || 0]).concat(body.approved_area_m2 || 0);
    const t0 = Math.min(...times), t1 = Math.max(...times), vmax = Math.max(...values) * 1.1 || 1;
    const x = (v) => P + (t1 > t0 ? (v - t0) / (t1 - t0) : 0.5) * (W - 2 * P);
    const y = (v) => H - P - (v / vmax) * (H - 2 * P);
    chart.append(svg("line", { x1: P, y1: H - P, x2: W - P, y2: H - P, class: "axis" }));
    const ha = (v) => (v / 1e4).toFixed(1);
    const tick = (v) => { const n = svg("text", { x: 2, y: y(v) + 4, class: "tick" }); n.textContent = ha(v); return n; };
    chart.append(tick(0), tick(vmax / 1.1));
    if (body.approved_area_m2) chart.append(svg("line", { x1: P, x2: W - P, y1: y(body.approved_area_m2), y2: y(body.approved_area_m2), class: "approved" }));
    for (const [key, cls] of [["water_area_m2", "water"], ["outline_area_m2", "outline"]]) {
      const pts = series.map((s, i) => `${x(times[i])},${y(s[key] || 0)}`).join(" ");
      chart.append(svg("polyline", { points: pts, class: `line ${cls}` }));
      series.forEach((s, i) => {
        const c = svg("circle", { cx: x(times[i]), cy: y(s[key] || 0), r: 3, class: `dot ${cls}${s.flagged && cls === "outline" ? " flagged" : ""}` });
        const title = document.createElementNS(NS, "title");
        title.textContent = `${s.acquired_on}: ${ha(s[key] || 0)} ha${s.flagged && cls === "outline" ? " · " + t("imagery_flagged") : ""}`;
        c.append(title);
        chart.append(c);
      });
    }
    for (const i of [0, series.length - 1]) {
      const n = svg("text", { x: x(times[i]), y: H - 8, class: "tick", "text-anchor": "middle" });
      n.textContent = series[i].acquired_on;
      chart.append(n);
    }
  }

  const loadAreas = () => getJSON(cfg.areas_url).then(drawChart);

  function poll(url) {
    getJSON(url).then((job) => {
      bar.hidden = false;
      bar.value = job.progress;
      jobText.textContent = t("job_" + job.state);
      box.dataset.job = job.state;
      if (job.state === "done") { loadAreas(); loadDerived(dateSel.value); }
      else if (job.state !== "failed") setTimeout(() => poll(url), 1000);
    });
  }

  if (deriveBtn) deriveBtn.addEventListener("click", () => {
    const csrf = document.querySelector("input[name=csrf_token]");
    fetch(`${cfg.images_url}/${encodeURIComponent(dateSel.value)}/derive`, {
      method: "POST", credentials: "same-origin", headers: { "X-CSRF-Token": csrf ? csrf.value : "" },
    }).then((r) => (r.ok ? r.json() : Promise.reject(r.status)))
      .then((body) => poll(body.job_url))
      .catch(() => { jobText.textContent = t("job_failed"); });
  });

  dateSel.addEventListener("change", update);
  compareSel.addEventListener("change", update);
  getJSON(cfg.images_url).then((images) => {
    box.dataset.images = String(images.length);
    document.getElementById("imagery-none").hidden = images.length > 0;
    for (const img of images) {
      byId[img.id] = img;
      dateSel.append(option(img));
      compareSel.append(option(img));
    }
    if (images.length) dateSel.value = String(images[images.length - 1].id);
    update();
  }).catch(() => { jobText.textContent = t("load_failed"); });
  loadAreas();
});
