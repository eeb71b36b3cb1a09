"""`make bench` and `make bench-quick`: the project's own benchmark (README: Performance).

    python -m bench.run [--quick] [--regenerate] [--no-load]

1. Makes (or keeps, if made in the last week by this version) the bench databases: the regional
   size and a tenth of it; `--quick` a tenth and a hundredth (bench/generate.py).
2. Counts the queries of every page and download at both sizes (bench/queries.py).
3. Times, on the larger size of the run, as commands in processes of their own (seconds and peak
   memory, ru_maxrss): a visit report PDF from cold, the committee pack of 100 visits (25 with
   --quick), and the first real `schedule_reviews` and `send_reminders`, with their emails sent to a
   local SMTP sink (bench/jobs.py).
4. Starts gunicorn as the README deploys it (its ExecStart line, bound to 127.0.0.1:BENCH_PORT;
   DEBUG off, behind an HTTPS proxy, static files collected), signs in as each role (password and
   authenticator code), and times every page and download: p50 and p95 over interleaved rounds, as
   ratios to the floor, an anonymous GET of the sign-in page timed in the same rounds. A download
   the portal hands to its worker is made by the worker's code in a process of its own.
5. Runs 50 signed-in people for 60 seconds with locust (bench/locustfile.py): errors, p95, and every
   acknowledged autosave read back from the database.
6. Prints a table, says what misses its target, and writes it all as JSON to
   var/bench/<time>-<mode>.json (and var/bench/latest-<mode>.json).

Loopback only; every step has a time limit; gunicorn and the SMTP sink are stopped at the end
whatever happens. Exits 0 when it ran (whatever the figures), 2 when a database was refused.
"""

import argparse
import json
import os
import random
import re
import shlex
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

from bench import config, report

MODES = {
    # size timed, sizes whose query counts are compared, rounds of pages, seconds for the pages,
    # timed requests of each download, visits in the committee pack, its time limit, seconds of
    # email delivery per job.
    "regional": {
        "sizes": ("regional", "small"),
        "rounds": 12,
        "page_seconds": 420,
        "download_reps": 5,
        "pack_visits": 100,
        "pack_timeout": 1_800,
        "deliver_seconds": 60,
    },
    "quick": {
        "sizes": ("small", "tiny"),
        "rounds": 8,
        "page_seconds": 45,
        "download_reps": 3,
        "pack_visits": 10,
        "pack_timeout": 300,
        "deliver_seconds": 10,
    },
}
LOAD_USERS, LOAD_SECONDS = 50, 60
DOWNLOAD_SECONDS = 30  # after this long, a download is not timed again
FLOOR = {"key": "floor", "label": "Floor: sign-in page, signed out", "role": None, "path": "/sign-in/"}


