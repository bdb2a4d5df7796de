// A hazard's page: the form for the step the signed-in person may take now (from the server's list of
// allowed actions), with evidence photos uploaded first under ids made here.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const { data } = Page;
  const form = document.getElementById("action-form");
  if (!form) return;
  const select = document.getElementById("action");
  const error = document.getElementById("action-error");

  // the fields of a step: those it needs and those it may take (a rejection's new deadline)
  function needsOf(action) {
    const a = data.actions.find((x) => x.action === action);
    return a ? [...a.needs, ...(a.optional || [])] : [];
  }
  function showFields() {
    const needs = needsOf(select.value);
    for (const label of form.querySelectorAll("[data-need]")) label.hidden = !needs.includes(label.dataset.need);
  }
  select.addEventListener("change", showFields);
  showFields();

  function uuid() {
    return crypto.randomUUID();
  }

  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    error.textContent = "";
    const headers = { "X-CSRF-Token": data.csrf || "" };
    const needs = needsOf(select.value);
    const body = { action: select.value };
    for (const f of ["note", "plan", "deadline", "responsible", "reason"]) {
      const v = form.elements[f].value;
      if (v && (f === "note" || needs.includes(f))) body[f] = v;
    }
    body.photo_ids = [];
    const button = document.getElementById("do-action");
    button.disabled = true;
    try {
      if (needs.includes("photo_ids")) {
        for (const file of form.elements.photos.files) {
          const id = uuid();
          const fd = new FormData();
          fd.append("id", id);
          fd.append("file", file, file.name);
          const r = await fetch(`/api/ponds/${data.pond_id}/photos`, { method: "POST", body: fd, headers });
          if (!r.ok) throw new Error((await r.json()).error.message);
          body.photo_ids.push(id);
        }
      }
      const r = await fetch(`/api/ponds/${data.pond_id}/hazards/${data.hazard_id}/transitions`, {
        method: "POST", headers: { ...headers, "Content-Type": "application/json" }, body: JSON.stringify(body),
      });
      const out = await r.json();
      if (!r.ok) {
        const problems = (out.error.problems || []).map((p) => `${p.field}: ${p.message}`).join("; ");
        throw new Error(out.error.message + (problems ? ` (${problems})` : ""));
      }
      window.location.reload();
    } catch (e) {
      error.textContent = e.message;
      button.disabled = false;
    }
  });
});
