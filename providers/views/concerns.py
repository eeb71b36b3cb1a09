"""The list of concerns about providers, for the council's staff who may see concerns: the home
pages' "Concerns not yet closed" opens it filtered. Each concern is recorded, updated and removed
from its provider's page (providers.views.register)."""

from django.contrib.auth.decorators import permission_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from providers.filters import CONCERN_COLUMNS, ConcernFilterSet, with_severity_rank
from providers.models import Concern
from qa_portal import access
from qa_portal.lists import paginate

PAGE_SIZE = 50


@require_GET
@permission_required("providers.view_concern", raise_exception=True)
def concern_list(request):
    concerns = with_severity_rank(access.visible_to(request.user, Concern)).select_related("provider", "setting")
    filterset = ConcernFilterSet(request.GET, queryset=concerns, request=request)
    page = paginate(request, filterset.qs, PAGE_SIZE)
    context = {"filterset": filterset, "page": page, "columns": CONCERN_COLUMNS}
    return render(request, "providers/concern_list.html", context)
