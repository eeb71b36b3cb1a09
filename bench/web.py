"""Talking to the portal under test as a browser behind the README's HTTPS proxy would, on loopback.

- Every request says `X-Forwarded-Proto: https`, as the proxy does (the portal runs with
  BEHIND_HTTPS_PROXY=1), and a form or autosave post says where it comes from (`Origin`, `Referer`),
  as a browser does, for Django's CSRF check of a secure request.
- The portal's cookies are Secure; the proxy's HTTPS ends before loopback, so the bench's sessions
  send them over plain HTTP to 127.0.0.1 (`LoopbackSession`); it only ever talks to 127.0.0.1.
- Signing in is the real thing (`sign_in`): the email address and password, then the 6-digit code of
  the person's authenticator app, computed from the key the generator gave every bench user's app
  (RFC 6238, as tests/signin.py does with django-otp). Each code works once, so a second sign-in by the
  same person within 30 seconds takes the next one, which the portal accepts.
"""

import hashlib
import hmac
import re
import struct
import threading
import time

import requests

from bench import config
from bench.data.base import PASSWORD, TOTP_KEY

PROXY_HEADERS = {"X-Forwarded-Proto": "https", "User-Agent": "qa-portal-bench"}


class LoopbackSession(requests.Session):
    """A requests session whose cookies, Secure ones included, go over plain HTTP to loopback: after
    every answer the Secure flag of what was set is cleared in the jar (requests copies the jar for
    each request, so a policy on it would not be used). Redirects are not followed: each request is
    timed on its own."""

    def send(self, request, **kwargs):
        kwargs["allow_redirects"] = False
        response = super().send(request, **kwargs)
        for cookie in self.cookies:
            cookie.secure = False
        return response


def session() -> requests.Session:
    web = LoopbackSession()
    web.headers.update(PROXY_HEADERS)
    web.trust_env = False  # loopback only: never through a proxy from the environment
    return web


def origin_headers(path: str) -> dict:
    origin = f"https://{config.HOST}:{config.port()}"
    return {"Origin": origin, "Referer": origin + path}


_steps_used: dict[str, int] = {}
_lock = threading.Lock()


def totp_code(email: str) -> str:
    """The next code of `email`'s authenticator app that the portal has not seen this run."""
    key = bytes.fromhex(TOTP_KEY)
    with _lock:
        step = max(int(time.time()) // 30, _steps_used.get(email, -1) + 1)
        if step > int(time.time()) // 30 + 1:  # two sign-ins in this window already: wait for the next
            time.sleep(30 - time.time() % 30 + 0.1)
            step = int(time.time()) // 30
        _steps_used[email] = step
    digest = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


def _csrf(html: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if not found:
        raise SignInFailed("no security token on the page")
    return found.group(1)


class SignInFailed(Exception):
    pass


def sign_in(email: str) -> requests.Session:
    """A session signed in as `email` through the sign-in and code pages. Raises SignInFailed."""
    base = config.base_url()
    web = session()
    page = web.get(f"{base}/sign-in/", timeout=30)
    answer = web.post(
        f"{base}/sign-in/",
        data={"username": email, "password": PASSWORD, "csrfmiddlewaretoken": _csrf(page.text)},
        headers=origin_headers("/sign-in/"),
        allow_redirects=False,
        timeout=60,
    )
    if answer.status_code != 302 or "/sign-in/code/" not in answer.headers.get("Location", ""):
        raise SignInFailed(f"{email}: the password step answered {answer.status_code}")
    code_path = answer.headers["Location"]
    page = web.get(base + code_path, timeout=30)
    answer = web.post(
        base + code_path,
        data={"code": totp_code(email), "csrfmiddlewaretoken": _csrf(page.text)},
        headers=origin_headers(code_path),
        allow_redirects=False,
        timeout=30,
    )
    if answer.status_code != 302 or "/sign-in/" in answer.headers.get("Location", ""):
        raise SignInFailed(f"{email}: the code step answered {answer.status_code}")
    return web


def cookies_of(web: requests.Session) -> dict[str, str]:
    return {cookie.name: cookie.value for cookie in web.cookies}
