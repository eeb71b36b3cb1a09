"""The committee pack's figures as data: what each part of the pack counts, and the period helpers."""

import dataclasses
from dataclasses import dataclass, field
from datetime import date

from qa_portal.periods import FinancialYear
from qa_portal.wording import count_of

# The period ---------------------------------------------------------------------------------


def period_label(start: date, end: date) -> str:
    """ "2024-25" for a financial year, otherwise the dates."""
    year = FinancialYear.containing(start)
    if (year.start, year.end) == (start, end):
        return year.label
    return f"{start:%-d %B %Y} to {end:%-d %B %Y}"


def default_title(start: date, end: date) -> str:
    return f"Quality Assurance of Care Providers Annual Report {period_label(start, end)}"


def percent(part: int, whole: int) -> int:
    """Whole per cent, halves rounded up (22 of 56 is 39%)."""
    return (200 * part + whole) // (2 * whole) if whole else 0


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
            groups.append(count_of(self.children_in_care, "child in care", "children in care"))
        if self.care_leavers:
            groups.append(count_of(self.care_leavers, "care leaver"))
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
                f", and spoke with {count_of(self.others_spoken_to, 'other young person', 'other young people')}."
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
            else f"{count_of(self.recommendations, 'recommendation')} {'was' if self.recommendations == 1 else 'were'}"
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
class RiskRow:
    rating: str  # "High", "Medium", "Low" or "Not rated then"
    providers: list[str]  # by name

    @property
    def count(self) -> int:
        return len(self.providers)


@dataclass
class ResponseRow:
    """One response to an Inadequate judgement recorded in the period (issue 16): where, the day it was
    recorded, the days to the visit (0: the same day; None: none held yet), and the hours to each
    child's "safe to remain?" decision (None: not recorded yet). No child is named: the pack goes to
    elected members."""

    where: str
    recorded_on: date
    days_to_visit: int | None
    decision_hours: list[float | None]

    @property
    def decisions(self) -> int:
        return len(self.decision_hours)

    @property
    def within_24_hours(self) -> int:
        return sum(1 for hours in self.decision_hours if hours is not None and hours <= 24)

    @property
    def hours_in_words(self) -> str:
        """ "6, 18 and not yet": the hours to each decision, rounded, in order."""
        words = [f"{round(hours)}" if hours is not None else "not yet" for hours in self.decision_hours]
        if len(words) > 1:
            return ", ".join(words[:-1]) + " and " + words[-1]
        return words[0] if words else "none asked"


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
    # Risk ratings (issue 16): the providers used in the period, by their rating on `risk_on`.
    risk_on: date | None = None
    risk_rows: list[RiskRow] = field(default_factory=list)
    # Responses to Inadequate judgements recorded in the period (issue 16).
    response_rows: list[ResponseRow] = field(default_factory=list)

    @property
    def risk_none_rated(self) -> int:
        """How many providers were used in the period when none of them had a risk rating on `risk_on`
        (ratings began later); 0 when any had one."""
        rated = sum(row.count for row in self.risk_rows if row.rating != "Not rated then")
        return 0 if rated else sum(row.count for row in self.risk_rows)

    @property
    def period_label(self) -> str:
        return period_label(self.period_start, self.period_end)

    @property
    def visits_sentence(self) -> str:
        if not self.visits:
            return "No quality assurance visits were completed in the period."
        return (
            f"Over the period {count_of(self.visits, 'visit')} {'was' if self.visits == 1 else 'were'} completed to "
            f"{count_of(self.providers_visited, 'care provider')}, meeting "
            f"{count_of(self.young_people_met, 'child or young person', 'children and young people')}: "
            f"{self.share_met}% of the {self.cohort} children in care and care leavers placed with providers "
            "during the period."
        )

    @property
    def meetings_sentence(self) -> str:
        if not self.meetings_due:
            return "No commissioning review meetings fell due in the period."
        return (
            f"{count_of(self.meetings_due, 'commissioning review meeting')} fell due in the period and "
            f"{self.meetings_held} {'was' if self.meetings_held == 1 else 'were'} held "
            f"({percent(self.meetings_held, self.meetings_due)}%)."
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
            f"{count_of(self.recommendations_made, 'recommendation')} "
            f"{'was' if self.recommendations_made == 1 else 'were'} made in the period: "
            f"{self.completed} completed, {self.in_progress} in progress, {self.open} open and not yet due, "
            f"{self.overdue} overdue and {self.not_accepted} not accepted."
        )

    @property
    def send_sentence(self) -> str:
        if not self.ehcp_cohort:
            return "None of the children and young people placed during the period had an EHCP."
        return (
            f"Of the {count_of(self.ehcp_cohort, 'child or young person', 'children and young people')} with an "
            f"Education, Health and Care Plan (EHCP) placed during the period, {self.ehcp_visited} "
            f"{'was' if self.ehcp_visited == 1 else 'were'} visited ({percent(self.ehcp_visited, self.ehcp_cohort)}%)."
        )

    def snapshot(self) -> dict:
        """The figures as JSON, kept with each version of the pack."""
        return dataclasses.asdict(self)
