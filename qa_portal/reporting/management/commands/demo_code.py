"""Print the 6-digit code a demo account's authenticator app shows now, for signing in to the demo
without setting up an app (the key is published in the README). Refuses when DEBUG is off.

    python manage.py demo_code
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP

from qa_portal.reporting.demo.accounts import demo_authenticator_key_hex


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("DEBUG is off, so this looks like a live system: there is no demo here.")
        totp = TOTP(bytes.fromhex(demo_authenticator_key_hex()))
        seconds_left = totp.step - int(time.time() - totp.t0) % totp.step
        self.stdout.write(
            f"{totp.token():06d}  (the app shows the next one in {seconds_left} seconds; this one works 30 more)"
        )
