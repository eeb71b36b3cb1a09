"""The accessibility helper itself: it must fail on a page with a serious violation."""

import pytest

from tests.axe import assert_accessible, axe_violations

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
