"""Commissioning review meetings: the list, scheduling, preparing (with the agenda as a PDF),
recording a meeting held, raising recommendations from it, and its history.

Meetings are the council's own record: provider users never see them (a 404, as for any
record they may not know of). Everything is loaded through qa_portal.access."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from providers.access import may_see_young_people
from providers.models import Concern, Placement, Provider, YoungPerson
from providers.privacy import record_listed, record_seen, young_people
from qa_portal import access
from qa_portal.documents import services as documents
from qa_portal.documents.kinds import BuiltFile, Progress
from qa_portal.history import changes_for
from qa_portal.intentions import one_record_per_intention
from qa_portal.lists import kept_content, paginate
from qa_portal.pdf import render_pdf_checked, tell_of_unshown_characters
from qa_portal.periods import Month
from qa_portal.table_versions import cached, cached_markup, code_digest, person_key
from qa_portal.working_days import working_day_on_or_after
from reviews import meetings, preparation
from reviews.filters import MEETING_COLUMNS, MeetingFilterSet
from reviews.invites import when
from reviews.meeting_forms import MeetingRecommendationForm, MeetingRecordForm, MeetingScheduleForm
from reviews.models import (
    COUNTED_AREAS,
    Cadence,
    ComplianceArea,
    ComplianceCheck,
    MeetingInvitee,
    MeetingStatus,
    Recommendation,
    ReviewMeeting,
    YoungPersonOutcome,
)
from reviews.selectors import review_status, review_statuses

PAGE_SIZE = 25
RECENTLY_HELD = 10


def _meeting(request, pk, *, change=False) -> ReviewMeeting:
    return access.get_for_user(
        request.user,
        ReviewMeeting.objects.select_related("provider", "recorded_by", "booked_by", "cancelled_by"),
        pk=pk,
        change=change,
    )


def _unscheduled(user, *, provider, due, today) -> list:
    """Providers with active placements whose routine review falls due by the end of this month and
    has no meeting yet, as (provider, review status), soonest due first; narrowed like the list."""
    month = Month.containing(today)
    providers = access.visible_to(user, Provider).not_archived()
    if provider is not None:
        providers = providers.filter(pk=provider.pk)
    # Those with a meeting scheduled are left out in the database: at a consortium's size that is most
    # of them, and their review statuses need not be worked out. "Any placement active" is asked as
    # EXISTS, and the count only of those kept: filtering on the count counted every provider's
    # placements, twice (11,600 blocks read, about 10 ms at a consortium's size; issue 15).
    candidates = list(
        providers.filter(Exists(Placement.objects.active_on(today).filter(provider=OuterRef("pk"))))
        .exclude(Exists(ReviewMeeting.objects.open().filter(provider=OuterRef("pk"))))
        .with_active_placement_count(today)
        .order_by("name")
    )
    statuses = review_statuses(candidates, today=today)
    unscheduled = []
    for candidate in candidates:
        status = statuses[candidate.pk]
        if status.cadence == Cadence.NONE or status.next_due is None:
            continue
        if status.next_due > month.end or (due == "overdue" and not status.is_overdue):
            continue
        if due == "this_month" and status.next_due < month.start:
            continue
        unscheduled.append((candidate, status))
    unscheduled.sort(key=lambda item: (item[1].next_due, item[0].name))
    return unscheduled


@require_GET
@permission_required("reviews.view_reviewmeeting", raise_exception=True)
def meeting_list(request):
    """The open review meetings, a page at a time with the filters, those held lately and the providers
    due a first one. Its content (the filters are a GET form: no CSRF token) is kept as markup per person,
    day and query string while no table it was read from is written (qa_portal.lists.kept_content); it
    names no young person."""
    content, _ = kept_content(
        request,
        "meeting-list",
        "reviews/meetings/_meeting_list_page.html",
        lambda: (_meeting_list_context(request), None),
        code=(__name__, "reviews.filters", "reviews.selectors", "reviews.scheduling", "reviews.access"),
    )
    return render(request, "reviews/meetings/meeting_list.html", {"content": content})


def _meeting_list_context(request) -> dict:
    today = timezone.localdate()
    visible = access.visible_to(request.user, ReviewMeeting).select_related("provider")
    filterset = MeetingFilterSet(request.GET, queryset=visible.open(), request=request)
    provider, due = filterset.values.get("provider"), filterset.values.get("due")
    held = visible.held().filter(provider=provider) if provider else visible.held()
    return {
        "filterset": filterset,
        "columns": MEETING_COLUMNS,
        "page": paginate(request, filterset.qs, PAGE_SIZE),
        "recently_held": list(held.order_by("-held_at", "-pk")[:RECENTLY_HELD]),
        "unscheduled": _unscheduled(request.user, provider=provider, due=due, today=today),
        "today": today,
    }


def _say_what_was_scheduled(request, meeting: ReviewMeeting, before: ReviewMeeting | None) -> None:
    """Scheduled, brought forward (with the booking moved and the update sent), or left as it was."""
    if before is None:
        messages.success(request, f"Review meeting with {meeting.provider} scheduled for {meeting.due_date:%-d %B %Y}")
    elif meeting.due_date < before.due_date:
        moved = (
            f", and the meeting booked moves to {when(meeting)}: everyone invited was sent the update"
            if meeting.is_booked and meeting.invite_sequence > before.invite_sequence
            else ""
        )
        messages.success(
            request,
            f"{meeting.provider} already had a review meeting scheduled: it is now brought forward "
            f"to {meeting.due_date:%-d %B %Y}{moved}",
        )
    else:
        messages.info(
            request,
            f"{meeting.provider} already has a review meeting scheduled for {meeting.due_date:%-d %B %Y}, "
            "so no second meeting was made",
        )


@require_http_methods(["GET", "POST"])
@permission_required("reviews.add_reviewmeeting", raise_exception=True)
@one_record_per_intention
def meeting_schedule(request):
    user = request.user
    initial, provider, concern = {}, None, None
    if request.GET.get("concern", "").isdigit():
        concern = access.get_for_user(user, Concern.objects.select_related("provider"), pk=request.GET["concern"])
        provider = concern.provider
        initial["brought_forward_because"] = (
            f"{concern.get_source_display()} concern received on {concern.received_on:%d/%m/%Y}: {concern.summary}"
        )
    elif request.GET.get("provider", "").isdigit():
        provider = access.get_for_user(user, Provider, pk=request.GET["provider"])
    open_meeting = None
    if provider is not None:
        initial["provider"] = provider.pk
        status = review_status(provider)
        due, open_meeting = status.next_due, status.open_meeting
        today = timezone.localdate()
        initial["due_date"] = working_day_on_or_after(today) if concern or due is None or due < today else due
    form = MeetingScheduleForm(request.POST or None, initial=initial, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # Read only to say what happened: the service decides, under a lock.
        before = access.visible_to(user, ReviewMeeting).open().filter(provider=data["provider"]).first()
        try:
            meeting = meetings.meeting_schedule(
                provider=data["provider"],
                due_date=data["due_date"],
                by=user,
                brought_forward_because=data["brought_forward_because"],
            )
        except ValidationError as exc:
            # Bringing a booked meeting forward to today, when its start time today has passed.
            form.add_error("due_date", exc.messages)
        else:
            _say_what_was_scheduled(request, meeting, before)
            return redirect(meeting)
    return render(
        request,
        "reviews/meetings/meeting_schedule.html",
        {"form": form, "concern": concern, "open_meeting": open_meeting, "heading": "Schedule a review meeting"},
    )


def _checklist(meeting):
    """All nine areas in order, each with its recorded check (or None before the meeting is recorded)."""
    checks = {check.area: check for check in meeting.compliance_checks.all()}
    return [(area, area in COUNTED_AREAS, checks.get(area)) for area in ComplianceArea]


@require_GET
def meeting_detail(request, pk):
    """A review meeting's page: its booking, checklist, outcomes for children and recommendations. Its
    content (no form: each step is a page of its own) is kept as markup per person, day and meeting while
    no table it was read from is written (qa_portal.lists.kept_content); the access is checked and who
    was seen logged at every opening."""
    meeting = _meeting(request, pk)
    content, seen = kept_content(
        request,
        "meeting-page",
        "reviews/meetings/_meeting_page.html",
        lambda: _meeting_context(request, meeting.pk),
        code=(__name__, "reviews.preparation", "reviews.selectors", "reviews.access", "qa_portal.access"),
    )
    record_seen(request, f"Review meeting page: {meeting.provider.name}", seen, record=meeting)
    return render(request, "reviews/meetings/meeting_detail.html", {"meeting": meeting, "content": content})


def _meeting_context(request, pk: int) -> tuple[dict, list[int]]:
    # Read again here, so its tables are among those the kept content watches.
    meeting = _meeting(request, pk)
    user = request.user
    on = preparation.meeting_date(meeting)
    # Each child's initials, age and notes only for those who may see young people, as on the
    # preparation page (providers.access); others are told how many were recorded.
    shown = may_see_young_people(user)
    outcomes = (
        [
            (outcome, outcome.young_person.age_on(on))
            for outcome in meeting.outcomes.select_related("young_person").order_by("young_person__initials", "pk")
        ]
        if shown
        else []
    )
    recommendations = list(
        access.visible_to(user, Recommendation)
        .filter(review_meeting=meeting)
        .select_related("owner", "young_person")
        .order_by("due_date", "pk")
    )
    seen = [outcome.young_person_id for outcome, _ in outcomes]
    if shown:
        seen += [rec.young_person_id for rec in recommendations]
    context = {
        "meeting": meeting,
        "checklist": _checklist(meeting),
        "outcomes": outcomes,
        "outcomes_recorded": len(outcomes) if shown else meeting.outcomes.count(),
        # The notes for the case records (reviews.case_record_notes): how many are marked for them, how many to do.
        "outcomes_for_case_record": sum(outcome.for_case_record for outcome, _ in outcomes),
        "outcomes_to_record": sum(
            outcome.for_case_record and outcome.recorded_on_case_record_at is None for outcome, _ in outcomes
        ),
        "recommendations": recommendations,
        "review": review_status(meeting.provider),
        "can_change": access.can_change(user, meeting),
        # Booking and cancelling are commissioning's, who schedule meetings.
        "can_book": access.can_change(user, meeting) and user.has_perm("reviews.add_reviewmeeting"),
        "invitees": meeting.invitees.all(),
        "can_add_recommendation": access.can_change(user, meeting) and user.has_perm("reviews.add_recommendation"),
    }
    return context, [person for person in seen if person is not None]


def _prepared(meeting_pk: int, user, today) -> dict:
    """What the preparation shows of the meeting, read for `user` on `today` (the meeting and its
    provider read again here, so that their tables are among those a kept result was read from)."""
    meeting = ReviewMeeting.objects.select_related("provider").get(pk=meeting_pk)
    since, last_held = preparation.since_last_review(meeting)
    until = meeting.held_on or today
    return {
        "preparation": preparation.meeting_preparation(provider=meeting.provider, since=since, until=until, user=user),
        "last_held": last_held,
        "previous_meeting": preparation.previous_meeting(meeting),
        "young_people": preparation.placed_for_meeting(meeting, user=user),
        "meeting_date": preparation.meeting_date(meeting),
    }


def _preparation_key(user, meeting_pk: int, today) -> tuple:
    return (person_key(user), meeting_pk, today, code_digest(__name__, "reviews.preparation"))


def _preparation_context(request, meeting, *, kept: bool = True) -> dict:
    """What the preparation page and the agenda show of `meeting` (one the person may see); with
    `kept`, kept per person and day while nothing it was read from changes (qa_portal.table_versions)."""
    user, today = request.user, timezone.localdate()

    def prepared() -> dict:
        return _prepared(meeting.pk, user, today)

    return {
        "meeting": meeting,
        **(cached("meeting-preparation", _preparation_key(user, meeting.pk, today), prepared) if kept else prepared()),
        "young_people_shown": may_see_young_people(user),
        "areas": [(area, area in COUNTED_AREAS) for area in ComplianceArea],
    }


def _shown_in_preparation(context: dict) -> list[int]:
    """The young people the preparation (page or agenda) shows, none to those who may not see young
    people (providers.access): those its open recommendations are for, those placed, and those whose
    placements started or ended."""
    if not context["young_people_shown"]:
        return []
    preparation = context["preparation"]
    shown = [rec.young_person_id for rec in preparation.open_recommendations]
    shown += [person.young_person_id for person in context["young_people"]]
    shown += [p.young_person_id for p in preparation.placements_started + preparation.placements_ended]
    return shown


def _preparation_page(request, pk: int) -> tuple[str, list[int]]:
    """The preparation page's content as markup (no form on it), and the young people it shows."""
    context = _preparation_context(request, _meeting(request, pk), kept=False)
    markup = render_to_string("reviews/meetings/_prepare_page.html", context, request=request)
    return markup, _shown_in_preparation(context)


