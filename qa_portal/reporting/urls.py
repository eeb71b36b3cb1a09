"""The top floor's pages: home, the jobs page, the visit programme (under visits/, beside the visit list
in the navigation) and (under committee/) the committee pack.
Included from qa_portal/urls.py."""

from django.urls import include, path

from qa_portal.reporting.views import home, jobs, programme

urlpatterns = [
    path("", home.home, name="home"),
    path("jobs/", jobs.jobs, name="jobs"),
    path("jobs/emails/<int:pk>/send-again/", jobs.send_again, name="email_send_again"),
    path("visits/next/", programme.visit_next_list, name="visit_next"),
    path("visits/programme/", programme.programme, name="visit_programme"),
    path("committee/", include("qa_portal.reporting.committee_urls")),
]
