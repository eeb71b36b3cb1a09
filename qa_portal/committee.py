"""The committee pack: the annual report on quality assurance of care providers to elected members.

The figures come from the data (`committee_figures`, in a fixed number of queries whatever
the size of the year); the narrative (introduction, learning, future plans) is what managers
drafted on the report's page. A pack is made in the background (`committee_pack_build`, run by
the `build_committee_pack` task) and every version is kept with its PDF in the database.

The pack mirrors the City of London's 2024-25 annual report: title page, contents, 1
Introduction, 2 Quality Assurance Visits, 3 Commissioning Review Meetings, 4 Impact and
Outcomes, 5 Focus on children with SEND, 6 Learning, 7 Future Plans, the Ofsted ratings of the
providers used, and an appendix holding each visit report, rendered by the very template of the
single visit report.

In the report itself children and young people appear only as counts, ages and cohorts: never
names, initials or case-record IDs. The appendix prints each visit report as it stands, where
they appear by initials, as they do in the single report.
"""

import dataclasses
import logging
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial

import pygal
from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.safestring import mark_safe
from pygal.style import Style

from providers.models import InspectionScale, Judgement, OfstedInspection, Placement, ProvisionType, YoungPerson
from qa_portal import access
from qa_portal.models import CommitteePackVersion, CommitteeReport, PackStatus, User
from qa_portal.pdf import render_pdf
from qa_portal.periods import FinancialYear
from qa_portal.roles import Role
from reviews.models import (
    Cadence,
    CadenceThresholds,
    MeetingStatus,
    Recommendation,
    RecommendationStatus,
    ReviewMeeting,
)
from visits.models import Visit, VisitStatus
from visits.selectors import visit_with_report_data

logger = logging.getLogger(__name__)

PERMISSION = "qa_portal.view_committee_pack"
PACK_TEMPLATE = "qa_portal/committee/pack_pdf.html"
MAX_NARRATIVE = 20_000

# Who may see and make committee packs: the permission decides (managers and the QA lead).


def _visible(user, queryset):
    if user.has_role(Role.PROVIDER_USER) or not user.has_perm(PERMISSION):
        return queryset.none()
    return queryset


def _can_change(user, obj) -> bool:
    return not user.has_role(Role.PROVIDER_USER) and user.has_perm(PERMISSION)


access.register(CommitteeReport, visible=_visible, can_change=_can_change)
access.register(CommitteePackVersion, visible=_visible, can_change=_can_change)


# The period ---------------------------------------------------------------------------------


def last_full_financial_year(today: date | None = None) -> FinancialYear:
    this_year = FinancialYear.containing(today or timezone.localdate())
    return FinancialYear.containing(this_year.start - timedelta(days=1))


def period_label(start: date, end: date) -> str:
    """ "2024-25" for a financial year, otherwise the dates."""
    year = FinancialYear.containing(start)
    if (year.start, year.end) == (start, end):
        return year.label
    return f"{start:%-d %B %Y} to {end:%-d %B %Y}"


def default_title(start: date, end: date) -> str:
    return f"Quality Assurance of Care Providers Annual Report {period_label(start, end)}"


def _percent(part: int, whole: int) -> int:
    """Whole per cent, halves rounded up (22 of 56 is 39%)."""
    return (200 * part + whole) // (2 * whole) if whole else 0


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


# The figures ----------------------------------------------------------------------------------


