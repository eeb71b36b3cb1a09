"""What of the tracker reaches a provider (issue 13): only a recommendation addressed to them, from a
visit report shared with them or shared with them by the council; never one from a concern, from a
review meeting or elsewhere until shared, or about the authority's own service. Anything else is
not found (404) on every page they can reach, their home page's count, the visit report's page and
PDF, and the response form; and the council shares one with "Share with the provider"."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from reviews import services
from reviews.models import Recommendation
from tests.factories import ConcernFactory, RecommendationFactory, VisitFactory
from tests.pages import text_of
from tests.pdf_reading import pages_of
from tests.reviews.test_meetings import held_meeting
from visits.models import VisitStatus

pytestmark = pytest.mark.django_db

LIST = reverse("reviews:provider_recommendations")
ADDRESSED = "Send us each night's staffing rota for Fellside House"


def update(rec):
    return reverse("reviews:provider_recommendation_update", args=[rec.pk])


def share(rec):
    return reverse("reviews:recommendation_share", args=[rec.pk])


def detail(rec):
    return reverse("reviews:recommendation_detail", args=[rec.pk])


def due():
    return timezone.localdate() + timedelta(days=30)


@pytest.fixture
def shared_visit(provider):
    return VisitFactory(provider=provider, status=VisitStatus.SHARED, visit_date=timezone.localdate())


@pytest.fixture
def addressed(shared_visit):
    return RecommendationFactory(visit=shared_visit, text=ADDRESSED, due_date=due())


@pytest.fixture
def internal(provider, shared_visit, commissioning_officer):
    """The council's own recommendations about the provider, none shared with it."""
    return {
        "concern": RecommendationFactory(
            source="concern",
            visit=None,
            provider=provider,
            concern=ConcernFactory(provider=provider),
            text="A whistleblower says night staff sleep on shift: check the rotas",
            due_date=due(),
        ),
        "meeting": RecommendationFactory(
            source="review_meeting",
            visit=None,
            provider=provider,
            review_meeting=held_meeting(provider, timezone.localdate() - timedelta(days=3)),
            text="Consider a placement stop if the rotas do not improve",
            owner=commissioning_officer,
            due_date=due(),
        ),
        "other": RecommendationFactory(
            source="other", visit=None, provider=provider, text="Check the Regulation 44 reports", due_date=due()
        ),
        "authority": RecommendationFactory(
            visit=shared_visit,
            level="authority_service",
            text="Our social workers to visit every child placed far away each six weeks",
            due_date=due(),
        ),
        "draft": RecommendationFactory(visit=VisitFactory(provider=provider), text="Draft report's", due_date=due()),
    }


@pytest.mark.parametrize("kind", ["concern", "meeting", "other", "authority", "draft"])
def test_a_provider_user_gets_404_for_a_recommendation_not_addressed_to_them(client, provider_user, internal, kind):
    rec = internal[kind]
    client.force_login(provider_user)
    assert client.get(update(rec)).status_code == 404
    assert (
        client.post(update(rec), {"provider_action": "Nothing", "provider_action_by": "01/01/2099"}).status_code == 404
    )
    # The staff pages say 404 too, not "see your own page", so its existence is not revealed.
    assert client.get(detail(rec)).status_code == 404
    rec.refresh_from_db()
    assert rec.provider_action == ""


def test_a_provider_user_lists_and_counts_only_what_is_addressed_to_them(client, provider_user, internal, addressed):
    client.force_login(provider_user)
    listed = client.get(LIST)
    assert [r.text for r in listed.context["page"]] == [ADDRESSED]
    for rec in internal.values():
        assert rec.text not in text_of(listed)
    home = client.get(reverse("home"))
    assert home.context["page"].figures[1].label == "Recommendations open"
    assert home.context["page"].figures[1].value == "1"


