"""Who may use each page of a QA visit (qa_portal.page_access).

Council staff with visits.view_visit read every visit; senior leaders and the QA lead write drafts;
the QA lead shares and finalises. A provider user reads their own organisation's visits once the
report is shared with them, and nobody else's (a 404: they may not know it exists). Administrators
keep the visit template, not visits.
"""

from qa_portal.page_access import NOT_ALLOWED, OTHER_PROVIDER_USER, declare, roles, who
from qa_portal.roles import Role

VISIT_READERS = roles(Role.SENIOR_LEADER, Role.QA_LEAD, Role.COMMISSIONING_OFFICER, Role.MANAGER, Role.SOCIAL_WORKER)
VISIT_WRITERS = roles(Role.SENIOR_LEADER, Role.QA_LEAD)
QA_LEAD = roles(Role.QA_LEAD)
# Those who may not know of a visit: administrators hold no visit permission, provider users see
# only reports shared with their own organisation.
UNKNOWING = roles(Role.ADMINISTRATOR, Role.PROVIDER_USER, OTHER_PROVIDER_USER)
PROVIDER = roles(Role.PROVIDER_USER)
OTHER_PROVIDER = roles(OTHER_PROVIDER_USER)

declare("visits:visit_list", get=who(ok=VISIT_READERS | PROVIDER | OTHER_PROVIDER))
declare("visits:visit_plan", get=who(ok=VISIT_WRITERS), post=who(may=VISIT_WRITERS))
for _on in ("a draft visit", "a submitted visit"):
    declare("visits:visit_detail", on=_on, get=who(ok=VISIT_READERS, not_found=UNKNOWING))
declare("visits:report_pdf", on="a submitted visit", get=who(ok=VISIT_READERS, not_found=UNKNOWING))
declare(
    "visits:visit_detail",
    on="a shared with provider visit",
    get=who(ok=VISIT_READERS | PROVIDER, not_found=roles(Role.ADMINISTRATOR) | OTHER_PROVIDER),
)
declare(
    "visits:report_pdf",
    on="a shared with provider visit",
    get=who(ok=VISIT_READERS | PROVIDER, not_found=roles(Role.ADMINISTRATOR) | OTHER_PROVIDER),
)
# The change-history permission first (403), then the visit (404 for an administrator).
declare("visits:visit_history", on="a draft visit", get=who(ok=QA_LEAD, not_found=roles(Role.ADMINISTRATOR)))

# A section of the report: read by all who may see the visit, written by senior leaders and the
# QA lead while it is a draft; the others who may see it are refused (403).
declare(
    "visits:section",
    on="a draft visit",
    args={"number": "1"},
    get=who(ok=VISIT_READERS, not_found=UNKNOWING),
    post=who(may=VISIT_WRITERS, not_found=UNKNOWING),
)
declare(
    "visits:section",
    on="a shared with provider visit",
    args={"number": "1"},
    get=who(ok=VISIT_READERS | PROVIDER, not_found=roles(Role.ADMINISTRATOR) | OTHER_PROVIDER),
    post=who(not_found=roles(Role.ADMINISTRATOR) | OTHER_PROVIDER),
)
declare(
    "visits:autosave",
    on="a draft visit",
    args={"number": "1"},
    get=who(others=NOT_ALLOWED),
    post=who(may=VISIT_WRITERS, not_found=UNKNOWING),
)

# Submitting: the check-your-answers page, then its button, for those who write drafts; the others
# who may see the visit are refused (403). Once submitted, the page sends them to the visit.
declare(
    "visits:submit",
    on="a draft visit",
    get=who(ok=VISIT_WRITERS, not_found=UNKNOWING),
    post=who(may=VISIT_WRITERS, not_found=UNKNOWING),
)
declare(
    "visits:submit",
    on="a submitted visit",
    get=who(redirect=VISIT_READERS, not_found=UNKNOWING),
    post=who(not_found=UNKNOWING),
)
declare("visits:return_to_draft", on="a submitted visit", get=who(ok=QA_LEAD), post=who(may=QA_LEAD))
# Sharing with the provider: the page showing what they will receive, then its confirmation, for the
# QA lead alone (the permission is checked first: 403 for everyone else, whatever the visit).
declare("visits:share", on="a submitted visit", get=who(ok=QA_LEAD), post=who(may=QA_LEAD))
declare("visits:share", on="a shared with provider visit", get=who(redirect=QA_LEAD), post=who(redirect=QA_LEAD))
# The other steps of the path: each a button (POST only), each for those who take it.
declare("visits:finalise", on="a provider responded visit", get=who(others=NOT_ALLOWED), post=who(may=QA_LEAD))
declare("visits:commissioning", on="a finalised visit", get=who(others=NOT_ALLOWED), post=who(may=QA_LEAD))

