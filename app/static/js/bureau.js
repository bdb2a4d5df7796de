// The bureau's imports: upload a registry or a reference layer, see what it would change, commit it.
// The preview answers with the stored file and a fingerprint; the commit sends them back. User text reaches
// the page through textContent only; every POST carries the session's CSRF token.
"use strict";

(() => {
  const { data, t, el } = Page;
  const headers = { "X-CSRF-Token": data.csrf_token || "" };

  const call = (url, options) => Api.call(url, { csrf: data.csrf_token, ...options });

  function shown(value) {
    if (value === null || value === undefined) return "—";
    if (Array.isArray(value)) return value.join(", ");
    return String(value);
  }

  function changes(row) {
    const parts = [];
    for (const [key, [before, after]] of Object.entries(row.changes || {})) {
      parts.push(`${(data.fields && data.fields[key]) || key}: ${shown(before)} → ${shown(after)}`);
    }
    return parts.concat(row.problems || []).join("; ");
  }

  // The error report of the registry: the same upload again, answered with the file and an error column.
  async function download(url, fields) {
    const r = await fetch(url, { method: "POST", credentials: "same-origin", headers, body: fields });
    if (!r.ok) throw new Error(r.statusText);
    const name = decodeURIComponent(((r.headers.get("Content-Disposition") || "").split("filename*=UTF-8''")[1]) || "errors.xlsx");
    const a = el("a", { href: URL.createObjectURL(await r.blob()), download: name });
    document.body.append(a);
    a.click();
    a.remove();
  }

  function show(section, preview, commitBody, commitUrl, reportUrl, fields) {
    const box = section.querySelector(".preview");
    box.hidden = false;
    const counts = box.querySelector(".counts");
    counts.replaceChildren();
    for (const [key, n] of Object.entries(preview.counts)) {
      const label = t("bureau_action_" + key) !== "bureau_action_" + key ? t("bureau_action_" + key) : t("bureau_" + key);
      counts.append(el("li", { "data-count": key }, `${label}: ${n}`));
    }
    const problems = box.querySelector(".problems");
    problems.replaceChildren(...preview.problems.slice(0, 500).map((p) => el("li", { class: p.severity }, p.message)));
    const report = box.querySelector(".report");
    if (report) {
      report.replaceChildren();
      if (reportUrl && preview.problems.length) {
        report.append(el("button", { type: "button", class: "secondary", id: section.id + "-report",
          onclick: () => download(reportUrl, fields).catch((e) => { section.querySelector(".error").textContent = e.message; }) },
          t("import_error_report")));
      }
    }
    const tbody = box.querySelector("tbody");
    tbody.replaceChildren();
    for (const row of preview.rows) {
      tbody.append(el("tr", { class: "action-" + row.action },
        el("td", {}, row.row === null || row.row === undefined ? "—" : `${row.sheet ? row.sheet + " · " : ""}${row.row}`),
        el("td", {}, shown(row.code !== undefined ? row.code : row.key)),
        el("td", {}, shown(row.name)),
        el("td", {}, t("bureau_action_" + row.action)),
        el("td", {}, changes(row))));
    }
    for (const gone of preview.delisted || []) {
      tbody.append(el("tr", { class: "action-delist" }, el("td", {}, "—"), el("td", {}, gone.code),
        el("td", {}, shown(gone.name)), el("td", {}, t("bureau_action_delist")), el("td", {}, "")));
    }
    for (const gone of preview.removed || []) {
      tbody.append(el("tr", { class: "action-remove" }, el("td", {}, "—"), el("td", {}, shown(gone.key)),
        el("td", {}, shown(gone.name)), el("td", {}, t("bureau_action_remove")), el("td", {}, "")));
    }
    const old = box.querySelector("button.commit");
    const button = old.cloneNode(true);  // drop the listener of an earlier preview
    old.replaceWith(button);
    button.disabled = !preview.committable;
    button.addEventListener("click", async () => {
      const error = section.querySelector(".error");
      const ok = section.querySelector(".ok");
      error.textContent = "";
      button.disabled = true;
      try {
        const result = await call(commitUrl, { method: "POST", body: JSON.stringify(commitBody),
                                               headers: { "Content-Type": "application/json" } });
        ok.textContent = `${t("bureau_committed")}: ${Object.entries(result.applied)
          .map(([k, n]) => `${t("bureau_action_" + k) !== "bureau_action_" + k ? t("bureau_action_" + k) : k} ${n}`)
          .join(", ")}`;
        document.body.dataset.committed = section.id;
      } catch (e) {
        error.textContent = e.message;
        button.disabled = false;
      }
    });
    document.body.dataset.previewed = section.id;
  }

  function wire(sectionId, urls) {
    const section = document.getElementById(sectionId);
    const form = section.querySelector("form");
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      delete document.body.dataset.previewed;
      const error = section.querySelector(".error");
      section.querySelector(".ok").textContent = "";
      error.textContent = "";
      const fields = new FormData(form);
      const { preview: previewUrl, commit: commitUrl, report: reportUrl } = urls(fields);
      fields.delete("layer");
      const submit = form.querySelector("button[type=submit]");
      submit.disabled = true;
      try {
        const preview = await call(previewUrl, { method: "POST", body: fields });
        const body = { file: preview.file, filename: preview.filename, crs: fields.get("crs") || null,
                       fingerprint: preview.fingerprint };
        if ("delist" in preview) body.delist = preview.delist;
        if ("source" in preview) body.source = preview.source;
        show(section, preview, body, commitUrl, reportUrl, fields);
      } catch (e) {
        error.textContent = e.message;
      } finally {
        submit.disabled = false;
      }
    });
  }

  wire("registry", () => ({ preview: "/api/bureau/ponds/preview", commit: "/api/bureau/ponds/commit",
                            report: "/api/bureau/ponds/errors.xlsx" }));
  wire("reference", (fields) => {
    const layer = encodeURIComponent(fields.get("layer"));
    return { preview: `/api/bureau/reference/${layer}/preview`, commit: `/api/bureau/reference/${layer}/commit` };
  });
})();
