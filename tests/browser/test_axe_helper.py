"""The accessibility helper itself: it must fail on a page with a serious violation."""

import pytest

from tests.axe import assert_accessible, axe_settled, axe_violations, watch_axe

pytestmark = pytest.mark.browser


@pytest.fixture
def blank_page(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


def test_it_reports_an_image_without_alternative_text(blank_page):
    blank_page.set_content(
        '<html lang="en"><head><title>t</title></head><body><main><img src="x.png"></main></body></html>'
    )
    assert "image-alt" in {v["id"] for v in axe_violations(blank_page)}
    with pytest.raises(AssertionError, match="image-alt"):
        assert_accessible(blank_page)


def test_it_passes_a_clean_page(blank_page):
    blank_page.set_content(
        '<html lang="en"><head><title>t</title></head><body><main><h1>Hello</h1></main></body></html>'
    )
    assert_accessible(blank_page)


def test_every_page_of_the_portal_a_browser_test_loads_is_checked(browser):
    """watch_axe, as the page fixture uses it: a portal page with a serious violation is reported
    without the test asking, one without is not, and another site's page (a sign-in provider's) is not
    checked at all."""
    context = browser.new_context()
    problems = watch_axe(context, origin="http://portal.test")
    broken = '<html lang="en"><head><title>t</title></head><body><main><img src="x.png"></main></body></html>'
    pages = {
        "http://portal.test/broken/": broken,
        "http://portal.test/fine/": '<html lang="en"><head><title>t</title></head><body><main><h1>Hello</h1></main></body></html>',
        "http://sign-in.test/broken/": broken,
    }
    context.route(
        "http://*.test/**",
        lambda route: route.fulfill(body=pages.get(route.request.url, ""), content_type="text/html"),
    )
    page = context.new_page()
    page.goto("http://portal.test/fine/")
    axe_settled(page)
    assert problems == []
    page.goto("http://sign-in.test/broken/")
    page.wait_for_timeout(500)  # axe starts 50 ms after the load, on a page it checks
    assert page.evaluate("() => window.__axeRun") is None
    page.goto("http://portal.test/broken/")
    axe_settled(page)
    context.close()
    assert len(problems) == 1 and "image-alt" in problems[0] and "portal.test/broken/" in problems[0]

    # The same markup in another test's context is not checked again, but its finding is reported again.
    again = browser.new_context()
    problems_again = watch_axe(again, origin="http://portal.test")
    again.route(
        "http://*.test/**",
        lambda route: route.fulfill(body=pages.get(route.request.url, ""), content_type="text/html"),
    )
    page = again.new_page()
    page.goto("http://portal.test/broken/")
    axe_settled(page)
    page.goto("http://portal.test/fine/")
    axe_settled(page)
    again.close()
    assert len(problems_again) == 1 and "image-alt" in problems_again[0]


def test_govuks_aria_expanded_on_a_conditional_reveal_radio_is_excused_and_nothing_else(blank_page):
    blank_page.set_content(
        '<html lang="en"><head><title>t</title></head><body><main><fieldset><legend>Scale</legend>'
        '<input type="radio" class="govuk-radios__input" id="a" name="s" aria-expanded="false" aria-controls="c">'
        '<label for="a">A</label><div id="c">More</div>'
        '<input type="radio" id="b" name="s" aria-expanded="false"><label for="b">B</label>'
        "</fieldset></main></body></html>"
    )
    found = axe_violations(blank_page)
    assert [(v["id"], [n["target"] for n in v["nodes"]]) for v in found] == [("aria-allowed-attr", [["#b"]])]
