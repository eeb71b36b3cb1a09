"""Content-Security-Policy violations seen by a real browser, for every browser test.

The page fixture (tests/conftest.py) watches each browser context it opens and fails the test if any
page in it broke the portal's policy: an inline script or style, an `eval`, a file from elsewhere.
Two witnesses, because each misses something the other sees: the `securitypolicyviolation` event
(added to every document before its own scripts run, and reported to the test through a binding so
nothing is lost when the page navigates; also kept in `window.__cspViolations` for the page at hand)
and Chromium's console message ("… violates the following Content Security Policy directive …").
"""

WATCH = """
(() => {
  window.__cspViolations = [];
  document.addEventListener("securitypolicyviolation", (event) => {
    const seen = {
      page: document.location.href,
      directive: event.effectiveDirective || event.violatedDirective,
      blocked: event.blockedURI,
      source: event.sourceFile,
      line: event.lineNumber,
      sample: event.sample,
    };
    window.__cspViolations.push(seen);
    if (window.__reportCspViolation) window.__reportCspViolation(seen);
  });
})();
"""


def watch_csp(context) -> list[str]:
    """Start recording every CSP violation in `context` (a Playwright BrowserContext), in any of its
    pages and across navigations. Returns the list the violations are appended to, each as a line of
    text naming the page, the directive and what was blocked."""
    violations: list[str] = []

    def reported(source, seen):
        violations.append(
            f"{seen['page']}: {seen['directive']} blocked {seen['blocked'] or 'inline'}"
            f" ({seen['source'] or 'the page'}:{seen['line']}) {seen['sample'] or ''}".rstrip()
        )

    def console(message):
        if "Content Security Policy" in message.text:
            violations.append(f"console: {message.text}")

    context.expose_binding("__reportCspViolation", reported)
    context.add_init_script(WATCH)
    context.on("console", console)
    return violations


def assert_no_csp_violations(violations: list[str]) -> None:
    report = "\n".join(f"- {line}" for line in dict.fromkeys(violations))
    assert not violations, f"The browser reported Content-Security-Policy violations:\n{report}"
