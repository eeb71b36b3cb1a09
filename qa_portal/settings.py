"""Settings for QA Portal, read from the environment (see README: Configuration)."""

from datetime import time, timedelta
from pathlib import Path
from urllib.parse import urlparse

import dj_database_url
import dj_email_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse_lazy

from qa_portal.env import env_bool, env_int, env_list, env_str, secret_key_problem

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)

_NEW_SECRET_KEY = "Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(f"SECRET_KEY must be set when DEBUG is off. {_NEW_SECRET_KEY}")
    SECRET_KEY = "dev-only-insecure-key-not-for-production"
elif not DEBUG and (_problem := secret_key_problem(SECRET_KEY)):
    # Anyone who knows or guesses the key can sign in as anyone (it signs the sessions).
    raise ImproperlyConfigured(f"SECRET_KEY {_problem}, so it is refused when DEBUG is off. {_NEW_SECRET_KEY}")

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
    # Django's own widget templates, for the form renderer below.
    "django.forms",
    "simple_history",
    "crispy_forms",
    "crispy_forms_gds",
    "django_filters",
    "axes",
    "csp",
    # Second factor: an authenticator app (TOTP) and one-time recovery codes (qa_portal.second_factor).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Passkeys (WebAuthn) as a second factor beside the app, for those who add one (qa_portal.passkeys).
    "django_otp_webauthn",
    # Records when each table was last written, for qa_portal.table_versions (CACHALOT_* below).
    "cachalot",
    "qa_portal",
    "providers",
    "visits",
    "reviews",
    "qa_portal.reporting",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The Content-Security-Policy header on every page (static files, served above, need none), and
    # where browsers report a violation of it.
    "qa_portal.middleware.ReportingEndpointsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Tells, for the signed-in user, which second factor (if any) this session has been verified with.
    "django_otp.middleware.OTPMiddleware",
    # The signed-in user's roles and permissions, read in one query rather than three.
    "qa_portal.middleware.AccessMiddleware",
    # Nothing signed in is kept in a cache: no copy of a page or download in the browser or a proxy.
    "qa_portal.middleware.NoStoreMiddleware",
    # A session ends SESSION_ABSOLUTE_HOURS after sign-in, however busy: signed out before the view.
    "qa_portal.middleware.SessionLifetimeMiddleware",
    # Every page needs a signed-in user unless its view says otherwise
    # (@login_not_required), so a new page cannot slip out unprotected. A form posted after the
    # session ended is held for its author (qa_portal.held)...
    "qa_portal.middleware.LoginRequiredMiddleware",
    # Someone signed in with a password but not yet with their code reaches only the code pages.
    "qa_portal.middleware.SecondFactorMiddleware",
    # Tells the page, on every response, how long the signed-in session now lasts.
    "qa_portal.middleware.SessionExpiryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A page following the person's own change (it shows them a message) is not served from kept results.
    "qa_portal.table_versions.FreshAfterActionMiddleware",
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
                "providers.context_processors.young_people",
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
# No JIT compilation: PostgreSQL compiles any query it estimates as big (cost over jit_above_cost),
# which took 15 to 50 ms a query at a consortium's size (issue 15), longer than the queries themselves
# ran; the portal's pages run many short queries and gain nothing from it.
DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"

REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:6379/0")
if urlparse(REDIS_URL).scheme not in {"redis", "rediss", "unix"}:
    raise ImproperlyConfigured(f"REDIS_URL must start with redis://, rediss:// or unix://; got {REDIS_URL!r}.")

# Both caches' keys name the database (qa_portal.cache_backends.key_for_this_database), so portals
# sharing a Redis database (a staging and a live one, the bench and a test run) never read each
# other's kept pages or counted figures: a kept page is keyed by a person's id, the same number in both.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "qa_portal",
        "KEY_FUNCTION": "qa_portal.cache_backends.key_for_this_database",
    },
    # When each table was last written (django-cachalot) and the results kept while none of the
    # tables they read is written (qa_portal.table_versions). A Redis error is logged, not raised
    # (qa_portal.cache_backends).
    "tables": {
        "BACKEND": "qa_portal.cache_backends.ForgivingRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "qa_portal",
        "KEY_FUNCTION": "qa_portal.cache_backends.key_for_this_database",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    },
}
# django-cachalot: every committed write through Django (a model's save, a queryset's update or
# delete, bulk_create, raw SQL on Django's connection) records when its table was written, in the
# "tables" cache; the writes of a transaction only once it commits. It caches no query itself
# (CACHALOT_ENABLED off): qa_portal.table_versions.cached keeps whole results and checks those times.
CACHALOT_ENABLED = False
CACHALOT_CACHE = "tables"
CACHALOT_INVALIDATE_RAW = True
# Written on every request and read by no kept result: their writes record nothing, and a result
# that reads them is not kept (qa_portal.table_versions).
CACHALOT_UNCACHABLE_TABLES = ["django_migrations", "django_session", "qa_portal_personaldataaccess"]

