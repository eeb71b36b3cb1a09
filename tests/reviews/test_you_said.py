""" "You said, we did" (issue 17): marking what a young person asked for on a visit, the recommendation
raised from it, the lists of what was done (naming nobody, and for a provider only what is addressed to
them) and the letter for the young person, which names no other child."""

import pytest
from django.urls import reverse
from django.utils import timezone

from reviews import services
from reviews.models import Recommendation, YouSaid
from tests.factories import PlacementFactory, RecommendationFactory, VisitFactory, YoungPersonFactory
from tests.pages import mentions, text_of
from tests.pdf_reading import pages_of

pytestmark = pytest.mark.django_db

JB_SAID = "I want a bike so I can get to college on my own."
KM_SAID = "KM-ONLY: more time on the phone with my sister."
DONE = "JB got a bike in May and now rides to college every day."
DONE_IN_LISTS = "[a young person] got a bike in May and now rides to college every day."


@pytest.fixture
def met(visit, placed):
    """The draft visit, having met both young people placed (JB, KM)."""
    visit.young_people_met.add(*placed)
    return visit


def _mark(visit, person, said, by):
    return YouSaid.objects.create(visit=visit, young_person=person, said=said, created_by=by, updated_by=by)


def test_a_visitor_marks_what_a_young_person_asked_for_on_the_views_section(client, senior_leader, met, placed):
    client.force_login(senior_leader)
    response = client.post(
        reverse("reviews:you_said_add", args=[met.pk]), {"young_person": placed[0].pk, "said": JB_SAID}
    )
    assert response.status_code == 302 and response.url == reverse("visits:section", args=[met.pk, 4])
    page = client.get(response.url).text
    assert "JB said:" in page and JB_SAID in page
    assert f"{reverse('reviews:visit_recommendation_create', args=[met.pk])}?you_said=" in page


def test_marking_without_a_young_person_or_words_says_so_beside_each_and_keeps_the_text(client, senior_leader, met):
    client.force_login(senior_leader)
    url = reverse("reviews:you_said_add", args=[met.pk])
    page = client.post(url, {"young_person": "", "said": "  "}).text
    assert "Choose which young person said it" in page
    assert "Write what the young person said or asked for" in page
    assert not YouSaid.objects.exists()


def test_only_a_young_person_met_on_the_visit_can_be_named(client, senior_leader, visit, placed):
    visit.young_people_met.add(placed[0])
    client.force_login(senior_leader)
    page = client.post(
        reverse("reviews:you_said_add", args=[visit.pk]), {"young_person": placed[1].pk, "said": KM_SAID}
    ).text
    assert "Choose one of the young people met on this visit" in page
    assert KM_SAID in page  # kept in the box
    assert not YouSaid.objects.exists()


def test_a_colleagues_change_made_meanwhile_is_shown_and_not_overwritten(client, senior_leader, qa_lead, met, placed):
    mark = _mark(met, placed[0], JB_SAID, senior_leader)
    client.force_login(senior_leader)
    url = reverse("reviews:you_said_edit", args=[mark.pk])
    opened_base = mark.updated_at.isoformat()
    services.you_said_save(mark=YouSaid.objects.get(pk=mark.pk), by=qa_lead, base=opened_base)
    mine = "I want a bike, and a lock for it."
    page = client.post(url, {"young_person": placed[0].pk, "said": mine, "base": opened_base}).text
    assert "changed this at" in page and "has not been saved" in page
    assert mine in page and JB_SAID in page  # theirs shown beside mine
    assert YouSaid.objects.get(pk=mark.pk).updated_by == qa_lead
    # Saving again, having seen theirs, keeps mine.
    fresh_base = YouSaid.objects.get(pk=mark.pk).updated_at.isoformat()
    assert client.post(url, {"young_person": placed[0].pk, "said": mine, "base": fresh_base}).status_code == 302
    assert YouSaid.objects.get(pk=mark.pk).said == mine


def test_a_mark_is_not_changed_once_the_visit_is_submitted(client, senior_leader, met, placed):
    mark = _mark(met, placed[0], JB_SAID, senior_leader)
    met.status = "submitted"
    met.save()
    client.force_login(senior_leader)
    assert client.get(reverse("reviews:you_said_edit", args=[mark.pk])).status_code == 403
    assert client.post(reverse("reviews:you_said_remove", args=[mark.pk])).status_code == 403
    assert YouSaid.objects.filter(pk=mark.pk).exists()


