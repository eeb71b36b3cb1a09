"""The committee report page's narrative form is kept as markup when the page is opened
(qa_portal.lists.kept_content with `posts`): a save shows at the next opening, whoever made it; the form
carries each person's own CSRF token and still saves; the button that generates a pack keeps a new
one-time token at every opening. Committed for real (transactional tests), as in production: inside a
test's transaction nothing is kept."""

import re

import pytest
from django.urls import reverse

from qa_portal.reporting.committee import services
from qa_portal.reporting.models import CommitteeReport
from qa_portal.table_versions import CSRF_STAND_IN
from tests.reporting.committee_year import END, START
from tests.reporting.test_committee_pages import grant_packs
from tests.reviews.test_kept_pages import opened_twice
from tests.signin import Client

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def report(manager):
    grant_packs(manager)
    return services.committee_report_create(by=manager, title="", period_start=START, period_end=END)


def narrative_form(html: str) -> dict[str, str]:
    """What the narrative form posts as drawn: its token, its boxes and when it was loaded."""
    box = html.index('id="id_introduction"')
    form = html[html.rindex("<form", 0, box) : html.index("</form>", box)]
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))
    for name in ("introduction", "learning", "future_plans"):
        fields[name] = re.search(rf'<textarea name="{name}"[^>]*>\n?(.*?)</textarea>', form, re.S).group(1)
    return fields


def generate_token(html: str) -> str:
    return re.search(r'name="form_token" value="([^"]+)"', html).group(1)


def test_a_narrative_saved_by_anyone_is_on_the_page_at_its_next_opening(manager, report):
    url = reverse("committee:report_detail", args=[report.pk])
    client = Client()
    client.force_login(manager)
    first = opened_twice(client, url)
    assert "Senior leaders visit providers." not in first
    CommitteeReport.objects.filter(pk=report.pk).update(introduction="Senior leaders visit providers.")
    page = client.get(url).text
    assert narrative_form(page)["introduction"] == "Senior leaders visit providers."
    # The pack's button is drawn anew at every opening: a new one-time token each time.
    assert generate_token(page) != generate_token(first)


def test_the_kept_narrative_saves_with_each_persons_own_token(manager, qa_lead, report):
    grant_packs(qa_lead)
    url = reverse("committee:report_detail", args=[report.pk])
    first = Client(enforce_csrf_checks=True)
    first.force_login(manager)
    page = opened_twice(first, url)
    assert CSRF_STAND_IN not in page
    data = {**narrative_form(page), "introduction": "Written by the manager."}
    assert first.post(url, data).status_code == 302
    assert CommitteeReport.objects.get(pk=report.pk).introduction == "Written by the manager."

    second = Client(enforce_csrf_checks=True)
    second.force_login(qa_lead)
    theirs = narrative_form(opened_twice(second, url))
    assert theirs["introduction"] == "Written by the manager."
    assert theirs["csrfmiddlewaretoken"] != narrative_form(first.get(url).text)["csrfmiddlewaretoken"]
    # Posted with another's token: refused by the CSRF check (and held for its author), nothing saved.
    assert "?held=" in first.post(url, {**theirs, "learning": "Mine"}).url
    assert CommitteeReport.objects.get(pk=report.pk).learning == ""
    assert second.post(url, {**theirs, "learning": "Theirs"}).status_code == 302
    assert CommitteeReport.objects.get(pk=report.pk).learning == "Theirs"