AUTH_USER_MODEL = "qa_portal.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Staff signing in with the council's account (OpenID Connect); does nothing while OIDC is off.
    "qa_portal.council_sign_in.StaffOIDCBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    # 20,000 passwords most often found in breaches (Django's list)...
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # ...and the patterns people use to stretch them to 12 characters (qa_portal.passwords).
    {"NAME": "qa_portal.passwords.RepetitionValidator"},
    {"NAME": "qa_portal.passwords.CommonWordValidator"},
    # The person's own name or email address, with digits added (`dennison1234`).
    {"NAME": "qa_portal.passwords.PersonalNameValidator"},
    # The demo accounts' password (qa_portal/reporting/demo/data/accounts.toml) is published in the
    # README: refused whenever DEBUG is off.
    {"NAME": "qa_portal.passwords.PublishedPasswordValidator", "OPTIONS": {"passwords": ["demo-password-2026"]}},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 2

# Sessions end after this long without a request (each request restarts the clock).
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30, minimum=1)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
# Django's database sessions, an existing one saved in one statement (qa_portal.sessions).
SESSION_ENGINE = "qa_portal.sessions"
# And whatever the activity, this long after signing in (qa_portal.session_lifetime).
SESSION_ABSOLUTE_HOURS = env_int("SESSION_ABSOLUTE_HOURS", 12, minimum=1)
SESSION_ABSOLUTE_SECONDS = SESSION_ABSOLUTE_HOURS * 60 * 60
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
# Failures are forgotten when sign-in is complete (the second factor given too, qa_portal.second_factor),
# not when the password alone is right: otherwise each right password would allow five more guesses
# at the code. A wrong code or recovery code counts as a failed sign-in like a wrong password.
AXES_RESET_ON_SUCCESS = False
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "code"]
AXES_LOCKOUT_CALLABLE = "qa_portal.views.auth.locked_out"
AXES_VERBOSE = False
# otp_webauthn.E030 (no list of passkey origins): the origin is the request's, see the passkey settings.
# cachalot.W001 (a cache backend it does not list): the "tables" cache is Django's RedisCache, subclassed.
SILENCED_SYSTEM_CHECKS = ["axes.W006", "otp_webauthn.E030", "cachalot.W001"]

# The second factor (qa_portal.second_factor): everyone who signs in with a password must also give a
# code from their authenticator app (or a recovery code), set up at their first sign-in. Which roles
# must: a comma-separated list of role values (qa_portal.roles), or "all" (the default), which also
# covers accounts with no role. Administrators, QA leads and provider users must always be included.
SECOND_FACTOR_ROLES = env_list("SECOND_FACTOR_ROLES", ["all"])
# The name authenticator apps show for the portal's codes.
OTP_TOTP_ISSUER = f"{SERVICE_NAME} ({AUTHORITY_NAME})"
# django-otp's own throttling refuses even a right code for a while after a wrong one, without saying
# so; repeated wrong codes lock the account through django-axes instead, with a message.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Passkeys (qa_portal.passkeys): a second factor only, never a way in without the password. The relying
# party is the host the portal is reached at, and the origin the browser must be on is the request's
# (its host checked against ALLOWED_HOSTS), so there is no list of origins to keep (otp_webauthn.E030).
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
OTP_WEBAUTHN_RP_ID_CALLABLE = "qa_portal.passkeys.relying_party_id"
OTP_WEBAUTHN_RP_NAME = f"{SERVICE_NAME} ({AUTHORITY_NAME})"
OTP_WEBAUTHN_HELPER_CLASS = "qa_portal.passkeys.PortalWebAuthnHelper"
# A person has 2 minutes to answer their browser's passkey prompt (WCAG 2.2.1: they may start again).
OTP_WEBAUTHN_TIMEOUT_SECONDS = 120

