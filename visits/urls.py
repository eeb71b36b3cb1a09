from django.urls import path

from visits.views import capture, report, visits
from visits.views import path as visit_path

app_name = "visits"

urlpatterns = [
    path("visits/", visits.visit_list, name="visit_list"),
    path("visits/new/", visits.visit_plan, name="visit_plan"),
    path("visits/<int:pk>/", visits.visit_detail, name="visit_detail"),
    path("visits/<int:pk>/history/", visits.visit_history, name="visit_history"),
    path("visits/<int:pk>/sections/<int:number>/", capture.section, name="section"),
    path("visits/<int:pk>/sections/<int:number>/autosave", capture.autosave, name="autosave"),
    path("visits/<int:pk>/submit/", visit_path.submit, name="submit"),
    path("visits/<int:pk>/return/", visit_path.return_to_draft, name="return_to_draft"),
    path("visits/<int:pk>/share/", visit_path.share, name="share"),
    path("visits/<int:pk>/finalise/", visit_path.finalise, name="finalise"),
    path("visits/<int:pk>/case-records/", visit_path.record_on_case_records, name="case_records"),
    path("visits/<int:pk>/commissioning/", visit_path.share_with_commissioning, name="commissioning"),
    path("visits/<int:pk>/report.pdf", report.report_pdf, name="report_pdf"),
]
