from datetime import date, timedelta

import factory
from django.contrib.auth.models import Group
from django_otp.plugins.otp_totp.models import TOTPDevice

from providers.models import Provider
from qa_portal.models import User
from visits.models import VisitTemplate

PASSWORD = "correct-horse-battery"


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider

    name = factory.Sequence(lambda n: f"Provider {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="en_GB")
    job_title = "Officer"
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def role(self, create, role, **kwargs):
        """UserFactory(role=Role.QA_LEAD) puts the user in that role's group."""
        if create and role is not None:
            self.groups.add(Group.objects.get(name=role.label))

    @factory.post_generation
    def authenticator(self, create, wanted, **kwargs):
        """Every account has set up its authenticator app, as the portal requires at the first sign-in
        (tests/signin.py enters its codes); UserFactory(authenticator=False) for one that has not yet."""
        if create and wanted is not False:
            TOTPDevice.objects.create(user=self, name="Authenticator app", confirmed=True)


class SettingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "providers.Setting"

    provider = factory.SubFactory(ProviderFactory)
    name = factory.Sequence(lambda n: f"Setting {n}")
    setting_type = "childrens_home"
    urn = factory.Sequence(lambda n: f"SC{100000 + n}")
    town = "Canterbury"
    postcode = "CT1 2AA"
    local_authority = "Kent"
    capacity = 4


class InspectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "providers.OfstedInspection"

    setting = factory.SubFactory(SettingFactory)
    provider = factory.SelfAttribute("setting.provider")
    scale = "four_point"
    inspection_date = factory.Faker("date_between", start_date="-2y", end_date="-1d")
    event_type = "full"
    judgement = 2


class YoungPersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "providers.YoungPerson"

    case_record_id = factory.Sequence(lambda n: f"{5000000 + n}")
    initials = factory.Sequence(lambda n: "ABCDEFGHJKLMNPRSTW"[n % 18] + "ABCDEFGHJKLMNPRSTW"[(n // 18) % 18])
    # A child in care: under 18 (COHORT_AGES).
    date_of_birth = factory.Faker("date_of_birth", minimum_age=8, maximum_age=17)
    cohort = "child_in_care"


class PlacementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "providers.Placement"

    young_person = factory.SubFactory(YoungPersonFactory)
    provider = factory.SubFactory(ProviderFactory)
    setting = None
    start_date = factory.Faker("date_between", start_date="-2y", end_date="-30d")
    end_date = None


class ConcernFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "providers.Concern"

    provider = factory.SubFactory(ProviderFactory)
    source = "social_worker"
    received_on = factory.Faker("date_between", start_date="-1y", end_date="today")
    summary = "Young person says staff do not knock before entering their room."
    severity = "medium"
    raised_by = factory.SubFactory(UserFactory)


class VisitFactory(factory.django.DjangoModelFactory):
    """A draft visit on the published template version."""

    class Meta:
        model = "visits.Visit"
        skip_postgeneration_save = True

    provider = factory.SubFactory(ProviderFactory)
    template = factory.LazyFunction(lambda: VisitTemplate.objects.get(status="published"))
    planned_date = factory.Faker("date_between", start_date="-60d", end_date="-10d")
    lead_visitor = factory.SubFactory(UserFactory)
    lead_visitor_role = "Assistant Director, People's Services"
    reasons = factory.LazyFunction(lambda: ["number"])


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reviews.Recommendation"

    source = "visit"
    visit = factory.SubFactory(VisitFactory)
    provider = factory.SelfAttribute("visit.provider")
    level = "provider_service"
    text = "Agree a plan with each young person for evening activities by the end of the month."
    owner = factory.SubFactory(UserFactory)
    due_date = factory.Faker("date_between", start_date="+10d", end_date="+60d")
    created_by = factory.SelfAttribute("owner")


class ActionPlanFactory(factory.django.DjangoModelFactory):
    """A provider's action plan after a QA visit, requested and due in 14 days."""

    class Meta:
        model = "reviews.ActionPlan"

    visit = factory.SubFactory(VisitFactory)
    provider = factory.SelfAttribute("visit.provider")
    source = "visit"
    asks = "Send us your plan for the improvements our QA visit found were needed."
    due_date = factory.LazyFunction(lambda: date.today() + timedelta(days=14))
    requested_by = factory.SubFactory(UserFactory)


class PlanActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reviews.PlanAction"

    plan = factory.SubFactory(ActionPlanFactory)
    text = "Replace the boiler and test the heating in every room."
    responsible = "Dee Grant, registered manager"
    timescale = factory.LazyFunction(lambda: date.today() + timedelta(days=30))
    updated_by = factory.SelfAttribute("plan.requested_by")
