"""What each role sees first: the figures that matter to them, each a link to the list it counts."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

from axes.models import AccessAttempt
from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from providers import of_concern
from providers.models import Concern, Provider
from qa_portal import access
from qa_portal.models import User
from qa_portal.periods import FinancialYear
from qa_portal.reporting.committee import PERMISSION as COMMITTEE_PERMISSION
from qa_portal.reporting.models import CommitteePackVersion, PackStatus
from qa_portal.roles import Role
from reviews.models import Recommendation, ReviewMeeting
from visits.models import Visit, VisitStatus

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


@dataclass
class HomePage:
    role: Role | None
    title: str
    intro: str
    figures: list[Figure] = field(default_factory=list)
    providers_of_concern: list[ProviderOfConcern] | None = None  # shown as a list when not None
    latest_pack: CommitteePackVersion | None = None

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


def _visits_held(user, year: FinancialYear) -> int:
    return access.visible_to(user, Visit).held_between(year.start, year.end).count()


def _programme(user, year: FinancialYear) -> Figure:
    return Figure(
        f"Visits in {year.label}",
        f"{_visits_held(user, year)} of {settings.VISITS_TARGET_PER_YEAR}",
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


def providers_of_concern(user, today: date) -> list[ProviderOfConcern]:
    """Providers in use that need attention, by the one rule of providers.of_concern: an Inadequate
    judgement (or supported accommodation outcome 3), a placement stop, an open High concern, a "no"
    to "good enough for my own child?" on their latest visit, or a review meeting overdue."""
    return [
        ProviderOfConcern(provider, reasons)
        for provider, reasons in of_concern.providers_of_concern(user, access.visible_to(user, Provider), today)
    ]


def _concerns_figure(found: list[ProviderOfConcern]) -> Figure:
    return Figure(
        "Providers of concern",
        str(len(found)),
        "Inadequate, placement stop, a High concern, a “no” on a visit, or a review overdue",
        CONCERNS_ANCHOR,
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
    visits = access.visible_to(user, Visit)
    figures = [
        _programme(user, FinancialYear.containing(today)),
        Figure(
            "Visit reports to share",
            str(visits.filter(status=VisitStatus.SUBMITTED).count()),
            "submitted, waiting for you to share them with the provider",
            _url("visits:visit_list", status=VisitStatus.SUBMITTED),
        ),
        Figure(
            "Visit reports to finalise",
            str(visits.filter(status=VisitStatus.RESPONDED).count()),
            "the provider has responded",
            _url("visits:visit_list", status=VisitStatus.RESPONDED),
        ),
        _overdue_recommendations(user, today),
        _concerns_figure(found),
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
    meetings = access.visible_to(user, ReviewMeeting)
    return HomePage(
        Role.COMMISSIONING_OFFICER,
        "Commissioning",
        "Providers, settings and placements, and the review meetings that are due.",
        [
            Figure(
                "Review meetings due this month",
                str(meetings.due_this_month(today).count()),
                f"in {today:%B %Y}, by placement volume",
                _url("reviews:meeting_list", due="this_month"),
            ),
            Figure(
                "Review meetings overdue",
                str(meetings.overdue(today).count()),
                "due and not yet held",
                _url("reviews:meeting_list", due="overdue"),
            ),
            _concerns_figure(found),
            Figure("Open concerns", str(access.visible_to(user, Concern).open().count()), "about providers"),
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
                "drafts you lead",
                _url("visits:visit_list", visitor=user.pk, status=VisitStatus.DRAFT),
            ),
            _programme(user, FinancialYear.containing(today)),
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
        _programme(user, year),
        _meetings_this_year(year, today),
        _overdue_recommendations(user, today),
    ]
    if pack or user.has_perm(COMMITTEE_PERMISSION):
        figures.insert(0, _pack_figure(pack))
    return HomePage(
        Role.MANAGER, "Overview", "How providers are doing, and the committee pack.", figures, latest_pack=pack
    )


def _social_worker_home(user, today: date) -> HomePage:
    actions = access.visible_to(user, Recommendation).flagged_to(user)
    return HomePage(
        Role.SOCIAL_WORKER,
        "Your actions",
        "Actions flagged to you for the children and young people you support.",
        [
            Figure("Actions open", str(actions.live().count()), "open or in progress", _url("reviews:my_actions")),
            Figure("Actions overdue", str(actions.overdue(today).count()), "", _url("reviews:my_actions")),
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


def home_for(user) -> HomePage:
    """The home page of the user's primary role (someone with several roles sees the first in
    qa_portal.roles.ROLE_PRECEDENCE), or a page saying they have no role yet."""
    page = HOME_PAGES.get(user.primary_role, _no_role_home)
    return page(user, timezone.localdate())
