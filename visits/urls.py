from django.urls import path

from visits.views import capture, case_record_notes, report, template_editor, visits
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
    # One note per young person met, for their case record (issue 17: visits.case_record_notes).
    path("visits/<int:pk>/case-record-notes/", case_record_notes.case_record_notes, name="case_record_notes"),
    path(
        "visits/<int:pk>/case-record-notes/<int:young_person_pk>/note.txt",
        case_record_notes.case_record_note_download,
        name="case_record_note_download",
    ),
    path(
        "visits/<int:pk>/case-record-notes/<int:young_person_pk>/recorded/",
        case_record_notes.case_record_note_recorded,
        name="case_record_note_recorded",
    ),
    path("visits/<int:pk>/commissioning/", visit_path.share_with_commissioning, name="commissioning"),
    path("visits/<int:pk>/report.pdf", report.report_pdf, name="report_pdf"),
    # The visit template editor (visits.views.template_editor).
    path("visit-template/", template_editor.template_list, name="template_list"),
    path("visit-template/new-draft/", template_editor.template_start_draft, name="template_start_draft"),
    path("visit-template/<int:pk>/", template_editor.template_version, name="template_version"),
    path("visit-template/<int:pk>/preview/<int:number>/", template_editor.template_preview, name="template_preview"),
    path("visit-template/<int:pk>/publish/", template_editor.template_publish, name="template_publish"),
    path("visit-template/<int:pk>/discard/", template_editor.template_discard, name="template_discard"),
    path("visit-template/<int:pk>/sections/new/", template_editor.section_add, name="template_section_add"),
    path("visit-template/sections/<int:pk>/", template_editor.section_edit, name="template_section_edit"),
    path("visit-template/sections/<int:pk>/remove/", template_editor.section_remove, name="template_section_remove"),
    path("visit-template/sections/<int:pk>/move/", template_editor.section_move, name="template_section_move"),
    path("visit-template/sections/<int:pk>/questions/new/", template_editor.question_add, name="template_question_add"),
    path("visit-template/questions/<int:pk>/", template_editor.question_edit, name="template_question_edit"),
    path("visit-template/questions/<int:pk>/remove/", template_editor.question_remove, name="template_question_remove"),
    path("visit-template/questions/<int:pk>/move/", template_editor.question_move, name="template_question_move"),
]
