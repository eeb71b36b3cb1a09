"""Settings for QA Portal, read from the environment (see README: Configuration)."""

from datetime import time, timedelta
from pathlib import Path
from urllib.parse import urlparse

import dj_database_url
import dj_email_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from qa_portal.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off. Generate one with: "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    SECRET_KEY = "dev-only-insecure-key-not-for-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off, e.g. ALLOWED_HOSTS=qa.example.gov.uk")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# The authority whose service this is: its name heads every page and report.
AUTHORITY_NAME = env_str("AUTHORITY_NAME", "City of London Corporation")
SERVICE_NAME = "QA Portal"

INSTALLED_APPS = [
    "qa_portal.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "simple_history",
    "crispy_forms",
    "crispy_forms_gds",
    "django_filters",
    "axes",
    "qa_portal",
    "providers",
    "visits",
    "reviews",
    "qa_portal.reporting",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every page needs a signed-in user unless its view says otherwise
    # (@login_not_required), so a new page cannot slip out unprotected. A form posted after the
    # session ended is held for its author (qa_portal.held)...
    "qa_portal.middleware.LoginRequiredMiddleware",
    # Tells the page, on every response, how long the signed-in session now lasts.
    "qa_portal.middleware.SessionExpiryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Control characters out of every query string (said in a message); a JSON body that could not be
    # stored refused with 400 (qa_portal.inputs). Before anything reads request.GET.
    "qa_portal.inputs.middleware.InputsMiddleware",
    # ...and put back in its page, filled as they typed it, once they have signed in again.
    "qa_portal.middleware.HeldSubmissionMiddleware",
    # Records who made each change in the history tables.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

# The most a form may send, files apart: a visit section's answers at their longest (qa_portal.inputs.limits)
# fit several times over. Past it, or past the number of fields, the page says so (errors.bad_request).
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEGABYTES", 5, minimum=1) * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
# Uploaded files (imports): at most this big. Past it the file is not even kept on disk
# (qa_portal.inputs.uploads.SizeLimitUploadHandler) and its field says so.
FILE_UPLOAD_MAX_MEGABYTES = env_int("FILE_UPLOAD_MAX_MEGABYTES", 10, minimum=1)
FILE_UPLOAD_HANDLERS = [
    "qa_portal.inputs.uploads.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

ROOT_URLCONF = "qa_portal.urls"
WSGI_APPLICATION = "qa_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "qa_portal.context_processors.portal",
            ],
        },
    },
]

_DATABASE_URL = env_str("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/qa_portal")
try:
    DATABASES = {"default": dj_database_url.parse(_DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from None
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL (postgres://…).")

REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:6379/0")
if urlparse(REDIS_URL).scheme not in {"redis", "rediss", "unix"}:
    raise ImproperlyConfigured(f"REDIS_URL must start with redis://, rediss:// or unix://; got {REDIS_URL!r}.")

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "qa_portal",
    }
}

AUTH_USER_MODEL = "qa_portal.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 2

# Sessions end after this long without a request (each request restarts the clock).
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30, minimum=1)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
# Signed-in pages warn this long before the idle limit, with a "Stay signed in" button
# (the GOV.UK timeout warning; WCAG 2.2.1 Timing adjustable).
SESSION_TIMEOUT_WARNING_SECONDS = env_int("SESSION_TIMEOUT_WARNING_SECONDS", 120, minimum=10)
SESSION_COOKIE_HTTPONLY = True
# A form posted when it could not be saved (signed out, or its page out of date) is kept this long
# for its author to sign in and get it back in the form (qa_portal.held).
HELD_SUBMISSION_MINUTES = env_int("HELD_SUBMISSION_MINUTES", 60, minimum=1)
# Hidden fields a form page must issue afresh rather than take back from a held form, such as a
# one-time form token. The CSRF token is never held at all.
HELD_SUBMISSION_FRESH_FIELDS: list[str] = ["form_token"]  # qa_portal.intentions.FIELD
# A form whose security token is out of date is held and put back, never Django's bare 403 page.
CSRF_FAILURE_VIEW = "qa_portal.views.errors.csrf_failure"

