// Saves every answer of a visit section as the visitor gives it: a choice (radios, checkboxes, a
// select) at once, text a few seconds after typing pauses, everything every few seconds while there
// are changes and when the visitor leaves the page.
//
// Nothing given is lost: every change is kept in this browser (localStorage) until the server has
// it, so a closed lid, a reload or a dropped connection only delays the save. Each save carries
// only the answers the visitor changed, each with its base (the value the page was rendered with,
// or last saved): if someone else saved that answer meanwhile, the server refuses it, both versions
// are shown, and only the visitor's choice settles it. A value the server cannot accept (a date
// half typed) is not saved; the status says which answer to put right, and the browser keeps it.

import { adoptPanel, closePanel, showPanel } from "./autosave/conflicts.js";
import { collectFields } from "./autosave/fields.js";
import { NO_CONNECTION, SIGNED_OUT, UNEXPECTED, keepClearOf, show } from "./autosave/status.js";

// How long a Save pressed during an autosave waits for that autosave's answer before it is sent anyway.
const HOLD_MS = 5000;

const form = document.querySelector("form[data-autosave-url]");
if (form) start(form);

function start(form) {
  const url = form.dataset.autosaveUrl;
  const storageKey = form.dataset.autosaveKey;
  const signInUrl = form.dataset.signInUrl;
  const statusElement = form.querySelector("[data-save-status]");
  keepClearOf(statusElement);
  const fields = collectFields(form);
  const clean = new Map(); // name -> the text the server holds for it, as this page last knew
  const conflicts = new Map(); // name -> {theirs, panel}
  const invalid = new Map(); // name -> {text, message}: refused as it stands
  let problem = null; // the last save failed as a whole: what to tell the visitor
  let savedAt = null;
  let timer = null;
  let saving = false;
  // A Save pressed while an autosave is under way: sent once that autosave's answer is back (see below).
  let held = null;
  // A form given back after sign-in (qa_portal.held) holds what was posted, not yet saved: it is
  // sent only once the person changes an answer or presses Save, never behind their back.
  let givenBack = Boolean(document.querySelector("[data-held-submission]"));

  for (const field of fields.values()) clean.set(field.name, field.base);

  const storeKey = (field) => `${storageKey}:${field.name}`;
  const load = (field) => {
    try {
      return JSON.parse(localStorage.getItem(storeKey(field)));
    } catch {
      return null;
    }
  };
  const keep = (field) => {
    if (givenBack) return;
    try {
      localStorage.setItem(storeKey(field), JSON.stringify({ base: field.base, value: field.text() }));
    } catch {
      // Storage full or blocked: the save to the server still happens.
    }
  };
  const forget = (field) => localStorage.removeItem(storeKey(field));

  const changed = (field) => field.text() !== clean.get(field.name);
  const refused = (field) => invalid.get(field.name)?.text === field.text();
  const pending = () => [...fields.values()].filter((f) => changed(f) && !conflicts.has(f.name) && !refused(f));

  const csrfToken = () => {
    const cookie = document.cookie.split("; ").find((c) => c.startsWith("csrftoken="));
    // The cookie, not the page: signing in again in another tab changes the token.
    return cookie ? decodeURIComponent(cookie.slice("csrftoken=".length)) : form.querySelector("[name=csrfmiddlewaretoken]").value;
  };

  const focusLink = (text, target, focus) => ({
    text,
    href: `#${target}`,
    onClick: (event) => {
      event.preventDefault();
      document.getElementById(target)?.scrollIntoView({ block: "center" });
      focus();
    },
  });

  const render = () => {
    const lines = [];
    for (const [name, { panel }] of conflicts) {
      const field = fields.get(name);
      lines.push([
        `Not saved: someone else changed “${field.label()}” while you were writing. `,
        focusLink("See both versions and choose which to keep", panel.id, () => panel.focus()),
      ]);
    }
    for (const [name, { message }] of invalid) {
      const field = fields.get(name);
      if (refused(field)) {
        lines.push(["Not saved: ", focusLink(`“${field.label()}”`, field.id, () => field.focus()), `: ${message}`]);
      }
    }
    if (problem) lines.push(problem);
    // While a save is tried again the problem stays as it is: a line added or taken away would
    // move what is around the status under a pointer that is pressing a button.
    if (lines.length) return show(statusElement, lines, "problem");
    if (saving) return show(statusElement, [["Saving…"]]);
    if (givenBack && [...fields.values()].some(changed)) {
      return show(statusElement, [["Not saved yet: check what was put back, then press Save."]]);
    }
    if ([...fields.values()].some(changed)) return show(statusElement, [["Changes not saved yet"]]);
    if (savedAt) return show(statusElement, [[`Saved at ${savedAt}`]], "saved");
    return show(statusElement, [["Your answers are saved as you go."]]);
  };

  const resolve = (field, panel, theirs) => ({
    // Keep mine: the visitor has seen theirs, so their version is what mine replaces.
    onKeepMine: () => {
      field.base = theirs;
      conflicts.delete(field.name);
      closePanel(field, panel.current);
      keep(field);
      field.focus();
      save();
    },
    onUseTheirs: () => {
      field.setText(theirs);
      field.base = theirs;
      clean.set(field.name, field.text());
      conflicts.delete(field.name);
      invalid.delete(field.name);
      closePanel(field, panel.current);
      forget(field);
      field.focus();
      render();
    },
  });

  const conflict = (field, details) => {
    const panel = { current: null };
    panel.current = showPanel(field, details, resolve(field, panel, details.theirs));
    conflicts.set(field.name, { theirs: details.theirs, panel: panel.current });
    keep(field);
  };

  const handle = async (response, sent) => {
    if (response.redirected && new URL(response.url).pathname === new URL(signInUrl, location.href).pathname) {
      problem = SIGNED_OUT(signInUrl);
      return;
    }
    if (!(response.headers.get("Content-Type") || "").includes("application/json")) {
      problem = UNEXPECTED(response.status);
      return;
    }
    const result = await response.json();
    if (response.status === 401 || result.signed_out) {
      problem = SIGNED_OUT(signInUrl);
      return;
    }
    if (result.error) {
      problem = [`Not saved yet: ${result.error}`];
      return;
    }
    problem = null;
    const settled = (name) => {
      const field = fields.get(name);
      invalid.delete(name);
      if (field.text() !== sent.get(name)) return keep(field); // changed again while saving
      clean.set(name, field.text());
      forget(field);
    };
    for (const [name, stored] of Object.entries(result.saved || {})) {
      if (!fields.has(name)) continue;
      fields.get(name).base = stored;
      settled(name);
    }
    for (const name of result.unchanged || []) if (fields.has(name)) settled(name);
    for (const [name, message] of Object.entries(result.errors || {})) {
      if (fields.has(name)) invalid.set(name, { text: sent.get(name), message });
    }
    for (const [name, details] of Object.entries(result.conflicts || {})) {
      if (fields.has(name)) conflict(fields.get(name), { ...details, theirsDisplay: details.theirs_display });
    }
    const reported = new Set([
      ...Object.keys(result.saved || {}),
      ...(result.unchanged || []),
      ...Object.keys(result.errors || {}),
      ...Object.keys(result.conflicts || {}),
    ]);
    for (const [name, text] of sent) {
      if (!reported.has(name)) invalid.set(name, { text, message: "this answer could not be saved" });
    }
    savedAt = result.saved_at;
    const nav = document.querySelector("[data-section-status]");
    if (nav && result.section_status) nav.innerHTML = result.section_status;
  };

  const save = async ({ leaving = false } = {}) => {
    clearTimeout(timer);
    if (givenBack) return render();
    const batch = pending();
    if (!batch.length || (saving && !leaving)) return render();
    saving = true;
    render();
    const sent = new Map(batch.map((field) => [field.name, field.text()]));
    const body = { fields: {} };
    for (const field of batch) body.fields[field.name] = { base: field.base, value: field.value() };
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), Accept: "application/json" },
        body: JSON.stringify(body),
        credentials: "same-origin",
        keepalive: leaving,
      });
      await handle(response, sent);
    } catch {
      problem = NO_CONNECTION;
    } finally {
      saving = false;
      if (held) {
        sendHeld();
        return;
      }
      render();
      if (pending().length) {
        // More was changed while saving: save it soon; after a failure, try again later.
        clearTimeout(timer);
        timer = setTimeout(save, problem ? 10000 : 1000);
      }
    }
  };

  // A conflict the server found on a plain form post: its panel is on the page already.
  for (const panel of form.querySelectorAll("[data-conflict-for]")) {
    const field = fields.get(panel.dataset.conflictFor);
    const theirs = panel.querySelector(`input[name="${field?.name}__theirs"]`);
    if (!field || !theirs) continue;
    adoptPanel(panel, resolve(field, { current: panel }, theirs.value));
    conflicts.set(field.name, { theirs: theirs.value, panel });
    keep(field);
  }

  // Restore anything given here that never reached the server (closed lid, reload, no connection).
  for (const field of fields.values()) {
    if (conflicts.has(field.name)) continue;
    const stored = load(field);
    if (!stored || stored.value === field.text()) {
      forget(field);
      continue;
    }
    if (stored.base === field.base) {
      field.setText(stored.value);
      continue;
    }
    // Someone saved this answer since: keep both, the visitor's on the form. Their base stays the
    // one they started from, so a plain Save cannot overwrite the other version either.
    const theirs = field.base;
    field.setText(stored.value);
    field.base = stored.base;
    conflict(field, {
      theirs,
      message: "This answer was changed by someone else after you last changed it here. Your version was not saved.",
    });
  }
  // Changes made before this script ran (a slow connection), or restored above, are saved now;
  // a form given back after sign-in waits for the person (see givenBack).
  for (const field of pending()) keep(field);
  if (pending().length) save();
  render();

  // The field an element belongs to: its own name, or a date's, for one of the date's three boxes.
  const fieldOf = (element) => {
    const date = fields.get(element.name?.replace(/_(day|month|year)$/, ""));
    return fields.get(element.name) || (date?.kind === "date" ? date : undefined);
  };
  const edited = (event) => {
    const field = fieldOf(event.target);
    if (!field) return;
    givenBack = false; // the person is at work on it: what was given back is theirs to save now
    for (const other of pending()) keep(other);
    keep(field);
    render();
    clearTimeout(timer);
    timer = setTimeout(save, field.chosen ? 300 : 3000);
  };
  form.addEventListener("input", edited);
  form.addEventListener("change", edited);
  // Leaving a text box saves it, unless the person is pressing one of this form's buttons: that
  // posts every answer anyway, and a save starting under the press must not change the page.
  const pressingSubmit = (event) => event.relatedTarget?.form === form && event.relatedTarget.type === "submit";
  form.addEventListener("focusout", (event) => {
    if (pressingSubmit(event)) return;
    const field = fieldOf(event.target);
    // Moving between a date's boxes is not leaving it.
    if (field && !field.chosen && !field.elements.includes(event.relatedTarget)) save();
  });
  setInterval(() => save(), 8000);
  window.addEventListener("online", () => save());
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") save({ leaving: true });
  });
  window.addEventListener("pagehide", () => save({ leaving: true }));
  // A plain Save posts every answer with its base; the server skips those posted unchanged. If an
  // autosave is under way, the Save waits for its answer, which moves each base on to what it saved:
  // sent at once, it would carry the bases from before, and the server would take the person's own
  // words, saved a moment ago, for someone else's version of them (a conflict with oneself).
  // An autosave with no answer after HOLD_MS (a connection gone quiet) does not keep the Save waiting.
  let releasing = false; // the held Save being sent: not held again
  const sendHeld = () => {
    if (!held) return;
    const { submitter, waiting } = held;
    held = null;
    clearTimeout(waiting);
    releasing = true; // requestSubmit runs the submit listeners before it returns
    try {
      form.requestSubmit(submitter && submitter.form === form ? submitter : undefined);
    } finally {
      releasing = false;
    }
  };
  form.addEventListener("submit", (event) => {
    clearTimeout(timer);
    if (releasing || !saving) return;
    event.preventDefault();
    // Pressed again while it waits: it is still sent once.
    if (!held) held = { submitter: event.submitter, waiting: setTimeout(sendHeld, HOLD_MS) };
  });
}
