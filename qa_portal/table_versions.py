"""A cache of computed results that is never stale: each result is kept with a token per database table
its queries read, and served only while every one of those tables still has the same token.

Every write to a table (INSERT, UPDATE, DELETE, TRUNCATE, through any model, queryset `.update()`,
`bulk_create` or raw SQL on Django's connection) gives the table a new random token in the shared
cache (Redis) once it is committed: `_note_writes` is an execute wrapper installed on every connection
(`install`, from qa_portal.apps). Signals are not enough: some 40 queryset `.update()` calls pass them
by. A statement that writes something it cannot name (DDL, a write inside WITH, COPY) renews the token
of every table (ALL).

Why it cannot serve a stale result:
- tokens are read before the result's queries run, and renewed after the write commits, so a result
  kept under a token saw every write committed before that token was set (READ COMMITTED);
- inside a transaction that has written and not yet committed, nothing is read from or kept in the
  cache (its writes are not committed yet, and might be rolled back);
- a token that has gone from the cache (evicted, Redis emptied) never matches: a missing token is set
  to a new random one before a result is kept, never recorded as missing;
- a result whose queries read a table this module does not know, or one of IGNORED, is not kept.
Writes made outside Django (psql) are not seen; results are kept at most `timeout` seconds (10 minutes
by default) whatever happens.

Tables written on every request and read by no cached result (IGNORED: the session, the access log of
personal data) do not renew tokens, or nothing would stay cached for longer than a page view.
"""

import hashlib
import logging
import pickle
import re
import secrets
import sys
from collections.abc import Callable, Hashable
from functools import cache, partial
from typing import Any

from django.core.cache import cache as shared_cache
from django.db import connection

logger = logging.getLogger(__name__)

# The token that every write of something unnamed renews, and that every kept result checks too.
ALL = "*"
_TOKEN_PREFIX = "table-version:"
_RESULT_PREFIX = "table-cached:"
_WRITE = re.compile(
    r"""^\s*(?:(INSERT\s+INTO|UPDATE|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?)\s+(?:ONLY\s+)?(?:"([^"]+)"|([A-Za-z_][\w]*))
        |(ALTER|CREATE|DROP|COPY|WITH|MERGE|REFRESH|CALL|DO|VACUUM\s+FULL|CLUSTER))""",
    re.IGNORECASE | re.VERBOSE,
)
_WRITE_IN_WITH = re.compile(r"\b(INSERT|UPDATE|DELETE|MERGE)\b", re.IGNORECASE)
_READ_ONLY_STARTS = ("SELECT", "SAVEPOINT", "RELEASE", "ROLLBACK", "SET ", "SHOW", "EXPLAIN", "BEGIN", "COMMIT")


@cache
def _ignored() -> frozenset[str]:
    from django.contrib.sessions.models import Session

    from qa_portal.audit.models import PersonalDataAccess

    return frozenset({Session._meta.db_table, PersonalDataAccess._meta.db_table})


@cache
def _known() -> tuple[frozenset[str], re.Pattern]:
    """Every table of every installed model (and many-to-many table), and a pattern finding them in SQL."""
    from django.apps import apps

    tables = set()
    for model in apps.get_models(include_auto_created=True):
        tables.add(model._meta.db_table)
    names = sorted(tables, key=len, reverse=True)
    return frozenset(tables), re.compile(r"\b(" + "|".join(re.escape(name) for name in names) + r")\b")


def written_tables(sql: str) -> set[str] | None:
    """The tables a statement writes: None for one that writes nothing (SELECT and transaction control),
    {ALL} for a write this cannot name (DDL, a write inside WITH...). Table names as PostgreSQL has them."""
    start = sql.lstrip()[:10].upper()
    if start.startswith(_READ_ONLY_STARTS):
        return None
    match = _WRITE.match(sql)
    if match is None:
        return None
    if match.group(4):
        if match.group(4).upper() == "WITH" and not _WRITE_IN_WITH.search(sql):
            return None  # a read with common table expressions
        return {ALL}
    return {match.group(2) or match.group(3)}


def _token_keys(tables) -> dict[str, str]:
    return {_TOKEN_PREFIX + table: table for table in tables}


