"""At 320 px wide (a phone, or a laptop zoomed to 400%: WCAG 2.2 SC 1.4.10 Reflow) no page of the
portal is wider than the window: a wide table scrolls inside its own region (app-table-scroll), never
the whole page.

On the demo data, each demo account goes through every page it can reach from home, one page of each
kind, as the Content-Security-Policy crawl does (test_content_security_policy.crawl: lists with their
filters, sorting and pagination, records, forms, visit sections, the committee pages, the admin), in a
window 320 px wide. Each page is checked by axe too, as every page a browser test loads is
(tests/axe.py). One test makes the demo once and goes through the accounts in turn, each in a browser
context of its own, naming the account in what it finds."""

import pytest

from tests.browser.test_content_security_policy import (  # noqa: F401
    DEMO_ACCOUNTS,
    MOST_PAGES,
    crawl,
    demo_data,
    sign_in_as,
    watched_page,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 320


def too_wide(page) -> str | None:
    """What makes the page wider than the window, if it is: the elements reaching furthest right (some
    may be inside a region that scrolls; the one that is not is the cause)."""
    width = page.evaluate("() => document.documentElement.scrollWidth")
    if width <= WIDTH:
        return None
    culprits = page.evaluate(
        """(limit) => Array.from(document.querySelectorAll('body *'))
          .map((el) => [el, el.getBoundingClientRect().right])
          .filter(([, right]) => right > limit + 1)
          .sort((a, b) => b[1] - a[1])
          .slice(0, 5)
          .map(([el, right]) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} (${Math.round(right)} px)`)""",
        WIDTH,
    )
    return f"{width} px wide: {culprits}"


def test_no_page_any_role_can_reach_is_wider_than_a_320_px_window(browser, live_server, demo_data):  # noqa: F811
    failures = []
    for email in DEMO_ACCOUNTS:
        # A long timeout: the demo's busiest pages, on a busy machine.
        narrow = {"width": WIDTH, "height": 640}
        try:
            with watched_page(browser, live_server, viewport=narrow, timeout=30_000) as (page, found):
                sign_in_as(page, live_server, email)
                visited, problems = crawl(page, live_server.url, [f"{live_server.url}/"], check=too_wide)
        except Exception as error:
            error.add_note(f"(as {email})")
            raise
        if len(visited) <= 5:
            problems.append(f"only {len(visited)} pages reached: {visited}")
        if len(visited) >= MOST_PAGES:
            problems.append("the crawl stopped before it had seen every kind of page")
        print(f"\n{email}: {len(visited)} pages at {WIDTH} px")
        failures += [f"As {email}: {line}" for line in problems + found]
    assert failures == [], "\n".join(failures)
