"""Send the day's reminders, each once (what beat runs daily): recommendations due within 7 days
and overdue (a digest per owner), provider responses past due, visits still in draft 10 days
after the visit, review meetings in 14 and 2 days, providers to flag to the QA lead.

--dry-run prints what would be sent, and sends and records nothing."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Max

from qa_portal.jobs import record_job
from qa_portal.models import Notification
from qa_portal.reporting.reminders import send_reminders


class DryRun(Exception):
    pass


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Show what would be sent; send nothing.")

    def handle(self, *args, dry_run=False, **options):
        if dry_run:
            try:
                with transaction.atomic():
                    last = Notification.objects.aggregate(last=Max("pk"))["last"] or 0
                    send_reminders()
                    made = list(Notification.objects.filter(pk__gt=last).order_by("kind", "email"))
                    # Rolled back: nothing recorded, so nothing is queued or sent.
                    raise DryRun
            except DryRun:
                pass
            for notification in made:
                self.stdout.write(f"Would send to {notification.email}: {notification.subject}")
            self.stdout.write(f"{len(made)} reminder(s) would be sent.")
            return
        with record_job("send_reminders") as summary:
            summary.update(send_reminders().summary())
        total = sum(v for v in summary.values() if isinstance(v, int))
        self.stdout.write(f"{total} reminder(s) made: " + (", ".join(f"{k} {v}" for k, v in summary.items()) or "none"))
