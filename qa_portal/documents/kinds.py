"""The kinds of document the worker can make, each registered by the app whose records it holds.

The base knows no app: an app registers its kinds in its AppConfig.ready(), naming the function
that makes the file, its formats, and who may have it (a permission, or a check of access):

    kinds.register(kinds.Kind(
        name="recommendation-tracker", label="Recommendation and Impact Tracker",
        build=tracker.tracker_file, formats=("csv", "xlsx", "pdf"),
        permission="reviews.view_recommendation", noun="recommendation",
    ))

`build(request, fmt, progress)` returns a BuiltFile. It is called with a GET request carrying the
requester as `user`, the list's filters as `GET` and the address's arguments in `resolver_match`:
the real request when the file is small enough to make at once, one rebuilt from the stored
document in the worker otherwise, so both paths run the same code and apply the same access
rules. It reports how far it has got through `progress`, which does nothing in a web request.

A list may also give `stream_csv(request)`, returning a StreamedCsv: its CSV is then never made by
the worker but sent as it is written, in the web request, whatever its length (services.respond).
"""

import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.module_loading import import_string

from qa_portal.access_log import Subjects


@dataclass(frozen=True)
class BuiltFile:
    """A finished document: its file name, MIME type and bytes. `inline`: opened in the browser
    (a report to read) rather than saved (a spreadsheet). `subjects`: whose personal data it holds
    (the young people in its rows), recorded in the access log when it is handed to the person."""

    filename: str
    content_type: str
    content: bytes
    inline: bool = False
    subjects: Subjects | None = None

    @classmethod
    def from_response(cls, response: HttpResponse, *, subjects: Subjects | None = None) -> "BuiltFile":
        """The file a download response holds (such as qa_portal.exports.spreadsheet_response's),
        named as its Content-Disposition names it."""
        disposition = response.get("Content-Disposition", "")
        found = re.search(r'filename="([^"]+)"', disposition)
        return cls(
            filename=found.group(1) if found else "document",
            content_type=response["Content-Type"],
            content=response.content,
            inline=disposition.startswith("inline"),
            subjects=subjects,
        )


@dataclass(frozen=True)
class StreamedCsv:
    """A list's CSV to send as it is written (qa_portal.exports.streaming_csv_response): the file is
    called `name-<today>.csv`; `rows` is read only as the file is sent, so it should be an iterator
    over the database (QuerySet.iterator) with what each row shows fetched in the same query.
    `lines`, given instead of `rows`, are the rows written by the database already
    (qa_portal.exports.csv_lines_from_database). `subjects`: whose personal data it holds, recorded
    in the access log as it is handed over."""

    name: str
    columns: list[str]
    rows: Iterable = ()
    subjects: Subjects | None = None
    lines: Iterable[bytes] | None = None


