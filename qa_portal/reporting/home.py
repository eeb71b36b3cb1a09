"""What each role sees first: the figures that matter to them, each a link to the list it counts."""

from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from providers.models import Concern, Judgement, Provider, ProviderStatus, SupportedAccommodationOutcome
from qa_portal import access
from qa_portal.models import User
from qa_portal.periods import FinancialYear
from qa_portal.reporting.committee import PERMISSION as COMMITTEE_PERMISSION
from qa_portal.reporting.models import CommitteePackVersion, PackStatus
from qa_portal.roles import Role
from reviews.models import MeetingStatus, Recommendation, ReviewMeeting
from visits.models import OverallJudgement, Visit, VisitStatus

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
    return (
        access.visible_to(user, Visit)
        .filter(visit_date__range=(year.start, year.end))
        .exclude(status=VisitStatus.DRAFT)
        .count()
    )


def _programme(user, year: FinancialYear) -> Figure:
    return Figure(
        f"Visits in {year.label}",
        f"{_visits_held(user, year)} of {settings.VISITS_TARGET_PER_YEAR}",
        "submitted or later, against the year's target",
        # The visit list filters by the year of the visit date.
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
    """Providers in use that need attention: an Inadequate judgement (or supported accommodation
    outcome 3), a placement stop, a "no" to "good enough for my own child?" on their latest visit,
    or a review meeting overdue. Archived providers are no longer used."""
    providers = access.visible_to(user, Provider).not_archived()
    no_on_latest_visit = {
        provider_id
        for provider_id, judgement in Visit.objects.exclude(status=VisitStatus.DRAFT)
        .filter(visit_date__isnull=False)
        .order_by("provider_id", "-visit_date", "-pk")
        .distinct("provider_id")
        .values_list("provider_id", "overall_judgement")
        if judgement == OverallJudgement.NO
    }
    overdue_reviews = set(ReviewMeeting.objects.overdue(today).values_list("provider_id", flat=True))
    candidates = providers.filter(
        Q(current_judgement=Judgement.INADEQUATE)
        | Q(current_sa_outcome=SupportedAccommodationOutcome.OUTCOME_3)
        | Q(status=ProviderStatus.PLACEMENT_STOP)
        | Q(pk__in=no_on_latest_visit)
        | Q(pk__in=overdue_reviews)
    ).order_by("name")
    found = []
    for provider in candidates:
        reasons = []
        if provider.current_judgement == Judgement.INADEQUATE:
            reasons.append("Ofsted: Inadequate")
        if provider.current_sa_outcome == SupportedAccommodationOutcome.OUTCOME_3:
            reasons.append("Ofsted: supported accommodation outcome 3")
        if provider.status == ProviderStatus.PLACEMENT_STOP:
            reasons.append("Placement stop")
        if provider.pk in no_on_latest_visit:
            reasons.append("Latest QA visit: not good enough for my own child")
        if provider.pk in overdue_reviews:
            reasons.append("Review meeting overdue")
        found.append(ProviderOfConcern(provider, reasons))
    return found


def _concerns_figure(found: list[ProviderOfConcern]) -> Figure:
    return Figure(
        "Providers of concern",
        str(len(found)),
        "Inadequate, placement stop, a “no” on a visit, or a review overdue",
        CONCERNS_ANCHOR,
    )


def _meetings_this_year(year: FinancialYear, today: date) -> Figure:
    due = ReviewMeeting.objects.filter(due_date__range=(year.start, min(today, year.end))).exclude(
        status=MeetingStatus.CANCELLED
    )
    held = due.filter(status=MeetingStatus.HELD).count()
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


def home_for(user) -> HomePage:
    role = user.primary_role
    today = timezone.localdate()
    year = FinancialYear.containing(today)
    if role is Role.ADMINISTRATOR:
        locked = AccessAttempt.objects.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT).count()
        return HomePage(
            role,
            "Administration",
            "Manage who can use the portal and what each role may do.",
            [
                Figure(
                    "Active users",
                    str(User.objects.filter(is_active=True).count()),
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
    if role is Role.QA_LEAD:
        found = providers_of_concern(user, today)
        visits = access.visible_to(user, Visit)
        figures = [
            _programme(user, year),
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
            role,
            "Quality assurance programme",
            "The visit programme, the recommendation tracker and providers flagged for your attention.",
            figures,
            providers_of_concern=found,
            latest_pack=pack,
        )
    if role is Role.COMMISSIONING_OFFICER:
        found = providers_of_concern(user, today)
        month = (today.replace(day=1), today.replace(day=monthrange(today.year, today.month)[1]))
        meetings = access.visible_to(user, ReviewMeeting).open()
        return HomePage(
            role,
            "Commissioning",
            "Providers, settings and placements, and the review meetings that are due.",
            [
                Figure(
                    "Review meetings due this month",
                    str(meetings.filter(due_date__range=month).count()),
                    f"in {today:%B %Y}, by placement volume",
                    _url("reviews:meeting_list", due="this_month"),
                ),
                Figure(
                    "Review meetings overdue",
                    str(meetings.filter(due_date__lt=today).count()),
                    "due and not yet held",
                    _url("reviews:meeting_list", due="overdue"),
                ),
                _concerns_figure(found),
                Figure("Open concerns", str(access.visible_to(user, Concern).open().count()), "about providers"),
            ],
            providers_of_concern=found,
        )
    if role is Role.SENIOR_LEADER:
        return HomePage(
            role,
            "Your quality-assurance visits",
            "Plan a visit, write it up on the template and raise recommendations.",
            [
                Figure(
                    "Your visits to write up",
                    str(Visit.objects.filter(lead_visitor=user, status=VisitStatus.DRAFT).count()),
                    "drafts you lead",
                    _url("visits:visit_list", visitor=user.pk, status=VisitStatus.DRAFT),
                ),
                _programme(user, year),
                Figure(
                    "Your recommendations open",
                    str(access.visible_to(user, Recommendation).live().filter(owner=user).count()),
                    "open or in progress",
                    _url("reviews:tracker", owner=user.pk),
                ),
            ],
        )
    if role is Role.MANAGER:
        pack = _latest_pack(user)
        figures = [
            _programme(user, year),
            _meetings_this_year(year, today),
            _overdue_recommendations(user, today),
        ]
        if pack or user.has_perm(COMMITTEE_PERMISSION):
            figures.insert(0, _pack_figure(pack))
        return HomePage(role, "Overview", "How providers are doing, and the committee pack.", figures, latest_pack=pack)
    if role is Role.SOCIAL_WORKER:
        actions = access.visible_to(user, Recommendation).flagged_to(user)
        return HomePage(
            role,
            "Your actions",
            "Actions flagged to you for the children and young people you support.",
            [
                Figure("Actions open", str(actions.live().count()), "open or in progress", _url("reviews:my_actions")),
                Figure("Actions overdue", str(actions.overdue(today).count()), "", _url("reviews:my_actions")),
            ],
        )
    if role is Role.PROVIDER_USER:
        return HomePage(
            role,
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
    return HomePage(None, "No role yet", "Your account has no role yet. Ask your administrator to give you one.")
