"""Reports of Content-Security-Policy violations, sent by browsers to `/csp-report/` (the policy's
`report-uri`, and `report-to` through the `Reporting-Endpoints` header), written to the log.

A violation on a page of the portal means a script or style that is not the portal's own tried to
run (someone's text carrying a script, a browser extension) or a page of ours breaks the policy; the
log lets the people who run the portal see it (logger `qa_portal.csp`, one WARNING line a violation).

Anyone may post here, signed in or not, from anywhere (browsers send reports without a CSRF token),
so nothing posted is trusted:

- the body is read only up to MAX_BYTES (a bigger one is refused unread, 413) and must be one of the
  two formats browsers send (415 otherwise; 400 if it is not JSON or holds no report);
- each client (by address) is heard at most settings.CSP_REPORTS_PER_MINUTE times a minute, and all
  clients together ALL_PER_MINUTE times (429 past either, nothing logged), so it cannot fill the log;
- only the fields worth reading are kept, each cut to FIELD_LENGTH characters, with control
  characters (new lines included, so a report cannot forge a log line) written as `\\u000a`; addresses
  lose their query strings and fragments, which may hold a search for a young person's initials.

Formats (W3C CSP Level 3 and the Reporting API):
- `application/csp-report` (report-uri): {"csp-report": {"document-uri": …, "violated-directive": …}}
- `application/reports+json` (report-to): [{"type": "csp-violation", "url": …, "body": {"documentURL": …}}]
"""

import json
import logging
import re
import time
from contextlib import suppress
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.core.cache import cache
from redis.exceptions import RedisError

logger = logging.getLogger("qa_portal.csp")

REPORT_URI_TYPE = "application/csp-report"
REPORTING_API_TYPE = "application/reports+json"
# A report is about 1 KB (most of it the policy, which is not kept); the Reporting API batches a few.
MAX_BYTES = 16 * 1024
MOST_REPORTS_IN_A_BATCH = 10
FIELD_LENGTH = 300
ALL_PER_MINUTE = 600

# Control characters (tab and new lines included: one report, one log line), the line and paragraph
# separators, the marks that reverse the direction of text, and lone surrogates.
UNSAFE_IN_A_LOG = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")

# What is kept of a report, by our name: its names in report-uri's format, then in the Reporting API's.
FIELDS = {
    "page": ("document-uri", "documentURL"),
    "directive": ("effective-directive", "effectiveDirective", "violated-directive"),
    "blocked": ("blocked-uri", "blockedURL"),
    "source": ("source-file", "sourceFile"),
    "line": ("line-number", "lineNumber"),
    "column": ("column-number", "columnNumber"),
    "sample": ("script-sample", "sample"),
    "disposition": ("disposition",),
    "referrer": ("referrer",),
}
ADDRESSES = {"page", "blocked", "source", "referrer"}


class Refused(Exception):
    """A report not taken: `status` is the HTTP status to answer with, `reason` says why."""

    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status, self.reason = status, reason


def clean(value, *, address: bool = False) -> str:
    """`value` as one safe line of text: control characters written out as `\\u001b`, cut to
    FIELD_LENGTH characters; an address without its query string or fragment."""
    text = value if isinstance(value, str) else json.dumps(value)
    if address and "://" in text:
        # Not an address after all (an invalid IPv6 host, say): kept as text.
        with suppress(ValueError):
            text = urlunsplit(urlsplit(text)._replace(query="", fragment=""))
    text = UNSAFE_IN_A_LOG.sub(lambda found: f"\\u{ord(found.group()):04x}", text)
    return text if len(text) <= FIELD_LENGTH else text[: FIELD_LENGTH - 1] + "…"


def violations(content_type: str, body: bytes) -> list[dict[str, str]]:
    """The violations in a report body of `content_type`, each as {our field name: cleaned text}, at
    most MOST_REPORTS_IN_A_BATCH. Raises Refused (415, or 400 for a body that is not a report)."""
    if content_type not in (REPORT_URI_TYPE, REPORTING_API_TYPE):
        raise Refused(415, f"not a report ({content_type or 'no content type'})")
    try:
        decoded = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise Refused(400, "not JSON") from None
    if content_type == REPORT_URI_TYPE:
        reports = [decoded.get("csp-report")] if isinstance(decoded, dict) else []
    else:
        reports = [
            item.get("body")
            for item in (decoded if isinstance(decoded, list) else [])
            if isinstance(item, dict) and item.get("type") == "csp-violation"
        ]
    found = []
    for report in reports[:MOST_REPORTS_IN_A_BATCH]:
        if not isinstance(report, dict):
            continue
        fields = {}
        for name, keys in FIELDS.items():
            value = next((report[key] for key in keys if report.get(key) not in (None, "")), None)
            if value is not None:
                fields[name] = clean(value, address=name in ADDRESSES)
        if fields:
            found.append(fields)
    if not found:
        raise Refused(400, "no violation in the report")
    return found


def _heard(key: str, limit: int) -> bool:
    """Counts one report in this minute's bucket for `key`; False once more than `limit` have come.
    Without Redis to count in, nothing is taken: better no report than no limit."""
    bucket = f"csp-reports:{key}:{int(time.time() // 60)}"
    try:
        cache.add(bucket, 0, timeout=120)
        return cache.incr(bucket) <= limit
    except (RedisError, ConnectionError, ValueError):
        return False


def take(request) -> int:
    """Reads, checks and logs the report posted in `request`. Returns how many violations were logged;
    raises Refused with the status to answer (413, 415, 400 or 429)."""
    length = request.META.get("CONTENT_LENGTH") or "0"
    if not length.isdigit() or int(length) > MAX_BYTES:
        raise Refused(413, "too big")
    body = request.read(MAX_BYTES + 1)
    if len(body) > MAX_BYTES:
        raise Refused(413, "too big")
    client = request.META.get("REMOTE_ADDR", "unknown")
    if not _heard(f"client:{client}", settings.CSP_REPORTS_PER_MINUTE) or not _heard("all", ALL_PER_MINUTE):
        raise Refused(429, "too many reports")
    found = violations(request.content_type, body)
    user = request.user.pk if getattr(request, "user", None) and request.user.is_authenticated else None
    for fields in found:
        logger.warning(
            "Content-Security-Policy violation: %s",
            json.dumps({**fields, "user": user, "client": clean(client)}, ensure_ascii=False, sort_keys=True),
        )
    return len(found)
