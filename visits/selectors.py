"""Reads of a visit shared by its pages, its PDF report and the committee pack."""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import OuterRef, Prefetch, Subquery, prefetch_related_objects

from providers.models import YoungPerson
from providers.privacy import young_people
from qa_portal import access
from qa_portal.access_log import Subjects
from visits.access import may_see_young_people_met
from visits.models import (
    Answer,
    OverallJudgement,
    SectionProgress,
    TemplateQuestion,
    TemplateSection,
    Visit,
    VisitReason,
)
from visits.services import VISIT_FIELDS, Missing, missing_for_submission, missing_items, serialise


@dataclass
class QuestionAnswer:
    question: TemplateQuestion
    answer: Answer | None

    @property
    def display(self) -> str:
        if self.answer is None or self.answer.is_blank:
            return ""
        if self.answer.choice:
            labels = dict(self.question.options)
            choice = labels.get(self.answer.choice, self.answer.choice)
            return f"{choice}. {self.answer.text}".strip() if self.answer.text else choice
        return self.answer.text


@dataclass
class SectionReport:
    section: TemplateSection
    items: list[QuestionAnswer] = field(default_factory=list)


def visit_with_report_data(queryset):
    """The visit queryset with everything its report shows, in a fixed number of queries."""
    return queryset.select_related("provider", "setting", "lead_visitor", "template").prefetch_related(
        Prefetch(
            "template__sections",
            queryset=TemplateSection.objects.order_by("number").prefetch_related(
                Prefetch("questions", queryset=TemplateQuestion.objects.order_by("number"))
            ),
        ),
        Prefetch("answers", queryset=Answer.objects.select_related("updated_by")),
        "young_people_met",
        "events__by",
    )


def with_progress_data(visits: list[Visit]) -> list[Visit]:
    """`visits` (a list, each with its template) given what `section_progress` reads and no more: the
    template's sections and questions, the answers, and whom the visitors met (ids only), in four
    queries however many visits (none for an empty list). For counting sections left on the home page,
    which has no use for the rest of the report (`visit_with_report_data`: its events, who wrote each answer)."""
    prefetch_related_objects(
        visits,
        Prefetch(
            "template__sections",
            queryset=TemplateSection.objects.order_by("number").prefetch_related(
                Prefetch("questions", queryset=TemplateQuestion.objects.order_by("number"))
            ),
        ),
        "answers",
        Prefetch("young_people_met", queryset=YoungPerson.objects.only("pk")),
    )
    return visits


def report_sections(visit: Visit) -> list[SectionReport]:
    """Every section of the visit's own template version, each question with its answer (or None)."""
    answers = {answer.question_id: answer for answer in visit.answers.all()}
    return [
        SectionReport(section, [QuestionAnswer(q, answers.get(q.pk)) for q in section.questions.all()])
        for section in visit.template.sections.all()
    ]


def visit_reasons(visit: Visit) -> list[str]:
    """Why this provider was chosen, in words (DOMAIN.md: number of young people, SEND or other
    vulnerability, new provider, concerns raised, high cost); "Other" is shown with the reason given."""
    labels = [
        label for value, label in zip(visit.reasons, visit.reason_labels, strict=True) if value != VisitReason.OTHER
    ]
    if visit.reason_other:
        labels.append(f"Other: {visit.reason_other}")
    elif VisitReason.OTHER in visit.reasons:
        labels.append(VisitReason.OTHER.label)
    return labels


def report_context(visit: Visit, *, viewer, young_people_shown: bool | None = None) -> dict:
    """Everything the visit report template (visits/_report_body.html) shows, for the page, the PDF and
    the committee pack's appendix alike: a dict of visit, sections, reasons, young people (initials, age
    on the visit date, cohort), their number, whether they are shown, recommendations, whether the notes
    on its path are hidden (from a provider user) and the authority's names. Expects a visit loaded
    through `visit_with_report_data`.

    `viewer` is the person it is shown to: the recommendations are those they may see (a provider
    user: only those addressed to them, reviews.access), and the young people appear only if they may
    see them (visits.access.may_see_young_people_met), by initials only, never by case-record ID.
    `viewer=None` is a copy made for no one person, with every recommendation, and must say whether it
    shows young people: the committee pack, for elected members, does not (a count only); the
    `visit_report` command, run on the server with its own rights, does."""
    if young_people_shown is None:
        if viewer is None:
            raise TypeError("A report for no one person says whether it shows young people.")
        young_people_shown = may_see_young_people_met(viewer, visit)
    recommendations = visit.recommendations.select_related("owner", "young_person")
    if viewer is not None:
        # Through the reverse relation and the access rules, so this app does not import `reviews`.
        recommendations = access.visible_to(viewer, recommendations)
    return {
        "visit": visit,
        "sections": report_sections(visit),
        "reasons": visit_reasons(visit),
        "young_people": [
            {"id": yp.pk, "initials": yp.initials, "age": yp.age_on(visit.date), "cohort": yp.get_cohort_display()}
            for yp in visit.young_people_met.all()
        ]
        if young_people_shown
        else [],
        "young_people_met": len(visit.young_people_met.all()),
        "young_people_shown": young_people_shown,
        # The notes on its path are the council's own ("returned to draft: …"), as on the visit's page.
        "path_notes_hidden": viewer is not None and viewer.is_provider_user,
        # A list, so the report and the access log (report_subjects) read it once.
        "recommendations": list(recommendations),
        "authority_name": settings.AUTHORITY_NAME,
        "service_name": settings.SERVICE_NAME,
    }


