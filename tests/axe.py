"""Accessibility checks with axe-core (from npm, pinned in package.json) inside a Playwright page."""

from pathlib import Path

AXE_JS = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
FAILING_IMPACTS = {"serious", "critical"}


def axe_violations(page) -> list[dict]:
    """Serious or critical violations on the page as it is now."""
    # Run as the test's own script rather than added to the page as a <script>, which the portal's
    # Content-Security-Policy refuses (and reports) like any other inline script.
    page.evaluate(f"() => {{ {AXE_JS.read_text()}\n}}")
    results = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        WCAG_TAGS,
    )
    return [v for v in results["violations"] if v["impact"] in FAILING_IMPACTS]


def assert_accessible(page) -> None:
    violations = axe_violations(page)
    report = "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}" for v in violations
    )
    assert not violations, f"axe found accessibility violations on {page.url}:\n{report}"
