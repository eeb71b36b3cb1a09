"""(being written)"""

from django.http import HttpResponse


def meeting_agenda_pdf(request, *args, **kwargs):
    return HttpResponse("Not built yet", status=501)


def meeting_detail(request, *args, **kwargs):
    return HttpResponse("Not built yet", status=501)


def meeting_history(request, *args, **kwargs):
    return HttpResponse("Not built yet", status=501)


def meeting_list(request, *args, **kwargs):
    return HttpResponse("Not built yet", status=501)


def meeting_prepare(request, *args, **kwargs):
    return HttpResponse("Not built yet", status=501)


def meeting_recommendation_create(request, *args, **kwargs):
    return HttpResponse("Not built yet", status=501)


def meeting_record(request, *args, **kwargs):
    return HttpResponse("Not built yet", status=501)


def meeting_schedule(request, *args, **kwargs):
    return HttpResponse("Not built yet", status=501)
