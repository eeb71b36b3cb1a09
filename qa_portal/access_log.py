"""The access log of personal data: every view and download of a young person's data, with who,
what and when, kept ACCESS_LOG_KEEP_DAYS days (the daily job `delete_old_access_log` deletes older
entries) and shown to the QA lead per young person ("Who has seen this record").

The base knows no app, so it logs people by model and id (`Subjects`): the app whose people they
are names them (providers.privacy.young_people), and asks for the entries about one of them with
`entries_about`. A page, list or document records one entry however many people it shows, with
all their ids, so a list of 50 young people is one row, found from each of the 50.

How to log:

- A page that shows people's personal data calls `record_access` once it has loaded what it shows,
  after the access checks (a refused request shows nothing and records nothing), with the people it
  shows to this user (the same condition the template uses to hide them).
- A download made by `qa_portal.documents` says whom it holds in its `BuiltFile.subjects`: it is
  recorded when it is handed to the person (at once, or, for one made by the worker, on download:
  making it records nothing).
- Nobody's data shown, nothing recorded: `record_access` with no subjects does nothing. A document
  that names nobody but is itself the council's record (the committee pack) is recorded on download
  with no subjects (`record_download_naming_nobody`).
- A form whose choices list people (a young person to pick) records them as listed
  (AccessAction.LISTED) each time the form is shown, in one entry.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, QuerySet
from django.utils import timezone

from qa_portal.audit.models import AccessAction, PersonalDataAccess

__all__ = [
    "AccessAction",
    "Subjects",
    "delete_old_entries",
    "entries_about",
    "record_access",
    "record_download_naming_nobody",
]


@dataclass(frozen=True)
class Subjects:
    """Whose personal data a page or document holds: a model (its label, "providers.youngperson")
    and the ids of its records, each once, in order."""

    model: str
    ids: tuple[int, ...]

    @classmethod
    def of(cls, model: type[Model], *id_lists: Iterable[int | None]) -> "Subjects":
        """The people of `model` whose ids are in any of `id_lists` (None, for a row about nobody, is
        left out): Subjects.of(YoungPerson, [met.pk for met in …], recommendation_young_person_ids)."""
        ids = {pk for id_list in id_lists for pk in id_list if pk is not None}
        return cls(model._meta.label_lower, tuple(sorted(ids)))

    def __bool__(self) -> bool:
        return bool(self.ids)

    def to_json(self) -> dict:
        """For a document made by the worker, kept until it is downloaded."""
        return {"model": self.model, "ids": list(self.ids)} if self.ids else {}

    @classmethod
    def from_json(cls, data: dict | None) -> "Subjects | None":
        if not data or not data.get("ids"):
            return None
        return cls(data["model"], tuple(int(pk) for pk in data["ids"]))


def record_access(
    user,
    action: AccessAction,
    what: str,
    subjects: Subjects | None,
    *,
    record: Model | None = None,
    request=None,
    path: str | None = None,
) -> PersonalDataAccess | None:
    """Log that `user` had the personal data of `subjects` by `action` (viewed a page, downloaded a
    PDF, exported a list…). `what` names the page or document in words that name nobody ("Young
    person's page"); `record` is the one record it was about, if any (a visit, a meeting); the
    address is `path`, or `request`'s (with its filters). Returns the entry, or None if `subjects`
    is empty: nothing personal was shown."""
    if not subjects:
        return None
    if path is None:
        path = request.get_full_path() if request is not None else ""
    app_label, model_name = subjects.model.split(".")
    return PersonalDataAccess.objects.create(
        user=user,
        action=action,
        what=what[:300],
        path=path[:500],
        record_type=ContentType.objects.get_for_model(record) if record is not None else None,
        record_id=record.pk if record is not None else None,
        subject_type=ContentType.objects.get_by_natural_key(app_label, model_name),
        subject_ids=list(subjects.ids),
    )


def record_download_naming_nobody(user, what: str, *, record: Model, request) -> PersonalDataAccess:
    """Log that `user` downloaded the document `what` about `record`, which names nobody (a committee
    pack: the young people are only counted) but is still the council's to account for: who, when and
    which, with no subjects, so it is on no young person's "Who has seen this record"."""
    return PersonalDataAccess.objects.create(
        user=user,
        action=AccessAction.DOWNLOADED,
        what=what[:300],
        path=request.get_full_path()[:500],
        record_type=ContentType.objects.get_for_model(record),
        record_id=record.pk,
        subject_type=None,
        subject_ids=[],
    )


def entries_about(model: type[Model], pk: int) -> QuerySet:
    """Every kept entry that held the data of `model` record `pk`, newest first (uses the GIN index
    on subject_ids)."""
    return (
        PersonalDataAccess.objects.filter(
            subject_type=ContentType.objects.get_for_model(model), subject_ids__contains=[pk]
        )
        .select_related("user")
        .order_by("-at", "-pk")
    )


def kept_since(now: datetime | None = None) -> datetime:
    """The oldest moment whose entries are kept (settings.ACCESS_LOG_KEEP_DAYS before `now`)."""
    return (now or timezone.now()) - timedelta(days=settings.ACCESS_LOG_KEEP_DAYS)


def delete_old_entries(now: datetime | None = None) -> dict[str, int]:
    """Daily: delete the entries older than ACCESS_LOG_KEEP_DAYS. Returns the job's summary,
    {"deleted": n}."""
    deleted, _ = PersonalDataAccess.objects.filter(at__lt=kept_since(now)).delete()
    return {"deleted": deleted}
