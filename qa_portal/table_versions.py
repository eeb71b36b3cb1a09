"""A cache of computed results that is never stale: a result is kept with the time each database table
its queries read was last written, and served only while every one of those tables still has that time.

The times are django-cachalot's (settings: CACHALOT_*): every write through Django (a model's save, a
queryset's `.update()` or `.delete()`, `bulk_create`, raw SQL on Django's connection) sets its table's
time in the "tables" cache (Redis), a transaction's writes once it commits. Which tables a result read
is found from the SQL its queries ran, by cachalot's own rule (`cachalot.utils._get_tables_from_sql`:
every table of an installed model named in it).

Why it cannot serve a stale result:
- every table's time is read before the result's queries run, so a result kept under those times saw
  every write committed before they were set (READ COMMITTED);
- cachalot sets the time of a write made outside a transaction just *before* the statement runs, so a
  page worked out in between would read the old rows under the new time; `after_each_statement` sets
  it again once the statement has run (committed);
- inside a transaction that has written and not yet committed, nothing is read from or kept in the
  cache (its writes are not committed yet, and might be rolled back);
- a table's time gone from the cache (Redis emptied or restarted) never matches: a missing time is set
  to now before a result is kept, never recorded as missing (cachalot's `get_last_invalidation` takes
  the latest of the times it finds, which a time gone would not change, so it is not used here);
- a result whose queries wrote anything, read no table cachalot knows, or read one it does not track
  (CACHALOT_UNCACHABLE_TABLES: the session, the access log of personal data) is not kept.
Writes made outside Django (psql) are not seen: after them, run `manage.py invalidate_cachalot`;
results are kept at most `timeout` seconds (10 minutes by default) whatever happens. If Redis cannot be
reached, results are worked out as without a cache (qa_portal.cache_backends).
"""

import hashlib
import logging
import pickle
import re
import sys
import threading
import time
from collections.abc import Callable, Hashable
from functools import cache
from pathlib import Path
from typing import Any

from cachalot.api import invalidate
from cachalot.cache import cachalot_caches
from cachalot.settings import cachalot_settings
from cachalot.utils import _get_tables_from_sql, are_all_cachable
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connection, connections

logger = logging.getLogger(__name__)

_RESULT_PREFIX = "table-cached:"
_renewing = threading.local()
# Set while a `cached` result is worked out (see `cached`).
_computing = threading.local()
# Set for a request that shows the person a message about what they have just done: its kept results
# are worked out afresh (FreshAfterActionMiddleware).
_fresh = threading.local()


def _tables_cache():
    return caches[cachalot_settings.CACHALOT_CACHE]


@cache
def _known() -> frozenset[str]:
    """Every table of an installed model (many-to-many tables included): those cachalot times."""
    return frozenset(connection.introspection.django_table_names())


def table_times(tables, *, fill_missing: bool = False) -> dict[str, float | None]:
    """The time (seconds since the epoch, cachalot's) each of `tables` was last written, None for one
    the cache holds no time for; with `fill_missing`, such a table is given the time now first."""
    keygen = cachalot_settings.CACHALOT_TABLE_KEYGEN
    keys = {keygen(DEFAULT_DB_ALIAS, table): table for table in tables}
    found = _tables_cache().get_many(list(keys))
    if fill_missing and len(found) < len(keys):
        now = time.time()
        _tables_cache().set_many({key: now for key in keys if key not in found}, cachalot_settings.CACHALOT_TIMEOUT)
        found = _tables_cache().get_many(list(keys))
    return {table: found.get(key) for key, table in keys.items()}


def note_write_outside_transaction(sender, db_alias=None, **kwargs) -> None:
    """cachalot's post_invalidation receiver. Outside a transaction it is sent just before a queryset's
    or model's write statement runs (while cachalot's `raw` flag on the connection is False); note the
    table, to be timed again once the statement has run. It is also sent after a transaction commits
    and after raw SQL has run: those times are already set after the write."""
    if getattr(_renewing, "active", False) or db_alias is None:
        return
    conn = connections[db_alias]
    if not conn.in_atomic_block and getattr(conn, "raw", False) is False:
        conn.__dict__.setdefault("_tables_written_by_statement", set()).add(sender)


