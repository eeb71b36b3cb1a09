"""Load the demo: one account per role (see the README for the sign-ins), a provider register
shaped like the City of London's, and its QA visits, review meetings and recommendations. The
demo's year is always the last full financial year before today, with the City's 2024-25 shape
(six visits, 22 of 56 children and young people met, 39%); the months since hold a current year
under way.

    python manage.py seed_demo [--today 2025-11-15] [--force]

Safe to run again: it refreshes the same records rather than adding more. Refuses to run when
DEBUG is off, so demo passwords never reach a live system by accident.
"""

from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from qa_portal.reporting import demo


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--today must be a date as YYYY-MM-DD, like 2025-11-15; got {value!r}.") from None


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even though DEBUG is off.")
        parser.add_argument(
            "--today", help="Load the demo as it would have stood on this earlier day (YYYY-MM-DD), for testing."
        )

    def handle(self, *args, force=False, today=None, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off, so this looks like a live system: demo accounts have published passwords. "
                "Use --force if you really mean it."
            )
        day = _day(today) if today else None
        if day and day > timezone.localdate():
            # The portal refuses records dated in the future (a concern received tomorrow, say).
            raise CommandError(f"--today must not be after today ({timezone.localdate():%Y-%m-%d}).")
        result = demo.seed(today=day)
        for email, role, created in result.accounts:
            self.stdout.write(f"{'created' if created else 'updated'}: {email} ({role})")
        counts = result.register
        self.stdout.write(
            f"Provider register: {counts['providers']} providers, {counts['settings']} settings, "
            f"{counts['inspections']} Ofsted inspections, {counts['contacts']} contacts, "
            f"{counts['young_people']} young people, {counts['placements']} placements "
            f"({counts['active_placements']} active today), {counts['concerns']} concerns."
        )
        visits = result.visits
        self.stdout.write(
            f"QA visits: {visits['visits']} visits ({visits['finalised']} finalised), "
            f"{visits['young_people_met']} young people met on finalised visits, "
            f"{visits['case_records']} case records."
        )
        recs = result.recommendations
        self.stdout.write(
            f"Recommendations: {recs['recommendations']} ({recs['open']} open, {recs['in_progress']} in progress, "
            f"{recs['completed']} completed, {recs['not_accepted']} not accepted; {recs['overdue']} overdue), "
            f"{recs['meeting_recommendations']} raised at review meetings."
        )
        meetings = result.meetings
        self.stdout.write(
            f"Review meetings: {meetings['review_meetings']} ({meetings['meetings_held']} held, "
            f"{meetings['meetings_open']} open, {meetings['meetings_overdue']} overdue), "
            f"{meetings['compliance_checks']} compliance checks ({meetings['red_ratings']} red)."
        )
        risk = result.risk
        self.stdout.write(
            f"Risk ratings: {risk['high']} High, {risk['medium']} Medium, {risk['low']} Low; "
            f"{risk['overrides']} overridden by hand."
        )
        plans, responses = result.action_plans, result.responses
        self.stdout.write(
            f"Action plans: {plans['action_plans']} ({plans['awaiting_review']} awaiting review, "
            f"{plans['overdue']} overdue, {plans['recheck_due']} re-check due). Responses to an Inadequate "
            f"judgement: {responses['responses']} ({responses['open']} open, "
            f"safe-to-remain decisions overdue: {responses['decisions_overdue']})."
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: its year is {result.year.label}, the last full financial year. "
                f"Every demo account's password is {demo.DEMO_PASSWORD!r}; its authenticator app key is "
                f"{demo.DEMO_AUTHENTICATOR_KEY} (python manage.py demo_code shows the code to enter now)."
            )
        )