# Case-record notes (issue 17): read by the staff who may see young people's records; marked as recorded
# by the QA lead. Senior leaders and managers are refused (403), and so is the provider's own user, who
# may see the report but never a note; whoever may not know of the visit finds nothing (404).
NOTE_READERS = roles(Role.QA_LEAD, Role.COMMISSIONING_OFFICER, Role.SOCIAL_WORKER)
declare(
    "visits:case_record_notes",
    on="a finalised visit",
    get=who(ok=NOTE_READERS, not_found=roles(Role.ADMINISTRATOR) | OTHER_PROVIDER),
)
declare(
    "visits:case_record_note_download",
    on="a young person met on a finalised visit",
    get=who(ok=NOTE_READERS, not_found=roles(Role.ADMINISTRATOR) | OTHER_PROVIDER),
)
declare(
    "visits:case_record_note_recorded",
    on="a young person met on a finalised visit",
    get=who(others=NOT_ALLOWED),
    post=who(may=QA_LEAD, not_found=roles(Role.ADMINISTRATOR) | OTHER_PROVIDER),
)

# The visit template is the administrators' (DOMAIN.md), edited in the portal (visits.views.template_editor):
# everyone else is refused every page of it. Only the draft changes; the published version is read,
# previewed, and copied into a new draft.
ADMINISTRATOR = roles(Role.ADMINISTRATOR)
PUBLISHED_TEMPLATE = "the published visit template"
DRAFT_TEMPLATE = "the draft visit template"
DRAFT_SECTION = "a section of the draft visit template"
DRAFT_QUESTION = "a question of the draft visit template"
PUBLISHED_SECTION = "a section of the published visit template"
PUBLISHED_QUESTION = "a question of the published visit template"

declare("visits:template_list", get=who(ok=ADMINISTRATOR))
declare("visits:template_start_draft", get=who(others=NOT_ALLOWED), post=who(may=ADMINISTRATOR))
for _on in (PUBLISHED_TEMPLATE, DRAFT_TEMPLATE):
    declare("visits:template_version", on=_on, get=who(ok=ADMINISTRATOR))
    declare("visits:template_preview", on=_on, args={"number": "3"}, get=who(ok=ADMINISTRATOR))
# Changing the draft: opened and posted by administrators only.
for _name, _on in (
    ("visits:template_publish", DRAFT_TEMPLATE),
    ("visits:template_discard", DRAFT_TEMPLATE),
    ("visits:template_section_add", DRAFT_TEMPLATE),
    ("visits:template_section_edit", DRAFT_SECTION),
    ("visits:template_section_remove", DRAFT_SECTION),
    ("visits:template_question_add", DRAFT_SECTION),
    ("visits:template_question_edit", DRAFT_QUESTION),
    ("visits:template_question_remove", DRAFT_QUESTION),
):
    declare(_name, on=_on, get=who(ok=ADMINISTRATOR), post=who(may=ADMINISTRATOR))
for _name, _on in (("visits:template_section_move", DRAFT_SECTION), ("visits:template_question_move", DRAFT_QUESTION)):
    declare(_name, on=_on, get=who(others=NOT_ALLOWED), post=who(may=ADMINISTRATOR))
# The published version, and its sections and questions, are never changed, by anyone.
for _name, _on in (
    ("visits:template_publish", PUBLISHED_TEMPLATE),
    ("visits:template_discard", PUBLISHED_TEMPLATE),
    ("visits:template_section_add", PUBLISHED_TEMPLATE),
    ("visits:template_section_edit", PUBLISHED_SECTION),
    ("visits:template_section_remove", PUBLISHED_SECTION),
    ("visits:template_question_add", PUBLISHED_SECTION),
    ("visits:template_question_edit", PUBLISHED_QUESTION),
    ("visits:template_question_remove", PUBLISHED_QUESTION),
):
    declare(_name, on=_on, get=who(), post=who())
for _name, _on in (
    ("visits:template_section_move", PUBLISHED_SECTION),
    ("visits:template_question_move", PUBLISHED_QUESTION),
):
    declare(_name, on=_on, get=who(others=NOT_ALLOWED), post=who())
