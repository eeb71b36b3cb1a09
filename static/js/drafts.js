// Keeps a draft, in this browser, of every long form (a POST form with a text box, or one marked
// data-draft) while the person types, so a closed tab, a dropped connection or the session ending
// loses nothing. Opening the form again puts the text back, under a notification banner that says
// so and offers to discard it.
//
// Drafts are kept in localStorage under the signed-in user's id, so someone else signing in on the
// same laptop never sees them; signing out keeps them for when the person signs in again. A draft
// holds only the answers the person changed (never passwords, files or hidden fields such as the
// CSRF token), each with the answer the page showed at first. It lasts 7 days.
//
// A draft goes only when the server has the text: on submit it is marked "sent", and the page the
// submit leads to drops it, unless that page is the form again with errors, the submission is held
// while the person signs in (a banner with data-held-submission), or it never loaded (a dropped
// connection: the draft is still there next time). Visit sections save themselves (autosave.js).

const userId = document.body.dataset.userId;
const PREFIX = "qa-portal:draft:";
const KEEP_MS = 7 * 24 * 60 * 60 * 1000;
const NOT_KEPT = new Set(["password", "file", "hidden", "submit", "button", "reset", "image"]);

const read = (key) => {
  try {
    return JSON.parse(localStorage.getItem(key));
  } catch {
    return null;
  }
};
const write = (key, draft) => {
  try {
    localStorage.setItem(key, JSON.stringify(draft));
  } catch {
    // Storage full or blocked: the form still works, without a draft.
  }
};
const drop = (key) => {
  try {
    localStorage.removeItem(key);
  } catch {
    // Storage blocked: there was nothing to drop.
  }
};
const storedKeys = () => {
  try {
    return Object.keys(localStorage).filter((key) => key.startsWith(PREFIX));
  } catch {
    return [];
  }
};

const kept = (control) =>
  control.name &&
  control.name !== "csrfmiddlewaretoken" &&
  (control instanceof HTMLTextAreaElement ||
    control instanceof HTMLSelectElement ||
    (control instanceof HTMLInputElement && !NOT_KEPT.has(control.type)));
const controls = (form, name) =>
  Array.from(form.elements).filter((control) => kept(control) && (name === undefined || control.name === name));
const ticked = (control) => control.type === "checkbox" || control.type === "radio";

// Every kept answer of the form as {name: [values]}: as shown now, or (`rendered`) as the server sent it.
const answers = (form, { rendered = false } = {}) => {
  const values = {};
  for (const control of controls(form)) {
    const list = (values[control.name] ??= []);
    if (ticked(control)) {
      if (rendered ? control.defaultChecked : control.checked) list.push(control.value);
    } else if (control instanceof HTMLSelectElement) {
      const options = Array.from(control.options);
      let chosen = options.filter((option) => (rendered ? option.defaultSelected : option.selected));
      // A single choice with none marked shows its first option, as the browser does.
      if (rendered && !control.multiple && !chosen.length) chosen = options.filter((option) => !option.disabled).slice(0, 1);
      list.push(...chosen.map((option) => option.value));
    } else {
      list.push(rendered ? control.defaultValue : control.value);
    }
  }
  return values;
};
const same = (a, b) => JSON.stringify(a ?? []) === JSON.stringify(b ?? []);

const put = (form, name, values) => {
  let index = 0;
  for (const control of controls(form, name)) {
    if (ticked(control)) {
      control.checked = values.includes(control.value);
    } else if (control instanceof HTMLSelectElement) {
      for (const option of control.options) option.selected = values.includes(option.value);
    } else {
      control.value = values[index] ?? "";
      index += 1;
    }
  }
};

// "3 June 2026 at 10:42am", as GOV.UK writes dates and times.
const when = (ms) => {
  const moment = new Date(ms);
  const date = moment.toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric" });
  const hours = moment.getHours();
  const minutes = moment.getMinutes();
  if (!minutes && hours === 12) return `${date} at midday`;
  if (!minutes && hours === 0) return `${date} at midnight`;
  const clock = `${hours % 12 || 12}${minutes ? `:${String(minutes).padStart(2, "0")}` : ""}`;
  return `${date} at ${clock}${hours < 12 ? "am" : "pm"}`;
};

const banner = (savedAt, onDiscard) => {
  const box = document.createElement("div");
  box.className = "govuk-notification-banner";
  box.setAttribute("role", "region");
  box.setAttribute("aria-labelledby", "draft-restored-title");
  box.dataset.draftRestored = "";
  box.innerHTML = `
    <div class="govuk-notification-banner__header">
      <h2 class="govuk-notification-banner__title" id="draft-restored-title">Important</h2>
    </div>
    <div class="govuk-notification-banner__content">
      <p class="govuk-notification-banner__heading"></p>
      <button type="button" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0">Discard restored text</button>
    </div>`;
  box.querySelector("p").textContent =
    `We restored text you typed here on ${when(savedAt)} that was not saved. Check it, then save.`;
  box.querySelector("button").addEventListener("click", onDiscard);
  return box;
};