# Lock-out after repeated failed sign-ins, per account (django-axes).
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1))
# Locked per account, not per address: the council's staff share a few outbound IP
# addresses, and locking one would lock a whole office out (hence axes.W006 is silenced).
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_CALLABLE = "qa_portal.views.auth.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "qa_portal.views.auth.locked_out"
AXES_VERBOSE = False
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["qa_portal.formats"]

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Change reasons (such as why a provider's status changed) can be longer than 100 characters.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"
CRISPY_FAIL_SILENTLY = False

# The address people use to reach the portal, for links in emails.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Working days a provider has to respond to a shared visit report.
PROVIDER_RESPONSE_WORKING_DAYS = env_int("PROVIDER_RESPONSE_WORKING_DAYS", 10, minimum=1)
# Visits the programme aims for each year (the QA lead's home shows progress against it).
VISITS_TARGET_PER_YEAR = env_int("VISITS_TARGET_PER_YEAR", 6, minimum=1)
# Downloads no web request waits for (qa_portal.documents): a PDF of more rows than this, or a
# spreadsheet of more, is made by the worker with a progress bar and kept for download this many days.
# A PDF takes about 40 ms a row to lay out; a spreadsheet under 1 ms.
PDF_ROWS_IN_REQUEST = env_int("PDF_ROWS_IN_REQUEST", 30, minimum=0)
# A report that is not a list (a visit report) by how much people wrote in it: about 40 ms a page.
PDF_CHARACTERS_IN_REQUEST = env_int("PDF_CHARACTERS_IN_REQUEST", 40_000, minimum=0)
SPREADSHEET_ROWS_IN_REQUEST = env_int("SPREADSHEET_ROWS_IN_REQUEST", 500, minimum=0)
DOCUMENTS_KEEP_DAYS = env_int("DOCUMENTS_KEEP_DAYS", 7, minimum=1)
# An uploaded file (an import) of more data rows than this is checked and imported by the worker, with
# its progress on its page (providers.importers.runs): a row takes 5 to 40 ms to check or import.
IMPORT_ROWS_IN_REQUEST = env_int("IMPORT_ROWS_IN_REQUEST", 300, minimum=0)

# Email: EMAIL_URL such as smtp://user:password@mail.example.org:587/?tls=True.
_EMAIL_URL = env_str("EMAIL_URL", "console://" if DEBUG else "smtp://localhost:25")
try:
    _email = dj_email_url.parse(_EMAIL_URL)
except Exception as exc:  # dj-email-url raises a bare Exception for unknown schemes
    raise ImproperlyConfigured(f"EMAIL_URL is not a valid email URL: {exc}") from None
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email["EMAIL_HOST"] or "localhost"
EMAIL_PORT = _email["EMAIL_PORT"] or 25
EMAIL_HOST_USER = _email["EMAIL_HOST_USER"] or ""
EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"] or ""
EMAIL_USE_TLS = _email["EMAIL_USE_TLS"]
EMAIL_USE_SSL = _email["EMAIL_USE_SSL"]
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "QA Portal <qa-portal@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: Redis is the broker; beat runs the schedules below.
CELERY_BROKER_URL = REDIS_URL
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The worker waits for Redis however long it is away: with Celery's default of 100 attempts it
# gave up after about 46 minutes ("Unrecoverable error"), and exited 0 besides.
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_TIME_LIMIT = 5 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 4 * 60
# A job is acknowledged only once it has run, and put back on the queue if the process running it
# dies; every job is safe to run twice (README: Background jobs).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
# Publishing a job must fail fast when Redis is down, so a page never hangs on it: the record
# stays in the database and the catch-up sends it later. A message taken by a worker that then
# vanished is delivered again after the visibility timeout: longer than the longest job (the
# committee pack's 20 minutes), so a job still running is never handed to a second worker.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
    "visibility_timeout": 30 * 60,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
HEARTBEAT_SECONDS = 10


def _clock(name: str, default: str) -> time:
    """A daily time from the environment, as HH:MM in the portal's time zone."""
    value = env_str(name, default)
    try:
        hour, minute = (int(part) for part in value.split(":"))
        if not (0 <= hour < 24 and 0 <= minute < 60):
            raise ValueError
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a time of day as HH:MM, like 06:30; got {value!r}.") from None
    return time(hour, minute)


# The daily jobs: the task beat runs, and when (UK time). A run missed because the worker or
# Redis was down is made when they are back (qa_portal.catchup); the jobs page shows it late.
DAILY_JOBS = {
    "schedule_reviews": {"task": "reviews.tasks.schedule_reviews", "at": _clock("REVIEW_SCHEDULING_TIME", "06:00")},
    "send_reminders": {"task": "qa_portal.reporting.tasks.send_reminders", "at": _clock("REMINDERS_TIME", "07:00")},
    # Create forms' one-time tokens (qa_portal.intentions) are kept a few days, then forgotten.
    "delete_used_form_tokens": {"task": "qa_portal.tasks.delete_used_form_tokens", "at": time(3, 30)},
    # Documents made in the background are kept DOCUMENTS_KEEP_DAYS for download, then deleted.
    "delete_expired_documents": {"task": "qa_portal.tasks.delete_expired_documents", "at": time(3, 40)},
}
CATCH_UP_SECONDS = 300

CELERY_BEAT_SCHEDULE = {
    # Proves, for /healthz, that beat is scheduling and a worker is running jobs.
    "heartbeat": {"task": "qa_portal.tasks.heartbeat", "schedule": float(HEARTBEAT_SECONDS)},
    **{
        job.replace("_", "-"): {
            "task": daily["task"],
            "schedule": crontab(hour=daily["at"].hour, minute=daily["at"].minute),
        }
        for job, daily in DAILY_JOBS.items()
    },
    # Emails due to be sent (again), committee packs and documents waiting or left half-made by a
    # worker that died, daily jobs missed. Also run by each worker as soon as it is connected to Redis.
    "catch-up": {"task": "qa_portal.tasks.catch_up", "schedule": float(CATCH_UP_SECONDS)},
    "delete-expired-held-submissions": {
        "task": "qa_portal.tasks.delete_expired_held_submissions",
        "schedule": crontab(minute=17),
    },
}

# Production hardening; each can be relaxed through the environment behind a proxy.
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # Load balancers and monitors probe the health check over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if env_bool("BEHIND_HTTPS_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint narrates every step of every PDF at INFO.
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}
