"""Seeds the demo's commissioning review meetings from data/meetings.toml and meeting_notes.toml.

Every demo provider with young people placed today has its meetings from the start of the demo's
year to today, each held on its due date or in the week before it, the next due one cadence later
(the cadence following the placements active on the day), with the compliance checklist and a
note on one or two of the young people placed; and one open meeting, due next. A meeting is found
again by its provider and due date, the open one by its provider; a demo provider's meetings are
exactly the story's, so a run on a later day holds the meeting that has come due and opens the
next, and one in a later year replaces last year's."""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from providers.models import Contact, Placement, Provider, ProvisionType
from qa_portal.models import User
from qa_portal.reporting.demo.register import demo_provider_names
from qa_portal.reporting.demo.seeding import Calendar, demo_user, load, upsert, working_day_before
from qa_portal.roles import Role
from reviews.models import (
    COUNTED_AREAS,
    ActionPlan,
    Cadence,
    CadenceThresholds,
    ComplianceArea,
    ComplianceCheck,
    MeetingStatus,
    Rag,
    Recommendation,
    ReviewMeeting,
    YoungPersonOutcome,
    next_due,
)

A = ComplianceArea


@dataclass(frozen=True)
class Slot:
    """One review meeting in a provider's schedule."""

    index: int  # its place in the schedule, which seeds its random draws, so every year reads alike
    due: date
    cadence: str
    volume: int  # active placements when it was scheduled
    scheduled_at: datetime
    held_on: date | None  # None: the open meeting
    next_due: date | None = None
    brought_forward_because: str = ""
    write_up: dict | None = None  # what was said, where the story says it


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _first_due(placements: list[Placement], calendar: Calendar) -> date:
    """For a provider without a plan: mid-April, or six weeks after its first placement since."""
    start = calendar.year.start
    starts = [p.start_date for p in placements if p.end_date is None or p.end_date > start]
    return max(calendar.day("FY 04-16"), min(starts, default=start) + timedelta(weeks=6))


def _schedule(
    plan: dict, placements: list[Placement], thresholds, calendar: Calendar
) -> tuple[list[Slot], Slot | None]:
    """The provider's meetings held from its first review to today, and the open one now due.

    Each meeting is held on its due date or up to a week before it (never on a weekend or bank
    holiday), and the next is due one cadence after it, the cadence following the placements
    active on the day it was held. For a plan marked overdue, the review now due is left open
    once it is a fortnight late."""
    today = calendar.today

    def volume_on(day: date) -> int:
        return sum(p.is_active_on(day) for p in placements)

    due = calendar.day(plan["first_due"]) if "first_due" in plan else _first_due(placements, calendar)
    forward = calendar.working_day(plan["brought_forward"]) if "brought_forward" in plan else None
    scheduled_at = _at(due - timedelta(weeks=6), 9)
    volume = volume_on(due)
    cadence = thresholds.cadence_for(volume)
    held: list[Slot] = []
    while True:
        index, because, write_up = len(held), "", None
        if forward and held and held[-1].held_on < forward < due:
            due, because, write_up = forward, calendar.text(plan["brought_forward_because"]), plan.get("write_up")
        rng = random.Random(f"{plan['provider']} {index}")
        on = due if because else working_day_before(due - timedelta(days=rng.randint(0, 6)))
        next_volume = volume_on(on)
        next_cadence = thresholds.cadence_for(next_volume)
        following = next_due(next_cadence, on, today)
        if plan.get("overdue"):
            hold = following is not None and following < today - timedelta(days=14)
        else:
            hold = on < today
        if not hold:
            return held, Slot(index, due, cadence, volume, scheduled_at, None, None, because)
        held.append(Slot(index, due, cadence, volume, scheduled_at, on, following, because, write_up))
        if following is None:  # nobody placed when it was held: no routine review to schedule
            return held, None
        due, cadence, volume, scheduled_at = following, next_cadence, next_volume, _at(on, 16)


def _storyline(provider: str, area: str, held_on: date, calendar: Calendar) -> tuple[dict, date] | None:
    """The storyline for this area on the day a meeting was held, and the day the storyline starts."""
    for story in load("meetings")["storylines"]:
        if story["provider"] == provider and story["area"] == area:
            start = calendar.day(story["from"])
            end = calendar.day(story["to"]) if "to" in story else date.max
            if start <= held_on < end:
                return story, start
    return None


