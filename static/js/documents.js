// Shows where each document being made has got to, without reloading the page: asks the server
// every 2 seconds and puts its fresh status part of the page in place (the progress bar, then the
// download button, or the reason it failed). Without JavaScript the page offers a "Refresh this
// page" link instead.

const POLL_MS = 2000;

// Screen readers hear when a document starts, is ready or fails, not every step of the bar.
const announcer = document.querySelector("[data-announcer]");
const announce = (state) => {
  if (!announcer) return;
  const said = {
    running: "Your document is being made.",
    done: "Your document is ready to download.",
    failed: `Your document could not be made: ${state.error}`,
  }[state.status];
  if (said) announcer.textContent = said;
};

const watch = (container) => {
  const url = container.dataset.progressUrl;
  let lastStatus = container.dataset.status;
  // The page keeps itself up to date: the no-JavaScript refresh link is not needed.
  const tidy = () => container.querySelector("[data-refresh]")?.remove();
  tidy();
  const poll = async () => {
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (response.ok) {
        const state = await response.json();
        container.innerHTML = state.html; // drawn by the server from our own template
        tidy();
        if (state.status !== lastStatus) announce(state);
        lastStatus = state.status;
        if (state.finished) return;
      }
    } catch {
      // A dropped connection: keep asking.
    }
    window.setTimeout(poll, POLL_MS);
  };
  window.setTimeout(poll, POLL_MS);
};

document.querySelectorAll("[data-document][data-progress-url]").forEach(watch);
