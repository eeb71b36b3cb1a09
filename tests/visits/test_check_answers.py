"""Before a visit is submitted its writer checks the answers (GOV.UK's check answers pattern, issue 14):
every section as written with a Change link to it, what is still missing with a link to each, and the
button to submit only once nothing is. The visit page offers no submit button of its own."""

import re

import pytest
from django.urls import reverse

from tests.factories import RecommendationFactory
from tests.pages import form_values, text_of
from tests.visits.conftest import complete
from visits.models import TemplateQuestion, VisitStatus

pytestmark = pytest.mark.django_db


def check_page(client, visit):
    return client.get(reverse("visits:submit", args=[visit.pk]))


def buttons(response) -> list[str]:
    """The words on the buttons of the page's main content."""
    main = response.text.split('id="main-content"', 1)[1].split("</main>", 1)[0]
    return [" ".join(b.split()) for b in re.findall(r"<button[^>]*>(.*?)</button>", main, re.S)]


def test_while_things_are_missing_the_visit_page_has_no_submit_button_and_says_how_many(client, senior_leader, visit):
    client.force_login(senior_leader)
    page = client.get(visit.get_absolute_url())
    assert "Submit the visit" not in " ".join(buttons(page))
    assert "Check your answers and submit 18 things to do first" in text_of(page)
    assert f'href="{reverse("visits:submit", args=[visit.pk])}"' in page.text


def test_the_check_page_lists_what_is_missing_with_a_link_to_each_answer_and_no_button(client, senior_leader, visit):
    security = TemplateQuestion.objects.get(section__template=visit.template, text="Security")
    client.force_login(senior_leader)
    page = check_page(client, visit)
    text = text_of(page)
    assert "18 things to do before you can submit the visit" in text
    assert "You cannot submit the visit yet" in text
    section_3 = reverse("visits:section", args=[visit.pk, 3])
    assert f'href="{section_3}?from=check#answer-q{security.pk}">Answer &#x27;Security&#x27;</a>' in page.text
    section_1 = reverse("visits:section", args=[visit.pk, 1])
    assert f'href="{section_1}?from=check#answer-visit_date">Enter the date of the visit</a>' in page.text
    assert buttons(page) == []  # nothing to submit with
    assert form_values(page, reverse("visits:submit", args=[visit.pk])) == {}


def test_a_complete_visit_is_checked_section_by_section_then_submitted(client, senior_leader, visit, placed):
    complete(visit, placed)
    RecommendationFactory(visit=visit, owner=senior_leader, text="Agree weekend plans with each young person.")
    client.force_login(senior_leader)
    page = check_page(client, visit)
    text = text_of(page)
    assert "to do before you can submit" not in text
    for number, title in [(1, "About the visit"), (3, "The home and the area"), (8, "Overall")]:
        assert f"Change {number}. {title}" in text
        assert f'href="{reverse("visits:section", args=[visit.pk, number])}?from=check"' in page.text
    assert "Rooms and spaces seen Kitchen, lounge and JB's bedroom" in text
    assert "Security Answer to Security" in text
    assert "Summary A warm, well-run home." in text
    assert "Agree weekend plans with each young person." in text
    assert "Add or change recommendations" in text
    assert "10. The provider's comments" not in text  # the provider writes that, once shared
    assert buttons(page)[-1] == "Submit the visit"

    response = client.post(
        reverse("visits:submit", args=[visit.pk]), form_values(page, reverse("visits:submit", args=[visit.pk]))
    )
    visit.refresh_from_db()
    assert visit.status == VisitStatus.SUBMITTED
    assert response.url == visit.get_absolute_url()


def test_change_goes_to_the_section_and_saving_comes_back_to_the_check_page(client, senior_leader, visit):
    client.force_login(senior_leader)
    url = reverse("visits:section", args=[visit.pk, 8]) + "?from=check"
    section = client.get(url)
    assert buttons(section)[-1] == "Save and go back to check your answers"
    response = client.post(
        url, {"overall_judgement": "with_reservations", "overall_judgement__base": "", "continue": "1"}
    )
    assert response.url == reverse("visits:submit", args=[visit.pk])
    assert "Would this be good enough for my own child? Yes, with reservations" in text_of(check_page(client, visit))


def test_a_submitted_visit_is_not_checked_again(client, senior_leader, visit, placed):
    complete(visit, placed)
    visit.status = VisitStatus.SUBMITTED
    visit.save()
    client.force_login(senior_leader)
    response = client.get(reverse("visits:submit", args=[visit.pk]), follow=True)
    assert "This visit has been submitted" in text_of(response)
    assert response.redirect_chain[-1][0] == visit.get_absolute_url()


def test_those_who_only_read_visits_cannot_check_or_submit_one(client, manager, visit, placed):
    complete(visit, placed)
    client.force_login(manager)
    assert check_page(client, visit).status_code == 403
    assert client.post(reverse("visits:submit", args=[visit.pk])).status_code == 403
    visit.refresh_from_db()
    assert visit.status == VisitStatus.DRAFT
