"""Every page the portal shows, to every role, carries the strict Content-Security-Policy and loads in
a real browser without breaking it: no inline script or style, no eval, nothing from elsewhere.

On the demo data, each demo account (and a signed-out visitor) follows the links of every page it
can reach from home, one page of each kind (the same path with other numbers, or another query, is
the same kind), so the crawl stays short while reaching every kind of page: lists with
their filters, sorting and pagination, records, forms, visit sections with autosave, the committee
report with its charts, documents, the admin. Downloads (PDF, CSV, XLSX) are not pages and are
skipped. The page fixture fails the test on any violation the browser reports (tests/csp.py), and
on any serious or critical accessibility violation axe finds on a page it visits (tests/axe.py);
scripted features (autosave, drafts, the timeout warning, progress bars) are covered the same way
by their own browser tests."""

import re
from collections import deque
from urllib.parse import parse_qsl, urlsplit, urlunsplit

import pytest
from django.conf import settings

from qa_portal.models import User
from qa_portal.reporting import demo
from tests.axe import axe_settled
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
DOWNLOAD = re.compile(r"(\.pdf|\.csv|\.xlsx|\.zip|/export\.\w+|/download/)$")
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


def kind_of(url: str) -> str:
    """Pages of one kind: the same path but for its numbers, with a query or without (a list filtered,
    sorted or paged is one more kind, however it is filtered)."""
    parts = urlsplit(url)
    return re.sub(r"\d+", "#", parts.path) + ("?…" if parts.query else "")


def crawl(page, origin: str, start: list[str]) -> list[str]:
    """Visit one page of each kind reachable from `start` by following links on `origin`; returns the
    pages visited. Fails if a page answers with a server error or without the policy."""
    kinds, visited, problems = set(), [], []
    queue = deque(start)
    while queue and len(visited) < MOST_PAGES:
        url = queue.popleft()
        if kind_of(url) in kinds:
            continue
        kinds.add(kind_of(url))
        response = page.goto(url)
        axe_settled(page)  # checked by axe too, as every page a browser test loads is (tests/axe.py)
        visited.append(page.url)
        header = response.headers.get("content-security-policy", "")
        missing = {part for part in POLICY if part not in header}
        if response.status >= 500 or missing:
            problems.append(f"{url}: status {response.status}, policy lacks {sorted(missing)}")
        for href in page.eval_on_selector_all("a[href]", "links => links.map((link) => link.href)"):
            parts = urlsplit(href)
            if f"{parts.scheme}://{parts.netloc}" != origin or parts.path.startswith(NOT_FOLLOWED):
                continue
            if DOWNLOAD.search(parts.path) or "held" in dict(parse_qsl(parts.query)):
                continue
            link = urlunsplit(parts._replace(fragment=""))
            if kind_of(link) not in kinds:
                queue.append(link)
    assert not problems, "\n".join(problems)
    return visited


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


@pytest.fixture
def demo_data(transactional_db):
    demo.seed()


@pytest.mark.parametrize("email", DEMO_ACCOUNTS)
def test_every_page_a_role_can_reach_keeps_to_the_policy(page, live_server, demo_data, email):
    sign_in_as(page, live_server, email)
    visited = crawl(page, live_server.url, [f"{live_server.url}/"])
    assert len(visited) > 5, visited
    assert len(visited) < MOST_PAGES, "the crawl stopped before it had seen every kind of page"


def test_the_signed_out_pages_keep_to_the_policy(page, live_server, demo_data):
    visited = crawl(
        page, live_server.url, [f"{live_server.url}/sign-in/", f"{live_server.url}/this-page-does-not-exist/"]
    )
    assert {urlsplit(url).path for url in visited} >= {"/sign-in/", "/password-reset/", "/accessibility/"}
