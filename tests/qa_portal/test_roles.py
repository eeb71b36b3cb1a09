"""Roles are groups with permissions; a provider user belongs to one provider."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from qa_portal.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_every_role_exists_as_a_group():
    assert set(Group.objects.values_list("name", flat=True)) >= {role.label for role in Role}


def test_a_commissioning_officer_may_change_providers_and_a_manager_may_not(commissioning_officer, manager):
    assert commissioning_officer.has_perm("providers.change_provider")
    assert manager.has_perm("providers.view_provider")
    assert not manager.has_perm("providers.change_provider")


def test_a_provider_user_has_no_council_permissions(provider_user):
    assert not provider_user.has_perm("providers.view_provider")
    assert provider_user.is_provider_user


def test_a_provider_user_must_belong_to_a_provider():
    user = UserFactory()
    with pytest.raises(ValidationError, match="Choose the provider"):
        user.validate_roles([Role.PROVIDER_USER])


def test_a_provider_user_cannot_also_hold_a_council_role(provider):
    user = UserFactory(provider=provider)
    with pytest.raises(ValidationError, match="cannot also hold a council role"):
        user.validate_roles([Role.PROVIDER_USER, Role.QA_LEAD])


def test_council_staff_are_not_tied_to_a_provider(provider):
    user = UserFactory(provider=provider)
    with pytest.raises(ValidationError, match="Only provider users"):
        user.validate_roles([Role.QA_LEAD])


def test_someone_with_two_roles_gets_the_home_of_the_senior_one():
    user = UserFactory(role=Role.SOCIAL_WORKER)
    user.groups.add(Group.objects.get(name=Role.QA_LEAD.label))
    assert user.primary_role is Role.QA_LEAD
