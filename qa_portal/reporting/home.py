"""What each role sees first: what they have to do next, most urgent first, each a link to the page
where it is done; then the figures that matter to them, each a link to the list it counts.

The things to do are gathered by each app's `to_do` selectors (providers.to_do, visits.to_do,
reviews.to_do), and here for what belongs to the top floor (committee packs, documents ready,
administration); qa_portal.to_do.in_order puts them in order. Each selector runs a fixed number of
queries, so a home page's queries do not grow with the data."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import urlencode

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Count, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from providers import of_concern
from providers.filters import NOT_CLOSED
from providers.models import Concern, Provider, RiskRating
from providers.to_do import register_to_do
from qa_portal import access
from qa_portal.documents.models import Document, DocumentStatus
from qa_portal.models import Notification, NotificationStatus, User
from qa_portal.periods import FinancialYear, Month
from qa_portal.reporting.committee import PERMISSION as COMMITTEE_PERMISSION
from qa_portal.reporting.models import CommitteePackVersion, CommitteeReport, PackStatus
from qa_portal.roles import Role
from qa_portal.table_versions import cached, code_digest, person_key
from qa_portal.to_do import MOST, ToDo, in_order, since
from reviews.models import Recommendation, ReviewMeeting
from reviews.to_do import (
    children_asked_about,
    review_to_do_by_day,
    review_to_do_by_time,
    review_to_do_by_time_changes,
)
from visits.models import TemplateStatus, Visit, VisitStatus, VisitTemplate
from visits.to_do import visit_to_do

CONCERNS_ANCHOR = "#providers-of-concern"


@dataclass
class Figure:
    label: str
    value: str
    hint: str = ""
    url: str = ""


@dataclass
class ProviderOfConcern:
    provider: Provider
    reasons: list[str]


# The home page lists this many providers of concern, by name; the provider list shows them all.
PROVIDERS_OF_CONCERN_SHOWN = 10


@dataclass
class ProvidersOfConcern:
    """The first PROVIDERS_OF_CONCERN_SHOWN providers of concern by name (`shown`), how many there are
    in all (`count`), and the provider list filtered to them all (`url`)."""

    shown: list[ProviderOfConcern]
    count: int
    url: str

    @property
    def more(self) -> bool:
        return self.count > len(self.shown)


@dataclass
class HomePage:
    role: Role | None
    title: str
    intro: str
    figures: list[Figure] = field(default_factory=list)
    providers_of_concern: ProvidersOfConcern | None = None  # shown as a list when not None
    latest_pack: CommitteePackVersion | None = None
    to_do: list[ToDo] | None = None  # shown as "What to do next" when not None
    plan_visit_url: str = ""  # the "Plan a visit" button, for those who may plan one

    @property
    def template(self) -> str:
        return "reporting/home.html"


def _url(name: str, *args, **query) -> str:
    """The address of a list, with its filter; "" while that page is not yet part of the portal."""
    try:
        url = reverse(name, args=args)
    except NoReverseMatch:
        return ""
    query = {key: value for key, value in query.items() if value not in (None, "")}
    return f"{url}?{urlencode(query)}" if query else url


def visits_held(user, year: FinancialYear) -> int:
    """The visits of the financial year `year` that count for the programme: submitted or further along
    their path, held in the year (Visit.objects.held_between), as `user` may see them."""
    return access.visible_to(user, Visit).held_between(year.start, year.end).count()


def programme_figure(user, year: FinancialYear, held: int | None = None) -> Figure:
    """The year's visits against the target (settings.VISITS_TARGET_PER_YEAR; seeds/000: "a similar rate
    of 6 per year"), for the home pages and the programme page; `held` if already counted (_qa_lead_home)."""
    return Figure(
        f"Visits in {year.label}",
        f"{visits_held(user, year) if held is None else held} of {settings.VISITS_TARGET_PER_YEAR}",
        "submitted or later, against the year's target",
        # The visit list filters by the financial year, given as the year it starts.
        _url("visits:visit_list", year=year.start.year),
    )


def _overdue_recommendations(user, today: date) -> Figure:
    return Figure(
        "Recommendations overdue",
        str(access.visible_to(user, Recommendation).overdue(today).count()),
        "chased at the monthly tracking meeting",
        _url("reviews:tracker", overdue=1),
    )


