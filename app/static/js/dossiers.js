// The dashboard's "export every pond's dossier": starts the job, shows its progress, then offers the download.
// Text from the server goes in through textContent only; the POST carries the page's CSRF token.
(function () {
  "use strict";
  const button = document.getElementById("dossier-all");
  if (!button) return;
  const bar = document.getElementById("dossier-progress");
  const status = document.getElementById("dossier-status");
  const link = document.getElementById("dossier-download");

  function fail() {
    status.textContent = button.dataset.failed;
    button.disabled = false;
  }

  function poll(id) {
    fetch(`/api/jobs/${encodeURIComponent(id)}`, { credentials: "same-origin" })
      .then((r) => (r.ok ? r.json() : Promise.reject(r.status)))
      .then((job) => {
        bar.value = job.progress;
        status.textContent = job.message || button.dataset.preparing;
        if (job.state === "done") {
          status.textContent = "";
          link.href = `/api/dossiers/${encodeURIComponent(id)}/download`;
          link.hidden = false;
          button.disabled = false;
        } else if (job.state === "failed") fail();
        else setTimeout(() => poll(id), 1000);
      })
      .catch(fail);
  }

  button.addEventListener("click", () => {
    const csrf = document.querySelector("input[name=csrf_token]");
    button.disabled = true;
    link.hidden = true;
    bar.hidden = false;
    bar.value = 0;
    status.textContent = button.dataset.preparing;
    fetch("/api/dossiers", {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRF-Token": csrf ? csrf.value : "" },
    })
      .then((r) => (r.ok ? r.json() : Promise.reject(r.status)))
      .then((job) => poll(job.id))
      .catch(fail);
  });
})();
