import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qa_portal.settings")

application = get_wsgi_application()

# Each web worker imports, as it starts, what its requests use and Django's start-up leaves to the
# first that needs it: every view, Celery and the tasks (qa_portal.startup).
from qa_portal.startup import load_for_requests  # noqa: E402  (needs Django set up)

load_for_requests()

# Each web worker lays out a small PDF as it starts (about 0.2 s), so the first person to download
# one does not wait for the renderer's one-off costs (qa_portal.pdf.warm_up).
from qa_portal.pdf import warm_up  # noqa: E402  (needs Django set up)

warm_up()

# What the worker has made so far lives as long as it does: set aside, the collector need not walk it
# at every full pass (qa_portal.startup).
from qa_portal.startup import set_aside_what_start_up_made  # noqa: E402

set_aside_what_start_up_made()