def providers_of_concern(user, today: date) -> ProvidersOfConcern:
    """Providers in use that need attention, by the one rule of providers.of_concern: an Inadequate
    judgement (or supported accommodation outcome 3), a placement stop, an open High concern, a "no"
    to "good enough for my own child?" on their latest visit, or a review meeting overdue. Every
    reason is worked out as ids (a query each), then only the providers shown are read: at a
    consortium's size some 400 are of concern, and the page listed every one."""
    providers = access.visible_to(user, Provider)
    found = of_concern.reasons_of_concern(user, providers, today)
    shown = providers.filter(pk__in=found).order_by("name", "pk")[:PROVIDERS_OF_CONCERN_SHOWN]
    return ProvidersOfConcern(
        shown=[ProviderOfConcern(provider, found[provider.pk]) for provider in shown],
        count=len(found),
        url=_url("providers:provider_list", of_concern="yes"),
    )


def _high_risk(user) -> Figure:
    return Figure(
        "High risk providers",
        str(access.visible_to(user, Provider).not_archived().filter(risk_rating=RiskRating.HIGH).count()),
        "by the risk rating's rules, or overridden",
        _url("providers:provider_list", risk=RiskRating.HIGH.value),
    )


def _concerns_figure(found: ProvidersOfConcern) -> Figure:
    return Figure(
        "Providers of concern",
        str(found.count),
        "Inadequate, placement stop, a High concern, a “no” on a visit, or a review overdue",
        CONCERNS_ANCHOR,
    )


def _open_concerns(user) -> Figure:
    return Figure(
        "Concerns not yet closed",
        str(access.visible_to(user, Concern).open().count()),
        "open or under review, about providers",
        _url("providers:concern_list", status=NOT_CLOSED),
    )


def _meetings_this_year(year: FinancialYear, today: date) -> Figure:
    due = ReviewMeeting.objects.due_between(year.start, min(today, year.end))
    held = due.held().count()
    return Figure(
        "Review meetings held against due",
        f"{held} of {due.count()}",
        f"due in {year.label} so far",
        _url("reviews:meeting_list"),
    )


def _latest_pack(user) -> CommitteePackVersion | None:
    if not user.has_perm(COMMITTEE_PERMISSION):
        return None
    return (
        access.visible_to(user, CommitteePackVersion)
        .filter(status=PackStatus.DONE)
        .defer("pdf")
        .select_related("report", "created_by")
        .order_by("-created_at", "-pk")
        .first()
    )


def _pack_figure(pack: CommitteePackVersion | None) -> Figure:
    if pack is None:
        return Figure(
            "Latest committee pack", "None yet", "generate one from a committee report", _url("committee:report_list")
        )
    return Figure(
        "Latest committee pack",
        pack.report.period_label,
        f"version {pack.number}, generated {timezone.localtime(pack.created_at):%-d %B %Y}: download the PDF",
        _url("committee:version_download", pack.report_id, pack.pk),
    )


# What the top floor asks people to do: committee packs, documents made for them, administration.


def _packs_to_make(user, today: date) -> list[ToDo]:
    """For those who make committee packs: last financial year's report to start, or its pack to
    make, once the year has ended (DOMAIN.md: the committee pack reports on a financial year)."""
    if not user.has_perm(COMMITTEE_PERMISSION):
        return []
    year = FinancialYear.last_full(today)
    report = (
        CommitteeReport.objects.filter(period_start=year.start, period_end=year.end)
        .order_by("-created_at", "-pk")
        .first()
    )
    ended = year.end + timedelta(days=1)
    if report is None:
        return [
            ToDo(
                f"Start the {year.label} committee report",
                _url("committee:report_create"),
                ended,
                since(year.end, "Year ended"),
                "Committee pack",
            )
        ]
    if report.versions.filter(status=PackStatus.DONE).exists():
        return []
    return [
        ToDo(
            f"Make the {year.label} committee pack",
            _url("committee:report_detail", report.pk),
            ended,
            since(year.end, "Year ended"),
            "Committee pack",
        )
    ]


