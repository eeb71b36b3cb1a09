"""Accessibility checks with axe-core (from npm, pinned in package.json) inside a Playwright page.

Every browser test checks every page of the portal it visits: the `page` fixture (tests/conftest.py)
watches its browser context with `watch_axe`, which runs axe on each of the live server's pages once
it has loaded and records its serious and critical violations (another site's page a test passes
through, such as the mock OpenID Connect provider's sign-in page, is not ours to check); the test fails at its end if there were any. `axe_settled(page)`
waits for the page at hand to be checked (a crawl does, page by page); `assert_accessible(page)` checks
the page as it is now (after a script has changed it, say).

One finding is not a failure: `aria-expanded` on a GOV.UK radio that reveals a conditional question
(govuk-frontend's radios module sets it on purpose). ARIA does not list it for a radio, so axe calls it
critical, but GOV.UK keeps it after research with screen reader users, who are told the question
opened (alphagov/govuk-frontend#979, "known issues" #1280). Only that attribute on such a radio is
excused; anything else on the same radio still fails."""

import json
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError

AXE_JS = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
FAILING_IMPACTS = {"serious", "critical"}
# What axe found on each page's markup this process has checked (see _RUN_ON_LOAD): {key: violations}.
_CHECKED: dict[str, list[dict]] = {}

# Run in every document of the context (top frame only) from the portal's origin, as soon as it has
# loaded: axe's result for the page, its serious and critical violations only, reported through a binding (so nothing is lost
# when the page navigates) and kept in `window.__axeRun` for axe_settled.
#
# A page whose markup this test process has already had checked, at the same window width, is not
# checked again: its earlier result is reported for it instead (`__axeKnown`). The markup is the
# document as the browser holds it once loaded, less the CSRF token, which differs on every load; the
# sign-in and second-factor pages, say, are the same in every browser test that signs in, and axe's run
# cost Chromium a quarter of a CPU second a page.
_RUN_ON_LOAD = """
(() => {
  if (window.top !== window || window.location.origin !== %(origin)s) return;
  const tags = %(tags)s;
  const failing = %(impacts)s;
  async function markup() {
    const copy = document.documentElement.cloneNode(true);
    copy.querySelectorAll("input[name=csrfmiddlewaretoken]").forEach((input) => input.removeAttribute("value"));
    const text = `${window.innerWidth} ${copy.outerHTML}`;
    if (!(window.crypto && window.crypto.subtle)) return text;
    const digest = await window.crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
    return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
  }
  window.addEventListener("load", () => {
    window.__axeRun = new Promise((resolve) => setTimeout(resolve, 50))
      .then(async () => {
        const key = await markup();
        if (window.__axeKnown && (await window.__axeKnown(document.location.href, key))) return { violations: null };
        const check = async () =>
          (await axe.run(document, { runOnly: { type: "tag", values: tags } })).violations.filter((v) =>
            failing.includes(v.impact),
          );
        let violations = await check();
        // A violation is checked again on the page as it settles: a state seen for an instant on a
        // machine under load (a colour taken mid-paint) passes, one that stays fails.
        if (violations.length) violations = await new Promise((resolve) => setTimeout(resolve, 500)).then(check);
        return { violations, key };
      })
      .then(({ violations, key }) => {
        if (violations === null) return [];
        if (window.__reportAxe) window.__reportAxe(document.location.href, violations, key);
        return violations;
      })
      .catch((error) => {
        if (window.__reportAxe) window.__reportAxe(document.location.href, [{ id: "axe-failed", impact: "critical", help: String(error), nodes: [] }]);
      });
  });
})();
"""


def _excused(violation: dict, node: dict) -> bool:
    """GOV.UK's aria-expanded on a conditional-reveal radio (see the module), and nothing else."""
    if violation["id"] != "aria-allowed-attr" or "govuk-radios__input" not in node.get("html", ""):
        return False
    checks = [check for check in node.get("any", []) + node.get("all", []) if check["id"] == "aria-allowed-attr"]
    found = [value for check in checks for value in ((check.get("data") or {}).get("values") or [])]
    return bool(found) and all(str(value).startswith("aria-expanded=") for value in found)


def failing(violations: list[dict]) -> list[dict]:
    """The serious and critical violations, each with only the nodes that are not excused."""
    kept = []
    for violation in violations:
        if violation.get("impact") not in FAILING_IMPACTS:
            continue
        nodes = [node for node in violation.get("nodes", []) if not _excused(violation, node)]
        if nodes or not violation.get("nodes"):
            kept.append({**violation, "nodes": nodes})
    return kept


def report(url: str, violations: list[dict]) -> str:
    return "\n".join(
        f"- {url}: {v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in violations
    )


def watch_axe(context, *, origin: str) -> list[str]:
    """Check every page from `origin` ("http://localhost:8081", the live server's) loaded in `context`
    (a Playwright BrowserContext) with axe. Returns the list that each page's serious or critical
    violations are appended to, as lines of text."""
    problems: list[str] = []

    def reported(source, url, violations, key=None):
        found = failing(violations)
        if key is not None:
            _CHECKED[key] = found
        if found:
            problems.append(report(url, found))

    def known(source, url, key) -> bool:
        if key not in _CHECKED:
            return False
        if _CHECKED[key]:
            problems.append(report(url, _CHECKED[key]))
        return True

    context.expose_binding("__reportAxe", reported)
    context.expose_binding("__axeKnown", known)
    context.add_init_script(
        AXE_JS.read_text()
        + "\n"
        + _RUN_ON_LOAD
        % {
            "origin": json.dumps(origin.rstrip("/")),
            "tags": json.dumps(WCAG_TAGS),
            "impacts": json.dumps(sorted(FAILING_IMPACTS)),
        }
    )
    return problems


def axe_settled(page, timeout: float = 10_000) -> None:
    """Wait until axe has checked the page the browser shows (watch_axe), so its result is in."""
    page.wait_for_function("() => document.readyState === 'complete' && window.__axeRun !== undefined", timeout=timeout)
    page.evaluate("() => window.__axeRun")


def axe_violations(page) -> list[dict]:
    """Serious or critical violations on the page as it is now. A page a click has just left may still
    be unloading while axe starts (its `document` then goes away under it): wait for the next page to
    load and check that one, once."""
    try:
        return _axe_violations(page)
    except PlaywrightError:
        page.wait_for_load_state("load")
        return _axe_violations(page)


def _axe_violations(page) -> list[dict]:
    page.wait_for_load_state("load")
    # Run as the test's own script rather than added to the page as a <script>, which the portal's
    # Content-Security-Policy refuses (and reports) like any other inline script. A page that watch_axe
    # already checks has axe loaded: wait for its own run, which axe cannot share.
    if page.evaluate("() => typeof window.axe === 'undefined'"):
        page.evaluate(f"() => {{ {AXE_JS.read_text()}\n}}")
    page.evaluate("async () => { if (window.__axeRun) await window.__axeRun; }")
    results = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        WCAG_TAGS,
    )
    return failing(results["violations"])


def assert_accessible(page) -> None:
    violations = axe_violations(page)
    assert not violations, f"axe found accessibility violations on {page.url}:\n{report(page.url, violations)}"


def assert_no_axe_violations(problems: list[str]) -> None:
    lines = "\n".join(dict.fromkeys(problems))
    assert not problems, f"axe found serious or critical accessibility violations:\n{lines}"
