"""What the benchmark opens in one bench database: the people it signs in as, the pages and downloads
(each on the same kind of record at every size: the busiest provider, a finalised visit of it, its
open review meeting…), the visit and period for the PDFs, and the load run's people.

    python -m bench.plan --database NAME            prints the plan as JSON
    python -m bench.plan --database NAME --check-autosaves FILE
                                                    compares the load run's acknowledged autosaves
                                                    with what the database holds; prints JSON

Run in a process of its own (Django is set up on NAME). Reads only.
"""

import argparse
import json
import os
import sys
from collections import defaultdict
from datetime import timedelta

from bench import config

# (key, label, role, address). Addresses name records in braces, filled from `records` below.
PAGES = [
    ("home_qa_lead", "Home, QA lead", "qa_lead", "/"),
    ("home_commissioning", "Home, commissioning officer", "commissioning_officer", "/"),
    ("home_senior_leader", "Home, senior leader", "senior_leader", "/"),
    ("home_provider_user", "Home, provider user", "provider_user", "/"),
    ("provider_list", "Providers", "qa_lead", "/providers/"),
    ("provider_busiest", "Provider page, busiest provider", "qa_lead", "/providers/{busiest}/"),
    ("provider_history", "Provider history, busiest provider", "qa_lead", "/providers/{busiest}/history/"),
    ("young_people", "Young people", "qa_lead", "/young-people/"),
    ("young_person", "Young person", "qa_lead", "/young-people/{young_person}/"),
    ("visit_list", "Visits", "qa_lead", "/visits/"),
    ("visit_detail", "Visit, finalised", "qa_lead", "/visits/{finalised_visit}/"),
    ("visit_section", "Visit section, writing up", "senior_leader", "/visits/{draft_visit}/sections/3/"),
    ("tracker", "Tracker", "qa_lead", "/tracker/"),
    ("tracker_overdue", "Tracker, overdue", "qa_lead", "/tracker/?overdue=on"),
    ("tracker_all", "Tracker, any status", "qa_lead", "/tracker/?status=all"),
    # Child-level ones, so the first shown names a young person (its reading is logged) at every size.
    ("tracker_meeting", "Tracker, meeting mode", "qa_lead", "/tracker/meeting/?level=child"),
    ("recommendation", "Recommendation", "qa_lead", "/recommendations/{recommendation}/"),
    ("meeting_list", "Review meetings", "commissioning_officer", "/reviews/"),
    ("meeting_detail", "Review meeting, held", "commissioning_officer", "/reviews/{held_meeting}/"),
    ("meeting_prepare", "Review preparation, busiest", "commissioning_officer", "/reviews/{open_meeting}/prepare/"),
    ("compliance", "Compliance overview", "commissioning_officer", "/compliance/"),
    ("my_actions", "Your actions, social worker", "social_worker", "/my-actions/"),
    ("our_recommendations", "Our recommendations, provider", "provider_user", "/our-recommendations/"),
    ("notifications", "Notifications", "qa_lead", "/notifications/"),
    ("jobs", "Jobs", "qa_lead", "/jobs/"),
    ("committee_list", "Committee reports", "manager", "/committee/"),
    ("committee_report", "Committee report, last year", "manager", "/committee/{committee_report}/"),
    # Its parts of a page each (a paragraph per visit, each provider's meetings): the 2.3 MB they made
    # of the report's page moved to pages of 50 and 100 rows.
    ("committee_visits", "Committee report, its visits", "manager", "/committee/{committee_report}/visits/"),
    ("committee_meetings", "Committee report, its meetings", "manager", "/committee/{committee_report}/meetings/"),
]
DOWNLOADS = [
    ("tracker_csv_all", "Tracker CSV, every recommendation", "qa_lead", "/tracker/export.csv?status=all"),
    ("tracker_xlsx", "Tracker XLSX, open and in progress", "qa_lead", "/tracker/export.xlsx"),
    ("provider_csv", "Providers CSV", "qa_lead", "/providers/export.csv"),
    ("compliance_xlsx", "Compliance overview XLSX", "commissioning_officer", "/compliance/export.xlsx"),
    ("visit_pdf", "Visit report PDF (warm)", "qa_lead", "/visits/{finalised_visit}/report.pdf"),
    ("agenda_pdf", "Review agenda PDF, busiest", "commissioning_officer", "/reviews/{open_meeting}/agenda.pdf"),
]
# What the load run's browsing people open, by role (a random record of each kind each time).
BROWSING = {
    "qa_lead": [
        "/",
        "/tracker/",
        "/tracker/?overdue=on",
        "/visits/",
        "/providers/",
        "/providers/{provider}/",
        "/visits/{visit}/",
        "/recommendations/{recommendation}/",
        "/young-people/",
        "/notifications/",
    ],
    "commissioning_officer": [
        "/",
        "/providers/",
        "/providers/{provider}/",
        "/reviews/",
        "/reviews/{meeting}/",
        "/compliance/",
        "/tracker/",
        "/young-people/{young_person}/",
    ],
    "senior_leader": ["/", "/visits/", "/visits/{visit}/", "/providers/{provider}/", "/tracker/"],
    "manager": ["/", "/providers/", "/providers/{provider}/", "/committee/", "/compliance/"],
    "social_worker": ["/", "/my-actions/", "/young-people/", "/young-people/{young_person}/", "/providers/{provider}/"],
    "provider_user": ["/", "/our-recommendations/", "/visits/{provider_visit}/"],
}
# Who browses in the load run (forty), beside the writers (ten senior leaders writing up visits).
BROWSERS = {
    "qa_lead": 3,
    "commissioning_officer": 8,
    "senior_leader": 6,
    "manager": 4,
    "social_worker": 12,
    "provider_user": 7,
}
WRITERS = 10
PACK_VISITS = 100


