"""Editing the draft of the visit template: its sections and questions added, changed, moved and removed.

Only a draft is ever changed (DOMAIN.md: "a visit keeps the version it used"; visits.template_versions
keeps published and retired versions as they were). Each workflow first locks the draft and checks it
is still a draft (`ensure_editable`), so a change cannot land in a version published a moment ago,
and two administrators' changes to one draft run one after the other.

Sections are numbered 1, 2, 3… within their version, and questions 1, 2, 3… within their section,
with no gaps: the visit pages and the report number them so. Adding, moving or removing one
renumbers its neighbours. Every workflow raises django.core.exceptions.ValidationError, changing
nothing, when the version is not a draft or the values are not valid.
"""

import logging
from typing import Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from visits.models import QuestionKind, TemplateQuestion, TemplateSection
from visits.template_versions import SPECIAL_SECTIONS, ensure_editable

logger = logging.getLogger(__name__)

Direction = Literal["up", "down"]

# Renumbering moves every sibling out of the way first: numbers are unique within a version (or a
# section), and PostgreSQL checks that row by row, so 2 cannot become 3 while another row is 3.
_OUT_OF_THE_WAY = 1_000


def _renumber(siblings, ordered: list) -> None:
    """Number `ordered` (every row of `siblings`, a queryset) 1, 2, 3… in that order."""
    siblings.update(number=F("number") + _OUT_OF_THE_WAY)
    for number, row in enumerate(ordered, start=1):
        siblings.filter(pk=row.pk).update(number=number)
        row.number = number


def _sections_of(template) -> list[TemplateSection]:
    return list(TemplateSection.objects.filter(template=template).order_by("number"))


def _questions_of(section) -> list[TemplateQuestion]:
    return list(TemplateQuestion.objects.filter(section=section).order_by("number"))


def _moved(rows: list, row, direction: Direction) -> list | None:
    """`rows` with `row` swapped with its neighbour, or None when it is already first (up) or last."""
    index = next(i for i, each in enumerate(rows) if each.pk == row.pk)
    other = index - 1 if direction == "up" else index + 1
    if other < 0 or other >= len(rows):
        return None
    rows = list(rows)
    rows[index], rows[other] = rows[other], rows[index]
    return rows


@transaction.atomic
def template_section_add(*, template, title: str, guidance: str = "", after: TemplateSection | None, by):
    """Add a section of questions to the draft `template`, straight after the section `after` (first
    when None); the sections after it move down one. Returns the new TemplateSection, numbered."""
    ensure_editable(template)
    sections = _sections_of(template)
    if after is not None and after.pk not in {s.pk for s in sections}:
        raise ValidationError({"after": "Choose one of this version's sections"})
    last = sections[-1].number if sections else 0
    section = TemplateSection(template=template, number=last + 1, title=title, guidance=guidance)
    section.full_clean(exclude=["number"], validate_unique=False, validate_constraints=False)
    section.save()
    position = 0 if after is None else next(i for i, s in enumerate(sections) if s.pk == after.pk) + 1
    sections.insert(position, section)
    _renumber(TemplateSection.objects.filter(template=template), sections)
    logger.info("Visit template version %s: section %s added by user %s", template.version, section.pk, by.pk)
    return section


@transaction.atomic
def template_section_change(*, section: TemplateSection, title: str, guidance: str, by) -> TemplateSection:
    """Change a draft section's title and guidance (its special role, if any, stays)."""
    ensure_editable(section.template)
    section.title, section.guidance = title, guidance
    section.full_clean(validate_unique=False, validate_constraints=False)
    section.save(update_fields=["title", "guidance"])
    logger.info("Visit template section %s changed by user %s", section.pk, by.pk)
    return section


def removal_problem(section: TemplateSection) -> str | None:
    """Why this section cannot be removed, in words for the administrator, or None."""
    if section.special:
        return (
            f"The “{SPECIAL_SECTIONS[section.special]}” section cannot be removed: the visit pages rely on it. "
            "You can change its title and guidance, or move it."
        )
    return None


