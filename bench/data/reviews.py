"""Review meetings with their checklists and outcomes, recommendations with their progress, and
the committee report."""

import math
from datetime import timedelta
from itertools import accumulate

from bench import texts
from bench.data.base import LONDON, Base, at, pick


class Reviews(Base):
    """Review meetings at each provider's cadence, recommendations from every source, the committee report."""

    def meetings(self):
        from reviews.models import (
            CadenceThresholds,
            ComplianceArea,
            ComplianceCheck,
            MeetingInvitee,
            ReviewMeeting,
            YoungPersonOutcome,
            next_due,
        )

        rng = self.rng
        officers = self.staff["commissioning_officer"]
        span = 8 * 365
        # Providers anyone was ever placed with, by the square root of their weight, at most quarterly.
        candidates = [(i, p) for i, p in enumerate(self.providers_list) if self.placements_by_provider.get(p.pk)]
        if not candidates:
            return
        roots = [math.sqrt(self.weights[i]) for i, _ in candidates]
        total = sum(roots)
        most = span // 91
        counts = [max(1, min(most, round(self.size.review_meetings * r / total))) for r in roots]
        cumulative = list(accumulate(roots))
        while sum(counts) < self.size.review_meetings and any(c < most for c in counts):
            k = rng.choices(range(len(counts)), cum_weights=cumulative)[0]
            if counts[k] < most:
                counts[k] += 1
        while sum(counts) > self.size.review_meetings:
            k = rng.randrange(len(counts))
            if counts[k] > 1:
                counts[k] -= 1
        meetings = []
        for (_, provider), count in zip(candidates, counts, strict=True):
            interval = min(365, span // count)
            cadence = "quarterly" if interval <= 100 else "half_yearly" if interval <= 200 else "annual"
            volume = {"quarterly": rng.randint(4, 12), "half_yearly": rng.randint(2, 3), "annual": 1}[cadence]
            officer = provider.commissioning_officer or rng.choice(officers)
            offset = rng.randint(-30, interval)
            placed_now = bool(self.placed_on(provider.pk, self.today))
            for k in range(count):
                due = self.today + timedelta(days=offset - k * interval)
                open_one = k == 0 and placed_now and provider.status != "archived"
                if not open_one and due > self.today - timedelta(days=3):
                    due = self.today - timedelta(days=rng.randint(3, 20))
                status = "scheduled" if open_one else ("cancelled" if rng.random() < 0.03 else "held")
                meeting = ReviewMeeting(
                    provider=provider,
                    cadence=cadence,
                    placement_volume=volume,
                    due_date=due,
                    status=status,
                    brought_forward_because="A concern raised by the IRO about night staffing."
                    if rng.random() < 0.03
                    else "",
                    created_at=at(due - timedelta(days=interval), 6),
                )
                if status == "held":
                    held = min(self.today - timedelta(days=1), due + timedelta(days=rng.randint(-10, 10)))
                    meeting.held_at = at(held, rng.randint(9, 14))
                    meeting.starts_at, meeting.ends_at = meeting.held_at, meeting.held_at + timedelta(minutes=90)
                    meeting.place = rng.choice(["Online", "The provider's office", "Guildhall, meeting room 3"])
                    meeting.booked_by = officer
                    meeting.recorded_by = officer
                    meeting.attendees = texts.attendees(rng, rng.randint(3, 6))
                    meeting.provider_concerns = texts.paragraph(rng, 300)
                    meeting.provider_successes = texts.paragraph(rng, 300)
                    meeting.feedback_to_authority = texts.paragraph(rng, 200)
                    meeting.notes = texts.paragraph(rng, 400) if rng.random() < 0.3 else ""
                elif status == "cancelled":
                    meeting.cancelled_because = "The provider asked to move it; a new date is being found."
                    meeting.cancelled_at = at(due - timedelta(days=5), 12)
                    meeting.cancelled_by = officer
                elif 0 <= (due - self.today).days <= 30 and rng.random() < 0.5:
                    meeting.starts_at = at(due, 10)
                    meeting.ends_at = meeting.starts_at + timedelta(minutes=90)
                    meeting.place = "Online"
                    meeting.online_link = "https://meet.example.org/bench-review"
                    meeting.booked_by = officer
                meeting._history_date = meeting.created_at
                meeting.officer = officer
                meetings.append(meeting)
        # The open meeting of each provider is where review scheduling puts it (reviews/scheduling.py):
        # at the cadence of today's placements, one cadence after the last meeting held, so that the
        # first run of schedule_reviews on the bench finds the steady state a daily run keeps.
        thresholds = CadenceThresholds.current()
        last_held = {}
        for meeting in meetings:
            if meeting.status == "held":
                last_held[meeting.provider_id] = max(
                    last_held.get(meeting.provider_id, meeting.held_at), meeting.held_at
                )
        for meeting in meetings:
            if meeting.status == "scheduled":
                volume = len(self.placed_on(meeting.provider_id, self.today))
                meeting.cadence = thresholds.cadence_for(volume)
                meeting.placement_volume = volume
                held = last_held.get(meeting.provider_id)
                meeting.due_date = next_due(
                    meeting.cadence, held.astimezone(LONDON).date() if held else None, self.today
                )
                if meeting.starts_at and meeting.due_date >= self.today:
                    meeting.starts_at = at(meeting.due_date, 10)
                    meeting.ends_at = meeting.starts_at + timedelta(minutes=90)
                elif meeting.starts_at:
                    meeting.starts_at = meeting.ends_at = meeting.booked_by = None
                    meeting.place = meeting.online_link = ""
        self.bulk(ReviewMeeting, meetings, history=True)
        self.meetings_list = meetings

        checks, outcomes, invitees = [], [], []
        counted = {"safeguarding_notifications", "lado_referrals", "complaints"}
        for meeting in meetings:
            if meeting.status == "held":
                for area in ComplianceArea.values:
                    checks.append(
                        ComplianceCheck(
                            meeting=meeting,
                            area=area,
                            rag=pick(rng, {"green": 70, "amber": 22, "red": 8}),
                            count=rng.randint(0, 5) if area in counted else None,
                            notes=texts.progress(rng) if rng.random() < 0.3 else "",
                        )
                    )
                placed = self.placed_on(meeting.provider_id, meeting.held_at.date())
                for person in rng.sample(placed, min(len(placed), rng.randint(0, 3))):
                    outcomes.append(
                        YoungPersonOutcome(
                            meeting=meeting,
                            young_person_id=person,
                            notes=texts.progress(rng),
                            for_case_record=rng.random() < 0.5,
                        )
                    )
            if meeting.starts_at:
                officer = meeting.officer
                invitees.append(
                    MeetingInvitee(
                        meeting=meeting, name=officer.full_name, email=officer.email, user=officer, chair=True
                    )
                )
                for contact in self.contacts_by_provider[meeting.provider_id][:2]:
                    invitees.append(
                        MeetingInvitee(meeting=meeting, name=contact.name, email=contact.email, contact=contact)
                    )
        self.bulk(ComplianceCheck, checks, batch=5_000)
        self.bulk(YoungPersonOutcome, outcomes, batch=5_000)
        self.bulk(MeetingInvitee, invitees, batch=5_000)

    def recommendations(self):
        from reviews.models import ProgressUpdate, Recommendation

        rng, n = self.rng, self.size.recommendations
        staff = self.staff
        owners = {
            "provider": staff["commissioning_officer"] + staff["senior_leader"] + staff["qa_lead"],
            "social_worker": staff["social_worker"],
            "commissioning": staff["commissioning_officer"],
            "qa": staff["qa_lead"],
        }
        # Where they come from: half from visits, a third from review meetings, some from concerns.
        sources = []
        visits = [v for v in self.visits_list if v.visit_date]
        held = [m for m in self.meetings_list if m.status == "held"]
        for _ in range(n):
            roll = rng.random()
            if roll < 0.5 and visits:
                sources.append(("visit", rng.choice(visits)))
            elif roll < 0.86 and held:
                sources.append(("review_meeting", rng.choice(held)))
            elif roll < 0.91 and self.concerns_list:
                sources.append(("concern", rng.choice(self.concerns_list)))
            else:
                sources.append(("other", rng.choice(self.providers_list) if rng.random() < 0.7 else None))
        made = []
        for source, origin in sources:
            provider = origin if source == "other" else (origin.provider if origin is not None else None)
            if source == "visit":
                made_on, by = origin.visit_date, origin.lead_visitor
            elif source == "review_meeting":
                made_on, by = origin.held_at.date(), origin.recorded_by
            elif source == "concern":
                made_on, by = min(self.today, origin.received_on + timedelta(days=7)), rng.choice(staff["qa_lead"])
            else:
                made_on, by = self.days_ago(6 * 365), rng.choice(staff["qa_lead"] + staff["commissioning_officer"])
            level = pick(rng, {"child": 30, "provider_service": 60, "authority_service": 10})
            people = self.ever_placed(provider.pk) if provider else []
            if level == "child" and (not people or source == "concern"):
                level = "provider_service"
            if provider is None:
                level = "authority_service"
            holder = pick(rng, {"provider": 55, "social_worker": 15, "commissioning": 15, "qa": 15})
            due = made_on + timedelta(days=rng.randint(21, 120))
            overdue_by = (self.today - due).days
            if overdue_by < 0:
                status = pick(rng, {"open": 55, "in_progress": 38, "completed": 7})
            elif overdue_by <= 60:
                status = pick(rng, {"completed": 50, "in_progress": 25, "open": 15, "not_accepted": 10})
            else:
                status = pick(rng, {"completed": 86, "not_accepted": 8, "in_progress": 3, "open": 3})
            rec = Recommendation(
                source=source,
                visit=origin if source == "visit" else None,
                review_meeting=origin if source == "review_meeting" else None,
                concern=origin if source == "concern" else None,
                provider=provider,
                level=level,
                young_person_id=rng.choice(people) if level == "child" else None,
                text=texts.recommendation(rng),
                owner=rng.choice(owners[holder]),
                action_holder=holder,
                due_date=due,
                priority=pick(rng, {"high": 20, "medium": 60, "low": 20}),
                status=status,
                created_by=by,
                created_at=at(made_on, 15),
            )
            if status == "completed":
                rec.impact_statement = texts.impact(rng)
                rec.completed_at = at(min(self.today, due + timedelta(days=rng.randint(-20, 20))), 12)
            elif status == "not_accepted":
                rec.not_accepted_reason = texts.reason(rng)
            if source == "visit" and origin.status in ("responded", "finalised") and level != "authority_service":
                rec.provider_accepted = rng.random() < 0.85
                rec.provider_reason = "" if rec.provider_accepted else texts.reason(rng)
                rec.provider_action = texts.progress(rng) if rec.provider_accepted else ""
                rec.provider_action_by = due if rec.provider_accepted else None
                rec.provider_responded_at = at(min(self.today, made_on + timedelta(days=12)), 16)
            if (
                source in ("review_meeting", "other")
                and provider
                and level != "authority_service"
                and rng.random() < 0.4
            ):
                rec.shared_with_provider = True
                rec.shared_with_provider_at = at(made_on + timedelta(days=1), 9)
                rec.shared_with_provider_by = by
            if rng.random() < 0.003:
                rec.removed_at = at(made_on + timedelta(days=1), 10)
                rec.removed_by = by
                rec.removed_reason = "Recorded twice."
            rec._history_date = rec.created_at
            made.append(rec)
        self.bulk(Recommendation, made, history=True, batch=5_000)

        updates = []
        for rec in made:
            made_on = rec.created_at.date()
            steps = {"completed": rng.randint(1, 3), "in_progress": rng.randint(1, 2), "not_accepted": 1}.get(
                rec.status, rng.randint(0, 1)
            )
            span = max(1, (min(self.today, rec.due_date) - made_on).days)
            for k in range(steps):
                last = k == steps - 1
                after = rec.status if last else "in_progress"
                updates.append(
                    ProgressUpdate(
                        recommendation=rec,
                        text=rec.impact_statement if last and after == "completed" else texts.progress(rng),
                        status_after=after,
                        by=rec.owner,
                        at=at(made_on + timedelta(days=span * (k + 1) // (steps + 1)), 11),
                    )
                )
        self.bulk(ProgressUpdate, updates, batch=5_000)

    def committee_report(self):
        from qa_portal.periods import FinancialYear
        from qa_portal.reporting.models import CommitteeReport

        year = FinancialYear.last_full(self.today)
        manager = self.staff["manager"][0]
        CommitteeReport.objects.create(
            title=f"Quality assurance of commissioned placements: annual report {year.label}",
            period_start=year.start,
            period_end=year.end,
            introduction=texts.paragraph(self.rng, 900),
            learning=texts.paragraph(self.rng, 700),
            future_plans=texts.paragraph(self.rng, 500),
            created_by=manager,
            updated_by=manager,
        )
        self.counts["reporting.CommitteeReport"] = 1
