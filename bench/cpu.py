"""CPU and database time of the bench's pages, in one process: for tuning on a shared machine.

    python -m bench.cpu --database NAME [--pages key,key] [--runs N] [--profile KEY] [--slowest N]

Wall-clock time on a machine shared with other people's work says more about them than about the page.
This opens each page of bench/plan.py with Django's test client (signed in as bench/queries.py does, with
the production settings the bench's gunicorn gets) and reports, per page, the median over `--runs` of the
CPU time of this process (`time.process_time`: Python, templates, the driver), and, from one more opening,
its queries with the sum of their planning and execution time as PostgreSQL's EXPLAIN ANALYZE reports them
(each read-only query run again under EXPLAIN ANALYZE, in a transaction rolled back). The floor, an
anonymous GET of the sign-in page, is measured the same way. Since CPU time too grows on a busy
machine (the floor took 4 ms of CPU at a load of 8 and 12 ms at 14), it also counts the Python
functions one opening calls, which the load does not change. `--profile KEY` prints cProfile's
25 costliest functions (cumulative) for one page; `--slowest N` the N slowest queries of each page.
Prints a table; writes nothing to the database it keeps (each opening is rolled back).
"""

import argparse
import json
import statistics
import sys
import time

from bench import config

# Each query is explained this many times and the median taken: one run on a busy machine varies a lot.
EXPLAINS = 3


class _RolledBack(Exception):
    pass


def _clients(plan: dict):
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from qa_portal.models import User

    clients = {}

    def client_for(role: str | None) -> Client:
        if role not in clients:
            client = Client(HTTP_HOST=config.HOST, HTTP_X_FORWARDED_PROTO="https")
            if role is not None:
                user = User.objects.get(email=plan["users"][role])
                client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
                session = client.session
                session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.filter(user=user).first().persistent_id
                session.save()
            clients[role] = client
        return clients[role]

    return client_for


def _open(client, path: str):
    """One opening of `path`, its writes rolled back. Returns (status, CPU seconds, bytes)."""
    from django.db import transaction

    result = {}
    try:
        with transaction.atomic():
            started = time.process_time()
            response = client.get(path, secure=True)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            result = {"status": response.status_code, "cpu": time.process_time() - started, "bytes": len(body)}
            raise _RolledBack
    except _RolledBack:
        pass
    return result


def _calls(client, path: str) -> int:
    """How many Python functions (and C functions called from Python) one opening of `path` calls: a
    measure of its Python work that, unlike CPU time, a busy machine does not change."""
    count = 0

    def counter(frame, event, arg):
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    sys.setprofile(counter)
    try:
        _open(client, path)
    finally:
        sys.setprofile(None)
    return count


