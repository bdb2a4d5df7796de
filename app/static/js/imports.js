// The upload page and the preview of a staged upload: what it adds, moves (and by how much), changes,
// removes, and what is wrong with it. User text reaches the page through textContent only.
"use strict";

(() => {
  const { data, t, el, map } = Page;
  const m = map();
  const COLOURS = { add: "#1a9850", move: "#f46d43", change: "#4575b4", unchanged: "#999999",
                    remove: "#d73027", error: "#c51b7d" };

  const call = (url, options) => Api.call(url, { csrf: data.csrf_token, ...options });

  // --- the upload form ---------------------------------------------------------------------------------
  const form = document.getElementById("upload-form");
  if (form) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const error = document.getElementById("upload-error");
      const button = document.getElementById("upload-submit");
      error.textContent = "";
      button.disabled = true;
      try {
        const batch = await call(`/api/ponds/${data.pond_id}/imports`, { method: "POST", body: new FormData(form) });
        window.location.assign(`/ponds/${data.pond_id}/imports/${batch.id}`);
      } catch (e) {
        error.textContent = e.message;
        button.disabled = false;
      }
    });
  }

  // --- the preview of a batch --------------------------------------------------------------------------
  if (data.pond_boundary) {
    L.geoJSON(data.pond_boundary, { style: { color: "#333", weight: 2, fill: false, dashArray: "4 4" } }).addTo(m);
  }
  if (!data.batch_id) {
    if (data.pond_boundary) m.fitBounds(L.geoJSON(data.pond_boundary).getBounds(), { maxZoom: 17 });
    return;
  }

  const tbody = document.querySelector("#rows tbody");
  const layers = L.featureGroup().addTo(m);

  function style(action) {
    const colour = COLOURS[action] || "#333";
    return { color: colour, fillColor: colour, weight: 3, fillOpacity: 0.3,
             dashArray: action === "remove" ? "6 6" : null, radius: 7 };
  }

  function draw(feature) {
    const p = feature.properties;
    const group = L.featureGroup();
    if (p.current_geometry) {  // a move: where it is now, and a line to where it would go
      L.geoJSON(p.current_geometry, { style: { color: "#777", weight: 2, dashArray: "3 5" },
        pointToLayer: (_, latlng) => L.circleMarker(latlng, { radius: 5, color: "#777" }) }).addTo(group);
      if (p.current_geometry.type === "Point" && feature.geometry && feature.geometry.type === "Point") {
        const [a, b] = [p.current_geometry.coordinates, feature.geometry.coordinates];
        L.polyline([[a[1], a[0]], [b[1], b[0]]], { color: COLOURS.move, weight: 1, dashArray: "2 4" }).addTo(group);
      }
    }
    if (feature.geometry) {
      L.geoJSON(feature, { style: () => style(p.action),
        pointToLayer: (_, latlng) => L.circleMarker(latlng, style(p.action)) }).addTo(group);
    }
    const tip = el("div", {}, el("b", {}, p.name || "—"), " · ", t("import_action_" + p.action));
    if (p.shift_m !== null && p.shift_m !== undefined) tip.append(" · ", t("import_shift", { shift: p.shift_m }));
    for (const problem of p.problems) tip.append(el("div", { class: "problem" }, problem));
    group.bindPopup(tip);
    return group;
  }

  function row(feature, layer) {
    const p = feature.properties;
    const tr = el("tr", { class: "action-" + p.action, "data-seq": p.seq },
      el("td", {}, p.row ? `${p.sheet ? p.sheet + " · " : ""}${p.row}` : "—"),
      el("td", {}, t("import_action_" + p.action)),
      el("td", {}, p.kind_label || p.kind || "—"),
      el("td", {}, p.name || "—"),
      el("td", {}, p.shift_m === null || p.shift_m === undefined ? "" : p.shift_m.toFixed(2)));
    if (p.problems.length) {
      tr.title = p.problems.join("\n");
    }
    tr.addEventListener("click", () => {
      if (layer.getLayers().length) {
        m.fitBounds(layer.getBounds(), { maxZoom: 18 });
        layer.openPopup();
      }
    });
    return tr;
  }

  fetch(`/api/ponds/${data.pond_id}/imports/${data.batch_id}/rows`, { credentials: "same-origin" })
    .then((r) => r.json())
    .then((collection) => {
      for (const f of collection.features) {
        const layer = draw(f);
        layer.addTo(layers);
        tbody.append(row(f, layer));
      }
      const bounds = layers.getBounds();
      if (bounds.isValid()) m.fitBounds(bounds, { maxZoom: 17 });
      document.body.dataset.rowsLoaded = String(collection.features.length);
    });

  function act(id, url, body) {
    const button = document.getElementById(id);
    if (!button) return;
    button.addEventListener("click", async () => {
      const error = document.getElementById("action-error");
      error.textContent = "";
      button.disabled = true;
      try {
        await call(url, body ? { method: "POST", body: JSON.stringify(body()),
                                 headers: { "Content-Type": "application/json" } } : { method: "POST" });
        window.location.reload();
      } catch (e) {
        error.textContent = e.message;
        button.disabled = false;
      }
    });
  }
  const base = `/api/ponds/${data.pond_id}/imports/${data.batch_id}`;
  act("commit", base + "/commit");
  act("discard", base + "/discard");
  act("verify", base + "/review", () => ({ decision: "verified" }));
  act("return", base + "/review", () => ({ decision: "returned",
                                            reason: document.getElementById("return-reason").value }));
})();
