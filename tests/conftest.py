import gc
import os
import socket
import time
from datetime import timedelta
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from qa_portal.roles import Role
from tests.axe import assert_no_axe_violations, axe_settled, watch_axe
from tests.csp import assert_no_csp_violations, watch_csp
from tests.factories import PlacementFactory, ProviderFactory, UserFactory, VisitFactory, YoungPersonFactory

BASE_DIR = Path(__file__).resolve().parent.parent


# The tests that take longest, in the order they start: the crawl of every page as every role, the
# other browser tests, then the tests with worker processes of their own.
LONGEST_FIRST = (
    "test_every_page_each_role_can_reach_keeps_to_the_policy_and_fits_a_320_px_window",
    "browser",
    "processes",
)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Start the longest tests first (after pytest-django has put transactional tests after the rest).
    pytest-xdist's worksteal gives each process a run of the list and lets the idle ones take from
    the end of the others', so a long test left near the end holds up the whole run: the crawl of
    every page, a few minutes on its own, began in the last minutes. Only the order changes: a
    transactional test leaves the database as it found it (tests/databases.py)."""

    def rank(item) -> int:
        for number, what in enumerate(LONGEST_FIRST):
            if item.name == what or item.get_closest_marker(what):
                return number
        return len(LONGEST_FIRST)

    items.sort(key=rank)


def pytest_collection_finish(session):
    """Move every object alive once the tests are collected (Django, the test modules, WeasyPrint's
    and pypdf's modules...) into the garbage collector's permanent generation (gc.freeze), so that no
    collection walks them again. A full collection in a test process otherwise walks a few million
    objects that live as long as it does: the committee pack's layout and join collect after each
    part, and took 1 to 1.5 s a collection, about a third of the pack's time. The objects a test makes
    are collected as before; only these are never freed, as they never would be."""
    gc.collect()
    gc.freeze()


_last_module = None


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Freeze again before each module's first test (after collecting what the modules before it left
    as garbage), so what a process accumulates as it runs (compiled templates, URL resolvers, fonts,
    caches) is not walked by every collection either: joining 37 small PDFs (37 collections) took 46 s
    in the whole suite and 1 s alone. An object alive at a freeze that later becomes cyclic garbage is
    kept until the process ends, a little memory."""
    global _last_module
    if item.module is not _last_module:
        _last_module = item.module
        gc.collect()
        gc.freeze()


@pytest.fixture(scope="session")
def django_db_setup(
    request,
    django_test_environment,
    django_db_blocker,
    django_db_use_migrations,
    django_db_keepdb,
    django_db_createdb,
    django_db_modify_db_settings,
):
    """pytest-django's set-up of the test databases, with two savings (tests/databases.py): under
    pytest-xdist, each process's database is a copy of one migrated for the whole run, not migrated
    by each process; and the rows set-up leaves are copied aside, for the flush after each
    transactional test to put back instead of sending post_migrate."""
    from django.core.management import call_command
    from django.test.utils import setup_databases
    from pytest_django.fixtures import _disable_migrations, _get_databases_for_setup

    from tests import databases

    if not django_db_use_migrations:
        _disable_migrations()
    keepdb = keep_asked = django_db_keepdb and not django_db_createdb
    aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
    run = getattr(request.config, "workerinput", {}).get("testrunuid")
    with django_db_blocker.unblock():
        if run and django_db_use_migrations:
            for alias in aliases:
                databases.copy_from_template(alias, run, fresh=not keepdb)
            keepdb = True  # the copy is kept, and migrated further if migrations were added since
        db_cfg = setup_databases(
            verbosity=request.config.option.verbose,
            interactive=False,
            aliases=aliases,
            serialized_aliases=serialized_aliases,
            keepdb=keepdb,
        )
        for alias in aliases:
            if keep_asked:  # a kept database may hold what an interrupted run left: empty it first
                call_command("flush", interactive=False, verbosity=0, database=alias)
            databases.take_snapshot(alias)
    yield
    if not django_db_keepdb:
        gc.unfreeze()
        gc.collect()  # objects frozen since (tests/conftest.py) may hold connections: free them first
        with django_db_blocker.unblock():
            databases.drop_test_databases(db_cfg)


@pytest.fixture(scope="session", autouse=True)
def flush_by_delete():
    """A live-server or worker test (transactional_db) empties every table after it, with Django's
    flush: one TRUNCATE of all 70 tables, which takes PostgreSQL about 2 seconds (each table's files
    are made anew), most of such a test's teardown. Deleting the rows, in one transaction with the
    foreign keys checked at its end (Django makes them all deferrable), empties them as surely in a
    few milliseconds. The same transaction then puts back the rows the database held once set up
    (tests/databases.py), so the flush need not send post_migrate to make them again."""
    from django.core.management.commands import flush
    from django.db.backends.postgresql.operations import DatabaseOperations

    from tests import databases

    truncate = DatabaseOperations.sql_flush
    emit_post_migrate_signal = flush.emit_post_migrate_signal

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if not tables:
            return []
        if reset_sequences:
            emptied = truncate(self, style, tables, reset_sequences=True, allow_cascade=allow_cascade)
        else:
            emptied = ["SET CONSTRAINTS ALL DEFERRED", *(f"DELETE FROM {self.quote_name(table)}" for table in tables)]
        return [*emptied, *databases.restore_statements(self.connection.alias, tables)]

    def post_migrate_unless_restored(verbosity, interactive, db, **kwargs):
        if db not in databases.SNAPSHOTS:
            emit_post_migrate_signal(verbosity, interactive, db, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(DatabaseOperations, "sql_flush", sql_flush)
        patch.setattr(flush, "emit_post_migrate_signal", post_migrate_unless_restored)
        yield


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with nothing in the cache (its pytest-xdist worker's own Redis database), as
    each starts with an empty database: what one test's pages kept (the committee figures) is never
    shown in another's."""
    from django.core.cache import cache

    cache.clear()


# One standing user per role, plus a provider user of another organisation.
@pytest.fixture
def provider():
    return ProviderFactory(name="Harbour Lights Fostering")


@pytest.fixture
def other_provider():
    return ProviderFactory(name="Northgate Homes")


@pytest.fixture
def senior_leader(db):
    return UserFactory(role=Role.SENIOR_LEADER, full_name="Chris Palmer")


@pytest.fixture
def qa_lead(db):
    return UserFactory(role=Role.QA_LEAD, full_name="Laura Dennison")


@pytest.fixture
def commissioning_officer(db):
    return UserFactory(role=Role.COMMISSIONING_OFFICER, full_name="Sam Okafor")


@pytest.fixture
def manager(db):
    return UserFactory(role=Role.MANAGER, full_name="Priya Shah")


@pytest.fixture
def social_worker(db):
    return UserFactory(role=Role.SOCIAL_WORKER, full_name="Tom Reilly")


@pytest.fixture
def provider_user(provider):
    return UserFactory(role=Role.PROVIDER_USER, provider=provider, full_name="Jo Marsh")


@pytest.fixture
def other_provider_user(other_provider):
    return UserFactory(role=Role.PROVIDER_USER, provider=other_provider, full_name="Kim Lowe")


@pytest.fixture
def administrator(db):
    return UserFactory(role=Role.ADMINISTRATOR, full_name="Alex Morgan")


@pytest.fixture
def client():
    """Django's test client, whose force_login gives the second factor as well (tests/signin.py), as
    a person does after their password: a page needs both."""
    from tests.signin import Client

    return Client()


ROLE_FIXTURES = {
    Role.SENIOR_LEADER: "senior_leader",
    Role.QA_LEAD: "qa_lead",
    Role.COMMISSIONING_OFFICER: "commissioning_officer",
    Role.MANAGER: "manager",
    Role.SOCIAL_WORKER: "social_worker",
    Role.PROVIDER_USER: "provider_user",
    Role.ADMINISTRATOR: "administrator",
}


@pytest.fixture
def user_with_role(request):
    """Indirect fixture: parametrize with a Role to get that role's standing user."""
    return request.getfixturevalue(ROLE_FIXTURES[request.param])


# A real SMTP server on a free local port; the portal sends to it over SMTP.
class _Mailbox:
    def __init__(self):
        self.messages = []
        self.controller = None
        self.on_message = None  # called with each message as it arrives, before the server answers

    async def handle_DATA(self, server, session, envelope):
        from email import message_from_bytes, policy

        message = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append(message)
        if self.on_message:
            self.on_message(message)
        return "250 Message accepted for delivery"

    def start(self, port=None):
        """Serve on `port` (a free one at first; the same one again after `stop()`)."""
        self.port = port or getattr(self, "port", None) or _free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        """Stop serving, as in an outage: connections to the port are refused until `start()`."""
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def wait_for(self, count=1, timeout=5.0):
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.messages


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    mailbox = _Mailbox()
    mailbox.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = mailbox.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    yield mailbox
    mailbox.stop()


# Browser tests: Playwright drives Debian's Chromium (no browser download) against the live server.
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made by
    # the test itself are still synchronous, so allow them.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, transactional_db):
    """A page in a fresh browser context on the live server. The test fails if any page of the
    context reports a Content-Security-Policy violation (tests/csp.py), or if axe finds a serious or
    critical accessibility violation on any of the portal's pages it loaded (tests/axe.py)."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    violations = watch_csp(context)
    inaccessible = watch_axe(context, origin=live_server.url)
    page = context.new_page()
    yield page
    try:
        if page.url.startswith(live_server.url):
            axe_settled(page, timeout=5_000)  # the last page, checked before the browser closes
    except Exception:
        pass
    context.close()
    assert_no_csp_violations(violations)
    assert_no_axe_violations(inaccessible)


@pytest.fixture
def celery_worker(transactional_db):
    """A real Celery worker, in this process, consuming the real Redis broker (this test process's database)."""
    import redis
    from celery.contrib.testing.worker import start_worker
    from django.conf import settings

    from qa_portal.celery import app

    redis.Redis.from_url(settings.REDIS_URL).delete("celery")
    with start_worker(
        app,
        pool="solo",
        perform_ping_check=False,
        shutdown_timeout=10,
        loglevel="WARNING",
        WorkController=_worker_started_in_time(),
    ) as worker:
        yield worker


def _worker_started_in_time():
    from celery.contrib.testing.worker import TestWorkController

    class WorkerStartedInTime(TestWorkController):
        """Celery's test worker, whose start is awaited for a minute at most: Celery's own waits for ever,
        so a worker thread that failed to start (its error is in the log) would hang the whole suite."""

        def ensure_started(self):
            if not self._on_started.wait(timeout=60):
                raise RuntimeError("The test's Celery worker did not start within 60 seconds: see its log")

    return WorkerStartedInTime


# A draft visit to the standing provider, and two young people placed there now.
@pytest.fixture
def visit(provider, senior_leader):
    return VisitFactory(provider=provider, lead_visitor=senior_leader)


@pytest.fixture
def placed(provider):
    """Two young people placed with the provider now."""
    start = timezone.localdate() - timedelta(days=200)
    people = [
        YoungPersonFactory(initials="JB", case_record_id="7100001"),
        YoungPersonFactory(initials="KM", case_record_id="7100002", cohort="care_leaver"),
    ]
    for person in people:
        PlacementFactory(young_person=person, provider=provider, start_date=start)
    return people


# Outages with real processes (tests/processes.py): a Redis of the test's own, and Celery workers on it.
@pytest.fixture
def own_redis(tmp_path, settings):
    """A redis-server of this test's own, started, with this process's broker pointed at it."""
    from tests.processes import RedisServer, broker_at

    server = RedisServer(tmp_path)
    server.start()
    try:
        with broker_at(server.url, settings):
            yield server
    finally:
        server.crash()


@pytest.fixture
def start_worker(own_redis, tmp_path, transactional_db):
    """start_worker(pool="solo", **environment) starts a Celery worker process on `own_redis` and the
    test database, and returns it when it is ready; every one is stopped after the test."""
    from tests.processes import Worker

    workers = []

    def start(pool: str = "solo", **environment):
        worker = Worker(own_redis.url, tmp_path / f"worker-{len(workers) + 1}.log", pool=pool, **environment)
        workers.append(worker)
        return worker.start()

    yield start
    for worker in workers:
        worker.stop()
