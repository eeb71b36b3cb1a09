"""A home page whose "What to do next" names a young person ("Decide whether JB is safe to remain at
…") is a read of their data: it is recorded in the access log of personal data, with the young people
it names and nobody else; a home page naming nobody records nothing."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from qa_portal.models import PersonalDataAccess
from reviews.models import InadequateResponse, SafeToRemainDecision
from tests.factories import (
    InspectionFactory,
    PlacementFactory,
    ProviderFactory,
    SettingFactory,
    YoungPersonFactory,
)
from tests.qa_portal.test_access_log import log_of

pytestmark = pytest.mark.django_db


def test_a_social_workers_home_naming_a_child_to_decide_on_is_in_that_childs_log(client, social_worker):
    fellside = ProviderFactory(name="Fellside Care", current_judgement=4)
    jb = YoungPersonFactory(initials="JB", social_worker=social_worker)
    PlacementFactory(young_person=jb, provider=fellside)
    not_named = YoungPersonFactory(initials="KM", social_worker=social_worker)
    PlacementFactory(young_person=not_named, provider=ProviderFactory(current_judgement=2))

    client.force_login(social_worker)
    page = client.get(reverse("home"))
    assert "Decide whether JB stays at Fellside Care" in page.text

    assert log_of(jb) == [("Tom Reilly", "Viewed a page", "Home page: what to do next")]
    assert log_of(not_named) == []


def test_the_qa_leads_home_naming_children_safe_to_remain_decisions_are_due_for_is_in_their_logs(client, qa_lead):
    provider = ProviderFactory(name="Coquet Homes")
    setting = SettingFactory(provider=provider, name="Coquet House")
    inspection = InspectionFactory(setting=setting, judgement=4, inspection_date=timezone.localdate() - timedelta(1))
    response = InadequateResponse.objects.create(
        provider=provider, inspection=inspection, setting=setting, visit_due_on=timezone.localdate()
    )
    named = []
    for initials in ("AB", "CD"):
        person = YoungPersonFactory(initials=initials)
        placement = PlacementFactory(young_person=person, provider=provider, setting=setting)
        SafeToRemainDecision.objects.create(
            response=response, young_person=person, placement=placement, due_at=timezone.now() + timedelta(hours=24)
        )
        named.append(person)

    client.force_login(qa_lead)
    page = client.get(reverse("home"))
    assert "Decide whether AB is safe to remain at Coquet House" in page.text

    entry = PersonalDataAccess.objects.get()
    assert (entry.user, entry.what) == (qa_lead, "Home page: what to do next")
    for person in named:
        assert log_of(person) == [("Laura Dennison", "Viewed a page", "Home page: what to do next")]


def test_a_home_page_naming_nobody_records_nothing(client, manager):
    client.force_login(manager)
    assert client.get(reverse("home")).status_code == 200
    assert not PersonalDataAccess.objects.exists()
