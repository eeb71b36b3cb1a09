"""The Content-Security-Policy watch itself (tests/csp.py): it must see what the policy refuses."""

import pytest

from tests.csp import assert_no_csp_violations, watch_csp

pytestmark = pytest.mark.browser

URL = "http://csp-helper.test/"
PAGE = """<html lang="en"><head><title>t</title>
<meta http-equiv="Content-Security-Policy" content="script-src 'self'; style-src 'self'"></head>
<body><main><h1 style="color: red">Hello</h1><script>document.title = "ran";</script></main></body></html>"""


@pytest.fixture
def watched(browser):
    context = browser.new_context()
    violations = watch_csp(context)
    yield context.new_page(), violations
    context.close()


def serve(page, html):
    """Answer the page's request for URL with `html`, as a site would (a real navigation)."""
    page.route(URL, lambda route: route.fulfill(content_type="text/html", body=html))
    page.goto(URL)


def test_it_reports_an_inline_script_and_an_inline_style(watched):
    page, violations = watched
    serve(page, PAGE)
    assert page.title() == "t"
    page.wait_for_function("() => window.__cspViolations.length >= 2")
    found = {seen["directive"] for seen in page.evaluate("() => window.__cspViolations")}
    assert found == {"script-src-elem", "style-src-attr"}
    with pytest.raises(AssertionError, match="script-src-elem blocked inline"):
        assert_no_csp_violations(violations)


def test_it_passes_a_page_without_violations(watched):
    page, violations = watched
    serve(page, PAGE.replace(' style="color: red"', "").replace('<script>document.title = "ran";</script>', ""))
    assert page.evaluate("() => window.__cspViolations") == []
    assert_no_csp_violations(violations)