def after_each_statement(execute, sql, params, many, context):
    """An execute wrapper (on every connection: `install`): once a statement made outside a transaction
    has run, and so committed, the tables cachalot timed just before it are timed again."""
    try:
        return execute(sql, params, many, context)
    finally:
        conn = context["connection"]
        tables = conn.__dict__.pop("_tables_written_by_statement", None)
        if tables and not conn.in_atomic_block:
            _renewing.active = True
            try:
                invalidate(*tables, db_alias=conn.alias, cache_alias=cachalot_settings.CACHALOT_CACHE)
            finally:
                _renewing.active = False


def install(sender=None, connection=None, **kwargs) -> None:
    """Install `after_each_statement` on `connection` (a `connection_created` receiver; idempotent). It
    goes first in the list, so a test's own `connection.execute_wrapper()` pops its wrapper, not this."""
    if not any(wrapper is after_each_statement for wrapper in connection.execute_wrappers):
        connection.execute_wrappers.insert(0, after_each_statement)


def _writing_uncommitted(conn) -> bool:
    """Whether this connection is inside a transaction that has written a table cachalot times, not yet
    committed (cachalot holds those tables' times back until the commit, per atomic block)."""
    if not conn.in_atomic_block:
        return not conn.get_autocommit()  # a transaction managed by hand: assume it has written
    try:
        levels = cachalot_caches.atomic_caches[conn.alias]
        return any(atomic.to_be_invalidated for level in levels for atomic in level.values())
    except (AttributeError, KeyError, TypeError):  # another version of cachalot: never serve from it
        return True


class _Reads:
    """An execute wrapper noting the SQL a computation runs, and whether all of it only read."""

    def __init__(self):
        self.statements: list[str] = []
        self.only_reads = True

    def __call__(self, execute, sql, params, many, context):
        text = sql.decode() if isinstance(sql, bytes) else sql
        if text.lstrip()[:6].upper() != "SELECT":
            self.only_reads = False
        self.statements.append(text.lower())
        return execute(sql, params, many, context)

    def tables(self, conn) -> set[str]:
        """The tables cachalot finds in every statement; empty if any statement names none."""
        found = set()
        for statement in self.statements:
            tables = _get_tables_from_sql(conn, statement)
            if not tables:
                return set()
            found |= tables
        return found


def person_key(user) -> tuple:
    """What a result worked out for `user` depends on about them besides the data its queries read:
    who they are, whether active, their roles and permissions as the request loaded them, and their
    organisation. Part of the `key` of `cached` for anything worked out per person."""
    permissions = tuple(sorted(user.get_all_permissions())) if user.is_active else ()
    return (user.pk, user.is_active, user.is_superuser, user.provider_id, tuple(sorted(user.roles)), permissions)


@cache
def code_digest(*module_names: str) -> str:
    """A digest of the source of the named modules: a result kept by one version of the code is not
    served by another."""
    digest = hashlib.sha256()
    for name in module_names:
        module = sys.modules.get(name)
        path = getattr(module, "__file__", None)
        if path:
            with open(path, "rb") as file:
                digest.update(file.read())
    return digest.hexdigest()[:12]


