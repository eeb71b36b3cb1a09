"""How many database queries each page and download of the plan makes, in one bench database.

    python -m bench.queries --database NAME --plan FILE      prints {key: queries} as JSON

Each page is opened once to warm caches and then counted (a download is counted the first time),
with Django's test client signed in as the plan's person (with the second factor given, as tests/signin.Client does) and
CaptureQueriesContext, inside a transaction rolled back afterwards, so nothing it writes (the access
log, a document queued) stays. A streamed download is read to its end inside the count. A page that
fails counts as None, with its status.
"""

import argparse
import json
import sys

from bench import config


class _RolledBack(Exception):
    pass


def count_queries(plan: dict) -> dict:
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from qa_portal.models import User

    clients = {}

    def client_for(role: str) -> Client:
        if role not in clients:
            user = User.objects.get(email=plan["users"][role])
            client = Client(HTTP_HOST=config.HOST, HTTP_X_FORWARDED_PROTO="https")
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.filter(user=user).first().persistent_id
            session.save()
            clients[role] = client
        return clients[role]

    def open_once(client, path):
        response = client.get(path, secure=True)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
        return response

    counts, statuses = {}, {}
    downloads = {item["key"] for item in plan["downloads"]}
    for item in plan["pages"] + plan["downloads"]:
        client = client_for(item["role"])
        try:
            with transaction.atomic():
                if item["key"] not in downloads:  # downloads take long: counted from their first
                    open_once(client, item["path"])
                with CaptureQueriesContext(connection) as captured:
                    response = open_once(client, item["path"])
                raise _RolledBack
        except _RolledBack:
            pass
        except Exception as exc:  # a page that breaks is reported, not fatal to the run
            counts[item["key"]], statuses[item["key"]] = None, f"{exc.__class__.__name__}: {exc}"[:300]
            continue
        counts[item["key"]] = len(captured)
        statuses[item["key"]] = response.status_code
    return {"queries": counts, "status": statuses}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", required=True)
    parser.add_argument("--plan", required=True)
    args = parser.parse_args(argv)
    config.setup_django(args.database)
    with open(args.plan) as file:
        plan = json.load(file)
    json.dump(count_queries(plan), sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
