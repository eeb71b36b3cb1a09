"""Create the database named in DATABASE_URL if it does not exist yet (used by make).

A development database migrated before the migrations were squashed records migrations that no
longer exist, and `migrate` would then fail on tables that are already there. With DEBUG on (as make
runs), such a database holds only development and demo data, so it is dropped and made anew, saying
so; with DEBUG off this script refuses and explains instead, since that could be a live database.
"""

import os
import sys
from pathlib import Path

import dj_database_url
import psycopg2
from psycopg2 import sql

ROOT = Path(__file__).resolve().parent.parent
# Each of our apps and the folder of its migrations.
APPS = {
    "qa_portal": ROOT / "qa_portal" / "migrations",
    "reporting": ROOT / "qa_portal" / "reporting" / "migrations",
    "providers": ROOT / "providers" / "migrations",
    "visits": ROOT / "visits" / "migrations",
    "reviews": ROOT / "reviews" / "migrations",
}

url = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/qa_portal"
config = dj_database_url.parse(url)
name = config["NAME"]
params = {
    "user": config.get("USER") or None,
    "password": config.get("PASSWORD") or None,
    "host": config.get("HOST") or None,
    "port": config.get("PORT") or None,
}
params = {key: value for key, value in params.items() if value}


def connect(dbname: str):
    try:
        connection = psycopg2.connect(dbname=dbname, **params)
    except psycopg2.OperationalError as exc:
        sys.exit(f"Cannot reach PostgreSQL for {name!r}: {exc}")
    connection.autocommit = True
    return connection


def stale_migrations() -> list[str]:
    """Migrations the database records as applied that no longer exist on disk, as "app.name"."""
    connection = connect(name)
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('django_migrations') IS NOT NULL")
        if not cursor.fetchone()[0]:
            return []
        cursor.execute("SELECT app, name FROM django_migrations WHERE app = ANY(%s)", [list(APPS)])
        recorded = cursor.fetchall()
    connection.close()
    return sorted(f"{app}.{migration}" for app, migration in recorded if not (APPS[app] / f"{migration}.py").exists())


server = connect("postgres")
with server.cursor() as cursor:
    cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
    exists = cursor.fetchone() is not None
    stale = stale_migrations() if exists else []
    if stale:
        debug = os.environ.get("DEBUG", "").strip().lower() in {"1", "true", "yes", "on"}
        if not debug:
            sys.exit(
                f"Database {name!r} records migrations that no longer exist ({', '.join(stale[:3])}, ...): "
                "they were squashed. Restore it into a fresh database or recreate it; nothing was changed."
            )
        print(f"Database {name} was migrated before the migrations were squashed: making it anew (development data).")
        cursor.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
        exists = False
    if not exists:
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        print(f"Created database {name}")
server.close()
