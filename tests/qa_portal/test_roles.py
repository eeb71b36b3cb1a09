"""Roles are groups with permissions; a provider user belongs to one provider."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from qa_portal.models import User
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


def test_active_people_with_a_role_are_listed_once_each_and_never_when_switched_off():
    both = UserFactory(full_name="Ada Both", role=Role.QA_LEAD)
    both.groups.add(Group.objects.get(name=Role.SENIOR_LEADER.label))
    UserFactory(full_name="Ben Visitor", role=Role.SENIOR_LEADER)
    UserFactory(full_name="Cal Gone", role=Role.QA_LEAD, is_active=False)
    UserFactory(full_name="Dee Manager", role=Role.MANAGER)
    visitors = User.objects.active_with_role(Role.SENIOR_LEADER, Role.QA_LEAD)
    assert [user.full_name for user in visitors] == ["Ada Both", "Ben Visitor"]
    assert [user.full_name for user in User.objects.active_with_role(Role.QA_LEAD)] == ["Ada Both"]