def renew(tables) -> None:
    """Give each of `tables` (table names, or ALL) a new token: every result that read them is dropped."""
    tables = set(tables) - _ignored()
    if tables:
        try:
            shared_cache.set_many({key: secrets.token_hex(8) for key in _token_keys(tables)}, timeout=None)
        except Exception:  # the write is committed: never turn it into an error page
            logger.exception("Could not renew the cache tokens of %s: cached pages may be stale", sorted(tables))


def _flush(conn) -> None:
    pending = conn.__dict__.pop("_table_versions_pending", None)
    if pending:
        renew(pending)


def _note_writes(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    tables = written_tables(sql)
    if tables is not None and not tables <= _ignored():
        conn = context["connection"]
        conn.__dict__.setdefault("_table_versions_pending", set()).update(tables)
        # Outside a transaction this runs at once; inside one, when it commits (and never if it is
        # rolled back, when the tables keep their tokens: nothing was written).
        conn.on_commit(partial(_flush, conn))
    return result


def install(sender=None, connection=None, **kwargs) -> None:
    """Install the write watcher on `connection` (a `connection_created` receiver; idempotent). It goes
    first in the list, so a test's own `connection.execute_wrapper()` pops its wrapper, not this one."""
    conn = connection
    if not any(wrapper is _note_writes for wrapper in conn.execute_wrappers):
        conn.execute_wrappers.insert(0, _note_writes)


def _writing_uncommitted(conn) -> bool:
    """Whether this connection is inside a transaction that has written something not yet committed."""
    return conn.in_atomic_block and any(
        isinstance(entry[1], partial) and entry[1].func is _flush for entry in conn.run_on_commit
    )


class _Reads:
    """An execute wrapper noting the known tables each query reads (and whether any is unknown)."""

    def __init__(self):
        self.tables: set[str] = set()
        self.keepable = True

    def __call__(self, execute, sql, params, many, context):
        _, pattern = _known()
        found = set(pattern.findall(sql))
        if not found or found & _ignored() or written_tables(sql) is not None:
            # No known table (a raw query on something else), an ignored one, or a write: not kept.
            self.keepable = False
        self.tables |= found
        return execute(sql, params, many, context)


def _read_tokens(tables) -> dict[str, str | None]:
    keys = _token_keys(tables)
    found = shared_cache.get_many(list(keys))
    return {table: found.get(key) for key, table in keys.items()}


def _set_missing_tokens(tables) -> dict[str, str]:
    """Every table's token, a new one set for each missing (never recorded as missing: see above)."""
    tokens = _read_tokens(tables)
    missing = [table for table, token in tokens.items() if token is None]
    if missing:
        for key in _token_keys(missing):
            shared_cache.add(key, secrets.token_hex(8), timeout=None)
        tokens.update(_read_tokens(missing))
    return tokens


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


def cached(name: str, key: Hashable, compute: Callable[[], Any], *, timeout: int = 600) -> Any:
    """`compute()`'s result, from the cache while no table its queries read has been written since it
    was kept; otherwise computed (and kept, for at most `timeout` seconds). `name` and `key` say what it
    is: `key` must hold everything the result depends on that is not read from the database in
    `compute` (the user's id, roles and permissions as already loaded, today's date...). The result
    must pickle. Costs two cache reads when kept; one more, and every table's token, when not."""
    conn = connection
    if _writing_uncommitted(conn):
        return compute()
    entry_key = _RESULT_PREFIX + name + ":" + hashlib.sha256(pickle.dumps(key)).hexdigest()[:32]
    known, _ = _known()
    try:
        entry = shared_cache.get(entry_key)
        if entry is not None:
            tokens, value = entry
            if _read_tokens(tokens) == tokens:
                return value
        before = _set_missing_tokens(known | {ALL})
    except Exception:  # the cache is down: work it out
        logger.exception("Could not read the cache for %s", name)
        return compute()
    reads = _Reads()
    with conn.execute_wrapper(reads):
        value = compute()
    if reads.keepable and reads.tables <= known and not _writing_uncommitted(conn):
        tokens = {table: before[table] for table in reads.tables | {ALL}}
        try:
            shared_cache.set(entry_key, (tokens, value), timeout=timeout)
        except Exception:
            logger.exception("Could not keep %s in the cache", name)
    return value
