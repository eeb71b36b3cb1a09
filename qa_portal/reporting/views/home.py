"""Each person's home page: the figures that matter to their role (qa_portal.reporting.home)."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from providers.privacy import record_seen
from qa_portal.reporting.home import home_for


@require_GET
def home(request):
    page = home_for(request.user)
    # "Decide whether JB is safe to remain at …" names a child and where they live: a read of their data.
    record_seen(request, "Home page: what to do next", (item.young_person_id for item in page.to_do or ()))
    return render(request, page.template, {"page": page})
