"""Real processes for tests of outages: a redis-server of the test's own (to crash and start again
without touching the shared one), Celery worker processes started as deployed and pointed at it
and at the test database, and pointing this test process's broker at it too.

Everything listens on the loopback interface, and everything started here is stopped by the test.
"""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import kombu.pools
import redis
from django.conf import settings

from qa_portal.celery import app

BASE_DIR = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(condition, timeout: float, what: str, every: float = 0.05):
    """Call `condition` until it returns something true, and return that; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"after {timeout} seconds, still not: {what}")
        time.sleep(every)


class RedisServer:
    """A redis-server on a free loopback port, keeping nothing on disk: `crash()` kills it (and its
    queue with it), `start()` brings it back on the same port."""

    def __init__(self, directory: Path):
        self.port = free_port()
        self.directory = directory
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            cwd=self.directory,
            stdout=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)
        wait_until(lambda: self._answers(client), 10, "redis-server answers")

    @staticmethod
    def _answers(client) -> bool:
        try:
            return client.ping()
        except redis.ConnectionError:
            return False

    def crash(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


class Worker:
    """`celery -A qa_portal worker`, as the README's systemd unit runs it (one process, the solo
    pool, so SIGKILL takes all of it), on the test database and the given Redis."""

    def __init__(self, redis_url: str, log: Path, *, pool: str = "solo", **environment: str):
        database = settings.DATABASES["default"]
        password = f":{database['PASSWORD']}" if database["PASSWORD"] else ""
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "qa_portal.test_settings",
            "DATABASE_URL": (
                f"postgres://{database['USER']}{password}@{database['HOST'] or '127.0.0.1'}:"
                f"{database['PORT'] or 5432}/{database['NAME']}"
            ),
            "TEST_REDIS_BASE_URL": redis_url,
            "EMAIL_URL": "dummy://",
            **environment,
        }
        self.env.pop("PYTEST_XDIST_WORKER", None)  # the test settings would move it to another database
        self.log = log
        self.pool = pool
        self.process: subprocess.Popen | None = None

    def start(self, *, timeout: float = 40) -> "Worker":
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "qa_portal", "worker", "--loglevel=INFO", f"--pool={self.pool}"]
                + (["--concurrency=1"] if self.pool == "prefork" else []),
                cwd=BASE_DIR,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        starts = self.output().count(" ready.")
        wait_until(lambda: self.output().count(" ready.") > starts or self.process.poll() is not None, timeout, "ready")
        assert self.alive, f"the worker exited with {self.process.returncode}:\n{self.output()[-3000:]}"
        return self

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL, as the out-of-memory killer or a power cut would: nothing is cleaned up."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if not self.alive:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.kill()


def _fresh_pools() -> None:
    # Forget every pooled broker connection, so the next message connects to the broker now set.
    kombu.pools.reset()
    app._pool = None
    app.amqp._producer_pool = None
    app.control.mailbox.__dict__.pop("producer_pool", None)  # cached: remote control would use the closed one


@contextlib.contextmanager
def broker_at(url: str, django_settings):
    """Point this test process's Celery broker (and its REDIS_URL, read by /healthz) at `url`."""
    original = app.conf.broker_url
    django_settings.REDIS_URL = url
    app.conf.broker_url = url
    _fresh_pools()
    try:
        yield
    finally:
        app.conf.broker_url = original
        _fresh_pools()