@dataclass
class VisitSummary:
    """One visit as the pack describes it: who went, where, whom they met (counts and ages, never
    names), what they concluded and how many recommendations they made."""

    visit_id: int
    date: date
    lead_visitor: str
    lead_visitor_role: str
    provider: str
    setting: str
    setting_type: str
    children_in_care: int
    care_leavers: int
    youngest: int | None
    oldest: int | None
    others_spoken_to: int
    ehcp_met: int
    judgement: str
    summary: str
    recommendations: int

    @property
    def met(self) -> int:
        return self.children_in_care + self.care_leavers

    @property
    def who_was_met(self) -> str:
        if not self.met:
            return "No children or young people from our care were met"
        groups = []
        if self.children_in_care:
            groups.append(_plural(self.children_in_care, "child in care", "children in care"))
        if self.care_leavers:
            groups.append(_plural(self.care_leavers, "care leaver"))
        ages = (
            f"aged {self.youngest}"
            if self.youngest == self.oldest
            else f"aged {self.youngest} to {self.oldest}"
            if self.met > 2
            else f"aged {self.youngest} and {self.oldest}"
        )
        return f"They met {' and '.join(groups)}, {ages}"

    @property
    def paragraph(self) -> str:
        where = self.provider
        if self.setting and self.setting != self.provider:
            where += f" ({self.setting_type.lower()}: {self.setting})"
        elif self.setting_type:
            where += f" ({self.setting_type.lower()})"
        sentences = [
            f"On {self.date:%-d %B %Y} {self.lead_visitor}, {self.lead_visitor_role}, visited {where}.",
            self.who_was_met
            + (
                f", and spoke with {_plural(self.others_spoken_to, 'other young person', 'other young people')}."
                if self.others_spoken_to
                else "."
            ),
        ]
        if self.summary:
            sentences.append(self.summary.strip())
        if self.judgement:
            sentences.append(f"Good enough for my own child: {self.judgement.lower()}.")
        sentences.append(
            "No recommendations were made."
            if not self.recommendations
            else f"{_plural(self.recommendations, 'recommendation')} {'was' if self.recommendations == 1 else 'were'}"
            " made."
        )
        return " ".join(sentences)


@dataclass
class CadenceRow:
    cadence: str
    due: int
    held: int


@dataclass
class ProviderReviews:
    provider: str
    cadence: str
    due: int
    held: int
    last_held: date | None


@dataclass
class ImpactStatement:
    provider: str
    level: str
    recommendation: str
    impact: str
    completed_on: date | None


@dataclass
class OfstedRow:
    provision_type: str
    cells: list[int | None]  # None: that scale does not apply to this provision type
    total: int


@dataclass
class CommitteeFigures:
    period_start: date
    period_end: date
    counted_on: date
    # QA visits
    visits: int = 0
    providers_visited: int = 0
    young_people_met: int = 0
    cohort: int = 0
    share_met: int = 0
    ehcp_cohort: int = 0
    ehcp_visited: int = 0
    ehcp_visit_settings: list[str] = field(default_factory=list)
    visit_summaries: list[VisitSummary] = field(default_factory=list)
    visits_by_month: list[tuple[str, str, int]] = field(default_factory=list)  # ("Apr 24", "Apr 2024", count)
    # Commissioning review meetings
    cadence_rule: str = ""
    meetings_due: int = 0
    meetings_held: int = 0
    meetings_by_cadence: list[CadenceRow] = field(default_factory=list)
    meetings_by_provider: list[ProviderReviews] = field(default_factory=list)
    # Recommendations
    recommendations_made: int = 0
    completed: int = 0
    in_progress: int = 0
    open: int = 0
    overdue: int = 0
    not_accepted: int = 0
    impact_statements: list[ImpactStatement] = field(default_factory=list)
    # Ofsted
    ofsted_columns: list[str] = field(default_factory=list)
    ofsted_rows: list[OfstedRow] = field(default_factory=list)
    ofsted_total: int = 0

    @property
    def period_label(self) -> str:
        return period_label(self.period_start, self.period_end)

    @property
    def visits_sentence(self) -> str:
        if not self.visits:
            return "No quality assurance visits were completed in the period."
        return (
            f"Over the period {_plural(self.visits, 'visit')} {'was' if self.visits == 1 else 'were'} completed to "
            f"{_plural(self.providers_visited, 'care provider')}, meeting "
            f"{_plural(self.young_people_met, 'child or young person', 'children and young people')}: "
            f"{self.share_met}% of the {self.cohort} children in care and care leavers placed with providers "
            "during the period."
        )

    @property
    def meetings_sentence(self) -> str:
        if not self.meetings_due:
            return "No commissioning review meetings fell due in the period."
        return (
            f"{_plural(self.meetings_due, 'commissioning review meeting')} fell due in the period and "
            f"{self.meetings_held} {'was' if self.meetings_held == 1 else 'were'} held "
            f"({_percent(self.meetings_held, self.meetings_due)}%)."
        )

    @property
    def recommendation_statuses(self) -> list[tuple[str, int]]:
        """Each recommendation in exactly one group, so the groups add up to those made."""
        return [
            ("Completed", self.completed),
            ("In progress", self.in_progress),
            ("Open", self.open),
            ("Overdue", self.overdue),
            ("Not accepted", self.not_accepted),
        ]

    @property
    def recommendations_sentence(self) -> str:
        if not self.recommendations_made:
            return "No recommendations were made in the period."
        return (
            f"{_plural(self.recommendations_made, 'recommendation')} "
            f"{'was' if self.recommendations_made == 1 else 'were'} made in the period: "
            f"{self.completed} completed, {self.in_progress} in progress, {self.open} open and not yet due, "
            f"{self.overdue} overdue and {self.not_accepted} not accepted."
        )

    @property
    def send_sentence(self) -> str:
        if not self.ehcp_cohort:
            return "None of the children and young people placed during the period had an EHCP."
        return (
            f"Of the {_plural(self.ehcp_cohort, 'child or young person', 'children and young people')} with an "
            f"Education, Health and Care Plan (EHCP) placed during the period, {self.ehcp_visited} "
            f"{'was' if self.ehcp_visited == 1 else 'were'} visited ({_percent(self.ehcp_visited, self.ehcp_cohort)}%)."
        )

    def snapshot(self) -> dict:
        """The figures as JSON, kept with each version of the pack."""
        return dataclasses.asdict(self)


