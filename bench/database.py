"""The benchmark's own databases, and the guard that keeps it off any other.

The generator deletes and writes whole tables, so it runs only on a database that is the bench's:
its name contains "bench" AND either the bench created it (it holds the `bench_marker` table the
bench writes when it creates or adopts a database) or it holds no data (no user, provider, young
person or visit: a database just made with `createdb` and `migrate`). Anything else is refused with
`NotABenchDatabase`, before a single row is touched; nothing is ever dropped that the bench did not
mark as its own.
"""

import json
from datetime import UTC, datetime

import psycopg2
from psycopg2 import sql

from bench import config

MARKER = "bench_marker"
# Tables whose rows mean real data: a database with any of them filled and no marker is refused.
DATA_TABLES = ("qa_portal_user", "providers_provider", "providers_youngperson", "visits_visit")


class NotABenchDatabase(Exception):
    """The database named is not one the bench may write to."""


def _connect(name: str):
    connection = psycopg2.connect(config.database_url(name))
    connection.autocommit = True
    return connection


def exists(name: str) -> bool:
    connection = _connect("postgres")
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            return cursor.fetchone() is not None
    finally:
        connection.close()


def marker(name: str) -> dict | None:
    """What the bench wrote in the database's marker (size, version, when, whether complete), or None
    when it has none (or does not exist)."""
    if not exists(name):
        return None
    connection = _connect(name)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass(%s)", [MARKER])
            if cursor.fetchone()[0] is None:
                return None
            cursor.execute(sql.SQL("SELECT info FROM {} ORDER BY id DESC LIMIT 1").format(sql.Identifier(MARKER)))
            row = cursor.fetchone()
            return row[0] if row else {}
    finally:
        connection.close()


def holds_data(name: str) -> list[str]:
    """The data tables of `name` that hold rows ([] for an empty or unmigrated database)."""
    connection = _connect(name)
    try:
        filled = []
        with connection.cursor() as cursor:
            for table in DATA_TABLES:
                cursor.execute("SELECT to_regclass(%s)", [table])
                if cursor.fetchone()[0] is None:
                    continue
                cursor.execute(sql.SQL("SELECT EXISTS (SELECT 1 FROM {})").format(sql.Identifier(table)))
                if cursor.fetchone()[0]:
                    filled.append(table)
        return filled
    finally:
        connection.close()


def check(name: str) -> None:
    """Raise NotABenchDatabase unless the bench may write to `name` (see the module's docstring)."""
    if "bench" not in name:
        raise NotABenchDatabase(
            f"Refusing to use the database {name!r}: the bench only writes to databases whose name contains "
            "'bench' (such as qa_portal_bench), so it can never be pointed at real data by mistake."
        )
    if not exists(name) or marker(name) is not None:
        return
    filled = holds_data(name)
    if filled:
        raise NotABenchDatabase(
            f"Refusing to use the database {name!r}: it holds data the bench did not make "
            f"({', '.join(filled)} have rows) and is not marked as the bench's. Give another name "
            "(BENCH_DATABASE, BENCH_SMALL_DATABASE), or drop it yourself if it is a copy you no longer need."
        )


def write_marker(name: str, info: dict) -> None:
    connection = _connect(name)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                sql.SQL("CREATE TABLE IF NOT EXISTS {} (id serial PRIMARY KEY, info jsonb NOT NULL)").format(
                    sql.Identifier(MARKER)
                )
            )
            cursor.execute(
                sql.SQL("INSERT INTO {} (info) VALUES (%s)").format(sql.Identifier(MARKER)),
                [json.dumps({**info, "at": datetime.now(UTC).isoformat()})],
            )
    finally:
        connection.close()


def create_fresh(name: str, *, template: str | None = None) -> None:
    """Drop (only if the bench's: `check` first) and create `name`, marked as the bench's; as a copy of
    `template` if given (a migrated bench database: copying it takes seconds, migrating minutes)."""
    check(name)
    there = exists(name)
    connection = _connect("postgres")
    try:
        with connection.cursor() as cursor:
            if there:
                cursor.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
            if template:
                cursor.execute(
                    sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(name), sql.Identifier(template))
                )
            else:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        connection.close()
    write_marker(name, {"state": "created"})
