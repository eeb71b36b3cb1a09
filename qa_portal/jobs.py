"""A record of every scheduled job run, shown to the QA lead."""

from contextlib import contextmanager

from django.utils import timezone

from qa_portal.models import JobRun


@contextmanager
def record_job(job: str, *, dry_run: bool = False):
    """Run a job's body, recording when it ran, whether it worked and the summary it filled in."""
    run = JobRun.objects.create(job=job, dry_run=dry_run)
    summary: dict = {}
    try:
        yield summary
    except Exception as exc:
        run.ok, run.error = False, f"{exc.__class__.__name__}: {exc}"[:2000]
        raise
    else:
        run.ok = True
    finally:
        run.summary = summary
        run.finished_at = timezone.now()
        run.save(update_fields=["ok", "error", "summary", "finished_at"])
