"""Each person's home page: the figures that matter to their role (qa_portal.reporting.home)."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from qa_portal.reporting.home import home_for


@require_GET
def home(request):
    page = home_for(request.user)
    return render(request, page.template, {"page": page})
