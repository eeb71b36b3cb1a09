"""QA Portal. The Celery app is qa_portal.celery, imported only by the processes that use it."""
