"""The visit programme: the financial year's visits against the target, the visits planned for the
rest of it, and the providers holding our young people that have never been visited.

The year's count is the home pages' (`home.programme_figure`: submitted visits held in the year); the
never-visited providers are ranked as "Which provider to visit next" ranks them (visit_next)."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Exists, OuterRef

from providers.models import Placement, Provider
from qa_portal import access
from qa_portal.periods import FinancialYear
from qa_portal.reporting.home import Figure, programme_figure, visits_held
from visits.models import Visit

# The planned visits listed by name; the visit list has them all.
PLANNED_SHOWN = 10


@dataclass
class Programme:
    """`year`'s programme as `today` finds it: `held` visits of `target`, `planned` (the first
    PLANNED_SHOWN of `planned_count` visits planned from today to the year's end, soonest first)."""

    year: FinancialYear
    today: date
    figure: Figure
    held: int
    target: int
    planned: list[Visit]
    planned_count: int

    @property
    def still_to_plan(self) -> int:
        """Visits neither held nor planned that the target still asks for (0 once it is met)."""
        return max(self.target - self.held - self.planned_count, 0)

    @property
    def months_left(self) -> int:
        """Whole calendar months left in the year after this one (0 in March)."""
        return (self.year.end.year - self.today.year) * 12 + self.year.end.month - self.today.month


def programme_for(user, today: date) -> Programme:
    """The programme of the financial year containing `today`, as `user` may see it: four queries."""
    year = FinancialYear.containing(today)
    held = visits_held(user, year)
    planned = (
        access.visible_to(user, Visit)
        .filter(visit_date__isnull=True, planned_date__range=(today, year.end))
        .order_by("planned_date", "pk")
    )
    return Programme(
        year=year,
        today=today,
        figure=programme_figure(user, year, held=held),
        held=held,
        target=settings.VISITS_TARGET_PER_YEAR,
        planned=list(planned.select_related("provider", "lead_visitor")[:PLANNED_SHOWN]),
        planned_count=planned.count(),
    )


def never_visited(providers, today: date):
    """Of `providers` (a Provider queryset), those holding our young people today that have never had a
    visit take place (one with its date recorded; a visit planned is not one)."""
    placed = Placement.objects.active_on(today).filter(provider=OuterRef("pk"))
    visited = Visit.objects.filter(provider=OuterRef("pk"), visit_date__lte=today)
    return providers.filter(Exists(placed)).exclude(Exists(visited))


def providers_in_use(user):
    """The providers `user` may see that are still in use (not archived)."""
    return access.visible_to(user, Provider).not_archived()
