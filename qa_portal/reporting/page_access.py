"""Who may use each page of the top floor: home pages, the jobs page and the committee pack
(qa_portal.page_access)."""

from qa_portal.page_access import EVERYONE, NOT_ALLOWED, declare, roles, who
from qa_portal.roles import Role

declare("home", get=who(ok=EVERYONE))

# The jobs page: those who look after the service. Sending a failed email again: administrators.
declare("jobs", get=who(ok=roles(Role.QA_LEAD, Role.ADMINISTRATOR)))
declare(
    "email_send_again",
    on="a failed email to the QA lead",
    get=who(others=NOT_ALLOWED),
    post=who(may=roles(Role.ADMINISTRATOR)),
)

# The committee pack: managers and the QA lead (reporting.view_committee_pack); never providers.
PACK_MAKERS = roles(Role.MANAGER, Role.QA_LEAD)
declare("committee:report_list", get=who(ok=PACK_MAKERS))
declare("committee:report_create", get=who(ok=PACK_MAKERS), post=who(may=PACK_MAKERS))
declare("committee:report_detail", on="a committee report", get=who(ok=PACK_MAKERS), post=who(may=PACK_MAKERS))
declare("committee:pack_generate", on="a committee report", get=who(others=NOT_ALLOWED), post=who(may=PACK_MAKERS))
declare("committee:version_download", on="a committee pack version", get=who(ok=PACK_MAKERS))
declare("committee:version_progress", on="a committee pack version", get=who(ok=PACK_MAKERS))
declare(
    "committee:version_resend",
    on="a committee pack version",
    get=who(others=NOT_ALLOWED),
    post=who(may=PACK_MAKERS),
)
# Correcting a stored period that cannot be counted (qa_portal.dates): those who make the pack.
declare("committee:report_period", on="a committee report", get=who(ok=PACK_MAKERS), post=who(may=PACK_MAKERS))
