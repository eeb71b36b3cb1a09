from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from qa_portal import health


@login_not_required
@require_GET
def accessibility_statement(request):
    # Public by law (accessibility regulations): linked from every page, the sign-in page included.
    return render(request, "qa_portal/accessibility.html")


@login_not_required
@never_cache
@require_GET
def healthz(request):
    healthy, checks = health.report()
    return JsonResponse({"status": "ok" if healthy else "down", "checks": checks}, status=200 if healthy else 503)
