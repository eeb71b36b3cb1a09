"""Load demo data: one account per role (see README for the sign-ins), a provider register
shaped like the City of London's (providers, settings, Ofsted inspections, young people,
placements and concerns), its 2024-25 QA visits with their recommendations, and this
year's visits in progress.

Safe to run again: it refreshes the same records rather than adding more. Refuses to
run when DEBUG is off, so demo passwords never reach a live system by accident.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from qa_portal.reporting import demo


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even though DEBUG is off.")

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off, so this looks like a live system: demo accounts have published passwords. "
                "Use --force if you really mean it."
            )
        result = demo.seed()
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
            f"{recs['completed']} completed, {recs['not_accepted']} not accepted; {recs['overdue']} overdue)."
        )
        self.stdout.write(
            f"Review meetings: {recs['review_meetings']} ({recs['meetings_held']} held, {recs['meetings_open']} open, "
            f"{recs['meetings_overdue']} overdue), {recs['compliance_checks']} compliance checks "
            f"({recs['red_ratings']} red), {recs['meeting_recommendations']} raised at meetings."
        )
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready. Every demo account's password is {demo.DEMO_PASSWORD!r}.")
        )
