"""(being written)"""

from django.http import HttpResponse


def meeting_mode(request, *args, **kwargs):
    return HttpResponse("Not built yet", status=501)


def my_actions(request, *args, **kwargs):
    return HttpResponse("Not built yet", status=501)


def provider_recommendation_update(request, *args, **kwargs):
    return HttpResponse("Not built yet", status=501)


def provider_recommendations(request, *args, **kwargs):
    return HttpResponse("Not built yet", status=501)


def recommendation_complete(request, *args, **kwargs):
    return HttpResponse("Not built yet", status=501)


def recommendation_create(request, *args, **kwargs):
    return HttpResponse("Not built yet", status=501)


def recommendation_detail(request, *args, **kwargs):
    return HttpResponse("Not built yet", status=501)


def recommendation_not_accepted(request, *args, **kwargs):
    return HttpResponse("Not built yet", status=501)


def recommendation_progress(request, *args, **kwargs):
    return HttpResponse("Not built yet", status=501)


def tracker(request, *args, **kwargs):
    return HttpResponse("Not built yet", status=501)


def tracker_export(request, *args, **kwargs):
    return HttpResponse("Not built yet", status=501)
