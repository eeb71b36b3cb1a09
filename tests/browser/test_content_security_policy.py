"""Every page the portal shows, to every role, carries the strict Content-Security-Policy and loads in
a real browser without breaking it: no inline script or style, no eval, nothing from elsewhere.

On the demo data, each demo account (and a signed-out visitor) follows the links of every page it
can reach from home, one page of each kind (the same path with other numbers, or another query, is
the same kind), so the crawl stays short while reaching every kind of page: lists with
their filters, sorting and pagination, records, forms, visit sections with autosave, the committee
report with its charts, documents, the admin. Downloads (PDF, CSV, XLSX) are not pages and are
skipped. The test fails on any violation the browser reports on any page (tests/csp.py), and on any
serious or critical accessibility violation axe finds (tests/axe.py). axe checks each kind of page once,
as the first account to reach it sees it (most kinds are reached by several staff roles, and axe took
half the crawl's time when it checked all 342 pages); the policy and the 320 px window are checked on
every page of every account. Scripted features (autosave, drafts, the timeout warning, progress bars)
are covered by their own browser tests, whose page fixture runs axe on every page they load.

The same crawl checks reflow (WCAG 2.2 SC 1.4.10; issue 14): once a page has loaded and axe has
checked it at 1280 px, the window is narrowed to 320 px (a phone, or a laptop zoomed to 400%) and the
page must be no wider than it: a wide table scrolls inside its own region (app-table-scroll), never the
whole page. Narrowing the window re-lays the page the browser already has, so every kind of page each
role can reach is checked at both widths for the price of one crawl (two crawls, one per width, were
the suite's two longest tests).

The demo takes seconds to make, and a live-server test's data is wiped after it, so one test crawls
as every account in turn, each in a browser context of its own (its own cookies and storage, watched
as the page fixture watches its own), and names the account in whatever it finds."""

import re
from collections import deque
from contextlib import contextmanager
from urllib.parse import parse_qsl, urlsplit, urlunsplit

import pytest
from django.conf import settings

from qa_portal.models import User
from qa_portal.reporting import demo
from tests.axe import axe_settled, axe_violations, report, watch_axe
from tests.csp import watch_csp
from tests.signin import Client

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_ACCOUNTS = [
    "leader@example.org",
    "qa.lead@example.org",
    "commissioning@example.org",
    "manager@example.org",
    "social.worker@example.org",
    "provider@example.org",
    "admin@example.org",
]
# Enough for every kind of page a role can reach; a crawl that needs more has found a loop.
MOST_PAGES = 150
WIDE = {"width": 1280, "height": 900}
NARROW = 320
DOWNLOAD = re.compile(r"(\.pdf|\.csv|\.xlsx|\.zip|\.txt|\.ics|/export\.\w+|/download/)$")
NOT_FOLLOWED = ("/static/", "/sign-out/", "/admin/logout/")
POLICY = {
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
}


def too_wide(page) -> str | None:
    """At 320 px: what makes the page wider than the window, if it is (the elements reaching furthest
    right; some may be inside a region that scrolls, the one that is not is the cause). The window is
    put back to its width afterwards."""
    page.set_viewport_size({"width": NARROW, "height": 640})
    try:
        width = page.evaluate("() => document.documentElement.scrollWidth")
        if width <= NARROW:
            return None
        culprits = page.evaluate(
            """(limit) => Array.from(document.querySelectorAll('body *'))
              .map((el) => [el, el.getBoundingClientRect().right])
              .filter(([, right]) => right > limit + 1)
              .sort((a, b) => b[1] - a[1])
              .slice(0, 5)
              .map(([el, right]) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} (${Math.round(right)} px)`)""",
            NARROW,
        )
        return f"at {NARROW} px the page is {width} px wide: {culprits}"
    finally:
        page.set_viewport_size(WIDE)


def kind_of(url: str) -> str:
    """Pages of one kind: the same path but for its numbers, with a query or without (a list filtered,
    sorted or paged is one more kind, however it is filtered)."""
    parts = urlsplit(url)
    return re.sub(r"\d+", "#", parts.path) + ("?…" if parts.query else "")


