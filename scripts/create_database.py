"""Create the database named in DATABASE_URL if it does not exist yet (used by make)."""

import os
import sys

import dj_database_url
import psycopg2
from psycopg2 import sql

url = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/qa_portal"
config = dj_database_url.parse(url)
params = {
    "dbname": "postgres",
    "user": config.get("USER") or None,
    "password": config.get("PASSWORD") or None,
    "host": config.get("HOST") or None,
    "port": config.get("PORT") or None,
}
try:
    connection = psycopg2.connect(**{k: v for k, v in params.items() if v})
except psycopg2.OperationalError as exc:
    sys.exit(f"Cannot reach PostgreSQL for {config['NAME']!r}: {exc}")
connection.autocommit = True
with connection.cursor() as cursor:
    cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]])
    if cursor.fetchone() is None:
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
        print(f"Created database {config['NAME']}")
connection.close()
