// Calls from the pages to the API, in one place: same-origin credentials, the session's CSRF token on every
// request, and a refused request thrown as an Error carrying the server's message and its problems (in the
// user's language, as the server wrote them). Loaded before the page scripts that use it; no page data needed.
"use strict";

const Api = (() => {
  // The text of a refusal: the message, then each problem's message.
  function errorText(body, fallback) {
    const error = (body && body.error) || {};
    const details = (error.problems || []).map((p) => p.message).join("; ");
    return [error.message || fallback, details].filter(Boolean).join(": ");
  }

  // call(url, {csrf, ...fetch options}): the answer's JSON, or throws Error(errorText).
  async function call(url, options) {
    const { csrf, ...init } = options || {};
    const r = await fetch(url, { credentials: "same-origin", ...init,
                                 headers: { "X-CSRF-Token": csrf || "", ...init.headers } });
    const body = await r.json().catch(() => ({}));
    if (!r.ok) throw new Error(errorText(body, r.statusText));
    return body;
  }

  return { call, errorText };
})();