def test_a_recommendation_raised_from_a_mark_starts_linked_to_it_for_the_young_person(client, qa_lead, met, placed):
    mark = _mark(met, placed[0], JB_SAID, qa_lead)
    client.force_login(qa_lead)
    url = reverse("reviews:visit_recommendation_create", args=[met.pk])
    page = client.get(url, {"you_said": mark.pk}).text
    assert f'<option value="{mark.pk}" selected>JB: “{JB_SAID}”</option>' in page
    due = timezone.localdate() + timezone.timedelta(days=30)
    form = {
        "level": "child",
        "young_person": placed[0].pk,
        "you_said": mark.pk,
        "text": "Find JB a bike and a safe place to keep it, within a month.",
        "owner": qa_lead.pk,
        "action_holder": "provider",
        "due_date_day": due.day,
        "due_date_month": due.month,
        "due_date_year": due.year,
        "priority": "medium",
    }
    assert client.post(url, form).status_code == 302
    assert Recommendation.objects.get().you_said == mark


def test_a_child_level_recommendation_answers_only_what_its_own_young_person_asked_for(client, qa_lead, met, placed):
    mark = _mark(met, placed[1], KM_SAID, qa_lead)
    client.force_login(qa_lead)
    due = timezone.localdate() + timezone.timedelta(days=30)
    page = client.post(
        reverse("reviews:visit_recommendation_create", args=[met.pk]),
        {
            "level": "child",
            "young_person": placed[0].pk,
            "you_said": mark.pk,
            "text": "Find JB a bike.",
            "owner": qa_lead.pk,
            "action_holder": "provider",
            "due_date_day": due.day,
            "due_date_month": due.month,
            "due_date_year": due.year,
            "priority": "medium",
        },
    ).text
    assert "can only answer what that young person asked for" in page
    assert not Recommendation.objects.exists()


def _done(visit, mark, *, level="child", person=None, impact=DONE):
    rec = RecommendationFactory(visit=visit, level=level, young_person=person, you_said=mark)
    services.recommendation_complete(recommendation=rec, by=rec.owner, impact_statement=impact)
    return rec


def test_the_provider_sees_only_the_pairs_addressed_to_it_naming_nobody(
    client, provider_user, other_provider_user, qa_lead, provider, placed
):
    shared = VisitFactory(provider=provider, status="shared", visit_date=timezone.localdate())
    shared.young_people_met.add(*placed)
    _done(shared, _mark(shared, placed[0], JB_SAID, qa_lead), person=placed[0])
    # About the authority's own service: the council's alone (issue 13), even in a shared report.
    _done(shared, _mark(shared, placed[1], KM_SAID, qa_lead), level="authority_service", impact="COUNCIL-ONLY")
    url = reverse("reviews:provider_you_said", args=[provider.pk])

    client.force_login(provider_user)
    page = client.get(url).text
    assert JB_SAID in page and DONE_IN_LISTS in page
    assert KM_SAID not in page and "COUNCIL-ONLY" not in page
    assert ">JB<" not in page and placed[0].case_record_id not in page
    client.force_login(other_provider_user)
    assert client.get(url).status_code == 404
    assert JB_SAID not in client.get(reverse("reviews:you_said_list")).text

    client.force_login(qa_lead)
    everything = text_of(client.get(reverse("reviews:you_said_list")))
    assert JB_SAID in everything and KM_SAID.replace("KM", "[a young person]") in everything
    assert "COUNCIL-ONLY" in everything and not mentions(everything, "JB") and not mentions(everything, "KM")