def _cohort_filter(start: date, end: date) -> Q:
    """Placements active on at least one day of the period (the end date is the day they left)."""
    return Q(start_date__lte=end) & (Q(end_date__isnull=True) | Q(end_date__gt=start))


def _visits(figures: CommitteeFigures, start: date, end: date) -> None:
    visits = list(
        Visit.objects.filter(visit_date__range=(start, end))
        .exclude(status=VisitStatus.DRAFT)
        .select_related("provider", "setting", "lead_visitor")
        .prefetch_related("young_people_met")
        .annotate(recommendation_count=Count("recommendations", distinct=True))
        .order_by("visit_date", "pk")
    )
    cohort = dict(
        YoungPerson.objects.filter(placements__in=Placement.objects.filter(_cohort_filter(start, end)))
        .distinct()
        .values_list("pk", "ehcp")
    )
    met: set[int] = set()
    ehcp_settings: list[str] = []
    per_month = Counter()
    types = dict(ProvisionType.choices)
    for visit in visits:
        people = list(visit.young_people_met.all())
        met.update(person.pk for person in people)
        ages = sorted(person.age_on(visit.visit_date) for person in people)
        ehcp_met = sum(person.ehcp for person in people)
        setting_type = (
            types.get(visit.setting.setting_type, "")
            if visit.setting
            else ", ".join(types.get(t, t) for t in visit.provider.provision_types)
        )
        if ehcp_met:
            ehcp_settings.append(
                f"{visit.provider.name} ({setting_type.lower()})" if setting_type else visit.provider.name
            )
        per_month[(visit.visit_date.year, visit.visit_date.month)] += 1
        figures.visit_summaries.append(
            VisitSummary(
                visit_id=visit.pk,
                date=visit.visit_date,
                lead_visitor=visit.lead_visitor.full_name,
                lead_visitor_role=visit.lead_visitor_role,
                provider=visit.provider.name,
                setting=visit.setting.name if visit.setting else "",
                setting_type=setting_type,
                children_in_care=sum(person.cohort == "child_in_care" for person in people),
                care_leavers=sum(person.cohort == "care_leaver" for person in people),
                youngest=ages[0] if ages else None,
                oldest=ages[-1] if ages else None,
                others_spoken_to=visit.others_spoken_to,
                ehcp_met=ehcp_met,
                judgement=visit.get_overall_judgement_display() if visit.overall_judgement else "",
                summary=visit.overall_summary,
                recommendations=visit.recommendation_count,
            )
        )
    figures.visits = len(visits)
    figures.providers_visited = len({visit.provider_id for visit in visits})
    figures.young_people_met = len(met)
    figures.cohort = len(cohort)
    figures.share_met = _percent(len(met), len(cohort))
    figures.ehcp_cohort = sum(cohort.values())
    # Children met who had an EHCP; all of them are in the cohort, being placed on the visit date.
    figures.ehcp_visited = len({pk for pk in met if cohort.get(pk)})
    figures.ehcp_visit_settings = list(dict.fromkeys(ehcp_settings))
    month = date(start.year, start.month, 1)
    while month <= end:
        figures.visits_by_month.append(
            (f"{month:%b %y}", f"{month:%b %Y}", per_month.get((month.year, month.month), 0))
        )
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)


