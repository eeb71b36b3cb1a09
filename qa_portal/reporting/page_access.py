"""Who may use each page of the top floor: home pages, the jobs page and the committee pack
(qa_portal.page_access)."""

from qa_portal.page_access import (
    EVERYONE,
    FORBIDDEN,
    NOT_ALLOWED,
    REDIRECT,
    declare,
    declare_admin,
    roles,
    who,
)
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

# The visit programme (issue 17): which provider to visit next, for those who choose and make visits;
# the year's programme for them and managers. Never provider users.
declare("visit_next", get=who(ok=roles(Role.QA_LEAD, Role.SENIOR_LEADER)))
declare("visit_programme", get=who(ok=roles(Role.QA_LEAD, Role.SENIOR_LEADER, Role.MANAGER)))
# Its weights: one row, changed by administrators in the admin (as the review cadence's thresholds).
declare_admin(
    "reporting_visitnextweights",
    on="admin:reporting_visitnextweights",
    changelist=REDIRECT,
    add=FORBIDDEN,
    delete=FORBIDDEN,
)

# The committee pack: managers and the QA lead (reporting.view_committee_pack); never providers.
PACK_MAKERS = roles(Role.MANAGER, Role.QA_LEAD)
declare("committee:report_list", get=who(ok=PACK_MAKERS))
declare("committee:report_create", get=who(ok=PACK_MAKERS), post=who(may=PACK_MAKERS))
declare("committee:report_detail", on="a committee report", get=who(ok=PACK_MAKERS), post=who(may=PACK_MAKERS))
# The report's visits and meetings, a page at a time (issue 15): read by those who make the pack.
declare("committee:report_visits", on="a committee report", get=who(ok=PACK_MAKERS))
declare("committee:report_meetings", on="a committee report", get=who(ok=PACK_MAKERS))
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
