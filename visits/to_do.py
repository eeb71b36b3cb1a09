"""What a person has to do next about QA visits, for their home page (qa_portal.to_do): write-ups to
finish, visits coming up, reports to share and finalise, responses to chase, the steps after
finalising, and for a provider user the reports to read and respond to.

Each selector runs a fixed number of queries whatever the number of visits, and lists at most
qa_portal.to_do.MOST of each kind: the home page's figures count them all."""

from datetime import date, timedelta

from django.db.models import BooleanField, Case, Exists, ExpressionWrapper, F, Max, OuterRef, Q, Subquery, When, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone

from providers.case_record_notes import may_see_case_record_notes
from providers.models import NO_NEW_PLACEMENTS, Provider
from qa_portal import access
from qa_portal.to_do import MOST, ToDo, due, on, since
from visits.models import CaseRecordEntry, SectionProgress, Visit, VisitEvent, VisitStatus
from visits.selectors import providers_with_a_no_on_their_latest_visit, section_progress, with_progress_data

# A visit is to be written up within this many days of taking place: the lead visitor is reminded
# after it (qa_portal.reporting.reminders) and their home page shows the write-up due then.
WRITE_UP_DAYS = 10

Step = VisitEvent.Step


def _step_at(step: str):
    """When the visit last took `step` (an annotation): a subquery on the index visitevent_visit_step,
    worked out only for the visits the rest of the query keeps, not a join of every visit's events."""
    return Subquery(
        VisitEvent.objects.filter(visit=OuterRef("pk"), step=step)
        .order_by()
        .values("visit")
        .annotate(last=Max("at"))
        .values("last")[:1]
    )


def _local_day(moment) -> date:
    return timezone.localtime(moment).date()


def _sections_left(visit: Visit) -> int:
    return sum(1 for progress in section_progress(visit).values() if progress != SectionProgress.COMPLETED)


def _coming_up(visit: Visit, today: date) -> bool:
    return visit.visit_date is None and visit.planned_date > today


def _own_visits(user, today: date) -> list[ToDo]:
    """The drafts `user` leads: visits coming up, and write-ups to finish (the sections left to do,
    worked out from what the write-ups' sections read, for those only: issue 15)."""
    drafts = list(
        access.visible_to(user, Visit)
        .filter(lead_visitor=user, status=VisitStatus.DRAFT)
        .select_related("provider", "setting", "template")
        .order_by("planned_date", "pk")[: MOST * 2]
    )
    with_progress_data([visit for visit in drafts if not _coming_up(visit, today)])
    items = []
    for visit in drafts:
        where = visit.provider.name
        if _coming_up(visit, today):
            items.append(
                ToDo(
                    f"Your visit to {where}" + (f" ({visit.setting.name})" if visit.setting else ""),
                    visit.get_absolute_url(),
                    visit.planned_date,
                    on(visit.planned_date, today),
                    "Visit coming up",
                )
            )
            continue
        left = _sections_left(visit)
        if left:
            text = f"Finish your write-up of the visit to {where}: {left} section{'s' if left != 1 else ''} left"
        else:
            text = f"Submit your report of the visit to {where}: every section is complete"
        due_on = visit.date + timedelta(days=WRITE_UP_DAYS)
        label, overdue = due(due_on, today)
        items.append(ToDo(text, visit.get_absolute_url(), due_on, label, "Write-up", overdue))
    return items


# The reports waiting on the QA lead or the provider, by the visit's status: what to do about each.
SHARE, FINALISE, CHASE = VisitStatus.SUBMITTED, VisitStatus.RESPONDED, VisitStatus.SHARED


def _reports_waiting(user, today: date, *, to_share: bool, to_finalise: bool) -> list[ToDo]:
    """Reports to share with the provider (submitted, the longest waiting first), to finalise (the
    provider has responded, likewise) and responses to chase (shared, past the day the response was
    due, the longest overdue first): the first MOST of each, in one query, each kind numbered in its
    own order by a window (issue 15: it was a query a kind)."""
    kinds = []
    if to_share:
        kinds.append(Q(status=SHARE))
    if to_finalise:
        kinds += [Q(status=FINALISE), Q(status=CHASE, response_due__lt=today)]
    if not kinds:
        return []
    wanted = kinds[0]
    for kind in kinds[1:]:
        wanted |= kind
    # When the report took the step it waits after (none for a response to chase), then the day a
    # response was due (only for those): each kind's own order, as its own query had it.
    step_at = Case(
        When(status=SHARE, then=_step_at(Step.SUBMITTED)),
        When(status=FINALISE, then=_step_at(Step.RESPONDED)),
    )
    chase_by = Case(When(status=CHASE, then=F("response_due")))
    visits = (
        access.visible_to(user, Visit)
        .filter(wanted)
        .annotate(step_at=step_at)
        .annotate(
            number_in_kind=Window(
                RowNumber(), partition_by=[F("status")], order_by=[F("step_at").asc(), chase_by.asc(), F("pk").asc()]
            )
        )
        .filter(number_in_kind__lte=MOST)
        .select_related("provider")
        # Only what is shown: the rows of every kind are sorted whole to be numbered.
        .only("status", "visit_date", "planned_date", "response_due", "provider__name")
        .order_by()
    )
    ordered = sorted(visits, key=lambda visit: ((SHARE, FINALISE, CHASE).index(visit.status), visit.number_in_kind))
    items = []
    for visit in ordered:
        if visit.status == CHASE:
            label, overdue = due(visit.response_due, today)
            items.append(
                ToDo(
                    f"Chase {visit.provider.name} for their response to the visit report",
                    visit.get_absolute_url(),
                    visit.response_due,
                    label,
                    "Provider's response",
                    overdue,
                )
            )
            continue
        day = _local_day(visit.step_at) if visit.step_at else visit.date
        where = visit.provider.name
        if visit.status == SHARE:
            text, what = f"Check and share the report of the visit to {where} with the provider", "Submitted"
        else:
            text, what = f"Finalise the report of the visit to {where}: the provider has responded", "Responded"
        items.append(ToDo(text, visit.get_absolute_url(), day, since(day, what), "Visit report"))
    return items


