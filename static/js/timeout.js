// The GOV.UK timeout warning. A signed-in session ends after SESSION_COOKIE_AGE seconds without a
// request; SESSION_TIMEOUT_WARNING_SECONDS before that, a modal dialog offers "Stay signed in"
// (which extends the session on the server) or "Sign out". If the time runs out, the page goes
// to the sign-in page, which brings the person back here afterwards.
//
// The clock restarts whenever the server extends the session, and only then: every response
// that extended it carries `Server-Timing: session;dur=<ms>` (qa_portal/middleware.py), which
// this script reads for the page itself and for every request the page makes afterwards
// (autosave, background fetches, "Stay signed in"). Typing alone does not reach the server, so
// it does not count. Tabs tell each other through localStorage: when one extends the session,
// the others move their clocks on and close their warnings.

const dialog = document.querySelector("dialog[data-timeout-warning]");
const userId = document.body.dataset.userId;

if (dialog && userId && typeof dialog.showModal === "function") {
  const STORE = "qa-portal:session";
  const idleMs = Number(dialog.dataset.idleSeconds) * 1000;
  const warningMs = Number(dialog.dataset.warningSeconds) * 1000;
  const form = dialog.querySelector("form");
  const heading = dialog.querySelector("h2");
  const countdown = dialog.querySelector("[data-timeout-countdown]");
  const announcer = dialog.querySelector("[data-timeout-announce]");
  const problem = dialog.querySelector("[data-timeout-problem]");
  const stayButton = dialog.querySelector("[data-timeout-stay]");

  const plural = (count, noun) => `${count} ${noun}${count === 1 ? "" : "s"}`;
  // On screen: whole minutes (rounded up), then seconds in the last minute, as GOV.UK services do.
  const shortly = (seconds) => (seconds >= 60 ? plural(Math.ceil(seconds / 60), "minute") : plural(seconds, "second"));
  // Read out: exactly.
  const exactly = (seconds) => {
    const minutes = Math.floor(seconds / 60);
    const rest = seconds % 60;
    if (!minutes) return plural(rest, "second");
    return rest ? `${plural(minutes, "minute")} and ${plural(rest, "second")}` : plural(minutes, "minute");
  };
  // Screen readers hear the time left every 15 seconds, and every 5 in the last 20: not every second.
  const spoken = (seconds) => seconds > 0 && (seconds <= 20 ? seconds % 5 === 0 : seconds % 15 === 0);

  const shared = () => {
    try {
      const stored = JSON.parse(localStorage.getItem(STORE));
      return stored && String(stored.user) === userId ? Number(stored.expiresAt) || 0 : 0;
    } catch {
      return 0;
    }
  };
  const share = (expiresAt) => {
    try {
      if (expiresAt > shared()) localStorage.setItem(STORE, JSON.stringify({ user: userId, expiresAt }));
    } catch {
      // Storage blocked: this tab still keeps its own clock.
    }
  };

  const sessionTiming = (entry) => (entry.serverTiming || []).find((timing) => timing.name === "session");
  // When the server's session ends, in ms since the epoch, as the response `entry` told it.
  // The server saved the session just before it answered, so this is never earlier than the truth.
  const endsAfter = (entry) => {
    const timing = sessionTiming(entry);
    return timing ? performance.timeOrigin + entry.responseStart + timing.duration : 0;
  };

  // This page's own request extended the session, unless it came from the browser's cache.
  const navigation = performance.getEntriesByType("navigation")[0];
  let expiresAt = navigation && navigation.transferSize !== 0 ? endsAfter(navigation) : 0;
  if (!expiresAt) expiresAt = shared() || Date.now() + idleMs;
  share(expiresAt);

  let returnFocusTo = null;
  let lastSeconds = null;
  let leaving = false;
  let busy = false;

  const close = () => {
    if (dialog.open) dialog.close();
  };

  const signInAgain = () => {
    if (leaving) return;
    leaving = true;
    // Written as the server writes it when it sends someone to sign in ("?next=/reviews/").
    const next = encodeURIComponent(`${window.location.pathname}${window.location.search}`).replaceAll("%2F", "/");
    window.location.assign(`${dialog.dataset.signInUrl}?next=${next}`);
  };

  const open = () => {
    returnFocusTo = document.activeElement;
    problem.hidden = true;
    announcer.textContent = "";
    lastSeconds = null;
    dialog.showModal();
    heading.focus();
  };

  const show = (left) => {
    const seconds = Math.ceil(left / 1000);
    countdown.textContent = shortly(seconds);
    if (lastSeconds !== null) {
      // Timers in a busy or background tab can skip a second: announce any step passed since the last tick.
      for (let step = lastSeconds - 1; step >= seconds; step -= 1) {
        if (spoken(step)) {
          announcer.textContent = `We will sign you out in ${exactly(seconds)}.`;
          break;
        }
      }
    }
    lastSeconds = seconds;
  };

  const tick = () => {
    if (leaving) return;
    // Another tab may have kept the session going while this one's timers were slowed.
    expiresAt = Math.max(expiresAt, shared());
    const left = expiresAt - Date.now();
    if (left <= 0) {
      signInAgain();
    } else if (left > warningMs) {
      close();
    } else {
      if (!dialog.open) open();
      show(left);
    }
  };

  const extendedUntil = (until) => {
    if (until <= expiresAt) return;
    expiresAt = until;
    share(until);
    tick();
  };

  const stay = async () => {
    if (busy) return;
    busy = true;
    problem.hidden = true;
    const cookie = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    const token = cookie ? decodeURIComponent(cookie[1]) : form.querySelector("[name=csrfmiddlewaretoken]").value;
    try {
      const response = await fetch(form.action, {
        method: "POST",
        headers: { "X-CSRFToken": token, Accept: "application/json" },
        credentials: "same-origin",
      });
      const json = (response.headers.get("Content-Type") || "").includes("application/json");
      if (response.ok && json) {
        const result = await response.json();
        extendedUntil(Date.now() + result.expires_in * 1000);
        close();
      } else if (response.redirected || response.status === 401) {
        // The session had already ended: the server sent us to sign in.
        signInAgain();
      } else {
        problem.textContent = "We could not keep you signed in. Try again, or save your work and sign in again.";
        problem.hidden = false;
      }
    } catch {
      problem.textContent = "We could not keep you signed in because there is no connection. Try again.";
      problem.hidden = false;
    } finally {
      busy = false;
    }
  };

  form.addEventListener("submit", (event) => {
    if (event.submitter !== stayButton) return; // "Sign out" posts to the sign-out page as usual.
    event.preventDefault();
    stay();
  });
  // Escape means "Stay signed in", as in the GOV.UK pattern, rather than closing without it.
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    stay();
  });
  // The page behind is inert while the dialog is open; Tab also wraps within it.
  dialog.addEventListener("keydown", (event) => {
    if (event.key !== "Tab") return;
    const controls = Array.from(dialog.querySelectorAll("button, a[href], input:not([type=hidden])")).filter(
      (control) => !control.disabled,
    );
    const first = controls[0];
    const last = controls[controls.length - 1];
    if (event.shiftKey && (document.activeElement === first || document.activeElement === heading)) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  });
  dialog.addEventListener("close", () => {
    announcer.textContent = "";
    if (returnFocusTo && returnFocusTo.isConnected && typeof returnFocusTo.focus === "function") returnFocusTo.focus();
    returnFocusTo = null;
  });

  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const until = endsAfter(entry);
      if (until) extendedUntil(until);
    }
  }).observe({ type: "resource" });
  window.addEventListener("storage", (event) => {
    if (event.key === STORE) tick();
  });
  document.addEventListener("visibilitychange", tick);
  window.addEventListener("pageshow", tick);
  window.setInterval(tick, 1000);
  tick();
}
