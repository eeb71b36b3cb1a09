"""The provider page's content is kept as markup per person and day (qa_portal.table_versions.
cached_markup) while no table it was read from is written: a change shows at the next opening, however
it was made, each young person shown is logged at every opening, and markup holding a CSRF token is
never kept. Committed for real (transactional tests), as in production; inside a test's transaction
nothing would be kept."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.safestring import mark_safe

from providers.models import Setting, YoungPerson
from qa_portal.access_log import entries_about
from qa_portal.roles import Role
from qa_portal.table_versions import cached_markup
from tests.factories import ConcernFactory, RecommendationFactory, SettingFactory, UserFactory, VisitFactory

pytestmark = pytest.mark.django_db(transaction=True)


def opened_twice(client, url) -> str:
    """The page's text, opened twice: the second time from what was kept (fewer queries)."""
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    with CaptureQueriesContext(connection) as kept:
        text = client.get(url).text
    assert len(kept) < len(first) - 5
    return text


def test_a_concern_a_setting_renamed_a_visit_and_a_recommendation_show_on_the_kept_provider_page_at_once(
    client, qa_lead, provider
):
    setting = SettingFactory(provider=provider, name="Harbour House")
    url = reverse("providers:provider_detail", args=[provider.pk])
    client.force_login(qa_lead)
    page = opened_twice(client, url)
    assert "Harbour House" in page
    assert "No visits yet." in page

    ConcernFactory(provider=provider, summary="Staff rota left the night shift with one carer.")
    assert "Staff rota left the night shift with one carer." in client.get(url).text

    # A queryset update, which sends no signal.
    Setting.objects.filter(pk=setting.pk).update(name="Harbour Lodge")
    assert "Harbour Lodge" in client.get(url).text

    VisitFactory(provider=provider, lead_visitor=UserFactory(full_name="Imogen Threlfall"))
    page = client.get(url).text
    assert "Imogen Threlfall" in page  # the visits panel
    assert "No visits yet." not in page

    RecommendationFactory(visit=VisitFactory(provider=provider), text="Fit a smoke alarm in the annexe.")
    assert "Fit a smoke alarm in the annexe." in client.get(url).text  # the reviews panel


def test_a_role_taken_away_changes_the_kept_provider_page_at_once(client, provider):
    """Kept per person, roles and permissions: a QA lead made a plain manager no longer sees the
    buttons of a QA lead (and never another person's kept page)."""
    person = UserFactory(role=Role.QA_LEAD, full_name="Laura Dennison")
    url = reverse("providers:provider_detail", args=[provider.pk])
    client.force_login(person)
    assert "Record a concern" in opened_twice(client, url)
    person.groups.set([Group.objects.get(name=Role.MANAGER.label)])
    assert "Record a concern" not in client.get(url).text


def test_the_young_people_on_the_kept_provider_page_are_logged_at_every_opening(client, qa_lead, provider, placed):
    url = reverse("providers:provider_detail", args=[provider.pk])
    client.force_login(qa_lead)
    page = opened_twice(client, url)
    assert "JB" in page
    for person in placed:
        entries = list(entries_about(YoungPerson, person.pk))
        assert [(e.user, e.what) for e in entries] == [(qa_lead, "Provider page: Harbour Lights Fostering")] * 2


def test_markup_holding_a_csrf_token_is_never_kept():
    form = mark_safe('<form method="post"><input type="hidden" name="csrfmiddlewaretoken" value="abc"></form>')
    with pytest.raises(ValueError, match="CSRF token"):
        cached_markup("a-form", ("key",), lambda: (form, None))


def test_a_page_that_follows_the_persons_own_change_is_never_served_from_what_was_kept(client, qa_lead, provider):
    """A table's time is renewed just after a write commits, so for a moment the old page still matches:
    a second click of "Save", held until the first was saved and then sent on with "already saved",
    could land in that moment (tests/browser/test_double_click.py saw it once). A page showing the person
    a message about what they did is worked out afresh. Shown here with a change whose table time is not
    renewed at all (made on a connection of its own, outside Django): without the message the kept page
    is served; with it, the page as the database now stands."""
    import psycopg2
    from django.contrib.messages import INFO
    from django.contrib.messages.storage.base import Message
    from django.contrib.messages.storage.cookie import CookieStorage

    setting = SettingFactory(provider=provider, name="Harbour House")
    url = reverse("providers:provider_detail", args=[provider.pk])
    client.force_login(qa_lead)
    assert "Harbour House" in opened_twice(client, url)

    params = connection.get_connection_params()
    outside = psycopg2.connect(**params)
    with outside, outside.cursor() as cursor:
        cursor.execute("UPDATE providers_setting SET name = 'Harbour Lodge' WHERE id = %s", [setting.pk])
    outside.close()
    assert "Harbour House" in client.get(url).text  # kept: nothing told the cache

    # The message a page that saved something leaves for the next page (the cookie Django's messages use).
    client.cookies[CookieStorage.cookie_name] = CookieStorage(None)._encode([Message(INFO, "Concern recorded.")])
    page = client.get(url).text
    assert "Concern recorded." in page
    assert "Harbour Lodge" in page