@require_GET
def meeting_prepare(request, pk):
    """The preparation for a review meeting. Its content is kept as markup per person and day while no
    table it was read from is written (qa_portal.table_versions); who was seen is logged every time."""
    meeting = _meeting(request, pk)
    key = (_preparation_key(request.user, meeting.pk, timezone.localdate()), "page")
    content, shown = cached_markup("meeting-preparation-page", key, lambda: _preparation_page(request, meeting.pk))
    what = f"Review meeting preparation: {meeting.provider.name}"
    record_seen(request, what, shown, record=meeting)
    return render(request, "reviews/meetings/meeting_prepare.html", {"meeting": meeting, "content": content})


# The registered kind of document (reviews.documents): made at once when short, by the worker when long.
AGENDA_DOCUMENT = "review-meeting-agenda"
# How long WeasyPrint takes over a thousand characters of the agenda, about (for its progress bar).
PDF_SECONDS_PER_THOUSAND_CHARACTERS = 0.04


def agenda_file(request, fmt: str, progress: Progress) -> BuiltFile:
    """The agenda of the meeting named in the address as a PDF, for `request.user` (404 if they may
    not see the meeting); made in the web request when short, by the worker otherwise."""
    progress(10, "Reading the meeting's preparation")
    meeting = _meeting(request, request.resolver_match.kwargs["pk"])
    context = {
        **_preparation_context(request, meeting),
        "authority_name": settings.AUTHORITY_NAME,
        "service_name": settings.SERVICE_NAME,
    }
    progress.expect(
        2 + PDF_SECONDS_PER_THOUSAND_CHARACTERS * preparation.agenda_characters(meeting, user=request.user) / 1000,
        until=95,
        message="Laying out the agenda on the pages",
    )
    rendered = render_pdf_checked("reviews/meetings/agenda_pdf.html", context)
    # At once, the person is told on their next page; from the worker, the agenda's last page says so.
    tell_of_unshown_characters(request, rendered, document="The agenda (PDF)")
    # Slugged so the header needs no quoting and the name reveals nothing but provider and date.
    name = f"review-meeting-agenda-{slugify(meeting.provider.name) or 'provider'}-{meeting.due_date:%Y-%m-%d}.pdf"
    return BuiltFile(
        filename=name,
        content_type="application/pdf",
        content=rendered.content,
        inline=True,
        # The young people it shows: logged when it is downloaded.
        subjects=young_people(_shown_in_preparation(context)),
    )


