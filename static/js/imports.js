// A big file's check or import, done in the background: shows where it has got to without reloading
// the page (asks the server every 2 seconds and puts its fresh progress part of the page in place),
// and loads the page again once it is finished, to show what the file would do or did. Without
// JavaScript the page offers a "Refresh this page" link instead.

const POLL_MS = 2000;

const announcer = document.querySelector("[data-announcer]");

const watch = (container) => {
  const url = container.dataset.progressUrl;
  const tidy = () => container.querySelector("[data-refresh]")?.remove();
  tidy();
  const poll = async () => {
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (response.ok) {
        const state = await response.json();
        if (state.finished && state.status !== "failed") {
          window.location.reload();
          return;
        }
        container.innerHTML = state.html; // drawn by the server from our own template
        tidy();
        if (state.status === "failed" && announcer) announcer.textContent = "The file could not be dealt with.";
        if (state.finished) return;
      }
    } catch {
      // A dropped connection: keep asking.
    }
    window.setTimeout(poll, POLL_MS);
  };
  window.setTimeout(poll, POLL_MS);
};

document.querySelectorAll("[data-import-run][data-progress-url]").forEach(watch);
