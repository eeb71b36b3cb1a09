"""The visit programme's pages: "Which provider to visit next" and the programme of the year."""

from django.contrib.auth.decorators import permission_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from qa_portal.history import changes_for
from qa_portal.lists import paginate
from qa_portal.reporting import visit_next
from qa_portal.reporting.filters import VisitNextFilterSet
from qa_portal.reporting.models import VisitNextWeights
from qa_portal.reporting.programme import never_visited, programme_for, providers_in_use

PAGE_SIZE = 25
# The weights' latest changes shown under the list.
WEIGHT_CHANGES_SHOWN = 5


def _ranked_page(request, providers, weights, today):
    """The page asked for of `providers` ranked, and its rows: a count, the page's ids and scores, and
    the page's data (visit_next: three queries, however many providers there are)."""
    page = paginate(request, visit_next.ranked(providers, weights, today).values_list("pk", flat=True), PAGE_SIZE)
    rows = visit_next.rows(list(page), providers, weights, today, first_place=page.start_index())
    return page, rows


@require_GET
@permission_required("reporting.view_visit_next", raise_exception=True)
def visit_next_list(request):
    today = timezone.localdate()
    weights = VisitNextWeights.current()
    filterset = VisitNextFilterSet(request.GET, queryset=providers_in_use(request.user), request=request)
    page, rows = _ranked_page(request, filterset.qs, weights, today)
    changes = changes_for(
        [(VisitNextWeights.history.all(), lambda row: "The weights")],
        limit=WEIGHT_CHANGES_SHOWN,
    )
    context = {
        "filterset": filterset,
        "page": page,
        "rows": rows,
        "weights": weights,
        "weight_changes": changes,
        "may_plan": request.user.has_perm("visits.add_visit"),
    }
    return render(request, "reporting/visit_next.html", context)


@require_GET
@permission_required("reporting.view_visit_programme", raise_exception=True)
def programme(request):
    today = timezone.localdate()
    weights = VisitNextWeights.current()
    providers = providers_in_use(request.user)
    page, rows = _ranked_page(request, never_visited(providers, today), weights, today)
    found = programme_for(request.user, today)
    context = {
        "programme": found,
        "figures": [found.figure],
        "page": page,
        "rows": rows,
        "may_plan": request.user.has_perm("visits.add_visit"),
        "may_rank": request.user.has_perm("reporting.view_visit_next"),
    }
    return render(request, "reporting/programme.html", context)
