"""Administrators edit the visit template in the portal: a draft's sections and questions added, moved,
changed and removed, previewed as a visitor sees them, and published; visits keep the version they were
started on, and every other role is refused."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import VisitFactory
from tests.pages import form_values, heading, text_of
from tests.visits.template_versions import _contents
from visits.models import TemplateStatus, Visit, VisitTemplate
from visits.template_versions import template_current

pytestmark = pytest.mark.django_db


def _titles(template):
    return [section.title for section in template.sections.order_by("number")]


def _questions(section):
    return [question.text for question in section.questions.order_by("number")]


def _in_a_week() -> list[str]:
    """A week today, as typed in the date input's day, month and year boxes."""
    day = timezone.localdate() + timedelta(days=7)
    return [str(day.day), str(day.month), str(day.year)]


def _post_form(client, url, changes):
    """Post the form on `url` as shown, with `changes` made to it (as a person filling it in)."""
    data = form_values(client.get(url), "")
    data.update(changes)
    return client.post(url, data)


def test_an_administrator_makes_a_draft_from_the_published_version(client, administrator, v1):
    client.force_login(administrator)
    page = client.get(reverse("visits:template_list"))
    assert heading(page) == "Visit template"
    assert "Version 1 Published" in text_of(page)

    response = client.post(reverse("visits:template_start_draft"), follow=True)

    draft = VisitTemplate.objects.get(status=TemplateStatus.DRAFT)
    assert response.redirect_chain[-1][0] == reverse("visits:template_version", args=[draft.pk])
    assert heading(response) == "Version 2 Draft"
    assert "Version 2 started as a copy of the published version" in text_of(response)
    assert _contents(draft) == _contents(v1)


def test_an_administrator_adds_a_section_where_they_choose_and_a_question_to_it(client, administrator, draft):
    client.force_login(administrator)
    safeguarding = draft.sections.get(number=7)

    add_section = reverse("visits:template_section_add", args=[draft.pk])
    page = client.get(add_section)
    # Unless told otherwise, a new section goes before the overall judgement that closes the report.
    assert form_values(page, "")["after"] == [str(safeguarding.pk)]
    response = _post_form(
        client, add_section, {"title": "Education at the home", "guidance": "Where and how they study"}
    )

    section = draft.sections.get(title="Education at the home")
    assert response["Location"] == reverse("visits:template_version", args=[draft.pk]) + f"#section-{section.pk}"
    assert section.number == 8
    assert _titles(draft)[6:10] == ["Safeguarding", "Education at the home", "Overall", "Recommendations"]

    add_question = reverse("visits:template_question_add", args=[section.pk])
    _post_form(
        client,
        add_question,
        {
            "text": "Is there a quiet place to study?",
            "help_text": "A desk, light, somewhere without the television",
            "kind": "choice",
            "choices": "Yes, their own room\r\nYes, a shared space\r\n\r\nNo",
            "required": "no",
        },
    )

    question = section.questions.get()
    assert (question.number, question.kind, question.required) == (1, "choice", False)
    assert question.choices == ["Yes, their own room", "Yes, a shared space", "No"]
    shown = text_of(client.get(reverse("visits:template_version", args=[draft.pk])))
    assert "8.1 Is there a quiet place to study? Choice: Yes, their own room, Yes, a shared space, No Optional" in shown


def test_a_mistake_in_a_question_is_shown_beside_its_field_and_the_text_is_kept(client, administrator, draft):
    client.force_login(administrator)
    section = draft.sections.get(number=3)
    url = reverse("visits:template_question_add", args=[section.pk])

    response = _post_form(client, url, {"text": "How is the garden kept?", "kind": "choice", "choices": "Well"})

    assert response.status_code == 200
    assert heading(response) == "Add a question"
    html = response.content.decode()
    assert 'id="id_choices_1_error"' in html
    assert "Enter at least two choices, one a line" in text_of(response)
    assert form_values(response, "")["text"] == ["How is the garden kept?"]
    assert form_values(response, "")["choices"] == ["Well"]
    assert _questions(section) == _questions(template_current().sections.get(number=3))


def test_an_administrator_reorders_sections_and_questions_with_buttons(client, administrator, draft):
    client.force_login(administrator)
    views = draft.sections.get(number=4)
    care = draft.sections.get(number=5)

    response = client.post(reverse("visits:template_section_move", args=[views.pk]), {"direction": "down"}, follow=True)

    assert "“Young people's views, in their own words” moved down: it was section 4, now 5" in text_of(response)
    views.refresh_from_db()
    care.refresh_from_db()
    assert (care.number, views.number) == (4, 5)

    security = care.questions.get(text="Relationships between staff and young people")
    client.post(reverse("visits:template_question_move", args=[security.pk]), {"direction": "up"})
    assert _questions(care)[:2] == [
        "Relationships between staff and young people",
        "How well staff know each young person's needs",
    ]
    # The first cannot go further up: nothing changes, and the page says why.
    response = client.post(
        reverse("visits:template_section_move", args=[draft.sections.get(number=1).pk]),
        {"direction": "up"},
        follow=True,
    )
    assert "“About the visit” is already the first section" in text_of(response)
    assert _titles(draft)[:5] == [
        "About the visit",
        "Who we met and what we saw",
        "The home and the area",
        "Care, support and staff",
        "Young people's views, in their own words",
    ]


