"""At 320 px wide (a phone, or a laptop zoomed to 400%: WCAG 2.2 SC 1.4.10 Reflow) no page of the
portal is wider than the window: a wide table scrolls inside its own region (app-table-scroll), never
the whole page.

On the demo data, each demo account opens its main pages: home, every item of its navigation and of
the header, and from each of those the first record its tables or lists link to (a provider, a visit,
a meeting, a recommendation…). Each page is checked by axe too, as every page a browser test loads is
(tests/axe.py). As in the Content-Security-Policy crawl, one test makes the demo once and goes through
the accounts in turn, each in a browser context of its own, naming the account in what it finds."""

from urllib.parse import urlsplit

import pytest

from tests.axe import axe_settled
from tests.browser.test_content_security_policy import (  # noqa: F401
    DEMO_ACCOUNTS,
    DOWNLOAD,
    demo_data,
    sign_in_as,
    watched_page,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 320
# The links a person follows from a main page to one record: in a table, a summary list or a task list.
RECORD_LINKS = ".govuk-table a[href], .govuk-summary-list a[href], .app-task-list a[href], .govuk-task-list a[href]"
MAIN_LINKS = ".govuk-service-navigation__list a[href], .app-header__account a[href]"


def _same_site(page, hrefs: list[str], origin: str) -> list[str]:
    kept = []
    for href in hrefs:
        parts = urlsplit(href)
        if f"{parts.scheme}://{parts.netloc}" == origin and not DOWNLOAD.search(parts.path):
            kept.append(parts._replace(fragment="").geturl())
    return list(dict.fromkeys(kept))


def _too_wide(page) -> str | None:
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


def main_pages_wider_than_the_window(page, origin: str) -> tuple[set[str], list[str]]:
    """Open the signed-in person's main pages, and the first record each links to; returns the pages
    seen and, for each one wider than the window, what makes it so."""
    page.goto("/")
    links = page.eval_on_selector_all(MAIN_LINKS, "as => as.map((a) => a.href)")
    main = list(dict.fromkeys([page.url, *_same_site(page, links, origin)]))  # home may be in the navigation too
    wide, seen = [], set()

    def check(url: str) -> list[str]:
        page.goto(url)
        axe_settled(page)
        seen.add(url)
        if problem := _too_wide(page):
            wide.append(f"{url}: {problem}")
        return page.eval_on_selector_all(RECORD_LINKS, "as => as.map((a) => a.href)")

    for url in main:
        records = _same_site(page, check(url), origin)
        for record in records[:1]:
            if record not in seen and record not in main:
                check(record)
    return seen, wide


def test_no_main_page_is_wider_than_a_320_px_window(browser, live_server, demo_data):  # noqa: F811
    failures = []
    for email in DEMO_ACCOUNTS:
        # A long timeout: the demo's busiest pages, on a busy machine.
        narrow = {"width": WIDTH, "height": 640}
        try:
            with watched_page(browser, live_server, viewport=narrow, timeout=30_000) as (page, found):
                sign_in_as(page, live_server, email)
                seen, wide = main_pages_wider_than_the_window(page, live_server.url)
        except Exception as error:
            error.add_note(f"(as {email})")
            raise
        if len(seen) <= 3:
            wide.append(f"only {len(seen)} pages seen: {seen}")
        failures += [f"As {email}: {line}" for line in wide + found]
    assert failures == [], "\n".join(failures)
