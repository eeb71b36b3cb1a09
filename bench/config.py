"""Where the benchmark runs: the sizes it generates, its databases, ports and the environment every
process it starts gets. Read from the environment (README: Performance), nothing from the network.

    BENCH_DATABASE        the regional database (default qa_portal_bench)
    BENCH_SMALL_DATABASE  a tenth of it (default qa_portal_bench_small)
    BENCH_TINY_DATABASE   a hundredth, for `make bench-quick`'s second size of query counts
                          (default qa_portal_bench_tiny)
    BENCH_TEMPLATE_DATABASE  an empty, migrated database each size is copied from (default
                          qa_portal_bench_template), migrated again only when a migration changes
    BENCH_PORT            gunicorn's loopback port (default 8100)
    BENCH_SMTP_PORT       the local SMTP sink's loopback port (default 8125)
    BENCH_REDIS_URL       the broker and cache of the portal under test (default: REDIS_URL's server,
                          database 9); the documents it queues are taken off the queue again
"""

import hashlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parent.parent
VAR = REPO / "var" / "bench"
PYTHON = str(REPO / ".venv" / "bin" / "python")
HOST = "127.0.0.1"

# Bump when the generator makes different data: a database made by another version is made again.
GENERATOR_VERSION = 2


@dataclass(frozen=True)
class Size:
    """How many of each record one size holds (issue 15: a regional commissioning consortium)."""

    name: str
    scale: float
    providers: int
    settings: int
    young_people: int
    placements: int
    visits: int
    recommendations: int
    review_meetings: int
    concerns: int


def _size(name: str, scale: float) -> Size:
    regional = {
        "providers": 1_000,
        "settings": 3_000,
        "young_people": 10_000,
        "placements": 10_000,
        "visits": 10_000,
        "recommendations": 50_000,
        "review_meetings": 20_000,
        "concerns": 5_000,
    }
    return Size(name=name, scale=scale, **{key: max(1, round(n * scale)) for key, n in regional.items()})


SIZES = {size.name: size for size in (_size("regional", 1.0), _size("small", 0.1), _size("tiny", 0.01))}


def database_name(size: str) -> str:
    defaults = {"regional": "qa_portal_bench", "small": "qa_portal_bench_small", "tiny": "qa_portal_bench_tiny"}
    variable = {"regional": "BENCH_DATABASE", "small": "BENCH_SMALL_DATABASE", "tiny": "BENCH_TINY_DATABASE"}
    return os.environ.get(variable[size]) or defaults[size]


def template_database() -> str:
    return os.environ.get("BENCH_TEMPLATE_DATABASE") or "qa_portal_bench_template"


def migrations_fingerprint() -> str:
    """A hash of every migration file: the template is migrated again when it changes."""
    digest = hashlib.sha256()
    for path in sorted(REPO.glob("*/migrations/*.py")) + sorted(REPO.glob("qa_portal/*/migrations/*.py")):
        digest.update(str(path.relative_to(REPO)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def server_url() -> str:
    """The PostgreSQL server of DATABASE_URL (the developer's own), without a database name."""
    url = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/qa_portal"
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "", "", ""))


def database_url(name: str) -> str:
    return f"{server_url()}/{name}"


def port() -> int:
    return int(os.environ.get("BENCH_PORT") or 8100)


def smtp_port() -> int:
    return int(os.environ.get("BENCH_SMTP_PORT") or 8125)


def redis_url() -> str:
    """The bench's own Redis database: REDIS_URL's server, database 9, unless BENCH_REDIS_URL says.
    Never the developer's broker: the bench takes the documents it queued off its queue again."""
    if os.environ.get("BENCH_REDIS_URL"):
        return os.environ["BENCH_REDIS_URL"]
    parts = urlsplit(os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0")
    return urlunsplit((parts.scheme, parts.netloc, "/9", "", ""))


def base_url() -> str:
    return f"http://{HOST}:{port()}"


# One key per run of the bench, shared by every process it starts (sessions are signed with it).
_SECRET_KEY = os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50)


def portal_env(database: str, **extra: str) -> dict[str, str]:
    """The environment of a portal process under test: the production settings (DEBUG off) as the
    README deploys them behind an HTTPS proxy, on this machine's loopback, with mail to the sink."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "PYTEST"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "qa_portal.settings",
            "DEBUG": "0",
            "SECRET_KEY": _SECRET_KEY,
            "BENCH_SECRET_KEY": _SECRET_KEY,
            "ALLOWED_HOSTS": f"{HOST},localhost,testserver",
            "BEHIND_HTTPS_PROXY": "1",
            "DATABASE_URL": database_url(database),
            "REDIS_URL": redis_url(),
            "EMAIL_URL": f"smtp://{HOST}:{smtp_port()}",
            "EMAIL_TIMEOUT": "5",
            "SITE_URL": f"https://{HOST}:{port()}",
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
            "PYTHONPATH": str(REPO),
        }
    )
    env.update(extra)
    return env


def setup_django(database: str) -> None:
    """Configure this process as a portal process on `database` and set Django up."""
    os.environ.update(portal_env(database))
    import django

    django.setup()