def test_each_section_and_question_has_move_buttons_named_for_screen_readers(client, administrator, draft):
    client.force_login(administrator)
    html = client.get(reverse("visits:template_version", args=[draft.pk])).content.decode()
    assert 'Move down<span class="govuk-visually-hidden"> section 1, About the visit</span>' in html
    assert 'Move up<span class="govuk-visually-hidden"> question 3.2</span>' in html
    # The first section has nowhere to go up to, the last nowhere down to.
    assert 'Move up<span class="govuk-visually-hidden"> section 1,' not in html
    assert 'Move down<span class="govuk-visually-hidden"> section 10,' not in html


def test_an_administrator_changes_and_removes_a_section_and_a_question(client, administrator, draft):
    client.force_login(administrator)
    section = draft.sections.get(number=3)
    _post_form(
        client,
        reverse("visits:template_section_edit", args=[section.pk]),
        {"title": "Where the young person lives"},
    )
    section.refresh_from_db()
    assert section.title == "Where the young person lives"

    amenities = section.questions.get(number=3)
    _post_form(client, reverse("visits:template_question_edit", args=[amenities.pk]), {"kind": "yes_no"})
    amenities.refresh_from_db()
    assert (amenities.text, amenities.kind) == ("Amenities nearby", "yes_no")

    confirm = client.get(reverse("visits:template_question_remove", args=[amenities.pk]))
    assert heading(confirm) == "Remove question 3.3?"
    client.post(reverse("visits:template_question_remove", args=[amenities.pk]))
    assert [q.number for q in section.questions.order_by("number")] == [1, 2, 3, 4]
    assert "Amenities nearby" not in _questions(section)

    confirm = client.get(reverse("visits:template_section_remove", args=[section.pk]))
    assert "Its 4 questions go with it" in text_of(confirm)
    client.post(reverse("visits:template_section_remove", args=[section.pk]))
    assert "Where the young person lives" not in _titles(draft)
    assert [s.number for s in draft.sections.order_by("number")] == list(range(1, 10))
    # The published version is as it was.
    assert "The home and the area" in _titles(template_current())


def test_a_section_the_visit_pages_rely_on_cannot_be_removed(client, administrator, draft):
    client.force_login(administrator)
    overall = draft.sections.get(special="overall")

    page = client.get(reverse("visits:template_section_remove", args=[overall.pk]))
    assert "cannot be removed: the visit pages rely on it" in text_of(page)
    assert "Remove the section" not in text_of(page)
    client.post(reverse("visits:template_section_remove", args=[overall.pk]))

    assert draft.sections.filter(pk=overall.pk).exists()


def test_the_preview_shows_a_section_as_a_visitor_writing_up_a_visit_sees_it(
    client, administrator, senior_leader, draft
):
    client.force_login(administrator)
    section = draft.sections.get(number=7)
    _post_form(
        client,
        reverse("visits:template_question_add", args=[section.pk]),
        {"text": "Who was told, and when?", "help_text": "Names and roles", "kind": "long_text", "required": "yes"},
    )

    preview = client.get(reverse("visits:template_preview", args=[draft.pk, 7]))
    assert heading(preview) == "7. Safeguarding"
    html = preview.content.decode()
    assert "Nothing you enter here is saved" in text_of(preview)
    about = text_of(client.get(reverse("visits:template_preview", args=[draft.pk, 1])))
    # The same fields a visitor fills in: a yes/no question as radios, a long answer as a text area.
    client.force_login(senior_leader)
    visit = VisitFactory(template=template_current(), lead_visitor=senior_leader)
    write_up = client.get(reverse("visits:section", args=[visit.pk, 7]))
    for label in ("Did anything need action on the day?", "What needed action, and what was done"):
        assert label in text_of(preview)
        assert label in text_of(write_up)
    assert html.count('type="radio"') == 2
    assert '<textarea name="q' in html
    assert "Who was told, and when?" in text_of(preview)
    assert "Next section : 8. Overall" in text_of(preview)  # its link, named for screen readers
    assert reverse("visits:template_preview", args=[draft.pk, 8]) in html
    # The visit's own details are previewed in the sections that ask for them.
    assert "Lead visitor's role" in about
    assert "How the visit was arranged" in about


