// The save status at the foot of the window (role="status", so screen readers hear it politely).
// It says "Saved" only when everything on the page is saved; otherwise what is pending, or the
// problem and where to put it right.

/**
 * Shows `lines` in `element`. Each line is a list of parts: text, or {text, href} for a link.
 * `tone` is "saved", "problem" or "" (waiting or saving).
 */
export function show(element, lines, tone = "") {
  const paragraphs = lines.map((parts) => {
    const paragraph = document.createElement("p");
    for (const part of parts) {
      if (typeof part === "string") {
        paragraph.append(part);
      } else {
        const link = document.createElement("a");
        link.className = "govuk-link";
        link.href = part.href;
        link.textContent = part.text;
        if (part.newTab) {
          link.target = "_blank";
          link.rel = "noopener";
        }
        if (part.onClick) link.addEventListener("click", part.onClick);
        paragraph.append(link);
      }
    }
    return paragraph;
  });
  // Only a change of words is announced: the same status written again stays quiet.
  const next = paragraphs.map((p) => p.textContent).join("\n");
  if (element.dataset.said !== next || element.dataset.tone !== tone) {
    element.replaceChildren(...paragraphs);
    element.dataset.said = next;
    element.dataset.tone = tone;
  }
  element.classList.toggle("app-save-status--problem", tone === "problem");
  element.classList.toggle("app-save-status--saved", tone === "saved");
}

export const SIGNED_OUT = (signInUrl) => [
  "Not saved: you have been signed out. Your changes are kept in this browser. ",
  { text: "Sign in again (opens in a new tab)", href: signInUrl, newTab: true },
  ", then come back to this page: they will be saved.",
];

export const NO_CONNECTION = [
  "Not saved yet: there is no connection. Your changes are kept in this browser and saved when the connection returns.",
];

export const UNEXPECTED = (status) => [
  `Not saved yet: the portal did not answer as expected (error ${status}). Your changes are kept in this browser and saving will be tried again.`,
];

/**
 * Keeps the CSS custom property --app-save-status-height (pixels, on <html>) at the height of the
 * sticky status `element`, so `scroll-padding-bottom` scrolls whatever is focused clear of it, and
 * brings a focused element (a text box, a conflict panel's button) out from under it.
 */
export function keepClearOf(element) {
  const root = document.documentElement;
  const measure = () => root.style.setProperty("--app-save-status-height", `${Math.ceil(element.offsetHeight)}px`);
  if ("ResizeObserver" in window) new ResizeObserver(measure).observe(element);
  measure();
  // A text box is scrolled only as far as its caret: bring the whole of it clear of the status.
  document.addEventListener("focusin", (event) => {
    if (element.contains(event.target)) return;
    const box = event.target.getBoundingClientRect();
    const bar = element.getBoundingClientRect();
    if (box.bottom > bar.top && box.top < bar.bottom) event.target.scrollIntoView({ block: "nearest" });
  });
}
