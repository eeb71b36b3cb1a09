"""Versions of the visit template: start a draft, check it, publish it.

There is always one published version (new visits use it), at most one draft (what the
administrators are editing) and any number of retired versions. A visit keeps the version
it was started on, so published and retired versions are never edited: a change means a
new draft, copied from the published version, which replaces it when published.

Locks are always taken draft first, then published, so two of these workflows running at
once wait for each other instead of deadlocking.
"""

import logging
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Prefetch
from django.utils import timezone

from visits.models import QuestionKind, TemplateQuestion, TemplateSection, TemplateStatus, VisitTemplate

logger = logging.getLogger(__name__)

# The visit pages build these sections from the visit itself rather than from questions,
# so every published version must have each of them exactly once.
SPECIAL_SECTIONS = dict(TemplateSection._meta.get_field("special").choices)
# Except this one, which a version may lack: the section of young people's views where visitors mark
# what a young person asked for ("You said, we did", issue 17) came after the template, and a version
# whose views section had been renamed before then has none (the editor gives no section a role).
OPTIONAL_SPECIAL_SECTIONS = {"views"}


def template_current() -> VisitTemplate:
    """The published version: the one new visits are started on."""
    return VisitTemplate.objects.get(status=TemplateStatus.PUBLISHED)


def ensure_editable(template: VisitTemplate) -> None:
    """Refuse (ValidationError) unless the template is still a draft.

    Reads the status from the database, not the instance, and inside a transaction locks
    the row until it commits, so the draft cannot be published halfway through an edit.
    """
    with transaction.atomic():
        status = (
            VisitTemplate.objects.select_for_update().filter(pk=template.pk).values_list("status", flat=True).first()
        )
    if status != TemplateStatus.DRAFT:
        label = TemplateStatus(status).label.lower() if status else "gone"
        raise ValidationError(
            f"Version {template.version} is {label}: visits rely on it, so it cannot be changed. "
            "Start a new draft to make changes.",
            code="not_editable",
        )


@transaction.atomic
def template_start_draft(*, by) -> VisitTemplate:
    """The draft to edit: the existing one, or a new one copied from the published version.

    The copy has every section and question of the published version, with the same numbers,
    wording and special sections, and the next version number.
    """
    draft = VisitTemplate.objects.filter(status=TemplateStatus.DRAFT).first()
    if draft is not None:
        return draft

    # Locking the published version makes a second administrator's click wait here and
    # then find the draft this one created, rather than fail on the one-draft constraint.
    published = (
        VisitTemplate.objects.select_for_update()
        .filter(status=TemplateStatus.PUBLISHED)
        .prefetch_related(
            Prefetch(
                "sections",
                queryset=TemplateSection.objects.order_by("number").prefetch_related(
                    Prefetch("questions", queryset=TemplateQuestion.objects.order_by("number"))
                ),
            )
        )
        .first()
    )
    draft = VisitTemplate.objects.filter(status=TemplateStatus.DRAFT).first()
    if draft is not None:
        return draft

    latest = VisitTemplate.objects.aggregate(latest=Max("version"))["latest"] or 0
    draft = VisitTemplate(version=latest + 1, status=TemplateStatus.DRAFT)
    draft.full_clean()
    draft.save()
    if published is not None:
        _copy_sections(source=published, target=draft)
    logger.info("Visit template version %s started by user %s", draft.version, by.pk)
    return draft


@transaction.atomic
def template_discard_draft(*, template: VisitTemplate, by) -> None:
    """Throw the draft away, with its sections and questions: the published version stays as it is,
    and the next draft starts again as a copy of it (and takes the discarded draft's version number).

    Raises ValidationError, and changes nothing, if the template is not (or no longer) a draft, for
    instance because another administrator published it meanwhile. No visit is ever written on a draft.
    """
    locked = VisitTemplate.objects.select_for_update().filter(pk=template.pk).first()
    if locked is None or locked.status != TemplateStatus.DRAFT:
        label = TemplateStatus(locked.status).label.lower() if locked else "gone"
        raise ValidationError(
            f"Only a draft can be discarded: version {template.version} is {label}.", code="not_draft"
        )
    locked.delete()
    logger.info("Visit template version %s (a draft) discarded by user %s", template.version, by.pk)


def _copied(instance, **changes):
    # Every field but the key is copied, so a field added to the model later is not lost.
    fields = {
        field.attname: getattr(instance, field.attname)
        for field in instance._meta.concrete_fields
        if not field.primary_key
    }
    fields.update(changes)
    return type(instance)(**fields)


def _copy_sections(*, source: VisitTemplate, target: VisitTemplate) -> None:
    # The rows copied were valid in a published version, so they are not validated again.
    sections = list(source.sections.all())
    copies = TemplateSection.objects.bulk_create([_copied(section, template_id=target.pk) for section in sections])
    TemplateQuestion.objects.bulk_create(
        [
            _copied(question, section_id=copy.pk)
            for section, copy in zip(sections, copies, strict=True)
            for question in section.questions.all()
        ]
    )


