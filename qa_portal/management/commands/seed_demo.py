"""Load demo data: one account per role (see README for the sign-ins).

Safe to run again: it refreshes the same records rather than adding more. Refuses to
run when DEBUG is off, so demo passwords never reach a live system by accident.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from qa_portal import demo


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
        for email, role, created in demo.seed():
            self.stdout.write(f"{'created' if created else 'updated'}: {email} ({role})")
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready. Every demo account's password is {demo.DEMO_PASSWORD!r}.")
        )
