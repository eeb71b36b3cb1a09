"""Versions of the visit template: starting a draft copies the published version, publishing checks it and
retires the old one, and a visit keeps the version it was started on."""

import pytest
from django.core.exceptions import ValidationError

from tests.factories import UserFactory
from tests.visits.template_versions import _contents, _visit_on
from visits.models import QuestionKind, TemplateQuestion, TemplateStatus, VisitTemplate
from visits.template_versions import ensure_editable, template_current, template_publish, template_start_draft

pytestmark = pytest.mark.django_db


def test_the_current_template_is_the_published_version(v1):
    assert template_current() == v1
    assert v1.status == TemplateStatus.PUBLISHED


def test_starting_a_draft_copies_every_section_and_question_of_the_published_version(v1, draft):
    assert draft.version == 2
    assert draft.status == TemplateStatus.DRAFT
    assert _contents(draft) == _contents(v1)
    assert draft.sections.count() == 10
    assert TemplateQuestion.objects.filter(section__template=draft).count() == 21
    assert {s.special for s in draft.sections.all()} == {s.special for s in v1.sections.all()}
    # Copies, not the same rows.
    assert not draft.sections.filter(pk__in=v1.sections.values("pk")).exists()


def test_only_one_draft_at_a_time(draft):
    again = template_start_draft(by=UserFactory())

    assert again == draft
    assert VisitTemplate.objects.filter(status=TemplateStatus.DRAFT).count() == 1


def test_editing_the_draft_does_not_change_the_published_version(v1, draft):
    before = _contents(v1)
    section = draft.sections.get(number=3)
    section.title = "The home, the area and the neighbourhood"
    section.save()
    section.questions.get(number=1).delete()
    TemplateQuestion.objects.create(section=section, number=9, text="Is there a garden?", kind=QuestionKind.YES_NO)

    assert _contents(v1) == before
    assert _contents(draft) != before


def test_publishing_retires_the_old_version_and_publishes_the_new_one(administrator, v1, draft):
    published = template_publish(template=draft, by=administrator)

    v1.refresh_from_db()
    assert v1.status == TemplateStatus.RETIRED
    assert published.status == TemplateStatus.PUBLISHED
    assert published.published_by == administrator
    assert published.published_at is not None
    assert template_current() == draft
    assert not VisitTemplate.objects.filter(status=TemplateStatus.DRAFT).exists()


def test_only_a_draft_can_be_published(administrator, v1):
    with pytest.raises(ValidationError, match="Only a draft can be published: version 1 is published"):
        template_publish(template=v1, by=administrator)

    v1.refresh_from_db()
    assert v1.status == TemplateStatus.PUBLISHED


def test_a_visit_keeps_the_version_it_was_started_on(administrator, v1, draft):
    visit = _visit_on(v1)
    before = _contents(v1)
    section = draft.sections.get(number=3)
    section.title = "Where the young person lives"
    section.save()
    TemplateQuestion.objects.create(section=section, number=6, text="Is there somewhere quiet to study?")

    template_publish(template=draft, by=administrator)

    visit.refresh_from_db()
    assert visit.template == v1
    assert _contents(visit.template) == before
    assert visit.template.sections.get(number=3).title == "The home and the area"
    assert template_current() == draft
    assert template_current().sections.get(number=3).questions.count() == 6


def test_a_published_or_retired_version_cannot_be_edited(administrator, v1, draft):
    with pytest.raises(ValidationError, match="Version 1 is published"):
        ensure_editable(v1)
    ensure_editable(draft)

    stale = VisitTemplate.objects.get(pk=draft.pk)
    template_publish(template=draft, by=administrator)
    # The instance still says "draft"; the database does not.
    with pytest.raises(ValidationError, match="Version 2 is published"):
        ensure_editable(stale)
    with pytest.raises(ValidationError, match="Version 1 is retired"):
        ensure_editable(v1)


def test_a_choice_question_with_fewer_than_two_choices_is_refused_and_nothing_changes(administrator, v1, draft):
    section = draft.sections.get(number=5)
    TemplateQuestion.objects.create(
        section=section, number=6, text="How often do staff change?", kind=QuestionKind.CHOICE, choices=["Often"]
    )

    with pytest.raises(ValidationError) as refused:
        template_publish(template=draft, by=administrator)

    assert refused.value.messages == [
        'Question 5.6 ("How often do staff change?") is a choice question with fewer than two choices: give at least two.'
    ]
    v1.refresh_from_db()
    draft.refresh_from_db()
    assert (v1.status, draft.status) == (TemplateStatus.PUBLISHED, TemplateStatus.DRAFT)
    assert draft.published_at is None


def test_a_draft_without_the_recommendations_section_is_refused_and_nothing_changes(administrator, v1, draft):
    draft.sections.get(special="recommendations").delete()

    with pytest.raises(ValidationError) as refused:
        template_publish(template=draft, by=administrator)

    assert refused.value.messages == [
        'The "Recommendations" section is missing: the visit pages rely on it. '
        'Give one section the special role "Recommendations".'
    ]
    v1.refresh_from_db()
    draft.refresh_from_db()
    assert (v1.status, draft.status) == (TemplateStatus.PUBLISHED, TemplateStatus.DRAFT)


def test_a_special_section_given_twice_is_refused(administrator, draft):
    draft.sections.filter(number=7).update(special="overall")

    with pytest.raises(ValidationError, match='Only one section can be the "Overall judgement" section'):
        template_publish(template=draft, by=administrator)


def test_a_draft_without_sections_is_refused(administrator, draft):
    draft.sections.all().delete()

    with pytest.raises(ValidationError, match="The template has no sections"):
        template_publish(template=draft, by=administrator)
