"""The Celery app. Settings come from Django's (CELERY_* names); tasks are found per app.

Since Celery 5.4 tasks are DjangoTask, so `task.delay_on_commit(...)` queues a job only
once the surrounding transaction has committed: use it whenever a job reads rows the
current request is writing.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qa_portal.settings")

app = Celery("qa_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
