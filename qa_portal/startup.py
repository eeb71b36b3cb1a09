"""What a process does once Django has started, by kind of process.

Django's start-up imports only what every process needs (issue 15: a visit report made as a command
took 1.56 s, 0.9 s of it Django's start-up). What only some processes use is imported by the code
that uses it: the URLconf and views by the first request, Celery and the tasks by the first job
queued (qa_portal.celery), WeasyPrint by the first PDF (qa_portal.pdf_layout), the modules that make
documents and catch up by the first that is asked for (qa_portal.documents.kinds, qa_portal.catchup).
A web process imports them as it starts instead (load_for_requests), so no request waits for them.
"""

import gc
import importlib
import importlib.util

from django.apps import apps


def collect_from_here() -> None:
    """If the garbage collector was turned off for Django's start-up (manage.py does), set aside every
    object start-up made, which lives as long as the process (gc.freeze: the collector never walks them
    again), and turn it back on. Elsewhere (the web's gunicorn, the Celery worker, tests) it is on, and
    this does nothing.

    Called by the last installed app's ready() (qa_portal.reporting), after every other app's."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def set_aside_what_start_up_made() -> None:
    """In a long-lived process that has started (a web worker, a Celery worker process, a PDF layout
    process): collect what start-up left as garbage, then set aside every object still alive
    (gc.freeze), which lives as long as the process, so that the collector's full passes never walk
    them again. Issue 15: a web worker holds about 165,000 objects the collector tracks once it has
    warmed up; laying out a 6-page visit report set off about one full pass in two, each walking all
    of them: 67 ms of collecting a report, 20 ms once they were set aside (a tenth of its layout)."""
    gc.collect()
    gc.freeze()


def load_for_requests() -> None:
    """In a web process as it starts (qa_portal/wsgi.py): import the URLconf with every view, and
    Celery's app with every app's tasks (the jobs pages queue), as Django's start-up used to."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018  imports the URLconf, and with it every view
    for config in apps.get_app_configs():
        module = f"{config.name}.tasks"
        if importlib.util.find_spec(module) is not None:
            importlib.import_module(module)
