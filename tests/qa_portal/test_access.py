"""The access module: 404 for what a user may not know exists, 403 for what they may see but not change."""

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import Http404

from providers.models import Provider
from qa_portal import access
from qa_portal.models import User

pytestmark = pytest.mark.django_db


def test_a_provider_user_sees_only_their_own_organisation(provider_user, provider, other_provider):
    assert list(access.visible_to(provider_user, Provider)) == [provider]
    assert access.get_for_user(provider_user, Provider, pk=provider.pk) == provider


def test_another_providers_record_is_not_found_for_a_provider_user(provider_user, other_provider):
    with pytest.raises(Http404):
        access.get_for_user(provider_user, Provider, pk=other_provider.pk)


def test_council_staff_see_every_provider(senior_leader, provider, other_provider):
    assert set(access.visible_to(senior_leader, Provider)) == {provider, other_provider}


def test_seeing_is_not_changing(senior_leader, provider):
    with pytest.raises(PermissionDenied):
        access.get_for_user(senior_leader, Provider, change=True, pk=provider.pk)


def test_a_commissioning_officer_may_change_a_provider(commissioning_officer, provider):
    assert access.get_for_user(commissioning_officer, Provider, change=True, pk=provider.pk) == provider


def test_a_switched_off_account_sees_nothing(commissioning_officer, provider):
    commissioning_officer.is_active = False
    commissioning_officer.save()
    assert not access.visible_to(commissioning_officer, Provider).exists()


def test_a_malformed_id_is_not_found_rather_than_an_error(commissioning_officer):
    with pytest.raises(Http404):
        access.get_for_user(commissioning_officer, Provider, pk="not-a-number")


def test_only_administrators_see_other_peoples_accounts(administrator, qa_lead):
    assert access.get_for_user(administrator, User, pk=qa_lead.pk) == qa_lead
    assert list(access.visible_to(qa_lead, User)) == [qa_lead]
    with pytest.raises(Http404):
        access.get_for_user(qa_lead, User, pk=administrator.pk)


def test_a_model_without_a_rule_is_refused_loudly(qa_lead):
    from django.contrib.auth.models import Group

    with pytest.raises(ImproperlyConfigured):
        access.visible_to(qa_lead, Group)