def test_publishing_a_draft_gives_new_visits_the_new_questions_and_earlier_visits_keep_theirs(
    client, administrator, senior_leader, provider, v1, draft
):
    earlier = VisitFactory(provider=provider, lead_visitor=senior_leader)
    client.force_login(administrator)
    section = draft.sections.get(number=3)
    _post_form(
        client,
        reverse("visits:template_question_add", args=[section.pk]),
        {"text": "Is the garden safe to play in?", "kind": "yes_no", "required": "yes"},
    )
    old_question = section.questions.get(text="Security")
    client.post(reverse("visits:template_question_remove", args=[old_question.pk]))

    check = client.get(reverse("visits:template_publish", args=[draft.pk]))
    assert heading(check) == "Check and publish version 2"
    shown = text_of(check)
    assert "New question 3.5: “Is the garden safe to play in?”" in shown
    assert "Question “Security” is removed from section 3, “The home and the area”" in shown

    response = _post_form(
        client, reverse("visits:template_publish", args=[draft.pk]), {"notes": "A question about the garden"}
    )
    assert response["Location"] == reverse("visits:template_list")
    draft.refresh_from_db()
    v1.refresh_from_db()
    assert (draft.status, draft.notes, draft.published_by) == (
        "published",
        "A question about the garden",
        administrator,
    )
    assert v1.status == TemplateStatus.RETIRED

    client.force_login(senior_leader)
    plan = reverse("visits:visit_plan")
    _post_form(
        client,
        plan,
        {
            "provider": str(provider.pk),
            **dict(zip(("planned_date_day", "planned_date_month", "planned_date_year"), _in_a_week(), strict=True)),
            "lead_visitor": str(senior_leader.pk),
            "lead_visitor_role": "Head of Service",
            "how_arranged": "announced",
            "reasons": ["number"],
        },
    )
    later = Visit.objects.exclude(pk=earlier.pk).get()
    assert later.template == draft

    later_page = text_of(client.get(reverse("visits:section", args=[later.pk, 3])))
    assert "Is the garden safe to play in?" in later_page
    assert "Security" not in later_page
    earlier_page = text_of(client.get(reverse("visits:section", args=[earlier.pk, 3])))
    assert "Security" in earlier_page
    assert "Is the garden safe to play in?" not in earlier_page


def test_a_draft_that_would_break_the_visit_pages_is_not_published(client, administrator, v1, draft):
    client.force_login(administrator)
    section = draft.sections.get(number=3)
    question = section.questions.get(number=4)
    # A choice question left with one choice (as a database edit could): the check page says so.
    question.kind, question.choices = "choice", ["Only one"]
    question.save()

    page = client.get(reverse("visits:template_publish", args=[draft.pk]))
    assert "Version 2 cannot be published yet" in text_of(page)
    assert "with fewer than two choices" in text_of(page)
    client.post(reverse("visits:template_publish", args=[draft.pk]), {"notes": "Trying"})

    draft.refresh_from_db()
    assert draft.status == TemplateStatus.DRAFT
    assert template_current() == v1


def test_the_published_version_is_never_changed(client, administrator, v1, draft):
    client.force_login(administrator)
    section = v1.sections.get(number=3)
    question = section.questions.get(number=1)
    page = client.get(reverse("visits:template_version", args=[v1.pk]))
    assert "Version 1 cannot be changed: visits rely on it" in text_of(page)
    assert reverse("visits:template_section_edit", args=[section.pk]) not in page.content.decode()

    for url, data in [
        (reverse("visits:template_section_edit", args=[section.pk]), {"title": "Changed"}),
        (reverse("visits:template_section_remove", args=[section.pk]), {}),
        (reverse("visits:template_section_move", args=[section.pk]), {"direction": "down"}),
        (reverse("visits:template_question_add", args=[section.pk]), {"text": "New", "kind": "long_text"}),
        (reverse("visits:template_question_edit", args=[question.pk]), {"text": "Changed"}),
        (reverse("visits:template_question_remove", args=[question.pk]), {}),
        (reverse("visits:template_publish", args=[v1.pk]), {"notes": "Again"}),
    ]:
        assert client.post(url, data).status_code == 403, url
    assert _contents(v1) == _contents(draft)


def test_the_same_form_posted_twice_adds_one_section(client, administrator, draft):
    client.force_login(administrator)
    url = reverse("visits:template_section_add", args=[draft.pk])
    data = form_values(client.get(url), "")
    data["title"] = "Education at the home"

    first = client.post(url, data)
    second = client.post(url, data, follow=True)

    assert draft.sections.filter(title="Education at the home").count() == 1
    assert second.redirect_chain[-1][0] == first["Location"]
    assert "This was already saved" in text_of(second)


@pytest.mark.parametrize(
    "user_with_role",
    ["qa_lead", "senior_leader", "commissioning_officer", "manager", "social_worker", "provider_user"],
    indirect=True,
)
def test_every_other_role_is_refused_the_editor(client, user_with_role, draft):
    client.force_login(user_with_role)
    section = draft.sections.get(number=3)
    for url in [
        reverse("visits:template_list"),
        reverse("visits:template_version", args=[draft.pk]),
        reverse("visits:template_preview", args=[draft.pk, 3]),
        reverse("visits:template_section_add", args=[draft.pk]),
        reverse("visits:template_question_add", args=[section.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 403, url
        assert heading(response) == "You cannot do this"
    assert client.post(reverse("visits:template_section_remove", args=[section.pk])).status_code == 403
    assert draft.sections.filter(pk=section.pk).exists()
