"""The demo provider register: shaped like the City of London, every review cadence shown,
safe to run twice."""

import re
from collections import Counter
from datetime import date
from io import StringIO
from itertools import pairwise

import pytest
from django.core.management import call_command
from django.db.models import Q
from django.utils import timezone

from providers.models import (
    NOT_YET_INSPECTED,
    Cohort,
    Concern,
    ConcernSource,
    ConcernStatus,
    Contact,
    InspectionScale,
    Judgement,
    OfstedInspection,
    Placement,
    Provider,
    ProviderStatus,
    ProviderStatusChange,
    ProvisionType,
    Setting,
    YoungPerson,
)
from qa_portal.models import User
from qa_portal.reporting import demo
from qa_portal.reporting.demo import register as register_demo

pytestmark = pytest.mark.django_db

FAR_FROM_LONDON = {"Cumberland", "Westmorland and Furness", "Northumberland", "Devon", "Cornwall"}


@pytest.fixture
def seeded():
    return demo.seed()


def test_it_builds_an_authority_the_size_of_the_city(seeded):
    assert 13 <= Provider.objects.count() <= 17
    assert {t for p in Provider.objects.all() for t in p.provision_types} == set(ProvisionType.values)
    assert Provider.objects.filter(high_cost=True).count() >= 2
    assert Provider.objects.filter(new_to_authority=True).count() >= 2
    assert len(set(Provider.objects.values_list("contract_route", flat=True))) == 3
    assert not Provider.objects.filter(head_office_area="").exists()
    assert seeded.register["providers"] == Provider.objects.count()
    assert seeded.register["young_people"] == YoungPerson.objects.count()


def test_each_provider_has_settings_and_contacts(seeded):
    for provider in Provider.objects.all():
        assert 1 <= provider.settings.count() <= 4, provider
        assert 1 <= provider.contacts.count() <= 2, provider
        if ProvisionType.FOSTERING in provider.provision_types:
            assert provider.settings.count() == 1, provider
    assert all(
        re.fullmatch(r".+@example\.(org|com)", email) for email in Contact.objects.values_list("email", flat=True)
    )
    assert Setting.objects.filter(provider__provision_types__contains=[ProvisionType.CHILDRENS_HOME]).count() >= 6
    assert not Setting.objects.filter(local_authority="").exists()
    assert not Setting.objects.filter(capacity__isnull=True).exists()


def test_urns_follow_ofsted_formats(seeded):
    for setting in Setting.objects.exclude(urn=""):
        if setting.setting_type in (ProvisionType.RESIDENTIAL_SCHOOL, ProvisionType.SUPPORTED_ACCOMMODATION):
            assert re.fullmatch(r"\d{6,7}", setting.urn), setting
        else:
            assert re.fullmatch(r"SC\d{6}", setting.urn), setting
    registered = Setting.objects.exclude(setting_type=ProvisionType.SUPPORTED_ACCOMMODATION)
    assert not registered.filter(urn="").exists()


def test_some_settings_are_far_from_london(seeded):
    far = set(Setting.objects.filter(local_authority__in=FAR_FROM_LONDON).values_list("local_authority", flat=True))
    assert len(far) >= 4


def test_young_people_look_like_the_citys_cohort(seeded):
    people = YoungPerson.objects.all()
    assert 50 <= people.count() <= 60
    cohorts = Counter(people.values_list("cohort", flat=True))
    assert 0.35 <= cohorts[Cohort.CHILD_IN_CARE] / people.count() <= 0.45
    # As in the City's year: exactly two children with an EHCP (see tests/visits for both being visited).
    assert people.filter(ehcp=True).count() == 2
    assert set(people.filter(ehcp=True).values_list("cohort", flat=True)) == {Cohort.CHILD_IN_CARE}
    assert not people.filter(ehcp=True, send=False).exists()
    assert people.filter(send=True, ehcp=False).exists()
    assert people.filter(uasc=True).count() >= 10
    social_worker = User.objects.get(email="social.worker@example.org")
    assert people.filter(social_worker=social_worker).count() > people.count() * 0.75
    for person in people:
        assert re.fullmatch(r"\d{7}", person.case_record_id)
        assert re.fullmatch(r"[A-Z]{2,3}", person.initials)
        assert 8 <= person.age_on(register_demo.YEAR_END) <= 24
        assert (person.age_on(register_demo.YEAR_END) >= 18) == (person.cohort == Cohort.CARE_LEAVER), person


