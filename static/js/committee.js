// Shows each committee pack version's progress while it is made, without reloading the page:
// asks the server where it has got to every 2 seconds, and when it is ready puts the download
// link in place. Without JavaScript the page offers a "Refresh this page" link instead.

const POLL_MS = 2000;

const element = (tag, className, text) => {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
};

// The same "Try again" form as templates/reporting/committee/_try_again.html, with the page's CSRF token.
const tryAgain = (state) => {
  const form = element("form");
  form.method = "post";
  form.action = state.resend_url;
  form.dataset.resend = "";
  const token = document.querySelector("input[name=csrfmiddlewaretoken]");
  if (token) form.append(token.cloneNode());
  form.append(
    element(
      "p",
      "govuk-body-s govuk-!-margin-top-2 govuk-!-margin-bottom-1",
      "Try making this version again, or generate the pack again to make a new one.",
    ),
  );
  const button = element("button", "govuk-button govuk-button--secondary govuk-!-margin-bottom-0", "Try again");
  button.type = "submit";
  button.append(element("span", "govuk-visually-hidden", ` to make version ${state.number}`));
  form.append(button);
  return form;
};

const show = (cell, state) => {
  if (state.status === "done") {
    cell.replaceChildren(
      element("strong", state.status_class, state.status_label),
      document.createTextNode(" "),
    );
    const link = element("a", "govuk-link", `Download version ${state.number} (PDF)`);
    link.href = state.download_url;
    cell.append(link);
    return;
  }
  if (state.status === "failed") {
    cell.replaceChildren(
      element("strong", state.status_class, state.status_label),
      element("p", "govuk-body-s govuk-!-margin-top-2 govuk-!-margin-bottom-0", state.error || "No reason was recorded."),
      tryAgain(state),
    );
    return;
  }
  const tag = cell.querySelector("[data-status]");
  tag.textContent = state.status_label;
  tag.className = state.status_class; // the colour registered for the status (qa_portal/tags.py)
  cell.querySelector("[data-message]").textContent = `${state.message || "Waiting for the background worker"}: ${state.progress}%`;
  const bar = cell.querySelector("progress");
  bar.value = state.progress;
  bar.textContent = `${state.progress}%`;
  if (state.status !== "queued") cell.querySelector("[data-resend]")?.remove();
};

// Screen readers hear when a version starts, is ready or fails, not every step of the bar.
const announcer = document.getElementById("pack-announcer");
const announce = (state) => {
  if (!announcer) return;
  const said = {
    running: `Version ${state.number} of the pack is being made.`,
    done: `Version ${state.number} of the pack is ready to download.`,
    failed: `Version ${state.number} of the pack failed: ${state.error}`,
  }[state.status];
  if (said) announcer.textContent = said;
};

const watch = (cell) => {
  const url = cell.dataset.progressUrl;
  let lastStatus = null;
  // The page keeps itself up to date: the no-JavaScript refresh link is not needed.
  cell.querySelector("[data-refresh]")?.remove();
  const poll = async () => {
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (response.ok) {
        const state = await response.json();
        show(cell, state);
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

document.querySelectorAll("[data-progress-url]").forEach(watch);