def cached(
    name: str,
    key: Hashable,
    compute: Callable[[], Any],
    *,
    timeout: int = 600,
    until: Callable[[Any], float | None] | None = None,
) -> Any:
    """`compute()`'s result, from the cache while no table its queries read has been written since it
    was kept; otherwise computed (and kept, for at most `timeout` seconds). `name` and `key` say what it
    is: `key` must hold everything the result depends on that is not read from the database in
    `compute` (the user's id, roles and permissions as already loaded, today's date...). The result
    must pickle. Costs two cache reads when kept; one more, and every table's time, when not.
    Called inside another `compute` (a kept page calling a kept part), it computes: a part served
    from the cache would run no query, and the outer result would not know the tables it came from.
    `until(result)`, if given, is the moment (seconds since the epoch, or None for never) from which a
    kept result is no longer served, for a result that depends on the time of day as well."""
    conn = connection
    if _writing_uncommitted(conn) or getattr(_computing, "active", False):
        return compute()
    entry_key = _RESULT_PREFIX + name + ":" + hashlib.sha256(pickle.dumps(key)).hexdigest()[:32]
    entry = None if getattr(_fresh, "active", False) else _tables_cache().get(entry_key)
    if entry is not None:
        times, value = entry
        moment = until(value) if until is not None else None
        if (moment is None or time.time() < moment) and table_times(times) == times:
            return value
    before = table_times(_known(), fill_missing=True)
    reads = _Reads()
    _computing.active = True
    try:
        with conn.execute_wrapper(reads):
            value = compute()
    finally:
        _computing.active = False
    tables = reads.tables(conn)
    keep = reads.only_reads and tables and tables <= _known() and are_all_cachable(tables)
    if keep and not _writing_uncommitted(conn):
        times = {table: before[table] for table in tables}
        if None not in times.values():  # Redis could not be reached
            _tables_cache().set(entry_key, (times, value), timeout=timeout)
    return value


@cache
def templates_digest() -> str:
    """A digest of every template in the project's template directories (settings.TEMPLATES' DIRS):
    part of the key of rendered markup kept by `cached`, so markup kept by one version of the templates
    is not served by another."""
    from django.conf import settings

    digest = hashlib.sha256()
    for folder in (Path(d) for engine in settings.TEMPLATES for d in engine.get("DIRS", ())):
        for path in sorted(folder.rglob("*.html")):
            digest.update(str(path.relative_to(folder)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


# What Django writes into a form that carries the CSRF token (csrf_token, crispy-forms): such markup is
# the person's and the session's, never to be kept and served again...
_CSRF_MARK = 'name="csrfmiddlewaretoken"'
_CSRF_VALUES = re.compile(r'name="csrfmiddlewaretoken" value="([^"]*)"')
# ...unless the token is this stand-in, which the page replaces with the request's own token at every
# opening (qa_portal.lists.kept_content with `posts`). It can never be a token: those are 64 letters.
CSRF_STAND_IN = "csrf-token-of-the-request"
# A form's one-time token (qa_portal.intentions): a new one for every form drawn, never kept.
_INTENTION_MARK = 'name="form_token"'


def cached_markup(name: str, key: Hashable, compute: Callable[[], tuple[str, Any]], *, timeout: int = 600):
    """`cached` for rendered markup: `compute()` returns (markup, anything else the page needs with it,
    e.g. the ids of the young people it shows for the access log), kept while no table read changes.
    `key` must hold what `cached` asks, and the templates' version (`templates_digest`) is added.
    Raises ValueError if the markup holds a CSRF token other than `CSRF_STAND_IN` (a form that posts must
    be rendered per request, or with the stand-in, replaced per request), or a form's one-time token."""

    def checked():
        markup, extra = compute()
        tokens = _CSRF_VALUES.findall(markup)
        if markup.count(_CSRF_MARK) != len(tokens) or any(token != CSRF_STAND_IN for token in tokens):
            raise ValueError(f"{name}: rendered markup holding a CSRF token is not to be kept")
        if _INTENTION_MARK in markup:
            raise ValueError(f"{name}: rendered markup holding a form's one-time token is not to be kept")
        return markup, extra

    return cached(name, (key, templates_digest()), checked, timeout=timeout)


class FreshAfterActionMiddleware:
    """A page that shows the person a message about what they have just done (saved, recorded, "this
    was already saved") works its kept results out afresh, and keeps them for the next opening.

    A table's time is renewed just after a write commits (cachalot), so for a moment after the commit
    the old result still matches. A request that another's commit let through (a second click of
    "Save", held until the first was saved, then sent to the page with "already saved") could land in
    that moment and show the page without what was just saved. Every page that follows a person's own
    change carries such a message, so it never comes from the cache. After MessageMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.contrib.messages import get_messages

        _fresh.active = len(get_messages(request)) > 0
        try:
            return self.get_response(request)
        finally:
            _fresh.active = False