def test_exactly_two_young_people_placed_in_2024_25_have_an_ehcp_one_of_them_at_a_residential_school(seeded):
    year_start, year_end = register_demo.YEAR_START, register_demo.YEAR_END
    placed = Placement.objects.filter(start_date__lte=year_end).filter(
        Q(end_date__isnull=True) | Q(end_date__gt=year_start)
    )
    with_ehcp = YoungPerson.objects.filter(ehcp=True, placements__in=placed).distinct()
    assert with_ehcp.count() == 2
    settings_types = set(placed.filter(young_person__in=with_ehcp).values_list("setting__setting_type", flat=True))
    assert settings_types == {ProvisionType.FOSTERING, ProvisionType.RESIDENTIAL_SCHOOL}


def test_every_young_person_was_placed_during_2024_25_and_none_twice_at_once(seeded):
    year_start, year_end = register_demo.YEAR_START, register_demo.YEAR_END
    for person in YoungPerson.objects.prefetch_related("placements"):
        placements = sorted(person.placements.all(), key=lambda p: p.start_date)
        assert any(p.start_date <= year_end and (p.end_date is None or p.end_date > year_start) for p in placements)
        for earlier, later in pairwise(placements):
            assert earlier.end_date is not None and earlier.end_date <= later.start_date, person
        for placement in placements:
            assert placement.start_date > person.date_of_birth
    assert Placement.objects.filter(end_date__range=(year_start, year_end)).count() >= 10
    assert Placement.objects.filter(high_cost=True).count() >= 3
    assert Placement.objects.filter(setting__isnull=True).count() == 0


def test_placement_volumes_show_every_review_cadence(seeded):
    volumes = Counter()
    for provider in Provider.objects.with_active_placement_count():
        n = provider.active_placements
        volumes["quarterly" if n >= 4 else "half-yearly" if n >= 2 else "annual" if n == 1 else "none"] += 1
    assert volumes["quarterly"] >= 3
    assert volumes["half-yearly"] >= 3
    assert volumes["annual"] >= 3
    assert volumes["none"] >= 2
    assert seeded.register["active_placements"] == Placement.objects.active().count()


def test_ofsted_judgements_have_a_realistic_spread(seeded):
    latest = {}
    for inspection in OfstedInspection.objects.filter(scale=InspectionScale.FOUR_POINT).order_by("inspection_date"):
        latest[inspection.setting_id] = inspection.judgement
    spread = Counter(latest.values())
    assert spread[Judgement.GOOD] > len(latest) / 2
    assert spread[Judgement.OUTSTANDING] >= 2
    assert spread[Judgement.REQUIRES_IMPROVEMENT] >= 2
    assert spread[Judgement.INADEQUATE] == 1
    assert Provider.objects.filter(current_judgement=Judgement.INADEQUATE).count() == 1
    three_years_before = register_demo.YEAR_END.replace(year=register_demo.YEAR_END.year - 3)
    assert not OfstedInspection.objects.filter(inspection_date__lte=three_years_before).exists()


def test_supported_accommodation_is_judged_at_provider_level(seeded):
    provider_level = OfstedInspection.objects.filter(scale=InspectionScale.SUPPORTED_ACCOMMODATION)
    assert provider_level.count() >= 2
    assert not provider_level.filter(setting__isnull=False).exists()
    assert Provider.objects.filter(current_sa_outcome__isnull=False).count() == provider_level.count()
    not_inspected = [p for p in Provider.objects.all() if p.judgement_label == NOT_YET_INSPECTED]
    assert [ProvisionType.SUPPORTED_ACCOMMODATION] in [p.provision_types for p in not_inspected]