def may_see_the_meeting(request) -> ReviewMeeting:
    """The check of an agenda before it is made and downloaded: the meeting, or Http404."""
    return _meeting(request, request.resolver_match.kwargs["pk"])


@require_GET
@never_cache  # OFFICIAL-SENSITIVE: no copy is kept in browser or proxy caches.
def meeting_agenda_pdf(request, pk):
    """The agenda (agenda_file): at once when it holds up to settings.PDF_CHARACTERS_IN_REQUEST
    characters (preparation.agenda_characters), otherwise made by the worker while the person is sent
    to the document's page, which shows its progress and then the download."""
    meeting = _meeting(request, pk)
    return documents.respond(
        request,
        kind=AGENDA_DOCUMENT,
        fmt="pdf",
        rows=None,
        at_once=preparation.agenda_characters(meeting, user=request.user) <= settings.PDF_CHARACTERS_IN_REQUEST,
        title=f"{meeting.provider.name}, {meeting.due_date:%-d %B %Y}",
    )


@require_http_methods(["GET", "POST"])
@one_record_per_intention
def meeting_record(request, pk):
    meeting = _meeting(request, pk, change=True)
    if meeting.status != MeetingStatus.SCHEDULED:
        messages.info(request, "This meeting has already been recorded")
        return redirect(meeting)
    # Recorded once it has happened, so ages are as they are today.
    young_people = preparation.placed_for_meeting(meeting, user=request.user, ages_on=timezone.localdate())
    form = MeetingRecordForm(request.POST or None, meeting=meeting, young_people=young_people)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meetings.meeting_record(
                meeting=meeting,
                by=request.user,
                held_at=form.held_at(),
                attendees=data["attendees"],
                provider_concerns=data["provider_concerns"],
                provider_successes=data["provider_successes"],
                feedback_to_authority=data["feedback_to_authority"],
                notes=data["notes"],
                checks=form.checks(),
                outcomes=form.outcomes(),
            )
        except meetings.MeetingStepRefused as exc:
            messages.info(request, str(exc))
            return redirect(meeting)
        except ValidationError as exc:
            # The form checks everything the service does; this is the last guard, shown at the top.
            for message in exc.messages:
                form.add_error(None, message)
        else:
            due = review_status(meeting.provider).next_due
            follow_up = f". The next review is due on {due:%-d %B %Y}" if due else ""
            messages.success(request, f"Review meeting recorded{follow_up}")
            return redirect(meeting)
    if request.method == "GET":
        shown = [person.young_person_id for person in young_people]
        record_seen(request, f"Recording a review meeting: {meeting.provider.name}", shown, record=meeting)
    return render(request, "reviews/meetings/meeting_record.html", {"form": form, "meeting": meeting})


