from django.urls import path

from providers.views import concerns, editing, imports, privacy, register, risk, young_people

app_name = "providers"

urlpatterns = [
    path("providers/", register.provider_list, name="provider_list"),
    path("providers/export.<str:fmt>", register.provider_export, name="provider_export"),
    path("providers/new/", editing.provider_create, name="provider_create"),
    path("providers/<int:pk>/", register.provider_detail, name="provider_detail"),
    path("providers/<int:pk>/placements/", register.provider_placements, name="provider_placements"),
    path("providers/<int:pk>/settings/", register.provider_settings, name="provider_settings"),
    path("providers/<int:pk>/edit/", editing.provider_edit, name="provider_edit"),
    path("providers/<int:pk>/status/", editing.provider_status, name="provider_status"),
    path("providers/<int:pk>/risk-rating/", risk.risk_rating, name="risk_rating"),
    path("providers/<int:pk>/history/", register.provider_history, name="provider_history"),
    path("providers/<int:pk>/settings/new/", editing.setting_create, name="setting_create"),
    path("settings/<int:pk>/edit/", editing.setting_edit, name="setting_edit"),
    path("providers/<int:pk>/inspections/new/", editing.inspection_create, name="inspection_create"),
    path("providers/<int:pk>/contacts/new/", editing.contact_create, name="contact_create"),
    path("contacts/<int:pk>/edit/", editing.contact_edit, name="contact_edit"),
    path("concerns/", concerns.concern_list, name="concern_list"),
    path("providers/<int:pk>/concerns/new/", editing.concern_create, name="concern_create"),
    path("concerns/<int:pk>/edit/", editing.concern_edit, name="concern_edit"),
    path("concerns/<int:pk>/remove/", editing.concern_remove, name="concern_remove"),
    path("young-people/", young_people.young_person_list, name="young_person_list"),
    path("young-people/new/", young_people.young_person_create, name="young_person_create"),
    path("young-people/<int:pk>/", young_people.young_person_detail, name="young_person_detail"),
    path("young-people/<int:pk>/edit/", young_people.young_person_edit, name="young_person_edit"),
    path("young-people/<int:pk>/access-log/", privacy.young_person_access_log, name="young_person_access_log"),
    path("young-people/<int:pk>/subject-access/", privacy.subject_access, name="subject_access"),
    path("young-people/<int:pk>/subject-access.zip", privacy.subject_access_export, name="subject_access_export"),
    path("young-people/<int:pk>/anonymise/", privacy.young_person_anonymise_view, name="young_person_anonymise"),
    path("young-people/retention/", privacy.retention_review, name="retention_review"),
    path("young-people/<int:pk>/placements/new/", young_people.placement_create, name="placement_create"),
    path("placements/<int:pk>/edit/", young_people.placement_edit, name="placement_edit"),
    path("imports/", imports.imports, name="imports"),
    path("imports/<str:kind>/new/", imports.import_upload, name="import_upload"),
    path("imports/<int:pk>/", imports.import_run, name="import_run"),
    path("imports/<int:pk>/progress/", imports.import_progress, name="import_progress"),
]