def crawl(
    page, origin: str, start: list[str], check=None, axe_checked: set[str] | None = None
) -> tuple[list[str], list[str]]:
    """Visit one page of each kind reachable from `start` by following links on `origin`; returns the
    pages visited, and the problems: each page that answered with a server error or without the policy,
    and whatever `check(page)`, if given, finds wrong with a page (a sentence, or None). With
    `axe_checked`, the kinds of page axe has already checked (this crawl adds to it), axe checks each
    other kind here; without it, the page is one watch_axe checks on its own."""
    kinds, visited, problems = set(), [], []
    queue = deque(start)
    while queue and len(visited) < MOST_PAGES:
        url = queue.popleft()
        if kind_of(url) in kinds:
            continue
        kinds.add(kind_of(url))
        response = page.goto(url)
        if axe_checked is None:
            axe_settled(page)  # checked by axe too, as every page a browser test loads is (tests/axe.py)
        elif kind_of(page.url) not in axe_checked:
            axe_checked.add(kind_of(page.url))
            if violations := axe_violations(page):
                problems.append(f"axe: {report(page.url, violations)}")
        visited.append(page.url)
        header = response.headers.get("content-security-policy", "")
        missing = {part for part in POLICY if part not in header}
        if response.status >= 500 or missing:
            problems.append(f"{url}: status {response.status}, policy lacks {sorted(missing)}")
        if check is not None and (problem := check(page)):
            problems.append(f"{url}: {problem}")
        for href in page.eval_on_selector_all("a[href]", "links => links.map((link) => link.href)"):
            parts = urlsplit(href)
            if f"{parts.scheme}://{parts.netloc}" != origin or parts.path.startswith(NOT_FOLLOWED):
                continue
            if DOWNLOAD.search(parts.path) or "held" in dict(parse_qsl(parts.query)):
                continue
            link = urlunsplit(parts._replace(fragment=""))
            if kind_of(link) not in kinds:
                queue.append(link)
    return visited, problems


def sign_in_as(page, live_server, email: str) -> None:
    """Give the browser a signed-in session for the account, as if it had just signed in."""
    client = Client()
    client.force_login(User.objects.get(email=email))
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


@contextmanager
def watched_page(browser, live_server, viewport: dict | None = None, timeout: float = 10_000, *, axe: bool = True):
    """A page in a fresh browser context, watched as the page fixture (tests/conftest.py) watches its
    own (with `axe` False, for Content-Security-Policy violations only: the caller runs axe itself).
    Yields the page and a list that, when the block ends, holds every Content-Security-Policy
    violation (tests/csp.py) and serious or critical accessibility violation (tests/axe.py) found."""
    context = browser.new_context(base_url=live_server.url, viewport=viewport or WIDE)
    context.set_default_timeout(timeout)
    violations = watch_csp(context)
    inaccessible = watch_axe(context, origin=live_server.url) if axe else []
    page = context.new_page()
    found: list[str] = []
    try:
        yield page, found
        if axe and page.url.startswith("http"):
            axe_settled(page, timeout=5_000)  # the last page, checked before the browser closes
    finally:
        context.close()
        found += [f"Content-Security-Policy: {line}" for line in dict.fromkeys(violations)]
        found += [f"axe: {line}" for line in dict.fromkeys(inaccessible)]


@pytest.fixture
def demo_data(transactional_db):
    demo.seed()


def test_every_page_each_role_can_reach_keeps_to_the_policy_and_fits_a_320_px_window(browser, live_server, demo_data):
    failures, axe_checked = [], set()
    for email in DEMO_ACCOUNTS:
        try:
            # A long timeout: the demo's busiest pages, on a busy machine.
            with watched_page(browser, live_server, timeout=30_000, axe=False) as (page, found):
                sign_in_as(page, live_server, email)
                visited, problems = crawl(
                    page, live_server.url, [f"{live_server.url}/"], check=too_wide, axe_checked=axe_checked
                )
        except Exception as error:
            error.add_note(f"(crawling as {email})")
            raise
        if len(visited) <= 5:
            problems.append(f"only {len(visited)} pages reached: {visited}")
        if len(visited) >= MOST_PAGES:
            problems.append("the crawl stopped before it had seen every kind of page")
        failures += [f"As {email}: {line}" for line in problems + found]
    assert not failures, "\n".join(failures)


def test_the_signed_out_pages_keep_to_the_policy(page, live_server):
    visited, problems = crawl(
        page,
        live_server.url,
        [f"{live_server.url}/sign-in/", f"{live_server.url}/this-page-does-not-exist/"],
        check=too_wide,
    )
    assert not problems, "\n".join(problems)
    assert {urlsplit(url).path for url in visited} >= {"/sign-in/", "/password-reset/", "/accessibility/"}