def _documents_ready(user) -> list[ToDo]:
    """Big documents made in the background for `user`, ready to download until they expire."""
    documents = (
        Document.objects.kept()
        .without_content()
        .filter(requested_by=user, status=DocumentStatus.DONE)
        .order_by("finished_at", "pk")[:MOST]
    )
    items = []
    for document in documents:
        day = timezone.localtime(document.finished_at or document.created_at).date()
        items.append(
            ToDo(
                f"Download {document.title}",
                _url("document_detail", document.pk),
                day,
                since(day, "Ready"),
                "Document",
            )
        )
    return items


def _administration(user, today: date) -> list[ToDo]:
    """An administrator's: accounts locked out, users with no role, emails that could not be sent,
    and a draft of the visit template waiting to be published."""
    items = []
    locked = AccessAttempt.objects.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT).order_by(
        "attempt_time", "pk"
    )[:MOST]
    for attempt in locked:
        day = timezone.localtime(attempt.attempt_time).date()
        items.append(
            ToDo(
                f"Check the account locked out after failed sign-ins: {attempt.username}",
                _url("admin:axes_accessattempt_change", attempt.pk),
                day,
                since(day, "Locked"),
                "Account",
            )
        )
    for person in User.objects.active().filter(groups__isnull=True).order_by("date_joined", "pk")[:MOST]:
        day = timezone.localtime(person.date_joined).date()
        items.append(
            ToDo(
                f"Give {person.full_name or person.email} a role",
                _url("admin:qa_portal_user_change", person.pk),
                day,
                since(day, "Added"),
                "Account",
            )
        )
    failed = Notification.objects.filter(status=NotificationStatus.FAILED)
    first_failed = failed.order_by("created_at").values_list("created_at", flat=True).first()
    if first_failed:
        count = failed.count()
        day = timezone.localtime(first_failed).date()
        items.append(
            ToDo(
                f"Send again the {count} email{'s' if count != 1 else ''} that could not be sent",
                _url("jobs"),
                day,
                since(day, "First failed"),
                "Email",
            )
        )
    draft = VisitTemplate.objects.filter(status=TemplateStatus.DRAFT).first()
    if draft is not None:
        day = timezone.localtime(draft.created_at).date()
        items.append(
            ToDo(
                f"Finish and publish version {draft.version} of the visit template",
                _url("visits:template_version", draft.pk),
                day,
                since(day, "Started"),
                "Visit template",
            )
        )
    return items


def to_do_for(user, today: date) -> list[ToDo]:
    """Everything `user` has to do next, most urgent first (qa_portal.to_do.in_order), from every app's
    selectors and the top floor's own."""
    return in_order(_to_do_by_day(user, today) + _to_do_by_time(user, today))


def _to_do_by_day(user, today: date) -> list[ToDo]:
    """What `to_do_for` gathers that depends on the data and today's date alone."""
    # One to-do per child after an Inadequate: the response's decision, not also the register's own.
    asked = children_asked_about(user) if user.has_role(Role.SOCIAL_WORKER) else set()
    register = [item for item in register_to_do(user, today) if not item.about or item.about not in asked]
    items = register + visit_to_do(user, today) + review_to_do_by_day(user, today)
    return items + _packs_to_make(user, today)


def _to_do_by_time(user, today: date) -> list[ToDo]:
    """What `to_do_for` gathers that depends on the moment too: meetings booked for a time past, decisions
    due at a time, documents until they expire, accounts locked out."""
    items = _review_to_do_by_time_kept(user, today) + _documents_ready(user)
    if user.has_role(Role.ADMINISTRATOR):
        items += _administration(user, today)
    return items


def _review_to_do_by_time_kept(user, today: date) -> list[ToDo]:
    """`review_to_do_by_time`, kept per person and day while nothing it was read from changes and
    until the first moment its items would change with the time (`review_to_do_by_time_changes`, found
    from a moment before the items are read, so never later than it should be)."""

    def compute() -> tuple[list[ToDo], float | None]:
        changes = review_to_do_by_time_changes(user, timezone.now())
        return review_to_do_by_time(user, today), changes.timestamp() if changes is not None else None

    items, _ = cached("home-by-time", _cache_key(user, today), compute, until=lambda kept: kept[1])
    return items