def report_subjects(context: dict) -> Subjects:
    """The young people a visit report (report_context) names, for the access log: those met, and
    those its child-level recommendations are for."""
    return young_people(
        (person["id"] for person in context["young_people"]),
        (recommendation.young_person_id for recommendation in context["recommendations"]),
    )


def providers_with_a_no_on_their_latest_visit(providers, today):
    """The ids of `providers` (a queryset) whose latest submitted visit, by visit date, answered "no"
    to "would this be good enough for my own child?", as a queryset of ids (a subquery where it is
    used): one reason a provider is of concern (providers.of_concern). `today` is not used: the
    latest visit is the latest, whatever the day."""
    # One probe of the index visit_latest_submitted a provider, rather than every visit sorted.
    latest = (
        Visit.objects.submitted()
        .filter(provider=OuterRef("pk"), visit_date__isnull=False)
        .order_by("-visit_date", "-pk")
        .values("overall_judgement")[:1]
    )
    return (
        providers.order_by()
        .annotate(latest_judgement=Subquery(latest))
        .filter(latest_judgement=OverallJudgement.NO)
        .values_list("pk", flat=True)
    )


# Sections written on other pages: recommendations are raised from their own form, the provider's
# response comes from the provider. They have no progress of their own.
WRITTEN_ELSEWHERE = ("recommendations", "provider_response")


def section_progress(visit: Visit) -> dict[int, str]:
    """How far each section of the visit is written up: {section number: SectionProgress value}.

    Not started: nothing in the section is answered. Completed: something is, and nothing the
    section requires is missing, by the one rule submission applies (`missing_for_submission`,
    whose problems refuse a submission with VisitIncomplete). In progress: anything between. The
    About section holds the plan, so it is in progress from the start until the visit date is in.
    Sections written elsewhere (WRITTEN_ELSEWHERE) are left out. Expects a visit loaded through
    `visit_with_report_data` (or given `with_progress_data`)."""
    missing = {number for number, _ in missing_for_submission(visit)}
    answered = {answer.question_id for answer in visit.answers.all() if not answer.is_blank}
    progress = {}
    for section in visit.template.sections.all():
        if section.special in WRITTEN_ELSEWHERE:
            continue
        fields = [serialise(visit, name) for name in VISIT_FIELDS.get(section.special, [])]
        if not any(q.pk in answered for q in section.questions.all()) and not any(
            value not in ("", "0") for value in fields
        ):
            progress[section.number] = SectionProgress.NOT_STARTED
        elif section.number in missing:
            progress[section.number] = SectionProgress.IN_PROGRESS
        else:
            progress[section.number] = SectionProgress.COMPLETED
    return progress


@dataclass
class CheckSection:
    """One section on the check-your-answers page: its answers, how far it is written up (None for
    sections written elsewhere), and what it still needs before the visit can be submitted."""

    section: TemplateSection
    items: list[QuestionAnswer]
    progress: str | None
    missing: list[Missing]


def check_answers(visit: Visit) -> list[CheckSection]:
    """Every section of the visit the visitor writes (all but the provider's response), in order, for
    the page that checks them before submitting: visits/submit_check.html. Expects a visit loaded
    through `visit_with_report_data`."""
    progress = section_progress(visit)
    missing = missing_items(visit)
    return [
        CheckSection(
            section=report.section,
            items=report.items,
            progress=progress.get(report.section.number),
            missing=[item for item in missing if item.section == report.section.number],
        )
        for report in report_sections(visit)
        if report.section.special != "provider_response"
    ]