@require_http_methods(["GET", "POST"])
@one_record_per_intention
def meeting_recommendation_create(request, pk):
    meeting = _meeting(request, pk, change=True)
    if not request.user.has_perm("reviews.add_recommendation"):
        raise PermissionDenied("You cannot add recommendations.")
    if meeting.status == MeetingStatus.CANCELLED:
        raise PermissionDenied("This meeting was cancelled.")
    form = MeetingRecommendationForm(
        request.POST or None,
        meeting=meeting,
        people=preparation.young_people_placed(meeting, user=request.user)
        if may_see_young_people(request.user)
        else None,
        on=preparation.meeting_date(meeting),
    )
    if request.method == "POST" and form.is_valid():
        meetings.meeting_recommendation_raise(recommendation=form.instance, meeting=meeting, by=request.user)
        messages.success(request, "Recommendation added")
        return redirect(meeting)
    record_listed(request, form, f"Add a recommendation: review meeting with {meeting.provider.name}", record=meeting)
    context = {
        "form": form,
        "heading": "Add a recommendation",
        "caption": f"Review meeting with {meeting.provider.name}",
        "back_url": meeting.get_absolute_url(),
        "back_label": "Back to the meeting",
    }
    return render(request, "reviews/recommendation_form.html", context)


@require_GET
def meeting_history(request, pk):
    meeting = _meeting(request, pk)
    if not request.user.has_perm("providers.view_change_history"):
        raise PermissionDenied("You cannot see the change history.")
    outcome_history = YoungPersonOutcome.history.filter(meeting_id=meeting.pk)
    initials = (
        dict(YoungPerson.objects.filter(pk__in=outcome_history.values("young_person_id")).values_list("pk", "initials"))
        if may_see_young_people(request.user)
        else {}
    )
    areas = dict(ComplianceArea.choices)
    changes = changes_for(
        [
            (ReviewMeeting.history.filter(id=meeting.pk), lambda h: "Meeting"),
            (
                ComplianceCheck.history.filter(meeting_id=meeting.pk),
                lambda h: f"Checklist: {areas.get(h.area, h.area)}",
            ),
            (outcome_history, lambda h: f"Outcome for {initials.get(h.young_person_id, 'a young person')}"),
            (MeetingInvitee.history.filter(meeting_id=meeting.pk), lambda h: f"Invited: {h.name}"),
        ]
    )
    page = Paginator(changes, 50).get_page(request.GET.get("page"))
    # The outcomes' changes name the young people by initials, with their notes.
    record_seen(request, f"Review meeting changes: {meeting.provider.name}", initials, record=meeting)
    return render(request, "reviews/meetings/meeting_history.html", {"meeting": meeting, "page": page})