def _role_users(role: str) -> list[str]:
    from qa_portal.models import User
    from qa_portal.roles import Role

    return list(User.objects.active_with_role(Role(role)).order_by("pk").values_list("email", flat=True))


def _first(queryset, **preferred):
    """The first of `queryset` matching `preferred` (the busiest provider's), else the first at all."""
    return queryset.filter(**preferred).first() or queryset.first()


def make_plan(*, pack_visits: int = PACK_VISITS) -> dict:
    """The plan for the database Django is set up on (see the module's docstring)."""
    from django.db.models import Count, Q
    from django.utils import timezone

    from providers.models import Placement, Provider, YoungPerson
    from qa_portal.models import User
    from qa_portal.periods import FinancialYear
    from qa_portal.reporting.models import CommitteeReport
    from reviews.models import Recommendation, ReviewMeeting
    from visits.models import TemplateQuestion, Visit

    today = timezone.localdate()
    busiest = (
        Provider.objects.annotate(n=Count("placements", filter=Q(placements__in=Placement.objects.active())))
        .order_by("-n", "pk")
        .first()
    )
    provider_users = list(
        dict.fromkeys(
            [
                *busiest.users.filter(is_active=True).order_by("pk").values_list("email", flat=True),
                *_role_users("provider_user"),
            ]
        )
    )
    leaders = _role_users("senior_leader")
    drafts = {
        v.lead_visitor.email: v.pk
        for v in Visit.objects.filter(status="draft", lead_visitor__email__in=leaders)
        .select_related("lead_visitor")
        .order_by("-pk")
    }
    writers = [email for email in leaders if email in drafts][:WRITERS]
    sections = {3: None, 4: None, 5: None, 6: None}
    long_questions = list(
        TemplateQuestion.objects.filter(
            section__template__status="published", section__number__in=sections, kind="long_text"
        )
        .order_by("section__number", "number")
        .values_list("pk", "section__number")
    )
    # Records of the same make at every size (a page's queries depend on what the record holds: a
    # visit with no recommendation skips their query), the busiest provider's where it has one.
    finalised = _first(
        Visit.objects.filter(status="finalised")
        .annotate(r=Count("recommendations", distinct=True), m=Count("young_people_met", distinct=True))
        .filter(r__gt=0, m__gt=0)
        .order_by("-visit_date", "-pk"),
        provider=busiest,
    )
    held = _first(
        ReviewMeeting.objects.held()
        .annotate(r=Count("recommendations", distinct=True), o=Count("outcomes", distinct=True))
        .filter(r__gt=0, o__gt=0)
        .order_by("-held_at", "-pk"),
        provider=busiest,
    )
    open_meeting = _first(ReviewMeeting.objects.open().order_by("pk"), provider=busiest)
    person = _first(
        YoungPerson.objects.annotate(n=Count("recommendations", distinct=True), p=Count("placements", distinct=True))
        .filter(n__gt=0, p__gt=0)
        .order_by("-n", "pk"),
        placements__provider=busiest,
    )
    recommendation = _first(
        Recommendation.objects.filter(source="visit", level="child")
        .annotate(n=Count("progress_updates"))
        .filter(n__gt=0)
        .order_by("-pk"),
        provider=busiest,
    )
    social_worker = (
        Recommendation.objects.live()
        .filter(owner__groups__name="Social worker")
        .values("owner__email")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    year = FinancialYear.last_full(today)
    report = CommitteeReport.objects.filter(period_start=year.start).first()
    records = {
        "busiest": busiest.pk,
        "finalised_visit": finalised.pk,
        "draft_visit": drafts[writers[0]] if writers else Visit.objects.filter(status="draft").first().pk,
        "held_meeting": held.pk,
        "open_meeting": open_meeting.pk,
        "young_person": person.pk,
        "recommendation": recommendation.pk,
        "committee_report": report.pk if report else 0,
    }
    users = {role: _role_users(role)[0] for role in BROWSERS}
    users["provider_user"] = provider_users[0]
    users["senior_leader"] = writers[0] if writers else users["senior_leader"]
    if social_worker:
        users["social_worker"] = social_worker["owner__email"]

    # The committee pack of `pack_visits` visits: the period ending with the last full financial
    # year that holds that many visits (as the pack counts them).
    dates = list(
        Visit.objects.held_between(year.start - timedelta(days=3 * 365), year.end)
        .order_by("-visit_date")
        .values_list("visit_date", flat=True)[:pack_visits]
    )
    start = dates[-1] if dates else year.start
    pack = {
        "from": start.isoformat(),
        "to": year.end.isoformat(),
        "visits": Visit.objects.held_between(start, year.end).count(),
    }

    samples = {
        "provider": [
            *list(Provider.objects.not_archived().order_by("?").values_list("pk", flat=True)[:40]),
            busiest.pk,
        ],
        "visit": list(Visit.objects.submitted().order_by("?").values_list("pk", flat=True)[:40]),
        "meeting": list(ReviewMeeting.objects.order_by("?").values_list("pk", flat=True)[:40]),
        "recommendation": list(Recommendation.objects.order_by("?").values_list("pk", flat=True)[:40]),
        "young_person": list(YoungPerson.objects.order_by("?").values_list("pk", flat=True)[:40]),
    }
    browsers = []
    for role, count in BROWSERS.items():
        if role == "provider_user":
            people = provider_users
        elif role == "senior_leader":
            people = [e for e in leaders if e not in writers]
        else:
            people = _role_users(role)
        for n in range(count):
            if people:
                browsers.append({"email": people[n % len(people)], "role": role})
    # A provider user opens their own organisation's shared visit reports.
    shared = defaultdict(list)
    for visit, provider in Visit.objects.shared_with_provider().order_by("-pk").values_list("pk", "provider_id"):
        if len(shared[provider]) < 20:
            shared[provider].append(visit)
    provider_of = dict(User.objects.filter(provider__isnull=False).values_list("email", "provider_id"))
    for browser in browsers:
        if browser["role"] == "provider_user":
            browser["samples"] = {"provider_visit": shared.get(provider_of[browser["email"]], [])}
    # A person signs in once: each browser a different person where the role has enough.
    seen, unique = set(), []
    for browser in browsers:
        if browser["email"] not in seen:
            seen.add(browser["email"])
            unique.append(browser)
    writer_plan = [
        {
            "email": email,
            "visit": drafts[email],
            "fields": {f"q{pk}": number for pk, number in long_questions},
        }
        for email in writers
    ]
    return {
        "database": os.environ["DATABASE_URL"].rsplit("/", 1)[-1],
        "records": records,
        "users": users,
        "pages": [
            {"key": k, "label": label, "role": role, "path": path.format(**records)} for k, label, role, path in PAGES
        ],
        "downloads": [
            {"key": k, "label": label, "role": role, "path": path.format(**records)}
            for k, label, role, path in DOWNLOADS
        ],
        "visit_pdf": finalised.pk,
        "pack": pack,
        "load": {"browsers": unique, "writers": writer_plan, "browsing": BROWSING, "samples": samples},
        "counts": {
            "providers": Provider.objects.count(),
            "busiest_active_placements": busiest.n,
            "visits": Visit.objects.count(),
            "recommendations": Recommendation.objects.count(),
            "live_recommendations": Recommendation.objects.live().count(),
            "overdue_recommendations": Recommendation.objects.overdue().count(),
        },
    }


def check_autosaves(acknowledged: dict) -> dict:
    """Compare {visit id: {field "q<question id>": text the server said it saved}} with the answers
    stored. Returns {"checked": n, "lost": [{"visit", "field", "acknowledged", "stored"}]}."""
    from visits.models import Answer

    lost, checked = [], 0
    for visit, fields in acknowledged.items():
        stored = {f"q{a.question_id}": a.text for a in Answer.objects.filter(visit_id=int(visit))}
        for field, text in fields.items():
            checked += 1
            if stored.get(field) != text:
                lost.append(
                    {
                        "visit": int(visit),
                        "field": field,
                        "acknowledged": text[:80],
                        "stored": (stored.get(field) or "")[:80],
                    }
                )
    return {"checked": checked, "lost": lost}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", required=True)
    parser.add_argument("--pack-visits", type=int, default=PACK_VISITS)
    parser.add_argument("--check-autosaves", metavar="FILE")
    args = parser.parse_args(argv)
    config.setup_django(args.database)
    if args.check_autosaves:
        with open(args.check_autosaves) as file:
            result = check_autosaves(json.load(file))
    else:
        result = make_plan(pack_visits=args.pack_visits)
    json.dump(result, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
