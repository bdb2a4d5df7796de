// The phone inspection page: the inspector's position and the nearest elements on the map, the checklist
// per element, answers with note, photos and position. Everything is kept in IndexedDB as it is entered
// (a reload or a dead network loses nothing) and sent, exactly once, when the network allows.
"use strict";

document.addEventListener("DOMContentLoaded", async () => {
  const { data, t, el, label } = Page;
  const pond = data.pond;
  const key = `pond:${pond.id}:user:${data.user_id}`;
  const statusEl = document.getElementById("sync-status");
  const form = document.getElementById("checklist");
  const result = document.getElementById("result");
  let here = null;
  let flushing = false;
  let retryTimer = null;

  function fresh() {
    return { key, pond_id: pond.id, inspection_id: Outbox.uuid(), started_at: new Date().toISOString(),
      answers: {}, photos: {}, position: null, submit: false, state: "draft" };
  }
  let draft = (await Outbox.get(key)) || fresh();

  function status(state, text) {
    statusEl.dataset.state = state;
    statusEl.textContent = text;
  }
  async function save() {
    await Outbox.put(draft);
  }

  // --- position and the map -------------------------------------------------------------------------
  const map = Page.map();
  const elementsLayer = L.featureGroup().addTo(map);
  for (const e of data.checklist.elements) {
    if (e.lon === null || e.lat === null) continue;
    const tip = el("span", {}, e.name || e.kind);
    L.circleMarker([e.lat, e.lon], { radius: 6, color: "#1565c0", className: "inspect-element" })
      .bindTooltip(tip).addTo(elementsLayer);
  }
  let me = null;
  let meCircle = null;

  function metres(a, b) {  // haversine, enough to order nearby elements
    const r = 6371008.8, rad = Math.PI / 180;
    const dLat = (b.lat - a.lat) * rad, dLon = (b.lon - a.lon) * rad;
    const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
    return 2 * r * Math.asin(Math.sqrt(h));
  }
  function nearest() {
    const list = document.getElementById("nearest");
    list.replaceChildren();
    if (!here) return;
    const sorted = data.checklist.elements.filter((e) => e.lon !== null)
      .map((e) => ({ e, d: metres(here, e) })).sort((a, b) => a.d - b.d).slice(0, 5);
    for (const { e, d } of sorted) {
      list.append(el("li", {}, el("a", { href: `#el-${e.id}` }, e.name || e.kind), " · ",
        t("distance_m", { d: Math.round(d) })));
    }
  }
  function onPosition(p) {
    here = { lon: p.coords.longitude, lat: p.coords.latitude, accuracy_m: Math.round(p.coords.accuracy * 10) / 10 };
    const ll = [here.lat, here.lon];
    if (!me) {
      me = L.circleMarker(ll, { radius: 7, color: "#d32f2f", fillOpacity: 0.9, className: "my-position" }).addTo(map);
      meCircle = L.circle(ll, { radius: here.accuracy_m, color: "#d32f2f", weight: 1, fillOpacity: 0.08 }).addTo(map);
    } else {
      me.setLatLng(ll);
      meCircle.setLatLng(ll).setRadius(here.accuracy_m);
    }
    document.getElementById("position").textContent =
      `${t("my_position")}: ${here.lon.toFixed(6)}, ${here.lat.toFixed(6)} (±${here.accuracy_m} m)`;
    document.body.dataset.position = "known";
    nearest();
  }
  if (navigator.geolocation) {
    navigator.geolocation.watchPosition(onPosition, () => {}, { enableHighAccuracy: true, maximumAge: 10000 });
  }

  // --- the checklist --------------------------------------------------------------------------------
  function groups() {
    const out = [];
    for (const section of data.checklist.template.sections) {
      if (section.pond_level) {
        out.push({ section, element: null });
        continue;
      }
      const els = data.checklist.elements.filter((e) => e.type === section.code);
      if (!els.length) out.push({ section, element: null, missing: true });
      for (const e of els) out.push({ section, element: e });
    }
    return out;
  }

  function answerFor(itemKey, elementId, itemId) {
    if (!draft.answers[itemKey]) {
      draft.answers[itemKey] = { id: Outbox.uuid(), element_id: elementId, item_id: itemId, answer: null,
        note: null, photo_ids: [] };
    }
    return draft.answers[itemKey];
  }

  function stamp(a) {
    a.answered_at = new Date().toISOString();
    if (here) a.position = { ...here };
  }

  function itemRow(g, item) {
    const elementId = g.element ? g.element.id : null;
    const itemKey = `${g.section.code}|${elementId ?? ""}|${item.id}`;
    const saved = draft.answers[itemKey];
    const row = el("div", { class: "item", "data-key": itemKey, "data-item": item.id });
    row.append(el("p", { class: "text" }, data.lang === "en" ? item.en : item.zh, " ",
      el("span", { class: "src" }, `[${item.source}]`)));
    const choices = el("div", { class: "choices", role: "group" });
    for (const value of ["ok", "problem", "not_applicable"]) {
      const b = el("button", { type: "button", "data-answer": value,
        "aria-pressed": saved && saved.answer === value ? "true" : "false" }, t(`ans_${value}`));
      b.addEventListener("click", async () => {
        const a = answerFor(itemKey, elementId, item.id);
        a.answer = value;
        stamp(a);
        for (const other of choices.children) other.setAttribute("aria-pressed", String(other === b));
        await changed();
      });
      choices.append(b);
    }
    row.append(choices);
    const note = el("textarea", { name: "note", placeholder: t("note"), "aria-label": t("note") });
    note.value = (saved && saved.note) || "";
    note.addEventListener("input", async () => {
      const a = answerFor(itemKey, elementId, item.id);
      a.note = note.value || null;
      await changed();
    });
    row.append(note);
    const count = el("span", { class: "count" }, t("photos_n", { n: saved ? saved.photo_ids.length : 0 }));
    const input = el("input", { type: "file", accept: "image/*", capture: "environment", multiple: true,
      "aria-label": t("take_photo") });
    input.addEventListener("change", async () => {
      const a = answerFor(itemKey, elementId, item.id);
      for (const file of input.files) {
        const id = Outbox.uuid();
        draft.photos[id] = { blob: file, name: file.name, uploaded: false };
        a.photo_ids.push(id);
      }
      stamp(a);
      input.value = "";
      count.textContent = t("photos_n", { n: a.photo_ids.length });
      await changed();
    });
    row.append(el("div", { class: "photo" }, el("label", {}, t("take_photo"), input), count));
    return row;
  }

  function build() {
    form.replaceChildren();
    for (const g of groups()) {
      const title = label(g.section.label) + (g.element ? ` · ${g.element.name || g.element.kind}` : "")
        + (g.missing ? ` ${t("no_element_of_type")}` : "");
      const fs = el("fieldset", { id: g.element ? `el-${g.element.id}` : `sec-${g.section.code}`,
        "data-section": g.section.code }, el("legend", {}, title));
      for (const item of g.section.items) fs.append(itemRow(g, item));
      form.append(fs);
    }
  }

  async function changed() {
    if (draft.state === "sent") return;
    draft.position = here ? { ...here } : draft.position;
    await save();
    if (draft.state !== "pending") status("local", t("sync_local"));
  }

  // --- sending --------------------------------------------------------------------------------------
  function showSent() {
    status("sent", t("sync_sent"));
    result.replaceChildren(
      el("p", {}, t("submitted_hazards", { n: draft.hazards || 0 })),
      el("p", {}, el("a", { href: `/api/ponds/${pond.id}/inspections/${draft.inspection_id}/record.pdf`,
        id: "record-link" }, t("open_record"))),
      el("p", {}, el("a", { href: "/hazards" }, t("hazards_title") || "/hazards")),
      el("p", {}, el("button", { type: "button", id: "new-inspection", onclick: async () => {
        draft = fresh();
        await save();
        result.replaceChildren();
        status("idle", "");
        build();
      } }, t("new_inspection"))),
    );
    for (const b of document.querySelectorAll(".actions button")) b.disabled = true;
  }

  async function flush() {
    if (flushing || draft.state === "sent") return;
    flushing = true;
    clearTimeout(retryTimer);
    try {
      const out = await Outbox.send(draft, data.csrf);
      if (out.ok) {
        if (draft.submit) {
          draft.state = "sent";
          draft.hazards = out.body.answers.filter((a) => a.hazard_id !== null).length;
          for (const p of Object.values(draft.photos)) p.blob = null;  // sent: the server keeps them
          await save();
          showSent();
          for (const b of document.querySelectorAll(".actions button")) b.disabled = false;
          document.getElementById("submit").disabled = true;
          document.getElementById("save-draft").disabled = true;
        } else {
          status("local", t("sync_local"));
        }
      } else if (out.retry) {
        status(navigator.onLine ? "pending" : "offline", t(navigator.onLine ? "sync_pending" : "sync_offline"));
        if (draft.submit) retryTimer = setTimeout(flush, 3000);
      } else {
        status("error", t("sync_error", { message: out.error }));
      }
    } finally {
      flushing = false;
    }
  }

  document.getElementById("save-draft").addEventListener("click", async () => {
    await changed();
    await flush();
  });
  document.getElementById("submit").addEventListener("click", async () => {
    if (!Object.values(draft.answers).some((a) => a.answer)) {
      status("error", t("confirm_submit_none"));
      return;
    }
    draft.submit = true;
    draft.state = "pending";
    draft.position = here ? { ...here } : draft.position;
    await save();
    status("pending", t("sync_pending"));
    await flush();
  });
  window.addEventListener("online", flush);

  build();
  if (draft.state === "sent") showSent();
  else if (draft.state === "pending") {
    status("pending", t("sync_pending"));
    flush();
  } else if (Object.keys(draft.answers).length) status("local", t("sync_local"));
  document.body.dataset.ready = "true";
});