def _queries(client, path: str) -> list[dict]:
    """The queries of one opening of `path`, each read-only one with PostgreSQL's planning and execution
    milliseconds (the median of EXPLAINS runs of EXPLAIN ANALYZE without per-node timing, run again
    inside the same rolled-back transaction) and the blocks it read."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    found = []
    try:
        with transaction.atomic():
            with CaptureQueriesContext(connection) as captured:
                client.get(path, secure=True)
            for query in captured.captured_queries:
                sql = query["sql"]
                entry = {"sql": sql, "plan_ms": 0.0, "exec_ms": 0.0, "blocks": 0}
                if sql.lstrip().upper().startswith(("SELECT", "WITH")):
                    with connection.cursor() as cursor:
                        cursor.execute("SAVEPOINT bench_cpu")
                        try:
                            timings = []
                            for _ in range(EXPLAINS):
                                cursor.execute("EXPLAIN (ANALYZE, BUFFERS, TIMING OFF, FORMAT JSON) " + sql)
                                explained = cursor.fetchone()[0]
                                explained = json.loads(explained) if isinstance(explained, str) else explained
                                timings.append((explained[0]["Planning Time"], explained[0]["Execution Time"]))
                                top = explained[0]["Plan"]
                                entry["blocks"] = top.get("Shared Hit Blocks", 0) + top.get("Shared Read Blocks", 0)
                            entry["plan_ms"] = statistics.median(t[0] for t in timings)
                            entry["exec_ms"] = statistics.median(t[1] for t in timings)
                        except Exception as exc:  # a query that cannot be explained as logged: noted, not fatal
                            entry["error"] = str(exc)[:120]
                        cursor.execute("ROLLBACK TO SAVEPOINT bench_cpu")
                found.append(entry)
            raise _RolledBack
    except _RolledBack:
        pass
    return found


def measure(plan: dict, keys: list[str] | None, runs: int, slowest: int) -> list[dict]:
    client_for = _clients(plan)
    from bench.run import FLOOR

    pages = [FLOOR] + [page for page in plan["pages"] if keys is None or page["key"] in keys]
    rows = []
    for page in pages:
        client = client_for(page["role"])
        for _ in range(2):
            _open(client, page["path"])
        openings = [_open(client, page["path"]) for _ in range(runs)]
        queries = _queries(client, page["path"])
        calls = _calls(client, page["path"])
        row = {
            "key": page["key"],
            "label": page["label"],
            "status": openings[0]["status"],
            "bytes": openings[0]["bytes"],
            "cpu_ms": round(1000 * statistics.median(o["cpu"] for o in openings), 1),
            "cpu_min_ms": round(1000 * min(o["cpu"] for o in openings), 1),
            "calls": calls,
            "queries": len(queries),
            "db_ms": round(sum(q["plan_ms"] + q["exec_ms"] for q in queries), 1),
            # Pages of 8 KB PostgreSQL read (from its cache or the disk): what a query costs, whatever the load.
            "blocks": sum(q["blocks"] for q in queries),
            "slowest": sorted(queries, key=lambda q: -(q["plan_ms"] + q["exec_ms"]))[:slowest],
        }
        rows.append(row)
    return rows


def profile(plan: dict, key: str, runs: int) -> None:
    import cProfile
    import pstats

    page = next(p for p in plan["pages"] if p["key"] == key)
    client = _clients(plan)(page["role"])
    for _ in range(2):
        _open(client, page["path"])
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        _open(client, page["path"])
    profiler.disable()
    pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(45)
    pstats.Stats(profiler, stream=sys.stdout).sort_stats("tottime").print_stats(25)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--pages", help="comma-separated keys of bench/plan.py's pages (default: all)")
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--profile", metavar="KEY")
    parser.add_argument("--slowest", type=int, default=0)
    parser.add_argument("--json", metavar="FILE", help="also write the rows as JSON")
    args = parser.parse_args(argv)
    config.setup_django(args.database)
    from bench.plan import make_plan

    plan = make_plan(pack_visits=1)
    if args.profile:
        profile(plan, args.profile, args.runs)
        return 0
    keys = args.pages.split(",") if args.pages else None
    rows = measure(plan, keys, args.runs, args.slowest)
    floor = rows[0]["cpu_ms"] + rows[0]["db_ms"]
    heading = ("page", "status", "KB", "CPU ms", "CPU min", "calls", "DB ms", "sum", "x floor", "queries", "blocks")
    print(f"{heading[0]:44} " + " ".join(f"{text:>7}" for text in heading[1:]))
    for row in rows:
        total = row["cpu_ms"] + row["db_ms"]
        print(
            f"{row['label'][:44]:44} {row['status']:>7} {row['bytes'] / 1024:7.0f} "
            f"{row['cpu_ms']:7.1f} {row['cpu_min_ms']:7.1f} {row['calls'] / 1000:6.0f}k "
            f"{row['db_ms']:7.1f} {total:7.1f} {total / floor:7.1f} {row['queries']:7d} {row['blocks']:7d}"
        )
        for query in row["slowest"]:
            timing = f"{query['plan_ms']:6.2f} + {query['exec_ms']:6.2f} ms {query['blocks']:6d} blocks"
            print(f"    {timing}  {query['sql'][:150]}")
    if args.json:
        with open(args.json, "w") as file:
            json.dump(rows, file, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
