"""What each role sees first. A figure whose feature does not exist yet shows 0 (see `_not_yet`)."""

from dataclasses import dataclass, field

from axes.models import AccessAttempt
from django.conf import settings
from django.utils import timezone

from providers.models import Provider
from qa_portal.models import User
from qa_portal.roles import Role


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


def home_for(user) -> HomePage:
    role = user.primary_role
    year = timezone.localdate().year
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
                _not_yet(f"Visits in {year}", "against a target of 6 a year"),
                _not_yet("Recommendations overdue", "chased at the monthly tracking meeting"),
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
                _not_yet("Open concerns", ""),
            ],
        )
    if role is Role.SENIOR_LEADER:
        return HomePage(
            role,
            "Your quality-assurance visits",
            "Plan a visit, write it up on the template and raise recommendations.",
            [
                _not_yet("Visits planned", ""),
                _not_yet("Drafts to finish", ""),
                _not_yet("Your recommendations open", ""),
            ],
        )
    if role is Role.MANAGER:
        return HomePage(
            role,
            "Overview",
            "How providers are doing, and the committee pack.",
            [_not_yet(f"Visits in {year}", ""), _not_yet("Review meetings held against due", "")],
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
            [_not_yet("Visit reports awaiting your response", ""), _not_yet("Recommendations open", "")],
        )
    return HomePage(None, "No role yet", "Your account has no role yet. Ask your administrator to give you one.")
