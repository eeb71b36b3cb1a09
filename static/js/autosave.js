// Saves a visit section's typed text while the visitor writes: a few seconds after they stop
// typing, every few seconds while there are changes, and when they leave the page.
//
// Nothing typed is lost: every change is kept in this browser (localStorage) until the server
// has it, so a closed lid, a reload or a dropped connection only delays the save. Every save
// says what text it started from ("base"); if someone else saved that answer meanwhile, the
// server refuses it and both versions are shown, and the visitor decides.

const form = document.querySelector("form[data-autosave-url]");

if (form) {
  const url = form.dataset.autosaveUrl;
  const storageKey = form.dataset.autosaveKey;
  const status = form.querySelector("[data-save-status]");
  const csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  const fields = Array.from(form.querySelectorAll("textarea[data-autosave]"));
  const dirty = new Set();
  const paused = new Set();
  let timer = null;
  let saving = false;

  const baseInput = (field) => form.querySelector(`input[name="${field.name}__base"]`);
  const storeKey = (field) => `${storageKey}:${field.name}`;

  const load = (field) => {
    try {
      return JSON.parse(localStorage.getItem(storeKey(field)));
    } catch {
      return null;
    }
  };
  const keep = (field) => {
    try {
      localStorage.setItem(storeKey(field), JSON.stringify({ base: baseInput(field).value, value: field.value }));
    } catch {
      // Storage full or blocked: the save to the server still happens.
    }
  };
  const forget = (field) => localStorage.removeItem(storeKey(field));

  const say = (text, problem = false) => {
    status.textContent = text;
    status.classList.toggle("app-save-status--problem", problem);
  };

  const showConflict = (field, theirs, message) => {
    paused.add(field.name);
    const group = field.closest(".govuk-form-group");
    group.querySelector(".app-conflict")?.remove();
    const panel = document.createElement("div");
    panel.className = "govuk-inset-text app-conflict";
    const text = document.createElement("p");
    text.className = "govuk-body";
    text.textContent = message;
    const heading = document.createElement("p");
    heading.className = "govuk-body govuk-!-font-weight-bold govuk-!-margin-bottom-1";
    heading.textContent = "Their version:";
    const quote = document.createElement("p");
    quote.className = "govuk-body app-conflict__theirs";
    quote.textContent = theirs || "(blank)";
    quote.style.whiteSpace = "pre-wrap";
    const button = document.createElement("button");
    button.type = "button";
    button.className = "govuk-button govuk-button--secondary govuk-!-margin-bottom-0";
    button.textContent = "I have combined them: save my version";
    button.addEventListener("click", () => {
      paused.delete(field.name);
      panel.remove();
      dirty.add(field.name);
      keep(field);
      save();
    });
    panel.append(text, heading, quote, button);
    group.append(panel);
    // The visitor has now seen their version: the next save is based on it.
    baseInput(field).value = theirs;
    keep(field);
  };

  const save = async ({ leaving = false } = {}) => {
    clearTimeout(timer);
    const pending = fields.filter((f) => dirty.has(f.name) && !paused.has(f.name));
    if (!pending.length || (saving && !leaving)) return;
    saving = true;
    const body = { fields: {} };
    for (const field of pending) body.fields[field.name] = { base: baseInput(field).value, value: field.value };
    say("Saving…");
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, Accept: "application/json" },
        body: JSON.stringify(body),
        credentials: "same-origin",
        keepalive: leaving,
      });
      if (!(response.headers.get("Content-Type") || "").includes("application/json")) {
        say("Not saved: you may have been signed out. Your text is kept on this laptop. Sign in again in a new tab, then come back to this page.", true);
        return;
      }
      const result = await response.json();
      for (const [name, value] of Object.entries(result.saved || {})) {
        const field = fields.find((f) => f.name === name);
        if (!field) continue;
        baseInput(field).value = value;
        if (field.value === value) {
          dirty.delete(name);
          forget(field);
        } else {
          keep(field);
        }
      }
      for (const [name, conflict] of Object.entries(result.conflicts || {})) {
        const field = fields.find((f) => f.name === name);
        if (field) showConflict(field, conflict.theirs, conflict.message);
      }
      if (result.error) {
        say(`Not saved: ${result.error}`, true);
      } else if (Object.keys(result.conflicts || {}).length) {
        say("Not all of your changes were saved: someone else changed an answer. See the message beside it.", true);
      } else {
        say(`Saved at ${result.saved_at}`);
      }
    } catch {
      say("Not saved yet: there is no connection. What you type is kept on this laptop and saved when the connection returns.", true);
    } finally {
      saving = false;
      if (fields.some((f) => dirty.has(f.name) && !paused.has(f.name))) {
        clearTimeout(timer);
        timer = setTimeout(save, 10000);
      }
    }
  };

  // Restore anything typed here that never reached the server (closed lid, reload, no connection).
  let restored = false;
  for (const field of fields) {
    const stored = load(field);
    if (!stored || stored.value === field.value) {
      forget(field);
      continue;
    }
    if (stored.base === baseInput(field).value) {
      field.value = stored.value;
      dirty.add(field.name);
      restored = true;
    } else {
      // Someone saved this answer since: keep both, the visitor's in the box.
      const theirs = field.value;
      field.value = stored.value;
      dirty.add(field.name);
      showConflict(
        field,
        theirs,
        "This answer was changed by someone else after you last typed here. Your unsaved version is in the box; theirs is below. Combine them if you need to, then save.",
      );
    }
  }
  // Text typed before this script ran (a slow connection) counts as a change too.
  for (const field of fields) {
    if (!dirty.has(field.name) && field.value !== baseInput(field).value) {
      dirty.add(field.name);
      keep(field);
      restored = true;
    }
  }
  if (restored) {
    say("Saving text you typed that was not saved yet…");
    save();
  }

  for (const field of fields) {
    field.addEventListener("input", () => {
      dirty.add(field.name);
      keep(field);
      clearTimeout(timer);
      timer = setTimeout(save, 3000);
      say("Changes not saved yet");
    });
    field.addEventListener("blur", () => save());
  }
  setInterval(() => save(), 8000);
  window.addEventListener("online", () => save());
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") save({ leaving: true });
  });
  window.addEventListener("pagehide", () => save({ leaving: true }));
  // A normal submit posts everything with its base; what it saved the page shows next time.
  form.addEventListener("submit", () => clearTimeout(timer));
}