// Did the server take the draft that was sent from `draft.page`? Only if this page is what that
// submit led to (a fresh page, asked for from the form's page, that loaded without an error) and
// is neither the form again with its errors nor a submission held until the person signs in.
const serverHasIt = (draft) => {
  const navigation = performance.getEntriesByType("navigation")[0];
  if (!navigation || navigation.type !== "navigate") return false;
  const status = navigation.responseStatus || 200;
  if (status < 200 || status >= 300) return false;
  let from = null;
  try {
    from = new URL(document.referrer);
  } catch {
    return false;
  }
  if (from.origin !== window.location.origin || from.pathname !== draft.page) return false;
  return !document.querySelector(".govuk-error-summary, [data-held-submission]");
};

const keepDraft = (form, key) => {
  const rendered = answers(form, { rendered: true });
  let draft = read(key);
  // The answers the person started from: those the server showed when they began typing.
  const bases = { ...rendered };
  for (const [name, field] of Object.entries(draft?.fields || {})) bases[name] = field.base;
  let submitted = false;
  let timer = null;

  const save = (state = "typing") => {
    clearTimeout(timer);
    const fields = {};
    for (const [name, value] of Object.entries(answers(form))) {
      if (!same(value, bases[name])) fields[name] = { base: bases[name] ?? [], value };
    }
    if (!Object.keys(fields).length) {
      drop(key);
      return;
    }
    const typed = JSON.stringify(fields) !== JSON.stringify(read(key)?.fields);
    const savedAt = typed || !draft ? Date.now() : draft.savedAt;
    draft = { page: window.location.pathname, state, savedAt, fields };
    write(key, draft);
  };

  const refilled =
    form.hasAttribute("data-no-draft-restore") ||
    form.querySelector(".govuk-form-group--error") ||
    document.querySelector(".govuk-error-summary, [data-held-submission]");
  if (draft && refilled) {
    // The server showed the form again, filled: keep the draft (nothing is saved yet), but as
    // text on this page rather than sent.
    draft.state = "typing";
    write(key, draft);
  } else if (draft) {
    const changed = Object.entries(draft.fields || {}).filter(
      ([name, field]) => name in rendered && !same(field.value, rendered[name]),
    );
    if (!changed.length) {
      drop(key); // The server shows just what was typed: it has it.
      draft = null;
    } else {
      for (const [name, field] of changed) put(form, name, field.value);
      draft.state = "typing";
      write(key, draft);
      const notice = banner(draft.savedAt, () => {
        for (const [name] of changed) put(form, name, rendered[name] || []);
        for (const name of Object.keys(bases)) bases[name] = rendered[name];
        drop(key);
        draft = null;
        notice.remove();
        controls(form).find((control) => control.type !== "hidden")?.focus();
      });
      form.before(notice);
    }
  }

  const soon = () => {
    if (submitted) return;
    clearTimeout(timer);
    timer = setTimeout(save, 400);
  };
  form.addEventListener("input", soon);
  form.addEventListener("change", soon);
  const now = () => {
    if (!submitted) save();
  };
  window.addEventListener("pagehide", now);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") now();
  });
  // Listened for on the document, after the form's own handlers: a submit they stop is not sent.
  document.addEventListener("submit", (event) => {
    if (event.target !== form || event.defaultPrevented) return;
    save("sent");
    submitted = true;
  });
  // Back to this page from the browser's memory: what is typed from now on is a draft again.
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) submitted = false;
  });
};

if (userId) {
  const mine = `${PREFIX}${userId}:`;
  for (const key of storedKeys()) {
    const draft = read(key);
    if (!draft || !(Date.now() - draft.savedAt < KEEP_MS)) drop(key);
    else if (key.startsWith(mine) && draft.state === "sent" && serverHasIt(draft)) drop(key);
  }

  const forms = Array.from(document.querySelectorAll("form")).filter(
    (form) =>
      form.method === "post" &&
      !form.hasAttribute("data-autosave-url") &&
      !form.closest("dialog") &&
      (form.hasAttribute("data-draft") || form.querySelector("textarea")),
  );
  // Keyed by this page, where the form posts to, and its place among forms posting there.
  const seen = {};
  for (const form of forms) {
    const action = new URL(form.action, window.location.href);
    const place = `${window.location.pathname}|${action.pathname}${action.search}`;
    seen[place] = (seen[place] ?? -1) + 1;
    keepDraft(form, `${mine}${place}${seen[place] ? `#${seen[place]}` : ""}`);
  }
}