def test_the_inadequate_provider_is_under_a_placement_stop_with_a_reason(seeded):
    stopped = Provider.objects.get(status=ProviderStatus.PLACEMENT_STOP)
    assert stopped.current_judgement == Judgement.INADEQUATE
    change = stopped.status_changes.get()
    assert "Inadequate" in change.reason
    assert change.changed_by.email == "commissioning@example.org"
    assert change.changed_at.date() > stopped.inspections.latest("inspection_date").inspection_date
    not_to_be_used = Provider.objects.get(status=ProviderStatus.NOT_TO_BE_USED)
    assert not_to_be_used.status_changes.get().reason


def test_concerns_come_from_every_source_and_closed_ones_say_how(seeded):
    concerns = Concern.objects.all()
    assert 5 <= concerns.count() <= 10
    assert {
        ConcernSource.SOCIAL_WORKER,
        ConcernSource.YOUNG_PERSON,
        ConcernSource.IRO,
        ConcernSource.OTHER_AUTHORITY,
        ConcernSource.REGULATION_44,
    } <= set(concerns.values_list("source", flat=True))
    assert len(set(concerns.values_list("severity", flat=True))) == 3
    assert len(set(concerns.values_list("status", flat=True))) == 3
    assert all(c.outcome for c in concerns.filter(status=ConcernStatus.CLOSED))
    assert set(concerns.values_list("raised_by__email", flat=True)) == {
        "social.worker@example.org",
        "qa.lead@example.org",
    }


def test_the_demo_provider_user_belongs_to_a_seeded_fostering_agency(seeded):
    provider = User.objects.get(email="provider@example.org").provider
    assert provider.name == demo.DEMO_PROVIDER_NAME
    assert ProvisionType.FOSTERING in provider.provision_types
    assert provider.settings.exists()
    assert provider.contacts.filter(email="provider@example.org").exists()
    assert Provider.objects.with_active_placement_count().get(pk=provider.pk).active_placements >= 4


def _snapshot():
    """Every field of every register record, and how much change history each has."""
    snapshot = {}
    for model in (Provider, Setting, OfstedInspection, Contact, YoungPerson, Placement, Concern):
        snapshot[model.__name__] = list(model.objects.order_by("pk").values())
        snapshot[f"{model.__name__} history"] = model.history.count()
    snapshot["status changes"] = list(ProviderStatusChange.objects.order_by("pk").values())
    return snapshot


def test_running_it_twice_changes_nothing(seeded):
    before = _snapshot()
    again = demo.seed()
    assert again.register == seeded.register
    assert _snapshot() == before


def test_it_refreshes_a_record_someone_edited(seeded):
    provider = Provider.objects.get(name="Keystone Pathways")
    provider.notes = "Edited"
    provider.save()
    demo.seed()
    provider.refresh_from_db()
    assert provider.notes != "Edited"


def test_active_today_does_not_depend_on_the_day_it_runs(seeded):
    on_the_first_day_after = register_demo.seed(today=date(2025, 4, 1))
    assert on_the_first_day_after == seeded.register == register_demo.seed(today=timezone.localdate())


def test_it_refuses_a_day_inside_the_demo_year():
    with pytest.raises(ValueError, match="runs to 31 March 2025"):
        register_demo.seed(today=date(2025, 3, 1))


def test_it_needs_the_demo_accounts_first():
    with pytest.raises(RuntimeError, match="seed the accounts first"):
        register_demo.seed()
    assert not Provider.objects.exists()


def test_seed_demo_prints_what_the_register_holds(settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert re.search(
        r"Provider register: \d+ providers, \d+ settings, \d+ Ofsted inspections, \d+ contacts, "
        r"\d+ young people, \d+ placements \(\d+ active today\), \d+ concerns\.",
        out.getvalue(),
    )
