"""The load run: 50 signed-in people using the portal at once for 60 seconds (locust, loopback only).

Started by bench/run.py as

    locust -f bench/locustfile.py --headless --users 50 --spawn-rate 10 --run-time 60s --host http://127.0.0.1:PORT

with BENCH_LOAD_PLAN naming a JSON file: the sessions the runner signed in beforehand (people sign
in once a day, not once a minute: signing in is not part of the load), the pages each role browses
and the records to open, and where to write the result. Forty people browse (a page every 1 to 3
seconds: the tracker, providers, visits, review meetings, their home page…); ten senior leaders
write up their own draft visits, each autosaving an answer every 2 to 5 seconds as the page's
script does a few seconds after typing stops, and now and then opening the section again.

A request fails when it does not answer 200 (redirects are not followed: one to the sign-in page is a
failure). Every autosave the
portal acknowledged (200, with the text it saved) is written to the result, for the runner to read
back from the database: none may be lost.
"""

import html
import json
import os
import random
import re

from locust import HttpUser, between, events, task

with open(os.environ["BENCH_LOAD_PLAN"]) as _file:
    PLAN = json.load(_file)
SESSIONS = {
    "browser": [s for s in PLAN["sessions"] if s["kind"] == "browser"],
    "writer": [s for s in PLAN["sessions"] if s["kind"] == "writer"],
}
ACKNOWLEDGED: dict[str, dict[str, str]] = {}
AUTOSAVES = {"sent": 0, "acknowledged": 0, "refused": 0}
BASE = re.compile(r'name="(q\d+)__base" value="([^"]*)"')
PROXY = {"X-Forwarded-Proto": "https", "User-Agent": "qa-portal-bench-load"}


class SignedIn(HttpUser):
    abstract = True
    kind = ""

    def on_start(self):
        self.person = SESSIONS[self.kind].pop() if SESSIONS[self.kind] else None
        if self.person is None:
            self.stop()
            return
        self.client.trust_env = False
        for name, value in self.person["cookies"].items():
            self.client.cookies.set(name, value, domain="127.0.0.1", path="/")
        self.client.headers.update(PROXY)
        # The portal's cookies are Secure and the proxy's HTTPS ends before loopback: after every
        # answer, the Secure flag of what it set is cleared, so they go back over plain HTTP.
        send = self.client.send

        def send_over_loopback(request, **kwargs):
            response = send(request, **kwargs)
            for cookie in self.client.cookies:
                cookie.secure = False
            return response

        self.client.send = send_over_loopback

    def get(self, path: str, name: str):
        with self.client.get(path, name=name, catch_response=True, allow_redirects=False) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} {response.headers.get('Location', '')}".strip())
            else:
                response.success()
        return response


class Browsing(SignedIn):
    """Opens the pages of their role, each time on a random record of the plan's samples."""

    wait_time = between(1, 3)
    kind = "browser"

    @task
    def browse(self):
        if self.person is None:
            return
        template = random.choice(PLAN["browsing"][self.person["role"]])
        samples = {**PLAN["samples"], **self.person.get("samples", {})}
        values = {key: random.choice(ids) for key, ids in samples.items() if ids}
        try:
            path = template.format(**values)
        except KeyError:  # no record of that kind at this size
            return
        self.get(path, name=template)


class WritingUp(SignedIn):
    """A senior leader writing up their draft visit: autosaves answer after answer."""

    wait_time = between(2, 5)
    kind = "writer"
    fixed_count = 10

    def on_start(self):
        super().on_start()
        if self.person is None:
            return
        self.visit = self.person["visit"]
        self.fields = self.person["fields"]  # field name -> section number
        self.base = dict.fromkeys(self.fields, "")
        self.count = 0
        for number in sorted(set(self.fields.values())):
            self.open_section(number)

    def open_section(self, number: int):
        """Open a section as the page would be, taking each answer's base from it (the text the page
        started from, in its hidden `<name>__base` field: earlier runs' answers are still there)."""
        response = self.get(f"/visits/{self.visit}/sections/{number}/", name="/visits/{visit}/sections/{number}/")
        if response.status_code == 200:
            for name, value in BASE.findall(response.text):
                if name in self.base:
                    self.base[name] = html.unescape(value)

    @task(8)
    def autosave(self):
        if self.person is None:
            return
        field = random.choice(list(self.fields))
        number = self.fields[field]
        self.count += 1
        value = (
            f"Written in the load run by {self.person['email']} (save {self.count}). "
            + "The young people " * random.randint(5, 60)
        )
        path = f"/visits/{self.visit}/sections/{number}/autosave"
        origin = PLAN["origin"]
        headers = {
            "Content-Type": "application/json",
            "X-CSRFToken": next((c.value for c in self.client.cookies if c.name == "csrftoken"), ""),
            "Origin": origin,
            "Referer": f"{origin}/visits/{self.visit}/sections/{number}/",
        }
        body = {"fields": {field: {"base": self.base[field], "value": value}}}
        AUTOSAVES["sent"] += 1
        with self.client.post(path, json=body, headers=headers, name="autosave", catch_response=True) as response:
            if response.status_code == 200:
                saved = response.json().get("saved", {})
                if field in saved:
                    self.base[field] = saved[field]
                    ACKNOWLEDGED.setdefault(str(self.visit), {})[field] = saved[field]
                    AUTOSAVES["acknowledged"] += 1
                response.success()
            else:
                AUTOSAVES["refused"] += 1
                if response.status_code == 409:  # the page would show theirs beside ours: start again from theirs
                    theirs = response.json().get("conflicts", {}).get(field, {}).get("theirs")
                    if theirs is not None:
                        self.base[field] = theirs
                response.failure(f"{response.status_code}")

    @task(1)
    def reopen(self):
        if self.person is not None:
            self.open_section(random.choice(list(self.fields.values())))


@events.test_stop.add_listener
def write_result(environment, **_kwargs):
    stats = environment.runner.stats
    total = stats.total

    def summary(entry):
        return {
            "requests": entry.num_requests,
            "failures": entry.num_failures,
            "p50_ms": entry.get_response_time_percentile(0.5),
            "p95_ms": entry.get_response_time_percentile(0.95),
            "max_ms": entry.max_response_time,
        }

    result = {
        "total": {**summary(total), "rps": round(total.total_rps, 1)},
        "by_name": {f"{method} {name}": summary(entry) for (name, method), entry in stats.entries.items()},
        "errors": {f"{e.method} {e.name}: {e.error}": e.occurrences for e in stats.errors.values()},
        "autosaves": AUTOSAVES,
        "acknowledged": ACKNOWLEDGED,
    }
    with open(PLAN["result"], "w") as file:
        json.dump(result, file)