def _case_records_to_do():
    """Whether a finalised visit (the outer query's row) met a young person whose case-record note is
    not yet on their case record (a condition). Asked as one uncorrelated list of such visits, which
    PostgreSQL reads once (an anti-join of the young people met with the entries, on their unique
    indexes) rather than once per finalised visit: most visits have all their notes recorded."""
    through = Visit.young_people_met.through
    recorded = CaseRecordEntry.objects.filter(visit=OuterRef("visit"), young_person=OuterRef("youngperson"))
    return Q(pk__in=through.objects.filter(~Exists(recorded)).values("visit"))


def _after_finalising(user) -> list[ToDo]:
    """Finalised reports whose case-record notes are not all on the young people's case records, or
    not yet shared with commissioning.

    Which finalised visits lack a step is asked of the ids alone (the index visit_status_date, and the
    steps' index), then only those visits are read: asked of whole visit rows, every finalised visit's
    row was read to find the few, if any, still to do (10 to 20 ms at a consortium's size, issue 15)."""
    done = VisitEvent.objects.filter(visit=OuterRef("pk"))
    outstanding = (
        Visit.objects.filter(status=VisitStatus.FINALISED)
        .filter(_case_records_to_do() | ~Exists(done.filter(step=Step.COMMISSIONING)))
        .order_by()
        .values("pk")
    )
    visits = (
        access.visible_to(user, Visit)
        .filter(status=VisitStatus.FINALISED, pk__in=outstanding)
        .annotate(
            notes_to_do=ExpressionWrapper(_case_records_to_do(), output_field=BooleanField()),
            shared=Exists(done.filter(step=Step.COMMISSIONING)),
            finalised_at=_step_at(Step.FINALISED),
        )
        .select_related("provider")
        .order_by("finalised_at", "pk")[:MOST]
    )
    items = []
    for visit in visits:
        steps = [
            step
            for step, needed in (
                ("put each young person's note on their case record", visit.notes_to_do),
                ("share it with commissioning", not visit.shared),
            )
            if needed
        ]
        day = _local_day(visit.finalised_at) if visit.finalised_at else visit.date
        url = visit.get_absolute_url()
        if visit.notes_to_do and may_see_case_record_notes(user):
            url = reverse("visits:case_record_notes", args=[visit.pk])
        items.append(
            ToDo(
                f"The report of the visit to {visit.provider.name} is final: {' and '.join(steps)}",
                url,
                day,
                since(day, "Finalised"),
                "Visit report",
            )
        )
    return items


def _not_good_enough(user) -> list[ToDo]:
    """Providers in use whose latest visit said "no" to "good enough for my own child?": the QA lead
    decides on an action plan and whether to stop placements (DOMAIN.md: Rules)."""
    in_use = access.visible_to(user, Provider).not_archived().exclude(status__in=NO_NEW_PLACEMENTS)
    flagged = providers_with_a_no_on_their_latest_visit(in_use, None)
    # Only the columns shown: the latest visit of each is found by sorting every one of their visits,
    # and whole visit rows (their summaries) made that sort most of the home page's time (issue 15).
    visits = (
        Visit.objects.submitted()
        .filter(provider_id__in=flagged, visit_date__isnull=False)
        .select_related("provider")
        .only("visit_date", "provider__name")
        .order_by("provider_id", "-visit_date", "-pk")
        .distinct("provider_id")
    )
    return [
        ToDo(
            f"Decide on an action plan, and whether to stop placements, at {visit.provider.name}: "
            "its latest visit found it not good enough for our own child",
            visit.provider.get_absolute_url(),
            visit.visit_date,
            since(visit.visit_date, "Visited"),
            "Decision",
        )
        for visit in visits[:MOST]
    ]


def _reports_to_respond_to(user, today: date) -> list[ToDo]:
    """A provider user's: the reports shared with their organisation awaiting its response."""
    visits = (
        access.visible_to(user, Visit)
        .filter(status=VisitStatus.SHARED)
        .select_related("provider", "setting")
        .order_by("response_due", "pk")[:MOST]
    )
    items = []
    for visit in visits:
        when = visit.response_due or visit.date
        label, overdue = due(visit.response_due, today) if visit.response_due else ("Shared with you", False)
        where = f" to {visit.setting.name}" if visit.setting else ""
        items.append(
            ToDo(
                f"Read the report of our visit{where} on {visit.date:%-d %B %Y} and respond",
                visit.get_absolute_url(),
                when,
                label,
                "Visit report",
                overdue,
            )
        )
    return items


def visit_to_do(user, today: date) -> list[ToDo]:
    """Everything about visits `user` has to do next, unordered (qa_portal.to_do.in_order orders them):
    for a provider user, the reports awaiting their organisation's response; for those who plan
    visits, their own visits coming up and write-ups to finish; for the QA lead (who shares and
    finalises reports), reports to share and to finalise, responses to chase, the steps after
    finalising and the providers whose latest visit said "no"."""
    if user.is_provider_user:
        return _reports_to_respond_to(user, today)
    items = []
    if user.has_perm("visits.add_visit"):
        items += _own_visits(user, today)
    items += _reports_waiting(
        user, today, to_share=user.has_perm("visits.share_visit"), to_finalise=user.has_perm("visits.finalise_visit")
    )
    if user.has_perm("visits.finalise_visit"):
        items += _after_finalising(user)
        items += _not_good_enough(user)
    return items