def _span(low: int, high: int) -> str:
    return str(low) if low == high else f"{low} or {high}" if high == low + 1 else f"{low} to {high}"


def _cadence_rule(t: CadenceThresholds) -> str:
    """The thresholds in words: "4 or more placements, quarterly; 2 or 3, half-yearly; 1, annual"."""
    return (
        f"{t.quarterly_from} or more placements, quarterly; "
        f"{_span(t.half_yearly_from, t.quarterly_from - 1)}, half-yearly; "
        f"{_span(t.annual_from, t.half_yearly_from - 1)}, annual"
    )


CADENCE_ORDER = [Cadence.QUARTERLY, Cadence.HALF_YEARLY, Cadence.ANNUAL, Cadence.NONE]


def _meetings(figures: CommitteeFigures, start: date, end: date) -> None:
    """Meetings that fell due in the period (cancelled ones apart) and how many of them were held."""
    meetings = list(
        ReviewMeeting.objects.filter(due_date__range=(start, end))
        .exclude(status=MeetingStatus.CANCELLED)
        .select_related("provider")
        .order_by("due_date", "pk")
    )
    by_cadence: dict[str, CadenceRow] = {}
    by_provider: dict[int, ProviderReviews] = {}
    for meeting in meetings:
        held = meeting.status == MeetingStatus.HELD
        label = Cadence(meeting.cadence).label
        row = by_cadence.setdefault(meeting.cadence, CadenceRow(label, 0, 0))
        row.due += 1
        row.held += held
        provider = by_provider.setdefault(
            meeting.provider_id, ProviderReviews(meeting.provider.name, label, 0, 0, None)
        )
        provider.cadence = label  # the cadence of the latest meeting due
        provider.due += 1
        if held:
            provider.held += 1
            provider.last_held = max(filter(None, [provider.last_held, meeting.held_on]))
    figures.meetings_due = len(meetings)
    figures.cadence_rule = _cadence_rule(CadenceThresholds.current())
    figures.meetings_held = sum(row.held for row in by_cadence.values())
    figures.meetings_by_cadence = [by_cadence[c] for c in CADENCE_ORDER if c in by_cadence]
    figures.meetings_by_provider = sorted(by_provider.values(), key=lambda row: row.provider.lower())


def _recommendations(figures: CommitteeFigures, start: date, end: date, today: date) -> None:
    """Recommendations made in the period, each counted once by where it stands today."""
    recommendations = list(
        Recommendation.objects.filter(created_at__date__range=(start, end))
        .select_related("provider")
        .order_by("completed_at", "pk")
    )
    live = (RecommendationStatus.OPEN, RecommendationStatus.IN_PROGRESS)
    for rec in recommendations:
        if rec.status in live and rec.due_date < today:
            figures.overdue += 1
        elif rec.status == RecommendationStatus.OPEN:
            figures.open += 1
        elif rec.status == RecommendationStatus.IN_PROGRESS:
            figures.in_progress += 1
        elif rec.status == RecommendationStatus.NOT_ACCEPTED:
            figures.not_accepted += 1
        elif rec.status == RecommendationStatus.COMPLETED:
            figures.completed += 1
            figures.impact_statements.append(
                ImpactStatement(
                    provider=rec.provider.name if rec.provider else "",
                    level=rec.get_level_display(),
                    recommendation=rec.text,
                    impact=rec.impact_statement,
                    completed_on=timezone.localtime(rec.completed_at).date() if rec.completed_at else None,
                )
            )
    figures.recommendations_made = len(recommendations)


