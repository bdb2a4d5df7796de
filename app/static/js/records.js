// A pond's file: forms saved through the API with the version they were made on (If-Match), uploads,
// chart parameter switches. Messages from the server reach the page through textContent only.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const csrf = (document.querySelector("meta[name=csrf-token]") || {}).content || "";

  function showError(msg, body) {
    const err = (body && body.error) || {};
    const problems = (err.problems || []).map((p) => p.message + (p.field ? ` (${p.field})` : ""));
    msg.textContent = [err.message || String(body), ...problems.slice(0, 20)].join(" · ");
    msg.classList.add("flag");
  }

  async function send(form, init) {
    const msg = form.querySelector(".msg");
    msg.textContent = "…";
    msg.classList.remove("flag");
    const r = await fetch(form.dataset.url, { credentials: "same-origin", ...init });
    const body = r.status === 204 ? {} : await r.json().catch(() => ({}));
    if (!r.ok) { showError(msg, body); return; }
    document.body.dataset.saved = form.id;
    window.location.reload();
  }

  for (const form of document.querySelectorAll("form.edit")) {
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const body = {};
      for (const input of form.querySelectorAll("input[name], select[name]")) {
        const v = input.value.trim();
        body[input.name] = v === "" ? null : input.type === "number" ? Number(v) : v;
      }
      const headers = { "Content-Type": "application/json", "X-CSRF-Token": csrf };
      if (form.dataset.version !== undefined) headers["If-Match"] = `"${form.dataset.version}"`;
      send(form, { method: form.dataset.method, headers, body: JSON.stringify(body) });
    });
  }

  // "Edit" on a row: its values go into the form below, which then replaces that row (with its version).
  for (const button of document.querySelectorAll("button.edit-row")) {
    button.addEventListener("click", () => {
      const form = document.getElementById(button.dataset.form);
      const row = JSON.parse(button.dataset.row);
      for (const input of form.querySelectorAll("input[name], select[name]")) {
        const v = row[input.name];
        input.value = v === null || v === undefined ? "" : String(v);
      }
      form.dataset.method = "PUT";
      form.dataset.url = button.dataset.url;
      form.dataset.version = button.dataset.version;
      form.querySelector("button[type=submit]").textContent = button.textContent;
      form.scrollIntoView({ block: "center" });
      form.querySelector("input[name], select[name]").focus();
    });
  }

  for (const form of document.querySelectorAll("form.upload")) {
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      send(form, { method: "POST", headers: { "X-CSRF-Token": csrf }, body: new FormData(form) });
    });
  }

  for (const select of document.querySelectorAll("select.chart-parameter")) {
    select.addEventListener("change", () => {
      const img = document.getElementById(select.dataset.img);
      img.src = img.dataset.base + encodeURIComponent(select.value);
    });
  }
});
