"""What each role sees first. A figure whose feature does not exist yet shows 0 (see `_not_yet`)."""

from dataclasses import dataclass, field

from axes.models import AccessAttempt
from django.conf import settings
from django.utils import timezone

from providers.models import Concern, Provider
from qa_portal import access
from qa_portal.models import User
from qa_portal.periods import FinancialYear
from qa_portal.roles import Role
from reviews.models import Recommendation
from visits.models import Visit, VisitStatus


@dataclass
class Figure:
    label: str
    value: str
    hint: str = ""


@dataclass
class HomePage:
    role: Role | None
    title: str
    intro: str
    figures: list[Figure] = field(default_factory=list)

    @property
    def template(self) -> str:
        return "home/home.html"


def _not_yet(label: str, hint: str) -> Figure:
    return Figure(label=label, value="0", hint=hint)


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
    )


def home_for(user) -> HomePage:
    role = user.primary_role
    year = FinancialYear.containing(timezone.localdate())
    if role is Role.ADMINISTRATOR:
        locked = AccessAttempt.objects.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT).count()
        return HomePage(
            role,
            "Administration",
            "Manage who can use the portal and what each role may do.",
            [
                Figure("Active users", str(User.objects.filter(is_active=True).count())),
                Figure("Accounts locked out", str(locked), "after repeated failed sign-ins"),
            ],
        )
    if role is Role.QA_LEAD:
        return HomePage(
            role,
            "Quality assurance programme",
            "The visit programme, the recommendation tracker and providers flagged for your attention.",
            [
                _programme(user, year),
                Figure(
                    "Visit reports to share or finalise",
                    str(
                        access.visible_to(user, Visit)
                        .filter(status__in=[VisitStatus.SUBMITTED, VisitStatus.RESPONDED])
                        .count()
                    ),
                ),
                Figure(
                    "Recommendations overdue",
                    str(access.visible_to(user, Recommendation).overdue().count()),
                    "chased at the monthly tracking meeting",
                ),
                Figure(
                    "Providers flagged",
                    str(Provider.objects.needing_qa_lead_attention().count()),
                    "Inadequate judgement or supported accommodation outcome 3",
                ),
            ],
        )
    if role is Role.COMMISSIONING_OFFICER:
        return HomePage(
            role,
            "Commissioning",
            "Providers, settings and placements, and the review meetings that are due.",
            [
                _not_yet("Review meetings due this month", "by placement volume"),
                _not_yet("Review meetings overdue", ""),
                Figure("Open concerns", str(access.visible_to(user, Concern).open().count())),
            ],
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
                ),
                _programme(user, year),
                Figure(
                    "Your recommendations open",
                    str(access.visible_to(user, Recommendation).live().filter(owner=user).count()),
                ),
            ],
        )
    if role is Role.MANAGER:
        return HomePage(
            role,
            "Overview",
            "How providers are doing, and the committee pack.",
            [_programme(user, year), _not_yet("Review meetings held against due", "")],
        )
    if role is Role.SOCIAL_WORKER:
        return HomePage(
            role,
            "Your actions",
            "Actions flagged to you for the children and young people you support.",
            [_not_yet("Actions open", ""), _not_yet("Actions overdue", "")],
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
                ),
                Figure("Recommendations open", str(access.visible_to(user, Recommendation).live().count())),
            ],
        )
    return HomePage(None, "No role yet", "Your account has no role yet. Ask your administrator to give you one.")
