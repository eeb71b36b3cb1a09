import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader

# What a script that saves in the background (the visit autosave) tells its user when the database
# cannot be reached: the problem is the connection, not their session.
NO_DATABASE = (
    "There is no connection to the database just now. Your changes are kept in this browser and will be "
    "saved when the connection is back."
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
