import sys
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.db import InterfaceError, OperationalError
from django.http import HttpResponseServerError, JsonResponse
from django.middleware.csrf import REASON_NO_CSRF_COOKIE
from django.shortcuts import redirect, render, resolve_url
from django.template import loader
from django.template.defaultfilters import filesizeformat

from qa_portal import held as held_forms
from qa_portal.models import HeldSubmission

# What a script that saves in the background (the visit autosave) tells its user when the database
# cannot be reached: the problem is the connection, not their session.
NO_DATABASE = (
    "There is no connection to the database just now. Your changes are kept in this browser and will be "
    "saved when the connection is back."
)


def _wants_json(request) -> bool:
    return request.content_type == "application/json" or "application/json" in request.headers.get("Accept", "")


def bad_request(request, exception=None):
    """handler400: a request Django refused to read (a form too big or with too many fields, a body it
    could not parse), explained on a GOV.UK page with the way back; a script's request gets
    {"error": message}. Nothing was saved, and the person's text is still in the page they came from."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if isinstance(exception, RequestDataTooBig):
        heading = "What you sent was too big to save"
        explanation = [
            f"Nothing was saved. A form can hold up to {filesizeformat(limit)} of text, and a file must be "
            "uploaded on its own page, within the size that page gives.",
            "Go back, shorten the longest text, and save again.",
        ]
    elif isinstance(exception, TooManyFieldsSent):
        heading = "What you sent had too many parts to save"
        explanation = [f"Nothing was saved. A form can have up to {settings.DATA_UPLOAD_MAX_NUMBER_FIELDS:,} fields."]
    else:
        heading = "What you sent could not be read"
        explanation = ["Nothing was saved. The page may have been changed by a browser extension, or cut short."]
    if _wants_json(request):
        return JsonResponse({"error": f"{heading}. {explanation[0]}"}, status=400)
    return render(
        request,
        "errors/400.html",
        {"heading": heading, "explanation": explanation, "back_url": held_forms.form_page(request)},
        status=400,
    )


def forbidden(request, exception=None):
    return render(request, "errors/403.html", status=403)


def not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    """The error page; but a request for JSON that failed because the database cannot be reached
    (even before its view ran: loading the session, or saving it) is answered 503 with
    {"error": NO_DATABASE}, so the script that sent it can say what is wrong."""
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError) and "application/json" in request.headers.get(
        "Accept", ""
    ):
        return JsonResponse({"error": NO_DATABASE}, status=503)
    # Rendered without the request's context processors: what failed may be one of them.
    context = {"authority_name": settings.AUTHORITY_NAME, "service_name": settings.SERVICE_NAME}
    return HttpResponseServerError(loader.get_template("errors/500.html").render(context))


def csrf_failure(request, reason=""):
    """settings.CSRF_FAILURE_VIEW: a form whose security token is out of date, most often a page left
    open while its user signed in again in another tab (signing in renews the token).

    What it posted is held (qa_portal.held) and they go back to the form, filled again, signed in if
    they need to be. A post that failed the origin check (from another site) is never held; nor is
    one with nothing to keep or no one to keep it for, nor the sign-in and password reset pages:
    those get a page saying what to do next. Never Django's bare "CSRF verification failed"."""
    held = None
    if not reason.startswith(("Origin checking failed", "Referer checking failed")):
        # Signed out as well: to them, what happened is that they were signed out.
        signed_in = request.user.is_authenticated
        reason = HeldSubmission.Reason.OUT_OF_DATE if signed_in else HeldSubmission.Reason.SIGNED_OUT
        held = held_forms.hold(request, reason=reason)
    if held is not None:
        if request.user.is_authenticated:
            return redirect(held_forms.page_url(held))
        return redirect_to_login(held_forms.page_url(held))
    page = held_forms.form_page(request)
    if request.path == resolve_url(settings.LOGIN_URL):
        back_url, back_label = request.get_full_path(), "Sign in again"
    elif request.user.is_authenticated:
        back_url, back_label = page, "Go back to the page"
    else:
        back_url, back_label = f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': page})}", "Sign in"
    context = {"back_url": back_url, "back_label": back_label, "no_cookie": reason == REASON_NO_CSRF_COOKIE}
    return render(request, "errors/csrf.html", context, status=403)
