"""Committee pack workflows: queue a version for the worker (and again, after an outage), save
the narrative draft without overwriting a colleague, start a report and change its period."""

import logging
from datetime import date
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from qa_portal import catchup
from qa_portal.dates import period_problem
from qa_portal.documents import making
from qa_portal.models import User
from qa_portal.reporting.committee.build import _update
from qa_portal.reporting.committee.figures import default_title
from qa_portal.reporting.models import CommitteePackVersion, CommitteeReport, PackStatus

logger = logging.getLogger(__name__)


def enqueue_build(version_id: int) -> bool:
    """Hand the version to the worker. If the broker cannot be reached the version stays queued,
    the page says so, and the catch-up hands it over once the broker is back."""
    # Imported here, when a job is first queued: a tasks module loads Celery, which a process that
    # queues nothing (a visit report made as a command) is quicker without (qa_portal.celery).
    from qa_portal.reporting.tasks import build_committee_pack

    try:
        build_committee_pack.delay(version_id)
    except Exception as exc:  # the broker being down must never break the page
        logger.warning("Could not queue committee pack version %s (%s)", version_id, exc)
        _update(version_id, progress_message="Waiting: the background worker could not be reached")
        return False
    return True


@transaction.atomic
def committee_pack_generate(*, report: CommitteeReport, by: User) -> CommitteePackVersion:
    """Add a queued version of the report's pack and queue its making once this transaction commits."""
    locked = CommitteeReport.objects.select_for_update().get(pk=report.pk)  # one number per version
    last = locked.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = CommitteePackVersion.objects.create(
        report=locked,
        number=last + 1,
        created_by=by,
        period_start=locked.period_start,
        period_end=locked.period_end,
        progress_message="Queued: waiting for the background worker",
    )
    transaction.on_commit(partial(enqueue_build, version.pk))
    return version


def committee_pack_resend(*, version: CommitteePackVersion) -> bool:
    """ "Try again": queue again a version still waiting (the broker was down), or one that failed,
    keeping its number; a failed one starts afresh with making.MAX_ATTEMPTS attempts. Returns whether it
    was queued (a version being made or made already is left alone)."""
    now = timezone.now()
    again = CommitteePackVersion.objects.filter(pk=version.pk)
    if version.status == PackStatus.QUEUED:
        changed = again.filter(status=PackStatus.QUEUED).update(
            queued_at=now, progress_message="Queued again: waiting for the background worker"
        )
    elif version.status == PackStatus.FAILED:
        changed = again.filter(status=PackStatus.FAILED).update(
            status=PackStatus.QUEUED,
            attempts=0,
            queued_at=now,
            progress=0,
            progress_message="Queued again: waiting for the background worker",
            error="",
            finished_at=None,
        )
    else:
        return False
    if changed:
        transaction.on_commit(partial(enqueue_build, version.pk))
    return bool(changed)


def committee_packs_catch_up(occasion: catchup.Occasion) -> dict[str, int]:
    """The committee pack's part of the catch-up (registered in ReportingConfig.ready()):

    - a version being made by a worker that is gone (one restarted under the same name, or silent
      for making.STALLED_AFTER) is queued again, or after making.MAX_ATTEMPTS marked failed with a
      "Try again" button;
    - a version still queued since before the worker connected to Redis (or for
      making.QUEUED_AGAIN_AFTER) is handed to the broker again, in case the broker was down when it
      was made or lost it. A message delivered twice makes one pack.

    The same rules as documents' (qa_portal.documents.making.take_up).

    Returns counts for the catch-up's summary."""
    queued_again, failed = making.take_up(
        CommitteePackVersion,
        occasion,
        enqueue=enqueue_build,
        what="Committee pack version",
        gave_up="The background worker stopped while making this version, {attempts} times.",
    )
    counts = {"packs queued again": queued_again, "packs failed": failed}
    return {name: count for name, count in counts.items() if count}


class EditConflict(Exception):
    def __init__(self, report: CommitteeReport):
        super().__init__("Someone else saved this report since you opened it")
        self.report = report


NARRATIVE_FIELDS = ("introduction", "learning", "future_plans")


@transaction.atomic
def committee_report_save(*, report: CommitteeReport, by: User, loaded_at, values: dict) -> CommitteeReport:
    """Save the narrative draft, unless someone else saved it since `loaded_at` (a sort of optimistic
    lock: the update only matches the row as it was when the page was loaded)."""
    now = timezone.now()
    changed = CommitteeReport.objects.filter(pk=report.pk, updated_at=loaded_at).update(updated_at=now)
    if not changed:
        raise EditConflict(CommitteeReport.objects.select_related("updated_by").get(pk=report.pk))
    report.refresh_from_db()
    for name in NARRATIVE_FIELDS:
        setattr(report, name, values.get(name, ""))
    report.updated_by = by
    report.updated_at = now
    report.full_clean()
    report._history_user = by
    report.save()
    return report


def _check_period(period_start: date, period_end: date) -> None:
    if problem := period_problem(period_start, period_end):
        field, message = problem
        raise ValidationError({field: message})


def committee_report_create(*, by: User, title: str, period_start: date, period_end: date) -> CommitteeReport:
    """A new committee report for the period (ValidationError if it is not one a committee reports
    on: `qa_portal.dates.period_problem`), titled by the period if `title` is blank."""
    _check_period(period_start, period_end)
    report = CommitteeReport(
        title=title or default_title(period_start, period_end),
        period_start=period_start,
        period_end=period_end,
        created_by=by,
        updated_by=by,
    )
    report.full_clean()
    report._history_user = by
    report.save()
    return report


@transaction.atomic
def committee_report_change_period(
    *, report: CommitteeReport, by: User, period_start: date, period_end: date
) -> CommitteeReport:
    """Change the report's period (ValidationError if it is not one a committee reports on). The
    narrative is kept, and packs already made keep the period they were made for; a report whose
    period was stored before periods were checked (1 January 0001, say) is mended this way."""
    _check_period(period_start, period_end)
    report = CommitteeReport.objects.select_for_update().get(pk=report.pk)
    report.period_start, report.period_end = period_start, period_end
    report.full_clean()
    report._history_user = by
    report._change_reason = "Changed the period"
    report.save(update_fields=["period_start", "period_end"])
    return report