def _plan_visit_url(user) -> str:
    return _url("visits:visit_plan") if user.has_perm("visits.add_visit") else ""


# One page per role. Each takes the user and today's date.


def _administrator_home(user, today: date) -> HomePage:
    locked = AccessAttempt.objects.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT).count()
    return HomePage(
        Role.ADMINISTRATOR,
        "Administration",
        "Manage who can use the portal and what each role may do.",
        [
            Figure(
                "Active users",
                str(User.objects.active().count()),
                url=_url("admin:qa_portal_user_changelist", is_active__exact=1),
            ),
            Figure(
                "Accounts locked out",
                str(locked),
                "after repeated failed sign-ins",
                _url("admin:axes_accessattempt_changelist"),
            ),
        ],
    )


def _qa_lead_home(user, today: date) -> HomePage:
    found = providers_of_concern(user, today)
    year = FinancialYear.containing(today)
    # The three figures about visits in one query.
    counts = access.visible_to(user, Visit).aggregate(
        held=Count("pk", filter=~Q(status=VisitStatus.DRAFT) & Q(visit_date__range=(year.start, year.end))),
        to_share=Count("pk", filter=Q(status=VisitStatus.SUBMITTED)),
        to_finalise=Count("pk", filter=Q(status=VisitStatus.RESPONDED)),
    )
    figures = [
        programme_figure(user, year, held=counts["held"]),
        Figure(
            "Visit reports to share",
            str(counts["to_share"]),
            "submitted, waiting for you to share them with the provider",
            _url("visits:visit_list", status=VisitStatus.SUBMITTED),
        ),
        Figure(
            "Visit reports to finalise",
            str(counts["to_finalise"]),
            "the provider has responded",
            _url("visits:visit_list", status=VisitStatus.RESPONDED),
        ),
        _overdue_recommendations(user, today),
        _concerns_figure(found),
        _high_risk(user),
        _open_concerns(user),
    ]
    pack = _latest_pack(user)
    if pack or user.has_perm(COMMITTEE_PERMISSION):
        figures.append(_pack_figure(pack))
    return HomePage(
        Role.QA_LEAD,
        "Quality assurance programme",
        "The visit programme, the recommendation tracker and providers flagged for your attention.",
        figures,
        providers_of_concern=found,
        latest_pack=pack,
    )


def _commissioning_officer_home(user, today: date) -> HomePage:
    found = providers_of_concern(user, today)
    month = Month.containing(today)
    # Both figures about meetings in one query, by the rules of ReviewMeeting.objects.due_this_month
    # and .overdue.
    meetings = (
        access.visible_to(user, ReviewMeeting)
        .open()
        .aggregate(
            this_month=Count("pk", filter=Q(due_date__range=(month.start, month.end))),
            overdue=Count("pk", filter=Q(due_date__lt=today)),
        )
    )
    return HomePage(
        Role.COMMISSIONING_OFFICER,
        "Commissioning",
        "Providers, settings and placements, and the review meetings that are due.",
        [
            Figure(
                "Review meetings due this month",
                str(meetings["this_month"]),
                f"in {today:%B %Y}, by placement volume",
                _url("reviews:meeting_list", due="this_month"),
            ),
            Figure(
                "Review meetings overdue",
                str(meetings["overdue"]),
                "due and not yet held",
                _url("reviews:meeting_list", due="overdue"),
            ),
            _concerns_figure(found),
            _high_risk(user),
            _open_concerns(user),
        ],
        providers_of_concern=found,
    )


def _senior_leader_home(user, today: date) -> HomePage:
    return HomePage(
        Role.SENIOR_LEADER,
        "Your quality-assurance visits",
        "Plan a visit, write it up on the template and raise recommendations.",
        [
            Figure(
                "Your visits to write up",
                str(Visit.objects.filter(lead_visitor=user, status=VisitStatus.DRAFT).count()),
                "drafts you lead: coming up or to write up",
                _url("visits:visit_list", visitor=user.pk, status=VisitStatus.DRAFT),
            ),
            programme_figure(user, FinancialYear.containing(today)),
            Figure(
                "Your recommendations open",
                str(access.visible_to(user, Recommendation).live().filter(owner=user).count()),
                "open or in progress",
                _url("reviews:tracker", owner=user.pk),
            ),
        ],
    )