def say(message: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {message}", flush=True)


# Processes ---------------------------------------------------------------------------------------


def measured(command: list[str], *, env: dict, timeout: float) -> dict:
    """Run `command`, returning its seconds, peak memory in MB (its ru_maxrss), exit code and output.
    Killed after `timeout` seconds ("timed_out": True)."""
    started = time.monotonic()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(command, env=env, cwd=config.REPO, stdout=out, stderr=err)
        timed_out = False
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - started > timeout:
                process.kill()
                pid, status, usage = os.wait4(process.pid, 0)
                timed_out = True
                break
            time.sleep(0.05)
        process.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.monotonic() - started
        out.seek(0)
        err.seek(0)
        return {
            "seconds": round(seconds, 2),
            "peak_mb": round(usage.ru_maxrss / 1024),
            "returncode": process.returncode,
            "timed_out": timed_out,
            "stdout": out.read().decode(errors="replace"),
            "stderr": err.read().decode(errors="replace")[-3_000:],
        }


def python(module_args: list[str], *, database: str, timeout: float) -> dict:
    result = measured([config.PYTHON, "-m", *module_args], env=config.portal_env(database), timeout=timeout)
    if result["returncode"] != 0 or result["timed_out"]:
        raise StepFailed(f"{' '.join(module_args[:2])} failed: {result['stderr'][-1500:]}")
    return result


class StepFailed(Exception):
    pass


def gunicorn_arguments() -> list[str]:
    """The arguments of gunicorn in the README's ExecStart line (README: Deploying), bound to the
    bench's loopback port instead."""
    text = (config.REPO / "README.md").read_text()
    found = re.search(r"^ExecStart=\S*/gunicorn (.+)$", text, re.MULTILINE)
    arguments = shlex.split(found.group(1)) if found else ["qa_portal.wsgi", "--workers", "3"]
    kept, skip = [], False
    for argument in arguments:
        if skip:
            skip = False
            continue
        if argument in ("--bind", "-b"):
            skip = True
            continue
        if argument.startswith("--bind="):
            continue
        kept.append(argument)
    # gunicorn's control socket is per machine user by default: another gunicorn on the machine has it.
    return [*kept, "--bind", f"{config.HOST}:{config.port()}", "--no-control-socket"]


class Gunicorn:
    def __init__(self, database: str):
        self.arguments = gunicorn_arguments()
        self.log = open(config.VAR / "gunicorn.log", "w")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(
            [str(config.REPO / ".venv" / "bin" / "gunicorn"), *self.arguments],
            env=config.portal_env(database),
            cwd=config.REPO,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, timeout: float = 90) -> float:
        from bench import web

        started = time.monotonic()
        client = web.session()
        while time.monotonic() - started < timeout:
            if self.process.poll() is not None:
                raise StepFailed(f"gunicorn exited; see {config.VAR / 'gunicorn.log'}")
            try:
                if client.get(config.base_url() + "/sign-in/", timeout=5).status_code == 200:
                    return time.monotonic() - started
            except OSError:
                pass
            time.sleep(0.3)
        raise StepFailed("gunicorn did not answer within 90 s")

    def workers_mb(self) -> list[int]:
        import psutil

        try:
            return [round(c.memory_info().rss / 2**20) for c in psutil.Process(self.process.pid).children()]
        except psutil.Error:
            return []

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


class SmtpSink:
    """A local SMTP server on loopback that accepts and counts every message (aiosmtpd)."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        sink = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                sink.messages += 1
                return "250 Message accepted"

        self.messages = 0
        self.controller = Controller(Handler(), hostname=config.HOST, port=config.smtp_port())
        self.controller.start()

    def stop(self):
        self.controller.stop()


# Steps -------------------------------------------------------------------------------------------


def generate(sizes, *, regenerate: bool) -> dict:
    made = {}
    for size in sizes:
        name = config.database_name(size)
        say(f"Database {name} ({size})")
        command = [config.PYTHON, "-m", "bench.generate", "--size", size, "--database", name]
        if not regenerate:
            command.append("--reuse")
        result = subprocess.run(command, cwd=config.REPO, env=config.portal_env(name), timeout=3_600, check=False)
        if result.returncode == 2:
            raise SystemExit(2)
        if result.returncode:
            raise StepFailed(f"generating {name} failed")
        made[size] = name
    return made


def collect_static(database: str) -> None:
    manifest = config.REPO / "staticfiles" / "staticfiles.json"
    newest = max(p.stat().st_mtime for p in (config.REPO / "static").rglob("*") if p.is_file())
    if manifest.exists() and manifest.stat().st_mtime > newest:
        return
    say("Collecting static files (README: Deploying)")
    python_manage = [config.PYTHON, "manage.py", "collectstatic", "--noinput", "-v", "0"]
    subprocess.run(python_manage, cwd=config.REPO, env=config.portal_env(database), timeout=600, check=True)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def time_pages(plan: dict, sessions: dict, *, rounds: int, budget: float) -> dict:
    """Each page (and the floor) once to warm up, then in rounds, each round in a new random order
    with the floor three times among them, until `rounds` rounds or `budget` seconds (at least 3)."""
    from bench import web

    anonymous = web.session()
    items = [FLOOR, *plan["pages"]]
    samples: dict[str, list[float]] = {item["key"]: [] for item in items}
    first: dict[str, float] = {}
    problems: dict[str, str] = {}
    sizes: dict[str, int] = {}

    def fetch(item) -> float | None:
        client = anonymous if item["role"] is None else sessions[item["role"]]
        started = time.perf_counter()
        try:
            response = client.get(config.base_url() + item["path"], allow_redirects=False, timeout=120)
        except OSError as exc:
            problems[item["key"]] = f"{exc.__class__.__name__}"
            return None
        seconds = time.perf_counter() - started
        if response.status_code != 200:
            problems[item["key"]] = f"answered {response.status_code}"
            return None
        sizes[item["key"]] = len(response.content)
        return seconds

    for item in items:
        first[item["key"]] = fetch(item)
    started, done = time.monotonic(), 0
    order = random.Random(15)
    while done < rounds and (done < 3 or time.monotonic() - started < budget):
        sequence = [*items[1:], FLOOR, FLOOR, FLOOR]
        order.shuffle(sequence)
        for item in sequence:
            seconds = fetch(item)
            if seconds is not None:
                samples[item["key"]].append(seconds)
        done += 1
    results = {}
    for item in items:
        values = samples[item["key"]]
        results[item["key"]] = {
            "label": item["label"],
            "role": item["role"],
            "path": item["path"],
            "samples": len(values),
            "first_ms": round(first[item["key"]] * 1000) if first.get(item["key"]) else None,
            "p50_ms": round(statistics.median(values) * 1000, 1) if values else None,
            "p95_ms": round(percentile(values, 0.95) * 1000, 1) if values else None,
            "bytes": sizes.get(item["key"]),
            "problem": problems.get(item["key"]),
        }
    say(f"  {done} rounds in {time.monotonic() - started:.0f} s")
    return results


def time_downloads(plan: dict, sessions: dict, *, reps: int, database: str) -> dict:
    """Each download `reps` times (fewer once DOWNLOAD_SECONDS have gone on it): seconds to the first
    byte and to the whole file. One the portal
    hands to its worker (a redirect to its document page) is made once by the worker's code in a
    process of its own (seconds, peak MB), then downloaded."""
    results = {}
    for item in plan["downloads"]:
        client = sessions[item["role"]]
        totals, firsts, note, worker = [], [], None, None
        began = time.monotonic()
        for _ in range(reps):
            if totals and time.monotonic() - began > DOWNLOAD_SECONDS:
                break  # slow ones are timed fewer times, so the run stays bounded
            started = time.perf_counter()
            response = client.get(config.base_url() + item["path"], allow_redirects=False, stream=True, timeout=300)
            first = time.perf_counter() - started
            body = response.content
            total = time.perf_counter() - started
            if response.status_code == 302 and "/documents/" in response.headers.get("Location", ""):
                document = int(re.search(r"/documents/(\d+)/", response.headers["Location"]).group(1))
                built = measured(
                    [config.PYTHON, "-m", "bench.document", "--database", database, str(document)],
                    env=config.portal_env(database),
                    timeout=1_200,
                )
                fetched_at = time.perf_counter()
                download = client.get(f"{config.base_url()}/documents/{document}/download/", timeout=300)
                fetched = time.perf_counter() - fetched_at
                outcome = json.loads(built["stdout"] or "{}") if built["returncode"] == 0 else {}
                worker = {
                    "seconds": built["seconds"],
                    "peak_mb": built["peak_mb"],
                    "rows": outcome.get("rows"),
                    "bytes": len(download.content),
                    "status": outcome.get("status"),
                    "download_ms": round(fetched * 1000),
                    "timed_out": built["timed_out"],
                }
                totals.append(total + built["seconds"] + fetched)  # asked, made, downloaded: no first byte sooner
                note = "made by the worker"
                break  # once: it takes a worker's time, not a request's
            if response.status_code != 200:
                note = f"answered {response.status_code}"
                break
            totals.append(total)
            firsts.append(first)
            size = len(body)
        results[item["key"]] = {
            "label": item["label"],
            "path": item["path"],
            "samples": len(totals),
            "first_byte_ms": round(statistics.median(firsts) * 1000, 1) if firsts else None,
            "p50_ms": round(statistics.median(totals) * 1000, 1) if totals else None,
            "p95_ms": round(percentile(totals, 0.95) * 1000, 1) if totals else None,
            "bytes": worker["bytes"] if worker else (size if totals else None),
            "how": note or "in the request",
            "worker": worker,
        }
    return results


def sign_in_all(emails: list[str]) -> dict:
    from bench import web

    def one(email):
        for attempt in range(3):
            try:
                return email, web.sign_in(email)
            except (web.SignInFailed, OSError):
                if attempt == 2:
                    raise
                time.sleep(2)
        return email, None

    with ThreadPoolExecutor(max_workers=3) as pool:
        return dict(pool.map(one, emails))


def take_documents_off_the_queue() -> int:
    """The documents the pages queued for a worker (made by the bench itself instead): off the queue."""
    import redis

    client = redis.Redis.from_url(config.redis_url())
    removed = 0
    for raw in client.lrange("celery", 0, -1):
        try:
            task = json.loads(raw)["headers"]["task"]
        except (ValueError, KeyError, TypeError):
            continue
        if task == "qa_portal.tasks.build_document":
            removed += client.lrem("celery", 1, raw)
    return removed


def run_load(plan: dict, *, database: str, sessions: dict) -> dict:
    """The 60-second run of 50 people (bench/locustfile.py), then every acknowledged autosave read
    back from the database."""
    from bench import web

    load = plan["load"]
    people = [
        *({"kind": "writer", **w} for w in load["writers"]),
        *({"kind": "browser", **b} for b in load["browsers"]),
    ]
    plan_file = config.VAR / "load-plan.json"
    result_file = config.VAR / "load-result.json"
    result_file.unlink(missing_ok=True)
    plan_file.write_text(
        json.dumps(
            {
                "origin": f"https://{config.HOST}:{config.port()}",
                "sessions": [{**person, "cookies": web.cookies_of(sessions[person["email"]])} for person in people],
                "browsing": load["browsing"],
                "samples": load["samples"],
                "result": str(result_file),
            }
        )
    )
    command = [
        str(config.REPO / ".venv" / "bin" / "locust"),
        "-f", str(config.REPO / "bench" / "locustfile.py"),
        "--headless", "--users", str(LOAD_USERS), "--spawn-rate", "10", "--run-time", f"{LOAD_SECONDS}s",
        "--stop-timeout", "10", "--host", config.base_url(), "--only-summary", "--loglevel", "WARNING",
    ]  # fmt: skip
    env = {**os.environ, "BENCH_LOAD_PLAN": str(plan_file), "PYTHONPATH": str(config.REPO)}
    ran = measured(command, env=env, timeout=LOAD_SECONDS + 90)
    if not result_file.exists():
        raise StepFailed(f"locust wrote no result: {ran['stderr'][-1500:]}")
    result = json.loads(result_file.read_text())
    acknowledged_file = config.VAR / "load-acknowledged.json"
    acknowledged_file.write_text(json.dumps(result.pop("acknowledged")))
    checked = python(
        ["bench.plan", "--database", database, "--check-autosaves", str(acknowledged_file)],
        database=database,
        timeout=120,
    )
    result["autosaves"].update(json.loads(checked["stdout"]))
    result["users"], result["seconds"] = len(people), LOAD_SECONDS
    return result


# The run -----------------------------------------------------------------------------------------


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="The project's benchmark (README: Performance).")
    parser.add_argument("--quick", action="store_true", help="a tenth of the regional size only (under 5 minutes)")
    parser.add_argument("--regenerate", action="store_true", help="make the databases again even if recent")
    parser.add_argument("--no-load", action="store_true", help="skip the 60-second run of 50 people")
    args = parser.parse_args(argv)
    mode = "quick" if args.quick else "regional"
    settings = MODES[mode]
    config.VAR.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    results: dict = {
        "mode": mode,
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cores": os.cpu_count(), "load_average_at_start": [round(x, 1) for x in os.getloadavg()]},
        "gunicorn": " ".join(gunicorn_arguments()),
        "settings": settings,
    }
    say(f"QA Portal benchmark ({mode}): gunicorn {results['gunicorn']}, load average {os.getloadavg()[0]:.1f}")

    databases = generate(settings["sizes"], regenerate=args.regenerate)
    timed_size = settings["sizes"][0]
    timed = databases[timed_size]
    results["databases"] = databases

    def make_plan(size):
        name = databases[size]
        command = ["bench.plan", "--database", name, "--pack-visits", str(settings["pack_visits"])]
        made = json.loads(python(command, database=name, timeout=300)["stdout"])
        (config.VAR / f"plan-{size}.json").write_text(json.dumps(made))
        return size, made

    with ThreadPoolExecutor(max_workers=2) as pool:  # one process per size, side by side
        plans = dict(pool.map(make_plan, databases))
    results["counts"] = {size: plan["counts"] for size, plan in plans.items()}
    plan = plans[timed_size]
    collect_static(timed)

    say("Counting queries at both sizes")

    def count(size):
        name = databases[size]
        plan_file = str(config.VAR / f"plan-{size}.json")
        return size, json.loads(
            python(["bench.queries", "--database", name, "--plan", plan_file], database=name, timeout=900)["stdout"]
        )

    with ThreadPoolExecutor(max_workers=2) as pool:  # one process per size, side by side
        results["queries"] = dict(pool.map(count, databases))

    sink = SmtpSink()
    gunicorn = None
    try:
        say("The daily jobs, first run (rolled back)")
        jobs = python(
            ["bench.jobs", "--database", timed, "--deliver-seconds", str(settings["deliver_seconds"])],
            database=timed,
            timeout=1_200,
        )
        results["jobs"] = json.loads(jobs["stdout"])
        results["jobs"]["peak_mb"] = jobs["peak_mb"]
        results["jobs"]["sink_received"] = sink.messages

        say("Start-up, visit report PDF and committee pack as commands")
        results["startup"] = measured(
            [config.PYTHON, "-c", "import django; django.setup()"], env=config.portal_env(timed), timeout=120
        )
        pdf_out = config.VAR / "visit-report.pdf"
        results["visit_pdf_command"] = measured(
            [config.PYTHON, "manage.py", "visit_report", str(plan["visit_pdf"]), "--out", str(pdf_out)],
            env=config.portal_env(timed),
            timeout=300,
        )
        pack = plan["pack"]
        results["pack"] = {
            **pack,
            **measured(
                [config.PYTHON, "manage.py", "committee_pack", "--from", pack["from"], "--to", pack["to"],
                 "--out", str(config.VAR / "committee-pack.pdf")],
                env=config.portal_env(timed),
                timeout=settings["pack_timeout"],
            ),
        }  # fmt: skip
        for key in ("startup", "visit_pdf_command", "pack"):
            results[key].pop("stdout", None)
        say(f"  pack of {pack['visits']} visits: {results['pack']['seconds']} s, {results['pack']['peak_mb']} MB")

        say("Starting gunicorn")
        gunicorn = Gunicorn(timed)
        results["gunicorn_ready_seconds"] = round(gunicorn.wait_ready(), 1)
        roles = sign_in_all(list(plan["users"].values()))
        sessions = {role: roles[email] for role, email in plan["users"].items()}
        # The first visit report after start-up (cold in the web), then one on every worker.
        pdf_path = f"/visits/{plan['visit_pdf']}/report.pdf"
        firsts = []
        for _ in range(6):
            at = time.perf_counter()
            answer = sessions["qa_lead"].get(config.base_url() + pdf_path, timeout=120)
            firsts.append(round((time.perf_counter() - at) * 1000))
        results["visit_pdf_first_after_start_ms"] = {
            "first": firsts[0],
            "next_five": firsts[1:],
            "status": answer.status_code,
        }
        results["workers_mb"] = {"after_start": gunicorn.workers_mb()}

        say("Timing pages")
        results["pages"] = time_pages(plan, sessions, rounds=settings["rounds"], budget=settings["page_seconds"])
        results["workers_mb"]["after_pages"] = gunicorn.workers_mb()
        say("Timing downloads")
        results["downloads"] = time_downloads(plan, sessions, reps=settings["download_reps"], database=timed)
        results["workers_mb"]["after_downloads"] = gunicorn.workers_mb()
        results["documents_taken_off_the_queue"] = take_documents_off_the_queue()

        if not args.no_load:
            say(f"Signing in {LOAD_USERS} people for the load run")
            emails = [w["email"] for w in plan["load"]["writers"]] + [b["email"] for b in plan["load"]["browsers"]]
            load_sessions = sign_in_all(emails)
            say(f"{LOAD_USERS} people for {LOAD_SECONDS} s (locust)")
            results["load"] = run_load(plan, database=timed, sessions=load_sessions)
            results["workers_mb"]["after_load"] = gunicorn.workers_mb()
            results["documents_taken_off_the_queue"] += take_documents_off_the_queue()
    finally:
        if gunicorn:
            gunicorn.stop()
        sink.stop()
        results.setdefault("jobs", {})["sink_received_total"] = sink.messages

    results["machine"]["load_average_at_end"] = [round(x, 1) for x in os.getloadavg()]
    results["seconds"] = round(time.monotonic() - started)
    results["verdicts"] = report.verdicts(results)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    for path in (config.VAR / f"{stamp}-{mode}.json", config.VAR / f"latest-{mode}.json"):
        path.write_text(json.dumps(results, indent=1, default=str))
    print()
    print(report.table(results))
    say(f"Written to {Path('var/bench') / f'{stamp}-{mode}.json'} ({results['seconds']} s in all)")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except StepFailed as exc:
        print(f"bench: {exc}", file=sys.stderr)
        sys.exit(1)
