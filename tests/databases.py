"""The test databases, made faster without making them differently (tests/conftest.py's django_db_setup).

Migrated once per run, not once per process: migrating takes a pytest-xdist process about 18 CPU
seconds of Django's migration machinery (and PostgreSQL more), and `make test` starts four on two cores. The first process
to get there migrates a template database (test_…_template); each process then copies it with
PostgreSQL's CREATE DATABASE … TEMPLATE (under a second), and Django's own set-up runs on the copy as
on a kept database (`--reuse-db`): it finds every migration applied and sends post_migrate again.
"""

import fcntl
import tempfile
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connections


@contextmanager
def _locked(name: str):
    """Hold an exclusive lock shared by this run's pytest-xdist processes (a file in the temp directory)."""
    with (Path(tempfile.gettempdir()) / f"{name}.lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _database_exists(cursor, name: str) -> bool:
    cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
    return cursor.fetchone() is not None


def _comment(cursor, name: str) -> str | None:
    cursor.execute(
        "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
        [name],
    )
    row = cursor.fetchone()
    return row[0] if row else None


def _migrate_template(connection, template: str) -> None:
    """Make `template` afresh and migrate it, as Django makes a test database, then put the connection's
    settings back to what they were (create_test_db points them at the database it made)."""
    test_settings = connection.settings_dict.setdefault("TEST", {})
    saved = test_settings.get("NAME"), connection.settings_dict["NAME"]
    test_settings["NAME"] = template
    try:
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False, keepdb=False)
    finally:
        connection.close()
        test_settings["NAME"], connection.settings_dict["NAME"] = saved
        settings.DATABASES[connection.alias]["NAME"] = saved[1]


def copy_from_template(alias: str, run: str, fresh: bool) -> None:
    """Give this pytest-xdist process its test database as a copy of the run's migrated template.

    `run` names this run (pytest-xdist's testrunuid, the same in every process); `fresh` is True under
    --create-db. The template is migrated if it is missing or, when `fresh`, was made by another run;
    this process's database is copied from it if it is missing or `fresh`. Django's set-up, run after
    this with keepdb, then applies any migration newer than the copy. PostgreSQL only."""
    connection = connections[alias]
    own = connection.creation._get_test_db_name()
    template = f"{own.rpartition('_gw')[0]}_template"
    qn = connection.ops.quote_name
    with _locked(template):
        with connection._nodb_cursor() as cursor:
            made_by = _comment(cursor, template) if _database_exists(cursor, template) else None
            template_ready = made_by is not None and (not fresh or made_by == run)
            own_exists = _database_exists(cursor, own)
        if not template_ready and (fresh or not own_exists):
            _migrate_template(connection, template)
            with connection._nodb_cursor() as cursor:
                cursor.execute(f"COMMENT ON DATABASE {qn(template)} IS %s", [run])
        if fresh or not own_exists:
            with connection._nodb_cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {qn(own)}")
                cursor.execute(f"CREATE DATABASE {qn(own)} TEMPLATE {qn(template)}")