def _manager_home(user, today: date) -> HomePage:
    year = FinancialYear.containing(today)
    pack = _latest_pack(user)
    figures = [
        programme_figure(user, year),
        _meetings_this_year(year, today),
        _overdue_recommendations(user, today),
        _high_risk(user),
        _open_concerns(user),
    ]
    if pack or user.has_perm(COMMITTEE_PERMISSION):
        figures.insert(0, _pack_figure(pack))
    return HomePage(
        Role.MANAGER, "Overview", "How providers are doing, and the committee pack.", figures, latest_pack=pack
    )


def _social_worker_home(user, today: date) -> HomePage:
    # flagged_to after the filters: it applies them in each of its branches.
    live = access.visible_to(user, Recommendation).live()
    return HomePage(
        Role.SOCIAL_WORKER,
        "Your actions",
        "Actions flagged to you for the children and young people you support.",
        [
            Figure(
                "Actions open", str(live.flagged_to(user).count()), "open or in progress", _url("reviews:my_actions")
            ),
            Figure(
                "Actions overdue", str(live.overdue(today).flagged_to(user).count()), "", _url("reviews:my_actions")
            ),
        ],
    )


def _provider_user_home(user, today: date) -> HomePage:
    return HomePage(
        Role.PROVIDER_USER,
        str(user.provider) if user.provider_id else "Your organisation",
        "Visit reports shared with your organisation and the recommendations you are asked to act on.",
        [
            Figure(
                "Visit reports awaiting your response",
                str(access.visible_to(user, Visit).filter(status=VisitStatus.SHARED).count()),
                url=_url("visits:visit_list", status=VisitStatus.SHARED),
            ),
            Figure(
                "Recommendations open",
                str(access.visible_to(user, Recommendation).live().count()),
                url=_url("reviews:provider_recommendations"),
            ),
        ],
    )


def _no_role_home(user, today: date) -> HomePage:
    return HomePage(None, "No role yet", "Your account has no role yet. Ask your administrator to give you one.")


HOME_PAGES: dict[Role, Callable[[User, date], HomePage]] = {
    Role.ADMINISTRATOR: _administrator_home,
    Role.QA_LEAD: _qa_lead_home,
    Role.COMMISSIONING_OFFICER: _commissioning_officer_home,
    Role.SENIOR_LEADER: _senior_leader_home,
    Role.MANAGER: _manager_home,
    Role.SOCIAL_WORKER: _social_worker_home,
    Role.PROVIDER_USER: _provider_user_home,
}


# The modules a kept home page was worked out by: a page kept by other code is not served.
_HOME_MODULES = ("qa_portal.to_do", "providers.to_do", "providers.of_concern", "visits.to_do", "reviews.to_do")


def _cache_key(user, today: date) -> tuple:
    """What a home page depends on besides the data its queries read: the person (their roles and
    permissions as the request loaded them, their organisation), the day, and this code."""
    return (person_key(user), today, code_digest(__name__, *_HOME_MODULES))


def home_for(user) -> HomePage:
    """The home page of the user's primary role (someone with several roles sees the first in
    qa_portal.roles.ROLE_PRECEDENCE): what they have to do next, from everything their roles ask of
    them, and that role's figures; or a page saying they have no role yet.

    The figures and the to-dos that depend on the day alone are kept per person while nothing they
    were read from changes (qa_portal.table_versions: any write to those tables, however made, drops
    them); those that depend on the time of day are worked out every time. An administrator's page
    (accounts locked out) is never kept."""
    today = timezone.localdate()
    make = HOME_PAGES.get(user.primary_role)
    if make is None:
        return _no_role_home(user, today)

    def by_day() -> tuple[HomePage, list[ToDo]]:
        return make(user, today), _to_do_by_day(user, today)

    if user.primary_role == Role.ADMINISTRATOR:
        page, items = by_day()
    else:
        page, items = cached("home", _cache_key(user, today), by_day)
    page.to_do = in_order(items + _to_do_by_time(user, today))
    page.plan_visit_url = _plan_visit_url(user)
    return page
