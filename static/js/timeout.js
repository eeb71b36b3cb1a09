// The GOV.UK timeout warning. A signed-in session ends after SESSION_COOKIE_AGE seconds without a
// request; SESSION_TIMEOUT_WARNING_SECONDS before that, a modal dialog offers "Stay signed in"
// (which extends the session on the server) or "Sign out". If the time runs out, the page goes
// to the sign-in page, which brings the person back here afterwards.
//
// A session also ends SESSION_ABSOLUTE_HOURS after sign-in, however busy (qa_portal/session_lifetime.py).
// When that end comes first the server says so (`desc="final"`), and the warning before it cannot
// offer to stay: it says why, and "Continue" (or Escape) closes it so the person can save their work.
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
  const continueButton = dialog.querySelector("[data-timeout-continue]");
  const finalText = dialog.querySelector("[data-timeout-final]");
  const description = dialog.getAttribute("aria-describedby");

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

  // The end the tabs know of: { expiresAt, final }.
  const sharedEnd = () => {
    try {
      const stored = JSON.parse(localStorage.getItem(STORE));
      if (stored && String(stored.user) === userId) {
        return { expiresAt: Number(stored.expiresAt) || 0, final: stored.final === true };
      }
    } catch {
      // Unreadable: as if nothing were shared.
    }
    return { expiresAt: 0, final: false };
  };
  const shared = () => sharedEnd().expiresAt;
  const share = (expiresAt, final) => {
    try {
      if (expiresAt > shared()) localStorage.setItem(STORE, JSON.stringify({ user: userId, expiresAt, final }));
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
  // Whether that end is the session's absolute one, which nothing extends.
  const isFinal = (entry) => sessionTiming(entry)?.description === "final";

  // This page's own request extended the session, unless it came from the browser's cache.
  const navigation = performance.getEntriesByType("navigation")[0];
  const loaded = navigation && navigation.transferSize !== 0;
  let expiresAt = loaded ? endsAfter(navigation) : 0;
  let final = loaded && isFinal(navigation);
  if (!expiresAt) ({ expiresAt, final } = sharedEnd());
  if (!expiresAt) expiresAt = Date.now() + idleMs;
  share(expiresAt, final);

  // The final warning, once closed by the person, is not opened again.
  let finalDismissed = false;
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

  // The warning before the final end says why and offers "Continue" instead of "Stay signed in".
  const showMode = () => {
    if (continueButton.hidden !== final) return; // already so
    const focusLost = dialog.open && stayButton.contains(document.activeElement);
    stayButton.hidden = final;
    continueButton.hidden = !final;
    finalText.hidden = !final;
    dialog.setAttribute("aria-describedby", final ? `${description} ${finalText.id}` : description);
    if (focusLost) heading.focus();
  };

  const open = () => {
    returnFocusTo = document.activeElement;
    showMode();
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
    const other = sharedEnd();
    if (other.expiresAt > expiresAt) ({ expiresAt, final } = other);
    if (!final) finalDismissed = false; // signed in again (in another tab): a new session
    const left = expiresAt - Date.now();
    if (left <= 0) {
      signInAgain();
    } else if (left > warningMs || (final && finalDismissed)) {
      close();
    } else {
      if (dialog.open) showMode();
      else open();
      show(left);
    }
  };

  const extendedUntil = (until, isFinalEnd) => {
    if (until <= expiresAt) return;
    expiresAt = until;
    final = isFinalEnd;
    share(until, isFinalEnd);
    tick();
  };

  // The final warning: closed to save work; the page still goes to sign in when the time is up.
  const dismiss = () => {
    finalDismissed = true;
    close();
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
        // Near the final end nothing more can be had: the warning stays, saying why.
        if (!result.final) close();
        extendedUntil(Date.now() + result.expires_in * 1000, result.final === true);
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
  continueButton.addEventListener("click", dismiss);
  // Escape means "Stay signed in", as in the GOV.UK pattern, rather than closing without it; before
  // the final end, "Continue".
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    if (final) dismiss();
    else stay();
  });
  // The page behind is inert while the dialog is open; Tab also wraps within it.
  dialog.addEventListener("keydown", (event) => {
    if (event.key !== "Tab") return;
    const controls = Array.from(dialog.querySelectorAll("button, a[href], input:not([type=hidden])")).filter(
      (control) => !control.disabled && !control.hidden,
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
      if (until) extendedUntil(until, isFinal(entry));
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
