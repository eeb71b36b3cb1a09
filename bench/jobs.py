"""The daily jobs on a bench database, as their first real run, leaving the database as it was.

    python -m bench.jobs --database NAME [--deliver-seconds S]     prints JSON

Runs `schedule_reviews` and then `send_reminders` (the management commands beat's tasks call) each
inside a transaction that is rolled back at the end, so every run of the bench measures the same
first run. Inside it, the emails the job recorded are sent as the worker would send them
(qa_portal.delivery.deliver) to the SMTP sink the bench runs on loopback (EMAIL_URL), for at most
`--deliver-seconds`; the rest are counted, not sent. Nothing is queued: the transaction never
commits, so the on-commit hand-over to Celery never happens.

Output: {job: {"seconds", "messages", "by_kind", "delivered", "delivery_seconds", "output"}}.
"""

import argparse
import io
import json
import sys
import time
from collections import Counter

from bench import config


class _RolledBack(Exception):
    pass


def run_job(command: str, deliver_seconds: float) -> dict:
    from django.core.management import call_command
    from django.db import transaction
    from django.db.models import Max

    from qa_portal.delivery import deliver
    from qa_portal.models import Notification

    result: dict = {}
    try:
        with transaction.atomic():
            last = Notification.objects.aggregate(last=Max("pk"))["last"] or 0
            out = io.StringIO()
            started = time.monotonic()
            call_command(command, stdout=out)
            result["seconds"] = round(time.monotonic() - started, 2)
            made = Notification.objects.filter(pk__gt=last)
            result["messages"] = made.count()
            result["by_kind"] = dict(Counter(made.values_list("kind", flat=True)))
            result["recipients"] = made.values("email").distinct().count()
            result["output"] = out.getvalue().strip().splitlines()[-1:]
            started, delivered = time.monotonic(), 0
            for pk in made.order_by("pk").values_list("pk", flat=True):
                if time.monotonic() - started > deliver_seconds:
                    break
                if deliver(pk) == "sent":
                    delivered += 1
            result["delivered"] = delivered
            result["delivery_seconds"] = round(time.monotonic() - started, 2)
            raise _RolledBack
    except _RolledBack:
        pass
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", required=True)
    parser.add_argument("--deliver-seconds", type=float, default=30)
    args = parser.parse_args(argv)
    config.setup_django(args.database)
    results = {command: run_job(command, args.deliver_seconds) for command in ("schedule_reviews", "send_reminders")}
    json.dump(results, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