FOUR_POINT_COLUMNS = [
    (Judgement.OUTSTANDING, "Outstanding"),
    (Judgement.GOOD, "Good"),
    (Judgement.REQUIRES_IMPROVEMENT, "Requires improvement"),
    (Judgement.INADEQUATE, "Inadequate"),
]
NOT_YET = "Not yet inspected"
SA_COLUMNS = ["SA outcome 1", "SA outcome 2", "SA outcome 3"]
ROW_ORDER = [
    ProvisionType.FOSTERING,
    ProvisionType.CHILDRENS_HOME,
    ProvisionType.RESIDENTIAL_SCHOOL,
    ProvisionType.SUPPORTED_ACCOMMODATION,
    ProvisionType.OTHER,
]


def _ofsted(figures: CommitteeFigures, start: date, end: date) -> None:
    """The latest Ofsted result, at the end of the period, of each home, agency office or school
    where a young person lived during it; supported accommodation is judged per provider on its
    own three-outcome scale. A placement with no setting recorded counts its provider as a whole."""
    placements = list(Placement.objects.filter(_cohort_filter(start, end)).select_related("provider", "setting"))
    provider_ids = {p.provider_id for p in placements}
    latest_setting: dict[int, tuple[date, int, int]] = {}  # setting -> (inspected, judgement, provider)
    latest_sa: dict[int, tuple[date, int]] = {}
    inspections = OfstedInspection.objects.filter(provider_id__in=provider_ids, inspection_date__lte=end).values_list(
        "provider_id", "setting_id", "scale", "inspection_date", "judgement", "sa_outcome"
    )
    for provider_id, setting_id, scale, on, judgement, sa_outcome in inspections:
        if scale == InspectionScale.SUPPORTED_ACCOMMODATION:
            if provider_id not in latest_sa or on >= latest_sa[provider_id][0]:
                latest_sa[provider_id] = (on, sa_outcome)
        elif setting_id is not None and (setting_id not in latest_setting or on >= latest_setting[setting_id][0]):
            latest_setting[setting_id] = (on, judgement, provider_id)
    # For a placement with no setting recorded: the worst of its provider's settings' latest judgements.
    worst_by_provider: dict[int, int] = {}
    for _, judgement, provider_id in latest_setting.values():
        if judgement != Judgement.NOT_JUDGED:
            worst_by_provider[provider_id] = max(worst_by_provider.get(provider_id, 0), judgement)

    units: dict[tuple, tuple[str, str]] = {}  # unit -> (provision type, column)
    for placement in placements:
        if placement.setting_id:
            kind = placement.setting.setting_type
        else:
            kinds = placement.provider.provision_types or [ProvisionType.OTHER]
            kind = kinds[0]
        if kind == ProvisionType.SUPPORTED_ACCOMMODATION:
            outcome = latest_sa.get(placement.provider_id)
            units[("sa", placement.provider_id)] = (kind, f"SA outcome {outcome[1]}" if outcome else NOT_YET)
        elif placement.setting_id:
            result = latest_setting.get(placement.setting_id)
            judgement = result[1] if result else None
            units[("setting", placement.setting_id)] = (kind, _judgement_column(judgement))
        else:
            units[("provider", placement.provider_id)] = (
                kind,
                _judgement_column(worst_by_provider.get(placement.provider_id)),
            )
    columns = [label for _, label in FOUR_POINT_COLUMNS] + [NOT_YET] + SA_COLUMNS
    counts: dict[str, Counter] = defaultdict(Counter)
    for kind, column in units.values():
        counts[kind][column] += 1
    labels = dict(ProvisionType.choices)
    for kind in ROW_ORDER:
        if kind not in counts:
            continue
        sa = kind == ProvisionType.SUPPORTED_ACCOMMODATION
        cells = [
            (counts[kind][column] if sa else None)
            if column in SA_COLUMNS
            else (None if sa and column != NOT_YET else counts[kind][column])
            for column in columns
        ]
        figures.ofsted_rows.append(OfstedRow(labels[kind], cells, sum(counts[kind].values())))
    figures.ofsted_columns = columns
    figures.ofsted_total = len(units)


