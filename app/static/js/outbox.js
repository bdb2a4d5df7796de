// Inspection drafts kept in the browser (IndexedDB, photos as Blobs) and sent when the network allows.
// Every record carries ids made here (crypto.randomUUID), and the server treats a repeated request with
// the same ids as the same request: a draft that is sent twice (a lost response, a retry after going
// offline, a reload) still makes exactly one inspection.
"use strict";

const Outbox = (() => {
  const DB_NAME = "tailings-inspections";
  const STORE = "drafts";
  let dbp = null;

  function db() {
    if (!dbp) {
      dbp = new Promise((resolve, reject) => {
        const req = indexedDB.open(DB_NAME, 1);
        req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: "key" });
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
    }
    return dbp;
  }

  async function get(key) {
    const d = await db();
    return new Promise((resolve, reject) => {
      const req = d.transaction(STORE).objectStore(STORE).get(key);
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  }

  async function put(record) {
    const d = await db();
    return new Promise((resolve, reject) => {
      const tx = d.transaction(STORE, "readwrite");
      tx.objectStore(STORE).put(record);
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
  }

  // One attempt to send the draft: photos first (each once), then the inspection.
  // Returns {ok, body} on success, {retry: true} when the network or server failed, {error} when refused.
  async function send(draft, csrf) {
    const headers = { "X-CSRF-Token": csrf || "" };
    try {
      for (const [id, photo] of Object.entries(draft.photos)) {
        if (photo.uploaded) continue;
        const form = new FormData();
        form.append("id", id);
        form.append("file", photo.blob, photo.name || `${id}.jpg`);
        const r = await fetch(`/api/ponds/${draft.pond_id}/photos`, { method: "POST", body: form, headers,
          credentials: "same-origin" });
        if (r.status >= 500) return { retry: true };
        if (!r.ok) return { error: await message(r) };
        photo.uploaded = true;
        await put(draft);
      }
      const answers = Object.values(draft.answers).filter((a) => a.answer);
      const r = await fetch(`/api/ponds/${draft.pond_id}/inspections/${draft.inspection_id}`, {
        method: "PUT",
        credentials: "same-origin",
        headers: { ...headers, "Content-Type": "application/json" },
        body: JSON.stringify({ started_at: draft.started_at, position: draft.position || null, answers,
          submit: !!draft.submit }),
      });
      if (r.status >= 500) return { retry: true };
      if (!r.ok) return { error: await message(r) };
      return { ok: true, body: await r.json() };
    } catch (e) {
      return { retry: true };  // offline, DNS, connection reset: try again later
    }
  }

  async function message(r) {
    try {
      const body = await r.json();
      const problems = (body.error.problems || []).map((p) => `${p.field}: ${p.message}`).join("; ");
      return body.error.message + (problems ? ` (${problems})` : "");
    } catch (e) {
      return `HTTP ${r.status}`;
    }
  }

  function uuid() {
    if (crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  return { get, put, send, uuid };
})();
