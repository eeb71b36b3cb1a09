"""Make a benchmark database: a regional consortium's records (or a tenth, or a hundredth of them).

    python -m bench.generate --size regional|small|tiny [--database NAME] [--seed N] [--reuse]

It refuses any database that is not the bench's (bench/database.py), then drops and creates it,
migrates it and fills it with bulk inserts. `--reuse` keeps a database this generator version
already filled at this size and seed within the last REUSE_DAYS days (dates are relative to the day
it was made). Prints what it made and how long it took; exits 2 when refused.
"""

import argparse
import sys
import time
from datetime import UTC, datetime, timedelta

from bench import config, database
from bench.data import Generator
from bench.data.base import SEED

REUSE_DAYS = 7


def is_current(marker: dict | None, size: str, seed: int) -> bool:
    """Whether the marker says this generator filled the database at this size and seed, lately, on the
    migrations there are now (a database made before a migration lacks its tables and columns)."""
    if not marker or marker.get("state") != "complete":
        return False
    if marker.get("migrations") != config.migrations_fingerprint():
        return False
    if (marker.get("size"), marker.get("version"), marker.get("seed")) != (size, config.GENERATOR_VERSION, seed):
        return False
    made = datetime.fromisoformat(marker["at"])
    return datetime.now(UTC) - made < timedelta(days=REUSE_DAYS)


def generate(size_name: str, name: str, *, seed: int = SEED, reuse: bool = False) -> dict:
    """Make (or, with `reuse`, keep) the bench database `name` at `size_name`. Returns its marker:
    {"state", "size", "version", "seed", "counts", "seconds", "at", "reused"}. Raises
    database.NotABenchDatabase for a database that is not the bench's."""
    database.check(name)
    found = database.marker(name)
    if reuse and is_current(found, size_name, seed):
        return {**found, "reused": True}
    started = time.monotonic()
    template = _migrated_template()
    print(f"  {time.monotonic() - started:6.1f}s template {template} migrated", flush=True)
    database.create_fresh(name, template=template)
    config.setup_django(name)
    from django.db import connection

    generator = Generator(config.SIZES[size_name], seed)
    generator.started = started
    counts = generator.run()
    connection.close()
    _analyse(name)
    info = {
        "state": "complete",
        "size": size_name,
        "version": config.GENERATOR_VERSION,
        "seed": seed,
        "counts": counts,
        "seconds": round(time.monotonic() - started, 1),
        "migrations": config.migrations_fingerprint(),
    }
    database.write_marker(name, info)
    return {**database.marker(name), "reused": False}


def _migrated_template() -> str:
    """The empty database every size is copied from, migrated to the current migrations (in a process
    of its own: this one's Django is set up on the database being made)."""
    import subprocess

    template = config.template_database()
    fingerprint = config.migrations_fingerprint()
    found = database.marker(template)
    if found and found.get("state") == "migrated" and found.get("migrations") == fingerprint:
        return template
    database.check(template)
    if not database.exists(template):
        database.create_fresh(template)
    subprocess.run(
        [config.PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=config.REPO,
        env=config.portal_env(template),
        check=True,
    )
    database.write_marker(template, {"state": "migrated", "migrations": fingerprint})
    return template


def _analyse(name: str) -> None:
    """VACUUM ANALYZE, as autovacuum would have by the time a real database held this much."""
    import psycopg2

    connection = psycopg2.connect(config.database_url(name))
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    finally:
        connection.close()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=sorted(config.SIZES), required=True)
    parser.add_argument("--database", help="default: BENCH_DATABASE, BENCH_SMALL_DATABASE or BENCH_TINY_DATABASE")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument(
        "--reuse", action="store_true", help=f"keep a database made at this size in the last {REUSE_DAYS} days"
    )
    args = parser.parse_args(argv)
    name = args.database or config.database_name(args.size)
    print(f"Bench database {name} ({args.size})", flush=True)
    try:
        info = generate(args.size, name, seed=args.seed, reuse=args.reuse)
    except database.NotABenchDatabase as exc:
        print(exc, file=sys.stderr)
        return 2
    if info.get("reused"):
        print(f"  kept: made at {info['at']} (--reuse)")
    else:
        print(f"  made in {info['seconds']} s: " + ", ".join(f"{n:,} {k}" for k, n in info["counts"].items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