def _judgement_column(judgement: int | None) -> str:
    for value, label in FOUR_POINT_COLUMNS:
        if judgement == value:
            return label
    return NOT_YET


def committee_figures(start: date, end: date, *, today: date | None = None) -> CommitteeFigures:
    """Every figure in the pack for the period, from the data, in a fixed number of queries."""
    today = today or timezone.localdate()
    figures = CommitteeFigures(period_start=start, period_end=end, counted_on=today)
    _visits(figures, start, end)
    _meetings(figures, start, end)
    _recommendations(figures, start, end, today)
    _ofsted(figures, start, end)
    return figures


# Charts: SVG drawn on the server by pygal, with no script and nothing fetched --------------------

FONT = "Arial, 'Liberation Sans', sans-serif"
BLUE, BLACK = "#1d70b8", "#0b0c0c"


def _style() -> Style:
    return Style(
        font_family=FONT,
        background="#ffffff",
        plot_background="#ffffff",
        foreground=BLACK,
        foreground_strong=BLACK,
        foreground_subtle="#b1b4b6",
        opacity="1",
        opacity_hover="1",
        colors=(BLUE,),
        title_font_size=15,
        label_font_size=12,
        major_label_font_size=12,
        value_font_size=13,
        value_colors=(BLACK,),
        guide_stroke_color="#b1b4b6",
        major_guide_stroke_color="#b1b4b6",
        guide_stroke_dasharray="2,2",
        major_guide_stroke_dasharray="2,2",
        tooltip_font_size=12,
    )


def _config(title: str, *, width: int, height: int) -> dict:
    return {
        "title": title,
        "width": width,
        "height": height,
        "explicit_size": True,
        "js": [],  # no script is linked...
        "disable_xml_declaration": True,  # ...and the SVG can sit inside HTML
        "style": _style(),
        "show_legend": False,
        "print_values": True,
        "print_zeroes": False,
        "print_values_position": "top",
        "truncate_label": -1,
        "truncate_legend": -1,
        "margin": 12,
        "spacing": 8,
    }


