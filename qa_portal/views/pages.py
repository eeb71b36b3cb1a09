from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from qa_portal import csp_reports, health


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


@login_not_required
@csrf_exempt  # browsers send reports with no token, often without the session's cookie
@require_POST
def csp_report(request):
    """A browser's report of a Content-Security-Policy violation (qa_portal.csp_reports), logged:
    204 when taken; 413, 415, 400 or 429 (with the reason as text) when not."""
    try:
        csp_reports.take(request)
    except csp_reports.Refused as refused:
        return HttpResponse(refused.reason, status=refused.status, content_type="text/plain; charset=utf-8")
    return HttpResponse(status=204)
