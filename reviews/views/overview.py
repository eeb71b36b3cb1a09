"""(being written)"""

from django.http import HttpResponse


def compliance_export(request, *args, **kwargs):
    return HttpResponse("Not built yet", status=501)


def compliance_overview(request, *args, **kwargs):
    return HttpResponse("Not built yet", status=501)