def _axis(top: int) -> list[int]:
    """Whole-number steps for a count axis: about five of them."""
    top = max(top, 4)  # a month with one visit should not fill the chart
    step = -(-top // 5)
    return list(range(0, top + step, step))


def _clean_svg(svg: str) -> str:
    # pygal still writes an inline <script> holding its tooltip settings: drop it, and the
    # comments naming its website, so the chart is drawing and text only.
    svg = re.sub(r"<script\b.*?</script>", "", svg, flags=re.S)
    return re.sub(r"<!--.*?-->", "", svg, flags=re.S)


def visits_chart(figures: CommitteeFigures) -> str:
    counts = [count for _, _, count in figures.visits_by_month]
    chart = pygal.Bar(**_config("QA visits by month", width=640, height=300), y_labels=_axis(max(counts, default=0)))
    chart.x_labels = [short for short, _, _ in figures.visits_by_month]
    chart.add("Visits", counts)
    return mark_safe(_clean_svg(chart.render(is_unicode=True)))  # our own drawing: no user text in it


def recommendations_chart(figures: CommitteeFigures) -> str:
    statuses = figures.recommendation_statuses
    chart = pygal.HorizontalBar(
        **_config("Recommendations by where they stand", width=640, height=260),
        y_labels=_axis(max((n for _, n in statuses), default=0)),
    )
    # A horizontal bar chart draws its first label at the bottom: reversed, it reads as the table does.
    chart.x_labels = [label for label, _ in reversed(statuses)]
    chart.add("Recommendations", [n for _, n in reversed(statuses)])
    return mark_safe(_clean_svg(chart.render(is_unicode=True)))  # our own drawing: no user text in it


# The narrative ----------------------------------------------------------------------------------


def narrative_blocks(text: str) -> list[tuple[str, object]]:
    """Plain text as paragraphs (one a line) and bulleted lists (lines starting "- " or "• ")."""
    blocks: list[tuple[str, object]] = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        bullet = re.match(r"^[-•*]\s+(.*)$", line)
        if not bullet:
            blocks.append(("paragraph", line))
        elif blocks and blocks[-1][0] == "list":
            blocks[-1][1].append(bullet.group(1))
        else:
            blocks.append(("list", [bullet.group(1)]))
    return blocks


# Building the pack ------------------------------------------------------------------------------


@dataclass
class PackSource:
    """What a pack is made from besides the data: its title, period and narrative."""

    title: str
    period_start: date
    period_end: date
    introduction: str = ""
    learning: str = ""
    future_plans: str = ""
    version: int | None = None
    requested_by: str = ""

    @classmethod
    def for_report(cls, report: CommitteeReport, *, version: CommitteePackVersion | None = None) -> "PackSource":
        return cls(
            title=report.title,
            period_start=version.period_start if version else report.period_start,
            period_end=version.period_end if version else report.period_end,
            introduction=report.introduction,
            learning=report.learning,
            future_plans=report.future_plans,
            version=version.number if version else None,
            requested_by=version.created_by.full_name if version and version.created_by else "",
        )


def _author() -> User | None:
    """The report is the QA lead's (the Head of Safeguarding and Quality Assurance)."""
    return User.objects.filter(is_active=True, groups__name=Role.QA_LEAD.label).order_by("full_name", "pk").first()


Progress = Callable[[int, str], None]


def build_pack(source: PackSource, *, progress: Progress | None = None, today: date | None = None):
    """Count the figures, draw the charts, gather the visit reports and lay out the PDF, saying
    how far it has got. Returns (PDF bytes, figures)."""
    from visits.views.report import report_context  # the single visit report's own context

    say = progress or (lambda percent, message: None)
    say(10, "Counting the figures")
    figures = committee_figures(source.period_start, source.period_end, today=today)
    say(20, "Drawing the charts")
    charts = {"visits": visits_chart(figures), "recommendations": recommendations_chart(figures)}
    say(40, "Gathering the visit reports")
    ids = [summary.visit_id for summary in figures.visit_summaries]
    appendix = []
    visits = visit_with_report_data(Visit.objects.filter(pk__in=ids)).order_by("visit_date", "pk")
    for n, visit in enumerate(visits, start=1):
        context = report_context(visit)
        context["recommendations"] = list(context["recommendations"])
        context["anchor"] = f"visit-{visit.pk}"
        appendix.append(context)
        if n % 5 == 0 or n == len(ids):
            say(40 + 40 * n // max(len(ids), 1), f"Gathering the visit reports ({n} of {len(ids)})")
    say(85, "Laying out the pages")
    author = _author()
    pdf = render_pdf(
        PACK_TEMPLATE,
        {
            "source": source,
            "figures": figures,
            "charts": charts,
            "appendix": appendix,
            "narrative": {
                "introduction": narrative_blocks(source.introduction),
                "learning": narrative_blocks(source.learning),
                "future_plans": narrative_blocks(source.future_plans),
            },
            "author": author,
            "authority_name": settings.AUTHORITY_NAME,
            "service_name": settings.SERVICE_NAME,
            "generated_at": timezone.localtime(),
        },
    )
    return pdf, figures


def _update(version_id: int, **values) -> None:
    # Each step is its own committed write, so the page polling for progress sees it at once.
    CommitteePackVersion.objects.filter(pk=version_id).update(**values)


def committee_pack_build(*, version_id: int) -> str | None:
    """Make the pack for a queued version, updating its progress as it goes, and store the PDF.

    Only a queued version is taken (a conditional update, so a message delivered twice makes
    one pack). Returns "done", "failed", or None if the version was not waiting."""
    claimed = CommitteePackVersion.objects.filter(pk=version_id, status=PackStatus.QUEUED).update(
        status=PackStatus.RUNNING, started_at=timezone.now(), progress=5, progress_message="Starting", error=""
    )
    if not claimed:
        return None
    version = CommitteePackVersion.objects.select_related("report", "created_by").defer("pdf").get(pk=version_id)
    try:
        pdf, figures = build_pack(
            PackSource.for_report(version.report, version=version),
            progress=lambda percent, message: _update(version_id, progress=percent, progress_message=message),
        )
    except Exception as exc:  # whatever went wrong is shown on the page, and the version kept
        logger.exception("Committee pack version %s failed", version_id)
        _update(
            version_id,
            status=PackStatus.FAILED,
            progress_message="Failed",
            error=f"{exc.__class__.__name__}: {exc}"[:2000],
            finished_at=timezone.now(),
        )
        return "failed"
    _update(
        version_id,
        status=PackStatus.DONE,
        progress=100,
        progress_message="Ready to download",
        pdf=pdf,
        pdf_size=len(pdf),
        figures=figures.snapshot(),
        finished_at=timezone.now(),
    )
    return "done"


def enqueue_build(version_id: int) -> bool:
    """Hand the version to the worker. If the broker cannot be reached the version stays
    queued, the page says so, and "try again" sends it once the broker is back."""
    from qa_portal.tasks import build_committee_pack

    try:
        build_committee_pack.delay(version_id)
    except Exception as exc:  # the broker being down must never break the page
        logger.warning("Could not queue committee pack version %s (%s)", version_id, exc)
        _update(version_id, progress_message="Waiting: the background worker could not be reached")
        return False
    return True


@transaction.atomic
def committee_pack_generate(*, report: CommitteeReport, by: User) -> CommitteePackVersion:
    """Add a queued version of the report's pack and queue its making once this transaction commits."""
    locked = CommitteeReport.objects.select_for_update().get(pk=report.pk)  # one number per version
    last = locked.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = CommitteePackVersion.objects.create(
        report=locked,
        number=last + 1,
        created_by=by,
        period_start=locked.period_start,
        period_end=locked.period_end,
        progress_message="Queued: waiting for the background worker",
    )
    transaction.on_commit(partial(enqueue_build, version.pk))
    return version


def committee_pack_resend(*, version: CommitteePackVersion) -> None:
    """Queue a version again that is still waiting (the broker was down when it was made)."""
    if version.status == PackStatus.QUEUED:
        _update(version.pk, progress_message="Queued again: waiting for the background worker")
        transaction.on_commit(partial(enqueue_build, version.pk))


class EditConflict(Exception):
    def __init__(self, report: CommitteeReport):
        super().__init__("Someone else saved this report since you opened it")
        self.report = report


NARRATIVE_FIELDS = ("introduction", "learning", "future_plans")


@transaction.atomic
def committee_report_save(*, report: CommitteeReport, by: User, loaded_at, values: dict) -> CommitteeReport:
    """Save the narrative draft, unless someone else saved it since `loaded_at` (a sort of optimistic
    lock: the update only matches the row as it was when the page was loaded)."""
    now = timezone.now()
    changed = CommitteeReport.objects.filter(pk=report.pk, updated_at=loaded_at).update(updated_at=now)
    if not changed:
        raise EditConflict(CommitteeReport.objects.select_related("updated_by").get(pk=report.pk))
    report.refresh_from_db()
    for name in NARRATIVE_FIELDS:
        setattr(report, name, values.get(name, ""))
    report.updated_by = by
    report.updated_at = now
    report.full_clean()
    report._history_user = by
    report.save()
    return report


def committee_report_create(*, by: User, title: str, period_start: date, period_end: date) -> CommitteeReport:
    report = CommitteeReport(
        title=title or default_title(period_start, period_end),
        period_start=period_start,
        period_end=period_end,
        created_by=by,
        updated_by=by,
    )
    report.full_clean()
    report._history_user = by
    report.save()
    return report
