"""The benchmark writes only to databases of its own (bench/database.py): a name that does not say
"bench", or a database holding data the bench did not make, is refused before anything is written."""

import uuid

import psycopg2
import pytest
from psycopg2 import sql

from bench import config, database


def _server():
    connection = psycopg2.connect(config.database_url("postgres"))
    connection.autocommit = True
    return connection


def _run(name: str, *statements: str):
    connection = psycopg2.connect(config.database_url(name))
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
            return cursor.fetchall() if cursor.description else None
    finally:
        connection.close()


@pytest.fixture
def scratch():
    """A database named like a bench database, made for the test and dropped after it."""
    name = f"test_bench_guard_{uuid.uuid4().hex[:8]}"
    server = _server()
    with server.cursor() as cursor:
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield name
    with server.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    server.close()


def test_it_refuses_a_database_whose_name_does_not_say_bench():
    with pytest.raises(database.NotABenchDatabase, match="name contains 'bench'"):
        database.check("qa_portal")


def test_it_refuses_a_bench_named_database_holding_data_it_did_not_make(scratch):
    _run(scratch, "CREATE TABLE providers_provider (id int)", "INSERT INTO providers_provider VALUES (1)")

    with pytest.raises(database.NotABenchDatabase, match="holds data the bench did not make"):
        database.create_fresh(scratch)

    assert _run(scratch, "SELECT count(*) FROM providers_provider") == [(1,)]


def test_it_takes_an_empty_database_and_marks_it_as_its_own(scratch):
    _run(scratch, "CREATE TABLE providers_provider (id int)")

    database.create_fresh(scratch)

    assert database.marker(scratch)["state"] == "created"
    assert _run(scratch, "SELECT to_regclass('providers_provider')") == [(None,)]


def test_a_database_it_marked_is_its_own_whatever_it_holds(scratch):
    database.write_marker(scratch, {"state": "complete"})
    _run(scratch, "CREATE TABLE visits_visit (id int)", "INSERT INTO visits_visit VALUES (1)")

    database.check(scratch)
    database.create_fresh(scratch)

    assert _run(scratch, "SELECT to_regclass('visits_visit')") == [(None,)]