def template_publish_problems(*, template: VisitTemplate) -> list[str]:
    """What stops this version being published, in words an administrator can act on."""
    sections = list(
        template.sections.order_by("number").prefetch_related(
            Prefetch("questions", queryset=TemplateQuestion.objects.order_by("number"))
        )
    )
    if not sections:
        return ["The template has no sections: add at least one."]

    problems = []
    for number, count in Counter(section.number for section in sections).items():
        if count > 1:
            problems.append(f"{count} sections are numbered {number}: give each section its own number.")
    for section in sections:
        questions = list(section.questions.all())
        for number, count in Counter(question.number for question in questions).items():
            if count > 1:
                problems.append(
                    f"Section {section.number} ({section.title}) has {count} questions numbered {number}: "
                    "give each question its own number."
                )
        for question in questions:
            choices = {choice.strip() for choice in question.choices if choice.strip()}
            if question.kind == QuestionKind.CHOICE and len(choices) < 2:
                problems.append(
                    f'Question {section.number}.{question.number} ("{question.text}") is a choice question '
                    "with fewer than two choices: give at least two."
                )

    specials = Counter(section.special for section in sections if section.special)
    for special, label in SPECIAL_SECTIONS.items():
        if specials[special] == 0 and special not in OPTIONAL_SPECIAL_SECTIONS:
            problems.append(
                f'The "{label}" section is missing: the visit pages rely on it. '
                f'Give one section the special role "{label}".'
            )
        elif specials[special] > 1:
            numbers = ", ".join(str(s.number) for s in sections if s.special == special)
            problems.append(
                f'Only one section can be the "{label}" section, but sections {numbers} all are: '
                "the visit pages rely on there being exactly one."
            )
    return problems


@transaction.atomic
def template_publish(*, template: VisitTemplate, by, notes: str | None = None) -> VisitTemplate:
    """Publish a draft: new visits use it from now on, and the version it replaces is retired.
    `notes`, when given, says what changed in this version (kept with it).

    Raises ValidationError, and changes nothing, if the template is not a draft or fails the
    checks in `template_publish_problems`. Visits already started keep their own version.
    """
    # Draft first, then published: the order every workflow here locks in.
    locked = VisitTemplate.objects.select_for_update().filter(pk=template.pk).first()
    if locked is None or locked.status != TemplateStatus.DRAFT:
        label = TemplateStatus(locked.status).label.lower() if locked else "gone"
        raise ValidationError(
            f"Only a draft can be published: version {template.version} is {label}.", code="not_draft"
        )
    problems = template_publish_problems(template=locked)
    if problems:
        raise ValidationError(problems)

    previous = VisitTemplate.objects.select_for_update().filter(status=TemplateStatus.PUBLISHED).first()
    # At most one published version may exist at any moment, so retire before publishing.
    if previous is not None:
        previous.status = TemplateStatus.RETIRED
        previous.full_clean()
        previous.save(update_fields=["status"])

    locked.status = TemplateStatus.PUBLISHED
    locked.published_at = timezone.now()
    locked.published_by = by
    if notes is not None:
        locked.notes = notes
    locked.full_clean()
    locked.save(update_fields=["status", "published_at", "published_by", "notes"])
    logger.info(
        "Visit template version %s published by user %s, retiring version %s",
        locked.version,
        by.pk,
        previous.version if previous else None,
    )
    return locked


@dataclass
class TemplateChanges:
    """What a version changes from another, each a sentence for the administrator publishing it."""

    sections: list[str] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.sections or self.questions)


def _contents(template: VisitTemplate) -> list[TemplateSection]:
    return list(
        template.sections.order_by("number").prefetch_related(
            Prefetch("questions", queryset=TemplateQuestion.objects.order_by("number"))
        )
    )


def _in_a_new_order(old_keys: list, new_keys: list) -> bool:
    """Whether the items both lists hold are in a different order (not merely shifted by others)."""
    common = set(old_keys) & set(new_keys)
    return [k for k in old_keys if k in common] != [k for k in new_keys if k in common]


def template_changes(*, old: VisitTemplate, new: VisitTemplate) -> TemplateChanges:
    """What `new` changes from `old` (usually the draft from the published version): sections and
    questions added, removed, reworded or reordered. A section is the same section in both when it has
    the same special role, or else the same title; a question when it has the same wording."""

    def key(section):
        return ("special", section.special) if section.special else ("title", section.title)

    before = {key(s): s for s in _contents(old)}
    after = {key(s): s for s in _contents(new)}
    changes = TemplateChanges()
    for k, section in after.items():
        if k not in before:
            changes.sections.append(f"Section {section.number}, “{section.title}”, is new")
    for k, section in before.items():
        if k not in after:
            changes.sections.append(f"Section “{section.title}” is removed")
    if _in_a_new_order(list(before), list(after)):
        changes.sections.append("The sections are in a new order")
    for k, section in after.items():
        old_section = before.get(k)
        if old_section is None:
            continue
        if old_section.title != section.title:
            changes.sections.append(f"Section “{old_section.title}” is now called “{section.title}”")
        if old_section.guidance != section.guidance:
            changes.sections.append(f"The guidance of section {section.number}, “{section.title}”, is changed")
        old_questions = {q.text: q for q in old_section.questions.all()}
        new_questions = {q.text: q for q in section.questions.all()}
        where = f"section {section.number}, “{section.title}”"
        for text, question in new_questions.items():
            old_question = old_questions.get(text)
            if old_question is None:
                changes.questions.append(f"New question {section.number}.{question.number}: “{text}”")
            elif (old_question.help_text, old_question.kind, old_question.choices, old_question.required) != (
                question.help_text,
                question.kind,
                question.choices,
                question.required,
            ):
                changes.questions.append(f"Question {section.number}.{question.number}, “{text}”, is changed")
        for text in old_questions:
            if text not in new_questions:
                changes.questions.append(f"Question “{text}” is removed from {where}")
        if _in_a_new_order(list(old_questions), list(new_questions)):
            changes.questions.append(f"The questions of {where} are in a new order")
    return changes
