"""The committee pack's pages. Included from qa_portal/reporting/urls.py under committee/."""

from django.urls import path

from qa_portal.reporting.views import committee

app_name = "committee"

urlpatterns = [
    path("", committee.report_list, name="report_list"),
    path("new/", committee.report_create, name="report_create"),
    path("<int:pk>/", committee.report_detail, name="report_detail"),
    path("<int:pk>/period/", committee.report_period, name="report_period"),
    path("<int:pk>/visits/", committee.report_visits, name="report_visits"),
    path("<int:pk>/meetings/", committee.report_meetings, name="report_meetings"),
    path("<int:pk>/generate/", committee.pack_generate, name="pack_generate"),
    path("<int:pk>/versions/<int:version_pk>/pack.pdf", committee.version_download, name="version_download"),
    path("<int:pk>/versions/<int:version_pk>/progress/", committee.version_progress, name="version_progress"),
    path("<int:pk>/versions/<int:version_pk>/send-again/", committee.version_resend, name="version_resend"),
]
