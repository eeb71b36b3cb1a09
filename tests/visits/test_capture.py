"""Writing up a visit: section pages, autosave, and never overwriting a colleague silently."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from qa_portal.roles import Role
from tests.factories import UserFactory
from tests.pages import heading, text_of
from visits.models import Answer, TemplateQuestion

pytestmark = pytest.mark.django_db


def question(visit, section_number, index=0):
    return TemplateQuestion.objects.filter(
        section__template=visit.template, section__number=section_number, kind="long_text"
    )[index]


def autosave(client, visit, number, fields):
    return client.post(
        reverse("visits:autosave", args=[visit.pk, number]),
        json.dumps({"fields": fields}),
        content_type="application/json",
    )


def test_a_senior_leader_plans_a_visit_on_the_published_template(client, senior_leader, provider):
    client.force_login(senior_leader)
    response = client.post(
        reverse("visits:visit_plan"),
        {
            "provider": provider.pk,
            "planned_date": "01/12/2026",
            "lead_visitor": senior_leader.pk,
            "lead_visitor_role": "Assistant Director",
            "how_arranged": "announced",
            "reasons": ["vulnerability", "high_cost"],
            "young_inspectors": "2",
        },
    )
    visit = provider.visits.get()
    assert response.url == visit.get_absolute_url()
    assert (visit.template.version, visit.status, visit.young_inspectors) == (1, "draft", 2)
    assert visit.events.get().step == "planned"


def test_planning_refuses_bad_input_beside_the_field(client, senior_leader, provider):
    client.force_login(senior_leader)
    response = client.post(
        reverse("visits:visit_plan"),
        {"provider": provider.pk, "planned_date": "32/13/2026", "lead_visitor_role": "AD", "reasons": ["other"]},
    )
    assert "Enter a real date in the format dd/mm/yyyy" in response.text
    assert "Say what the other reason was" in response.text
    assert 'value="AD"' in response.text


def test_a_section_page_saves_answers(client, senior_leader, visit):
    client.force_login(senior_leader)
    q = question(visit, 3)
    response = client.post(
        reverse("visits:section", args=[visit.pk, 3]), {f"q{q.pk}": "Freshly painted", f"q{q.pk}__base": ""}
    )
    assert response.status_code == 302
    assert Answer.objects.get(visit=visit, question=q).text == "Freshly painted"


@pytest.mark.parametrize("how", ["page", "autosave"])
def test_a_first_answer_posted_with_a_base_the_page_never_showed_is_saved_not_a_500(client, senior_leader, visit, how):
    # No one has answered yet, so there is nobody's text to overwrite, whatever base was posted.
    client.force_login(senior_leader)
    q = question(visit, 3)
    if how == "page":
        response = client.post(
            reverse("visits:section", args=[visit.pk, 3]), {f"q{q.pk}": "Freshly painted", f"q{q.pk}__base": "on"}
        )
        assert response.status_code == 302
    else:
        response = autosave(client, visit, 3, {f"q{q.pk}": {"base": "on", "value": "Freshly painted"}})
        assert response.status_code == 200
    assert Answer.objects.get(visit=visit, question=q).text == "Freshly painted"


def test_autosave_saves_typed_text(client, senior_leader, visit):
    client.force_login(senior_leader)
    q = question(visit, 4)
    response = autosave(client, visit, 4, {f"q{q.pk}": {"base": "", "value": "I feel safe here"}})
    assert response.status_code == 200
    assert response.json()["saved"] == {f"q{q.pk}": "I feel safe here"}
    assert Answer.objects.get(question=q).updated_by == senior_leader


def test_a_second_save_based_on_an_old_version_is_refused_and_both_texts_kept(client, senior_leader, visit):
    colleague = UserFactory(role=Role.SENIOR_LEADER, full_name="Ada Colleague")
    q = question(visit, 4)
    client.force_login(colleague)
    autosave(client, visit, 4, {f"q{q.pk}": {"base": "", "value": "Their words"}})
    client.force_login(senior_leader)
    response = autosave(client, visit, 4, {f"q{q.pk}": {"base": "", "value": "My words"}})
    assert response.status_code == 409
    conflict = response.json()["conflicts"][f"q{q.pk}"]
    assert conflict["theirs"] == "Their words"
    assert "Ada Colleague saved a different version" in conflict["message"]
    assert Answer.objects.get(question=q).text == "Their words"

    # Having seen theirs, the visitor combines them and saves on top of it.
    response = autosave(client, visit, 4, {f"q{q.pk}": {"base": "Their words", "value": "Their words. My words"}})
    assert response.status_code == 200
    assert Answer.objects.get(question=q).text == "Their words. My words"


def test_a_conflict_on_the_page_shows_both_versions_and_keeps_mine(client, senior_leader, visit):
    colleague = UserFactory(role=Role.QA_LEAD, full_name="Ada Colleague")
    q = question(visit, 5)
    client.force_login(colleague)
    autosave(client, visit, 5, {f"q{q.pk}": {"base": "", "value": "Their words"}})
    client.force_login(senior_leader)
    response = client.post(
        reverse("visits:section", args=[visit.pk, 5]), {f"q{q.pk}": "My words", f"q{q.pk}__base": ""}
    )
    assert response.status_code == 200
    assert "Ada Colleague saved a different version" in response.text
    assert "Their words" in response.text
    assert "My words</textarea>" in response.text
    assert f'id="conflict-q{q.pk}"' in response.text
    assert "Which version do you want to keep?" in response.text


def test_the_visit_fields_of_a_section_are_compared_too(client, senior_leader, visit):
    client.force_login(senior_leader)
    autosave(client, visit, 2, {"spaces_seen": {"base": "", "value": "Kitchen"}})
    response = autosave(client, visit, 2, {"spaces_seen": {"base": "", "value": "Lounge"}})
    assert response.status_code == 409
    visit.refresh_from_db()
    assert visit.spaces_seen == "Kitchen"


def test_young_people_met_are_chosen_from_those_placed_there(client, senior_leader, visit, placed):
    client.force_login(senior_leader)
    page = client.get(reverse("visits:section", args=[visit.pk, 2]))
    assert "JB, aged" in page.text
    assert "7100001" not in page.text  # initials only
    response = client.post(
        reverse("visits:section", args=[visit.pk, 2]),
        {
            "young_people_met": [placed[0].pk],
            "young_people_met__base": "",
            "others_spoken_to": "3",
            "others_spoken_to__base": "0",
        },
    )
    assert response.status_code == 302
    assert list(visit.young_people_met.all()) == [placed[0]]


def test_a_bad_number_is_refused_beside_the_field_and_the_rest_saved(client, senior_leader, visit):
    client.force_login(senior_leader)
    response = client.post(
        reverse("visits:section", args=[visit.pk, 2]),
        {"others_spoken_to": "lots", "others_spoken_to__base": "0", "spaces_seen": "Garden", "spaces_seen__base": ""},
    )
    assert "Enter a whole number, like 2" in response.text
    assert 'value="lots"' in response.text
    visit.refresh_from_db()
    assert visit.spaces_seen == "Garden"


def test_a_visit_date_in_the_future_is_refused(client, senior_leader, visit):
    client.force_login(senior_leader)
    response = client.post(
        reverse("visits:section", args=[visit.pk, 1]),
        {
            "visit_date": f"{timezone.localdate() + timedelta(days=1):%d/%m/%Y}",
            "visit_date__base": "",
            "planned_date": visit.planned_date.strftime("%d/%m/%Y"),
        },
    )
    assert "The date of the visit cannot be in the future" in response.text
    # A year no date can have is refused as every date field refuses it (qa_portal.dates).
    response = client.post(
        reverse("visits:section", args=[visit.pk, 1]),
        {"visit_date": "01/01/2099", "visit_date__base": "", "planned_date": visit.planned_date.strftime("%d/%m/%Y")},
    )
    assert f"Enter a year up to {timezone.localdate().year + 10}" in response.text


def test_a_manager_can_read_but_not_write(client, manager, visit):
    visit.answers.create(question=question(visit, 3), text="The garden is well kept")
    client.force_login(manager)
    page = client.get(reverse("visits:section", args=[visit.pk, 3]))
    assert heading(page) == "3. The home and the area"
    assert "The garden is well kept" in text_of(page)
    assert "<textarea" not in page.text
    assert client.post(reverse("visits:section", args=[visit.pk, 3]), {}).status_code == 403
    assert autosave(client, visit, 3, {}).status_code == 403


def test_autosave_refuses_garbage(client, senior_leader, visit):
    client.force_login(senior_leader)
    response = client.post(reverse("visits:autosave", args=[visit.pk, 3]), "not json", content_type="application/json")
    assert response.status_code == 400


def test_a_yes_or_no_answer_is_saved(client, senior_leader, visit):
    client.force_login(senior_leader)
    q = TemplateQuestion.objects.get(section__template=visit.template, section__number=7, kind="yes_no")
    page = client.get(reverse("visits:section", args=[visit.pk, 7]))
    assert f'name="q{q.pk}_choice"' in page.text
    response = client.post(
        reverse("visits:section", args=[visit.pk, 7]), {f"q{q.pk}_choice": "no", f"q{q.pk}_choice__base": ""}
    )
    assert response.status_code == 302
    assert Answer.objects.get(question=q).choice == "no"


def test_line_breaks_posted_by_a_browser_are_not_mistaken_for_a_colleagues_change(client, senior_leader, visit):
    client.force_login(senior_leader)
    q = question(visit, 4)
    # A plain form post sends CRLF; the page then shows (and autosave later sends) LF.
    client.post(
        reverse("visits:section", args=[visit.pk, 4]), {f"q{q.pk}": "Line one\r\nLine two", f"q{q.pk}__base": ""}
    )
    response = autosave(
        client, visit, 4, {f"q{q.pk}": {"base": "Line one\nLine two", "value": "Line one\nLine two\nThree"}}
    )
    assert response.status_code == 200
    assert Answer.objects.get(question=q).text == "Line one\nLine two\nThree"
