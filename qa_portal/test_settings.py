"""Settings for the test suite: production-like (DEBUG off) on the real PostgreSQL and Redis."""

import os

os.environ["DEBUG"] = "0"
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-that-is-long-enough-for-django-checks-0123456789")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
# A Redis database of its own, so tests never touch the development broker's queues.
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")
os.environ["SECURE_SSL_REDIRECT"] = "0"

from qa_portal.settings import *

SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
# Serve static files straight from static/ (no collectstatic in tests), for the live server too.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
