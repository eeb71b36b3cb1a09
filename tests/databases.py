"""The test databases, made faster without making them differently (tests/conftest.py's django_db_setup).

Migrated once per run, not once per process: migrating takes a pytest-xdist process about 18 CPU
seconds of Django's migration machinery (and PostgreSQL more), and `make test` starts four on two cores. The first process
to get there migrates a template database (test_…_template); each process then copies it with
PostgreSQL's CREATE DATABASE … TEMPLATE (under a second), and Django's own set-up runs on the copy as
on a kept database (`--reuse-db`): it finds every migration applied and sends post_migrate again.

Emptied without post_migrate: between transactional tests (live server, worker, browser) Django empties
every table and sends post_migrate, whose receivers make the content types, permissions, role groups,
default visit template, cadence thresholds and risk rules again: about 200 queries and 0.4 CPU seconds
(1.8 to 2.5 s of wall time under load) for each such test. Instead the rows those tables hold once
the database is set up are copied aside (into the schema `flush_snapshot`, outside Django's sight) and
put back by the flush itself, so every transactional test starts from exactly the database the first
one had.
"""

import fcntl
import tempfile
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connections

SNAPSHOT_SCHEMA = "flush_snapshot"
# The tables copied aside, by database alias: {alias: [(table, its columns quoted and joined), …]}.
SNAPSHOTS: dict[str, list[tuple[str, str]]] = {}


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


def take_snapshot(alias: str) -> None:
    """Copy the rows of every table that holds any, as the database stands after set-up, into
    SNAPSHOT_SCHEMA, for `restore_statements`."""
    connection = connections[alias]
    qn = connection.ops.quote_name
    tables = []
    with connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS {SNAPSHOT_SCHEMA} CASCADE")
        cursor.execute(f"CREATE SCHEMA {SNAPSHOT_SCHEMA}")
        for table in sorted(connection.introspection.django_table_names(only_existing=True, include_views=False)):
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {qn(table)})")
            if not cursor.fetchone()[0]:
                continue
            # Generated columns are made by PostgreSQL and cannot be inserted.
            cursor.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
                "AND table_name = %s AND is_generated = 'NEVER' ORDER BY ordinal_position",
                [table],
            )
            columns = ", ".join(qn(name) for (name,) in cursor.fetchall())
            cursor.execute(f"CREATE TABLE {SNAPSHOT_SCHEMA}.{qn(table)} AS SELECT {columns} FROM {qn(table)}")
            tables.append((table, columns))
    SNAPSHOTS[alias] = tables


def restore_statements(alias: str, tables: list[str]) -> list[str]:
    """SQL putting back the rows copied aside for those of `tables` that had any (run after they are emptied)."""
    qn = connections[alias].ops.quote_name
    return [
        f"INSERT INTO {qn(table)} ({columns}) SELECT {columns} FROM {SNAPSHOT_SCHEMA}.{qn(table)}"
        for table, columns in SNAPSHOTS.get(alias, [])
        if table in tables
    ]


def drop_test_databases(db_cfg) -> None:
    """Drop the test databases `setup_databases` made (its return value), as Django's
    teardown_databases does, but WITH (FORCE): any session still connected is ended first. Each
    pytest-xdist process has databases of its own, so such a session is one this process left behind
    (a layout or worker process it ran, a live server's thread, or a connection kept alive by an object
    frozen out of the garbage collector's reach: tests/conftest.py), and a plain DROP DATABASE refused
    while it lasted. Asked from the server's maintenance database: this process's own connection may
    be one a test of the database going away has broken."""
    connections.close_all()
    for connection, old_name, destroy in db_cfg:
        if destroy:
            name = connection.settings_dict["NAME"]
            with connection._nodb_cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)} WITH (FORCE)")
            connection.settings_dict["NAME"] = old_name