# Staff may sign in with the council's identity provider over OpenID Connect (mozilla-django-oidc),
# when OIDC_RP_CLIENT_ID is set: the account is found by the email address the provider gives, and
# must be an active council account (roles stay in the portal; no account is ever created). The
# council's provider is trusted to have asked for its own second factor.
OIDC_RP_CLIENT_ID = env_str("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = env_str("OIDC_RP_CLIENT_SECRET", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = env_str("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = env_str("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = env_str("OIDC_OP_JWKS_ENDPOINT", "")
_OIDC_NEEDED = {
    "OIDC_RP_CLIENT_SECRET": OIDC_RP_CLIENT_SECRET,
    "OIDC_OP_AUTHORIZATION_ENDPOINT": OIDC_OP_AUTHORIZATION_ENDPOINT,
    "OIDC_OP_TOKEN_ENDPOINT": OIDC_OP_TOKEN_ENDPOINT,
    "OIDC_OP_USER_ENDPOINT": OIDC_OP_USER_ENDPOINT,
    "OIDC_OP_JWKS_ENDPOINT": OIDC_OP_JWKS_ENDPOINT,
}
if OIDC_RP_CLIENT_ID and (_missing := [name for name, value in _OIDC_NEEDED.items() if not value]):
    raise ImproperlyConfigured(f"OIDC_RP_CLIENT_ID is set, so {', '.join(_missing)} must be set too.")
OIDC_RP_SIGN_ALGO = env_str("OIDC_RP_SIGN_ALGO", "RS256")
# How the button names the council's account: "Sign in with your <OIDC_PROVIDER_NAME> account".
OIDC_PROVIDER_NAME = env_str("OIDC_PROVIDER_NAME", AUTHORITY_NAME)
OIDC_RP_SCOPES = "openid email"
OIDC_USE_PKCE = True
OIDC_CREATE_USER = False
OIDC_TIMEOUT = 10
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_authentication_callback"

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
# crispy-forms-gds styles text, email and password boxes only; every other typed box is a GOV.UK input too.
CRISPY_CLASS_CONVERTERS = dict.fromkeys(
    ["urlinput", "telinput", "searchinput", "numberinput", "dateinput", "timeinput", "datetimeinput"], "govuk-input"
)
# Widgets are rendered with the project's templates too (templates/components/date_input.html).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

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
# The access log of personal data (qa_portal.access_log): who saw or downloaded a young person's data,
# kept this many days (two years), then deleted by the daily job below.
ACCESS_LOG_KEEP_DAYS = env_int("ACCESS_LOG_KEEP_DAYS", 730, minimum=1)
# Retention (providers.retention): a young person is listed for review, to be anonymised, once they are
# older than RETENTION_AGE_YEARS (25: nobody is a care leaver after their 26th birthday), or once their
# last placement ended RETENTION_YEARS_AFTER_LAST_PLACEMENT years ago; never while they are placed.
RETENTION_AGE_YEARS = env_int("RETENTION_AGE_YEARS", 25, minimum=18)
RETENTION_YEARS_AFTER_LAST_PLACEMENT = env_int("RETENTION_YEARS_AFTER_LAST_PLACEMENT", 7, minimum=1)
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
    # Providers' risk ratings: windows and overdue dates move with the day; overrides lapse (reviews.risk).
    "refresh_risk_ratings": {"task": "reviews.tasks.refresh_risk_ratings", "at": time(5, 30)},
    # Create forms' one-time tokens (qa_portal.intentions) are kept a few days, then forgotten.
    "delete_used_form_tokens": {"task": "qa_portal.tasks.delete_used_form_tokens", "at": time(3, 30)},
    # Documents made in the background are kept DOCUMENTS_KEEP_DAYS for download, then deleted.
    "delete_expired_documents": {"task": "qa_portal.tasks.delete_expired_documents", "at": time(3, 40)},
    # The access log of personal data is kept ACCESS_LOG_KEEP_DAYS, then deleted.
    "delete_old_access_log": {"task": "qa_portal.tasks.delete_old_access_log", "at": time(3, 50)},
}
CATCH_UP_SECONDS = 300

# What beat runs and when (these daily jobs, the heartbeat, the catch-up and two hourly jobs) is
# qa_portal.celery.beat_schedule: Celery's schedules are made there, so only Celery's processes import
# Celery (issue 15: a visit report as a command starts without it).

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
# What a page may load and run (django-csp): only the portal's own files. No inline script or style
# and no eval, so a script that reaches a page through someone's text cannot run; no framing; forms
# post only to the portal. The committee report's charts are SVG images in data: URLs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        # Browsers report each violation to the portal, which logs it (qa_portal.csp_reports); report-to
        # names the endpoint in the Reporting-Endpoints header (qa_portal.middleware.ReportingEndpointsMiddleware).
        "report-uri": [reverse_lazy("csp_report")],
        "report-to": "csp",
    }
}
# How many violation reports one client (by address) may send a minute before the rest are dropped.
CSP_REPORTS_PER_MINUTE = env_int("CSP_REPORTS_PER_MINUTE", 20, minimum=1)
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