def _check_values(provider: Provider, area: str, slot: Slot, earlier: list[date], rng, calendar) -> dict:
    notes = load("meeting_notes")
    # Every draw is made whatever the outcome, so one storyline never shifts the others' draws.
    amber, pick, count = rng.random() < 0.07, rng.random(), None
    if area == A.SAFEGUARDING_NOTIFICATIONS:
        count = rng.randint(0, max(1, slot.volume // 2 + 1))
    elif area == A.LADO_REFERRALS:
        count = 1 if rng.random() < 0.08 else 0
    elif area == A.COMPLAINTS:
        count = rng.choice((0, 0, 0, 1, 1, 2))
    found = _storyline(provider.name, area, slot.held_on, calendar)
    if found:
        story, start = found
        index = sum(start <= day < slot.held_on for day in earlier)
        rag, note = Rag(story["rag"]), story["notes"][min(index, len(story["notes"]) - 1)]
        count = story.get("count", count)
    elif amber:
        rag = Rag.AMBER
        if area in (A.SAFEGUARDING_NOTIFICATIONS, A.COMPLAINTS):
            count = max(count, 1)
        choices = notes["amber"][area]
        note = choices[int(pick * len(choices))]
    else:
        rag = Rag.GREEN
        choices = notes["green"][area]
        if area in COUNTED_AREAS:
            choices = choices["some"] if count else choices["none"]
        note = choices[int(pick * len(choices))]
    return {
        "rag": rag,
        "count": count if area in COUNTED_AREAS else None,
        "notes": calendar.text(note).format(n=count),
    }


def _attendees(provider: Provider, slot: Slot, contacts: list[Contact], users: dict, rng, calendar) -> str:
    officer, qa_lead, social_worker = users[Role.COMMISSIONING_OFFICER], users[Role.QA_LEAD], users[Role.SOCIAL_WORKER]
    lines = [f"{officer.full_name}, {officer.job_title} (chair)"]
    lines += [f"{c.name}, {c.role}, {provider.name}" for c in contacts[:2]]
    if slot.brought_forward_because or _storyline(provider.name, A.SAFEGUARDING_NOTIFICATIONS, slot.held_on, calendar):
        lines.append(f"{qa_lead.full_name}, {qa_lead.job_title}")
    if rng.random() < 0.3:
        lines.append(f"{social_worker.full_name}, {social_worker.job_title}")
    return "\n".join(lines)


def _meeting_values(provider: Provider, slot: Slot, contacts, users, rng, calendar) -> dict:
    notes = load("meeting_notes")
    kind = provider.provision_types[0] if provider.provision_types else ProvisionType.OTHER
    voice = notes["voices"].get(kind, notes["voices"][ProvisionType.CHILDRENS_HOME])
    offset = rng.randrange(4)
    topic = notes["topics"][(slot.index + offset) % len(notes["topics"])]
    values = {
        "cadence": slot.cadence,
        "placement_volume": slot.volume,
        "status": MeetingStatus.HELD,
        "brought_forward_because": slot.brought_forward_because,
        "held_at": _at(slot.held_on, 10 if rng.random() < 0.6 else 14),
        "attendees": _attendees(provider, slot, contacts, users, rng, calendar),
        "provider_concerns": voice["concerns"][(slot.index + offset) % len(voice["concerns"])],
        "provider_successes": voice["successes"][(slot.index + offset + 1) % len(voice["successes"])],
        "feedback_to_authority": voice["feedback"][(slot.index + offset + 2) % len(voice["feedback"])],
        "notes": (
            f"{topic} {slot.volume} City young {'person' if slot.volume == 1 else 'people'} placed when this review "
            f"was scheduled ({Cadence(slot.cadence).label.lower()} reviews). Next review due "
            f"{slot.next_due:%-d %B %Y}."
            if slot.next_due
            else topic
        ),
        "recorded_by": users[Role.COMMISSIONING_OFFICER],
        "created_at": slot.scheduled_at,
    }
    if slot.write_up:
        values.update({name: calendar.text(text) for name, text in slot.write_up.items() if name != "notes"})
        values["notes"] = f"{calendar.text(slot.write_up['notes'])} {values['notes']}"
    return values


def _seed_outcomes(meeting: ReviewMeeting, placements: list[Placement], calendar: Calendar, officer, rng) -> None:
    placed = sorted(
        (p.young_person for p in placements if p.is_active_on(meeting.held_on)), key=lambda yp: yp.case_record_id
    )
    chosen = rng.sample(placed, min(len(placed), 1 + (rng.random() < 0.5)))
    for person in chosen:
        notes = load("meeting_notes")["outcomes"][person.cohort]
        flagged = rng.random() < 0.5
        # Put on the case record soon after the meeting; those of the last four weeks wait their turn, so
        # the latest meeting's case-record notes are still to do (reviews.case_record_notes).
        recorded = flagged and meeting.held_on + timedelta(days=28) < calendar.today
        upsert(
            YoungPersonOutcome,
            {"meeting": meeting, "young_person": person},
            {
                "notes": rng.choice(notes).format(i=person.initials),
                "for_case_record": flagged,
                "recorded_on_case_record_at": _at(meeting.held_on + timedelta(days=2), 11) if recorded else None,
                "recorded_on_case_record_by": officer if recorded else None,
            },
            by=officer,
            at=meeting.held_at,
        )
    meeting.outcomes.exclude(young_person__in=chosen).delete()


def _seed_provider_meetings(provider: Provider, plan: dict, thresholds, users: dict, calendar: Calendar) -> list[int]:
    """The provider's meetings, held and open; returns their ids."""
    officer = users[Role.COMMISSIONING_OFFICER]
    placements = list(provider.placements.select_related("young_person"))
    contacts = list(Contact.objects.filter(provider=provider).order_by("name"))
    held, open_slot = _schedule(plan, placements, thresholds, calendar)
    kept, earlier = [], []
    for slot in held:
        rng = random.Random(f"{provider.name} {slot.index} meeting")
        values = _meeting_values(provider, slot, contacts, users, rng, calendar)
        meeting = upsert(
            ReviewMeeting, {"provider": provider, "due_date": slot.due}, values, by=officer, at=slot.scheduled_at
        )
        for area in ComplianceArea.values:
            upsert(
                ComplianceCheck,
                {"meeting": meeting, "area": area},
                _check_values(provider, area, slot, earlier, rng, calendar),
                by=officer,
                at=meeting.held_at,
            )
        _seed_outcomes(meeting, placements, calendar, officer, rng)
        earlier.append(slot.held_on)
        kept.append(meeting.pk)
    if open_slot is not None:
        meeting = upsert(
            ReviewMeeting,
            {"provider": provider, "status": MeetingStatus.SCHEDULED},
            {
                "cadence": open_slot.cadence,
                "placement_volume": open_slot.volume,
                "due_date": open_slot.due,
                "brought_forward_because": open_slot.brought_forward_because,
                "held_at": None,
                "recorded_by": None,
                "created_at": open_slot.scheduled_at,
            },
            by=officer,
            at=open_slot.scheduled_at,
        )
        meeting.compliance_checks.all().delete()
        meeting.outcomes.all().delete()
        kept.append(meeting.pk)
    return kept


def seed(calendar: Calendar) -> None:
    """Create or refresh the demo providers' review meetings as they stand on the calendar's today.

    Needs the demo register (demo.seed makes it first). A provider with nobody placed today has
    no routine review, and so no demo meetings."""
    thresholds = CadenceThresholds.current()
    roles = (Role.COMMISSIONING_OFFICER, Role.QA_LEAD, Role.SOCIAL_WORKER)
    users: dict[Role, User] = {role: demo_user(role) for role in roles}
    plans = {plan["provider"]: plan for plan in load("meetings")["plans"]}
    for provider in Provider.objects.filter(name__in=demo_provider_names()).order_by("name"):
        kept = []
        if Placement.objects.active_on(calendar.today).filter(provider=provider).exists():
            plan = plans.get(provider.name, {"provider": provider.name})
            kept = _seed_provider_meetings(provider, plan, thresholds, users, calendar)
        # Meetings from another day's or year's story (and anything raised at them, or asked for after
        # them) go.
        stale = ReviewMeeting.objects.filter(provider=provider).exclude(pk__in=kept)
        Recommendation.objects.filter(review_meeting__in=stale).delete()
        ActionPlan.objects.filter(review_meeting__in=stale).delete()
        stale.delete()


def counts(today: date) -> dict[str, int]:
    """Review meetings: in all, held, open and overdue; compliance checks, and how many are red."""
    meetings = ReviewMeeting.objects.all()
    return {
        "review_meetings": meetings.count(),
        "meetings_held": meetings.held().count(),
        "meetings_open": meetings.open().count(),
        "meetings_overdue": meetings.overdue(today).count(),
        "compliance_checks": ComplianceCheck.objects.count(),
        "red_ratings": ComplianceCheck.objects.filter(rag=Rag.RED).count(),
    }
