"""Django starts without the libraries only some processes need (issue 15: a visit report as a command
took 1.8 s, 1.4 s of it Django's start-up, most of that importing WeasyPrint, pypdf, openpyxl and
others for every process, the web's, the worker's and every management command's). Each is imported
by the code that uses it, when it is used."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Libraries for documents (PDFs, spreadsheets, calendar invites, QR codes, charts) and their own; Celery
# and Redis's client, for the processes that queue jobs (the web imports them as it starts: wsgi.py); and
# the bank holidays of every country.
HEAVY = ["weasyprint", "fontTools", "pypdf", "openpyxl", "icalendar", "segno", "pygal", "PIL"]
HEAVY += ["celery", "kombu", "redis", "holidays"]

PROBE = f"""
import json, sys
import django
django.setup()
print(json.dumps(sorted(name for name in {HEAVY!r} if name in sys.modules)))
"""


def test_django_starts_without_the_document_libraries():
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST", "DJANGO_SETTINGS_MODULE"))}
    env.update({"DJANGO_SETTINGS_MODULE": "qa_portal.settings", "DEBUG": "1", "PYTHONPATH": str(ROOT)})
    started = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=True
    )
    assert json.loads(started.stdout.strip().splitlines()[-1]) == []


def test_a_web_process_has_every_view_and_the_tasks_before_its_first_request():
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST", "DJANGO_SETTINGS_MODULE"))}
    env.update({"DJANGO_SETTINGS_MODULE": "qa_portal.settings", "DEBUG": "1", "PYTHONPATH": str(ROOT)})
    probe = (
        "import sys\n"
        "import qa_portal.wsgi\n"
        "from qa_portal.celery import app\n"
        "print(sorted(name for name in ('qa_portal.tasks', 'reviews.tasks', 'reviews.views.tracker') if name in sys.modules))\n"
        "print(app.conf.broker_url.startswith('redis://'))\n"
    )
    started = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=True
    )
    assert started.stdout.strip().splitlines()[-2:] == [
        "['qa_portal.tasks', 'reviews.tasks', 'reviews.views.tracker']",
        "True",
    ]


def test_a_fresh_process_finds_weasyprint_and_its_libraries_when_it_first_makes_a_pdf():
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST", "DJANGO_SETTINGS_MODULE"))}
    env.update({"DJANGO_SETTINGS_MODULE": "qa_portal.settings", "DEBUG": "1", "PYTHONPATH": str(ROOT)})
    probe = (
        "import django; django.setup()\n"
        "from qa_portal.pdf_layout import write_pdf\n"
        "print(write_pdf('<p>Hello</p>')[:5].decode())\n"
    )
    started = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=True
    )
    assert started.stdout.strip().splitlines()[-1] == "%PDF-"


def test_a_web_process_sets_aside_what_it_made_as_it_started_from_the_collectors_passes():
    """gc.freeze once warmed up (qa_portal.startup.set_aside_what_start_up_made): the collector's full
    passes, set off by a PDF's layout, no longer walk the objects every process keeps."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST", "DJANGO_SETTINGS_MODULE"))}
    env.update({"DJANGO_SETTINGS_MODULE": "qa_portal.settings", "DEBUG": "1", "PYTHONPATH": str(ROOT)})
    probe = "import gc\nimport qa_portal.wsgi\nprint(gc.get_freeze_count() > 100_000, gc.isenabled())\n"
    started = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=True
    )
    assert started.stdout.strip().splitlines()[-1] == "True True"