class Progress:
    """How far a document has got, for its page's progress bar: `progress(percent, message)`.

    Made with nothing to report to (in a web request) it only keeps count. The bar never goes
    backwards. For one long call that cannot report as it goes (WeasyPrint laying out a PDF),
    `expect()` says how long it should take, and `tick()` (called every couple of seconds by the
    worker's own thread) moves the bar towards the given end meanwhile, never quite reaching it."""

    def __init__(self, report: Callable[[int, str], None] | None = None):
        self._report = report
        self._lock = threading.Lock()
        self.percent = 0
        self.message = ""
        self._estimate: tuple[float, int, int, float] | None = None

    def __call__(self, percent: float, message: str | None = None) -> None:
        with self._lock:
            self._estimate = None
            self._set(percent, message)

    def _set(self, percent: float, message: str | None) -> None:
        self.percent = max(self.percent, min(int(percent), 100))
        self.message = message or self.message
        if self._report:
            self._report(self.percent, self.message)

    def rows(self, iterable: Iterable, total: int, *, start: int, end: int, message: str) -> Iterator:
        """`iterable`'s items, reporting a share of start..end percent as they are taken, about
        50 times in all. `message` may name {n} (rows so far) and {total}."""
        every = max(total // 50, 1)
        for n, item in enumerate(iterable, 1):
            yield item
            if self._report and (n % every == 0 or n == total):
                share = min(n / total, 1) if total else 1
                self(start + (end - start) * share, message.format(n=f"{n:,}", total=f"{total:,}"))

    def expect(self, seconds: float, *, until: int, message: str) -> None:
        """The next step should take about `seconds`: until the next report, tick() moves the bar
        from where it is towards `until`."""
        with self._lock:
            self._set(self.percent, message)
            self._estimate = (time.monotonic(), self.percent, until, max(seconds, 1.0))

    def tick(self) -> bool:
        """Move the bar along the current estimate, if any; returns whether it moved."""
        with self._lock:
            if self._estimate is None:
                return False
            started, low, high, seconds = self._estimate
            share = min((time.monotonic() - started) / seconds, 1.0)
            # Stops one short of the end: a step that takes longer than expected never shows as done.
            target = low + (high - 1 - low) * share
            if int(target) <= self.percent:
                return False
            self._set(target, None)
            return True


Builder = Callable[[HttpRequest, str, Progress], BuiltFile]
Streamer = Callable[[HttpRequest], StreamedCsv]


def rows_in_request(fmt: str) -> int:
    """How many rows a file of `fmt` may hold and still be made in the web request (settings
    PDF_ROWS_IN_REQUEST and SPREADSHEET_ROWS_IN_REQUEST); a bigger one goes to the worker."""
    return settings.PDF_ROWS_IN_REQUEST if fmt == "pdf" else settings.SPREADSHEET_ROWS_IN_REQUEST


@dataclass(frozen=True)
class Kind:
    """A kind of document. `name` is stored on each document (keep it stable); `label` names it on
    pages ("Recommendation and Impact Tracker"); `noun` is what a row is ("recommendation").

    Who may have one: `permission`, if given, is needed to ask for it, to have it made and, still,
    to download it; `check(request)`, if given, is called with the document's request (the person
    now downloading it as `user`) and raises Http404 or PermissionDenied if they may no longer see
    what it holds (a visit report: the visit). `inline`: opened in the browser when downloaded."""

    name: str
    label: str
    build: Builder
    formats: tuple[str, ...]
    permission: str | None = None
    check: Callable[[HttpRequest], object] | None = None
    noun: str = "row"
    inline: bool = False
    # The page it was asked for from, to go back to (a URL name); blank: none.
    list_url_name: str = ""
    # Its CSV sent as it is written, at once whatever its length (see the module); None: built.
    stream_csv: Streamer | None = None

    def counted(self, rows: int) -> str:
        """ "2,000 recommendations", "1 recommendation"."""
        return f"{rows:,} {self.noun}{'' if rows == 1 else 's'}"

    def record_of(self, request: HttpRequest):
        """The one record the document is about, for its access-log entry: what `check(request)`
        returns when that is a model instance (a visit, a meeting), else None."""
        if self.check is None:
            return None
        found = self.check(request)
        return found if isinstance(found, Model) else None

    def allows(self, request: HttpRequest) -> bool:
        """Whether `request.user` may (still) have this document, made with `request`'s filters."""
        user = request.user
        if not (user.is_active and (self.permission is None or user.has_perm(self.permission))):
            return False
        if self.check is not None:
            try:
                self.check(request)
            except (Http404, PermissionDenied):
                return False
        return True


_KINDS: dict[str, Kind] = {}
_LATER: list[str] = []
_LATER_LOCK = threading.RLock()


def register_later(registers: str) -> None:
    """Have the function at import path `registers` ("visits.documents.register_documents"), which
    calls register() for an app's kinds, called when a kind is first asked for (an app's
    AppConfig.ready() calls this). Not at start-up: the modules that make documents import the
    app's views, which a process that makes none, such as a PDF command, is quicker without (about a
    tenth of Django's start-up; issue 15)."""
    with _LATER_LOCK:
        if registers not in _LATER:
            _LATER.append(registers)


def _register_the_rest() -> None:
    with _LATER_LOCK:
        while _LATER:
            import_string(_LATER[0])()
            _LATER.pop(0)


def register(kind: Kind) -> Kind:
    """Add a kind (an app's AppConfig.ready() calls this). Registering the same name twice with a
    different builder is a programming error."""
    known = _KINDS.get(kind.name)
    if known is not None and known != kind:
        raise ImproperlyConfigured(f"A document kind named {kind.name!r} is registered already.")
    _KINDS[kind.name] = kind
    return kind


def get(name: str) -> Kind:
    """The registered kind; ImproperlyConfigured if no app registered it."""
    _register_the_rest()
    try:
        return _KINDS[name]
    except KeyError:
        raise ImproperlyConfigured(f"No document kind {name!r} is registered.") from None