@transaction.atomic
def template_section_remove(*, section: TemplateSection, by) -> None:
    """Remove a section of the draft and its questions; the sections after it move up one. A special
    section (the visit's own details, recommendations, the provider's comments) is refused."""
    ensure_editable(section.template)
    problem = removal_problem(section)
    if problem:
        raise ValidationError(problem, code="special_section")
    template = section.template
    section.delete()
    _renumber(TemplateSection.objects.filter(template=template), _sections_of(template))
    logger.info("Visit template version %s: section %s removed by user %s", template.version, section.pk, by.pk)


@transaction.atomic
def template_section_move(*, section: TemplateSection, direction: Direction, by) -> bool:
    """Swap a draft section with the one before it (up) or after it (down). Returns False, changing
    nothing, when it is already first or last."""
    ensure_editable(section.template)
    order = _moved(_sections_of(section.template), section, direction)
    if order is None:
        return False
    _renumber(TemplateSection.objects.filter(template=section.template), order)
    section.refresh_from_db(fields=["number"])
    return True


def questions_problem(section: TemplateSection) -> str | None:
    """Why questions cannot be added to this section, in words for the administrator, or None."""
    if section.special == "recommendations":
        return f"The “{section.title}” section has no questions: visitors raise recommendations there."
    if section.special == "provider_response":
        return f"The “{section.title}” section has no questions: the provider writes their comments there."
    return None


def _question_values(question: TemplateQuestion) -> None:
    # Choices belong to choice questions only: a question changed from a choice to yes or no keeps none.
    if question.kind != QuestionKind.CHOICE:
        question.choices = []
    question.full_clean(exclude=["number"], validate_unique=False, validate_constraints=False)


@transaction.atomic
def template_question_add(
    *,
    section: TemplateSection,
    text: str,
    help_text: str = "",
    kind: str,
    choices: list[str],
    required: bool,
    by,
) -> TemplateQuestion:
    """Add a question at the end of a draft section. `kind` is a QuestionKind; `choices` (two or more)
    only for a choice question. Refused in the recommendations and provider's-comments sections."""
    ensure_editable(section.template)
    problem = questions_problem(section)
    if problem:
        raise ValidationError(problem, code="no_questions")
    questions = _questions_of(section)
    question = TemplateQuestion(
        section=section,
        number=(questions[-1].number if questions else 0) + 1,
        text=text,
        help_text=help_text,
        kind=kind,
        choices=choices,
        required=required,
    )
    _question_values(question)
    question.save()
    logger.info("Visit template section %s: question %s added by user %s", section.pk, question.pk, by.pk)
    return question


@transaction.atomic
def template_question_change(
    *, question: TemplateQuestion, text: str, help_text: str, kind: str, choices: list[str], required: bool, by
) -> TemplateQuestion:
    """Change a question of the draft: its wording, hint, kind, choices and whether it must be answered."""
    ensure_editable(question.section.template)
    question.text, question.help_text, question.kind = text, help_text, kind
    question.choices, question.required = choices, required
    _question_values(question)
    question.save(update_fields=["text", "help_text", "kind", "choices", "required"])
    logger.info("Visit template question %s changed by user %s", question.pk, by.pk)
    return question


@transaction.atomic
def template_question_remove(*, question: TemplateQuestion, by) -> None:
    """Remove a question of the draft; the questions after it in its section move up one."""
    ensure_editable(question.section.template)
    section = question.section
    question.delete()
    _renumber(TemplateQuestion.objects.filter(section=section), _questions_of(section))
    logger.info("Visit template section %s: question %s removed by user %s", section.pk, question.pk, by.pk)


@transaction.atomic
def template_question_move(*, question: TemplateQuestion, direction: Direction, by) -> bool:
    """Swap a question of the draft with the one before it (up) or after it (down) in its section.
    Returns False, changing nothing, when it is already first or last."""
    ensure_editable(question.section.template)
    order = _moved(_questions_of(question.section), question, direction)
    if order is None:
        return False
    _renumber(TemplateQuestion.objects.filter(section=question.section), order)
    question.refresh_from_db(fields=["number"])
    return True