def test_the_shared_report_shows_the_provider_no_recommendation_about_the_authoritys_own_service(
    client, provider_user, internal, addressed, shared_visit
):
    client.force_login(provider_user)
    authority = internal["authority"].text
    page = client.get(reverse("visits:visit_detail", args=[shared_visit.pk]))
    assert ADDRESSED in text_of(page) and authority not in text_of(page)
    form = client.get(reverse("reviews:visit_respond", args=[shared_visit.pk]))
    assert ADDRESSED in text_of(form) and authority not in text_of(form)
    pdf = " ".join(pages_of(client.get(reverse("visits:report_pdf", args=[shared_visit.pk])).content))
    assert "staffing rota" in pdf and "each six weeks" not in pdf


def test_the_council_still_sees_every_recommendation_in_the_report(client, qa_lead, internal, addressed, shared_visit):
    client.force_login(qa_lead)
    page = text_of(client.get(reverse("visits:visit_detail", args=[shared_visit.pk])))
    assert ADDRESSED in page and internal["authority"].text in page


def test_a_response_to_a_recommendation_the_provider_was_not_shown_is_refused(
    provider_user, internal, addressed, shared_visit
):
    with pytest.raises(Exception, match="not one the provider answers"):
        services.visit_provider_respond(
            visit=shared_visit,
            by=provider_user,
            comment="Thank you",
            responses={internal["authority"].pk: {"accepted": False, "reason": "No", "action": "", "action_by": None}},
        )
    internal["authority"].refresh_from_db()
    assert internal["authority"].provider_accepted is None


# Sharing one with the provider


@pytest.mark.parametrize("sharer", ["qa_lead", "commissioning_officer"])
def test_the_council_shares_a_meeting_recommendation_and_the_provider_then_acts_on_it(
    client, request, sharer, provider_user, internal
):
    rec = internal["meeting"]
    staff = request.getfixturevalue(sharer)
    client.force_login(staff)
    page = client.get(detail(rec))
    assert "Share with the provider" in text_of(page)
    assert "Seen by the provider No: not shared with them" in text_of(page)
    confirm = client.get(share(rec))
    assert "Share this recommendation with Harbour Lights Fostering?" in text_of(confirm)
    response = client.post(share(rec), follow=True)
    assert f"Recommendation {rec.pk} shared with Harbour Lights Fostering" in text_of(response)
    assert f"shared with them by {staff.full_name}" in text_of(response)
    rec.refresh_from_db()
    assert rec.shared_with_provider and rec.shared_with_provider_by == staff
    assert rec.history.first().history_change_reason == "Shared with the provider"
    assert rec.history.first().history_user == staff

    client.force_login(provider_user)
    assert rec.text in text_of(client.get(LIST))
    client.post(update(rec), {"provider_action": "Weekly rota by Friday", "provider_action_by": f"{due():%d/%m/%Y}"})
    rec.refresh_from_db()
    assert rec.provider_action == "Weekly rota by Friday"


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("concern", "A recommendation raised from a concern is never shared with the provider."),
        ("authority", "A recommendation about the authority's own service is never shared with the provider."),
        ("draft", "A recommendation in a visit report reaches the provider when the report is shared with them."),
    ],
)
def test_sharing_one_that_is_never_for_the_provider_is_refused_with_the_reason(
    client, qa_lead, provider_user, internal, kind, message
):
    rec = internal[kind]
    client.force_login(qa_lead)
    assert "Share with the provider" not in text_of(client.get(detail(rec)))
    response = client.post(share(rec), follow=True)
    assert message in text_of(response)
    rec.refresh_from_db()
    assert not rec.shared_with_provider
    client.force_login(provider_user)
    assert client.get(update(rec)).status_code == 404


def test_the_database_refuses_a_concern_recommendation_shared_with_the_provider(internal):
    with transaction.atomic(), pytest.raises(IntegrityError):
        Recommendation.objects.filter(pk=internal["concern"].pk).update(shared_with_provider=True)


@pytest.mark.parametrize("role", ["senior_leader", "manager", "social_worker", "provider_user"])
def test_only_the_qa_lead_and_commissioning_officers_share_recommendations(client, request, role, internal):
    rec = internal["meeting"]
    client.force_login(request.getfixturevalue(role))
    assert "Share with the provider" not in client.get(detail(rec)).text
    assert client.post(share(rec)).status_code in (403, 404)
    rec.refresh_from_db()
    assert not rec.shared_with_provider