@pytest.mark.parametrize("one_provider", [False, True], ids=["every provider", "one provider"])
def test_the_lists_show_pages_of_pairs_the_latest_done_first_in_the_same_queries_however_many(
    client, django_assert_max_num_queries, qa_lead, provider, placed, one_provider
):
    shared = VisitFactory(provider=provider, status="shared", visit_date=timezone.localdate())
    shared.young_people_met.add(*placed)
    url = reverse("reviews:provider_you_said", args=[provider.pk]) if one_provider else reverse("reviews:you_said_list")
    client.force_login(qa_lead)

    def add_pairs(start, count):
        for number in range(start, start + count):
            _done(shared, _mark(shared, placed[0], f"Wish number {number:02}.", qa_lead), person=placed[0])

    add_pairs(1, 5)
    client.get(url)  # sessions and caches warmed
    with django_assert_max_num_queries(100) as few:
        client.get(url)
    add_pairs(6, 25)  # 30 in all
    with django_assert_max_num_queries(len(few.captured_queries)):
        first = text_of(client.get(url))
    assert "Showing 1 to 25 of 30" in first
    assert "Wish number 30." in first and "Wish number 06." in first and "Wish number 05." not in first
    assert first.index("Wish number 30.") < first.index("Wish number 29.")  # the latest done first
    second = text_of(client.get(url, {"page": 2}))
    assert "Showing 26 to 30 of 30" in second
    assert "Wish number 05." in second and "Wish number 01." in second and "Wish number 06." not in second


def test_the_letter_names_only_what_its_young_person_said_and_what_was_done(client, senior_leader, met, placed):
    jb, km = placed
    _done(met, _mark(met, jb, JB_SAID, senior_leader), person=jb)
    _done(met, _mark(met, km, KM_SAID, senior_leader), person=km, impact="KM-ONLY: weekly calls with her sister.")
    client.force_login(senior_leader)
    response = client.get(reverse("reviews:you_said_letter", args=[met.pk, jb.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pages = pages_of(response.content)
    text = " ".join(" ".join(pages).split())
    assert len(pages) == 1
    assert "For JB" in text and JB_SAID in text and DONE in text
    assert not mentions(text, "KM") and km.case_record_id not in text and jb.case_record_id not in text


def test_a_letter_is_only_for_a_young_person_met_and_never_for_a_provider(
    client, senior_leader, provider_user, manager, met, placed
):
    met.young_people_met.remove(placed[1])
    client.force_login(senior_leader)
    assert client.get(reverse("reviews:you_said_letter", args=[met.pk, placed[1].pk])).status_code == 404
    client.force_login(manager)  # reads the visit without its young people
    assert client.get(reverse("reviews:you_said_letter", args=[met.pk, placed[0].pk])).status_code == 403
    met.status = "shared"
    met.save()
    client.force_login(provider_user)
    assert client.get(reverse("reviews:you_said_letter", args=[met.pk, placed[0].pk])).status_code == 404


def test_a_letter_takes_out_another_young_person_named_in_the_words_or_what_was_done(
    client, senior_leader, met, placed, provider
):
    """Three young people met, whose words name each other by initials and case-record ID: each letter
    names its own young person and no other (issue 17: "never another child")."""
    jb, km = placed
    qx = YoungPersonFactory(initials="QX", case_record_id="7100003")
    PlacementFactory(young_person=qx, provider=provider, start_date=timezone.localdate() - timezone.timedelta(days=90))
    met.young_people_met.add(qx)
    said = "I want to go to the cinema with KM and Q.X. on Saturdays."
    _done(met, _mark(met, jb, said, senior_leader), person=jb, impact="JB and KM went to the cinema; 7100003 too.")
    _done(met, _mark(met, qx, "More football, like JB gets.", senior_leader), person=qx, impact="QX joined a team.")
    client.force_login(senior_leader)
    for person, others in ((jb, (km, qx)), (qx, (jb, km))):
        pdf = client.get(reverse("reviews:you_said_letter", args=[met.pk, person.pk])).content
        text = " ".join(" ".join(pages_of(pdf)).split())
        assert f"For {person.initials}" in text
        assert "another young person" in text
        for other in others:
            assert other.initials not in text.replace(".", "").replace(" ", ""), other.initials
            assert other.case_record_id not in text


def test_the_lists_name_no_young_person_even_where_the_words_do(client, qa_lead, provider, placed):
    shared = VisitFactory(provider=provider, status="shared", visit_date=timezone.localdate())
    shared.young_people_met.add(*placed)
    jb = placed[0]
    _done(shared, _mark(shared, jb, "Can KM and I share the big room?", qa_lead), person=jb, impact=DONE)
    client.force_login(qa_lead)
    for url in (reverse("reviews:you_said_list"), reverse("reviews:provider_you_said", args=[provider.pk])):
        page = client.get(url).text
        assert "Can [a young person] and I share the big room?" in page
        assert "[a young person] got a bike in May" in page
        assert ">JB" not in page and " KM " not in page and "JB got" not in page
