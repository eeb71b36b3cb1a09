"""Who may use each page of the tracker, recommendations and review meetings (qa_portal.page_access).

Recommendations: council staff with reviews.view_recommendation read the tracker; senior leaders,
the QA lead and commissioning officers raise and change them; social workers record progress on the
actions flagged to them. A provider user answers only the recommendations addressed to their
organisation, from a visit report shared with them, on their own page ("Your recommendations"); a
recommendation raised from a concern, from a review meeting or about the authority's own service is
never shown to a provider (issue 13): for them it does not exist (404).

Review meetings are the council's own record: commissioning officers run them, the other staff who
hold reviews.view_reviewmeeting read them, and providers never see them.
"""

from qa_portal.page_access import (
    FORBIDDEN,
    NOT_ALLOWED,
    OTHER_PROVIDER_USER,
    PROVIDER_USERS,
    REDIRECT,
    STAFF,
    declare,
    declare_admin,
    roles,
    who,
)
from qa_portal.roles import Role

TRACKER_READERS = roles(Role.SENIOR_LEADER, Role.QA_LEAD, Role.COMMISSIONING_OFFICER, Role.MANAGER, Role.SOCIAL_WORKER)
CHANGERS = roles(Role.SENIOR_LEADER, Role.QA_LEAD, Role.COMMISSIONING_OFFICER)
VISIT_WRITERS = roles(Role.SENIOR_LEADER, Role.QA_LEAD)
PROVIDER = roles(Role.PROVIDER_USER)
OTHER_PROVIDER = roles(OTHER_PROVIDER_USER)
ADMINISTRATOR = roles(Role.ADMINISTRATOR)

# Raised in a visit while it is a draft.
declare(
    "reviews:visit_recommendation_create",
    on="a draft visit",
    get=who(ok=VISIT_WRITERS),
    post=who(may=VISIT_WRITERS),
)
declare(
    "reviews:recommendation_edit",
    on="a recommendation from a draft visit",
    get=who(ok=VISIT_WRITERS),
    post=who(may=VISIT_WRITERS),
)
# The provider's response to a report shared with them: not found before it is shared, closed (sent
# back to the report) once it is finalised.
declare(
    "reviews:visit_respond",
    on="a shared with provider visit",
    get=who(ok=PROVIDER, not_found=OTHER_PROVIDER),
    post=who(may=PROVIDER, not_found=OTHER_PROVIDER),
)
declare(
    "reviews:visit_respond",
    on="a submitted visit",
    get=who(not_found=PROVIDER_USERS),
    post=who(not_found=PROVIDER_USERS),
)
declare(
    "reviews:visit_respond",
    on="a finalised visit",
    get=who(redirect=PROVIDER, not_found=OTHER_PROVIDER),
    post=who(redirect=PROVIDER, not_found=OTHER_PROVIDER),
)

declare("reviews:tracker", get=who(ok=TRACKER_READERS))
declare("reviews:tracker_export", args={"fmt": "csv"}, get=who(ok=TRACKER_READERS))
declare(
    "reviews:tracker_meeting",
    on="a recommendation from a shared visit",
    fields=("recommendation",),
    get=who(ok=TRACKER_READERS),
    post=who(may=CHANGERS),
)
declare("reviews:recommendation_create", get=who(ok=CHANGERS), post=who(may=CHANGERS))
# Everyone's own list of what is flagged to them; a provider user is sent to theirs.
declare("reviews:my_actions", get=who(ok=STAFF, redirect=PROVIDER_USERS))


def _recommendation_pages(on: str, *, provider_knows: bool) -> None:
    """The staff pages of one recommendation. A provider user is refused them (403) when the
    recommendation is addressed to their organisation, and does not find it (404) otherwise."""
    unknowing = OTHER_PROVIDER if provider_knows else PROVIDER_USERS
    declare("reviews:recommendation_detail", on=on, get=who(ok=TRACKER_READERS, not_found=unknowing))
    for step in ("recommendation_complete", "recommendation_not_accepted", "recommendation_progress"):
        declare(
            f"reviews:{step}",
            on=on,
            get=who(ok=CHANGERS, not_found=unknowing),
            post=who(may=CHANGERS, not_found=unknowing),
        )
    # Removed in error by the person who raised it (a senior leader here) or a QA lead.
    remover = roles(Role.SENIOR_LEADER, Role.QA_LEAD)
    declare(
        "reviews:recommendation_remove",
        on=on,
        get=who(ok=remover, not_found=unknowing),
        post=who(may=remover, not_found=unknowing),
    )
    # The provider's own page of it.
    if provider_knows:
        declare(
            "reviews:provider_recommendation_update",
            on=on,
            get=who(ok=PROVIDER, not_found=OTHER_PROVIDER),
            post=who(may=PROVIDER, not_found=OTHER_PROVIDER),
        )
    else:
        declare(
            "reviews:provider_recommendation_update",
            on=on,
            get=who(not_found=PROVIDER_USERS),
            post=who(not_found=PROVIDER_USERS),
        )


_recommendation_pages("a recommendation from a shared visit", provider_knows=True)
_recommendation_pages("a recommendation from a draft visit", provider_knows=False)
# Issue 13: never shown to a provider. Until reviews.access says so (the `scope` branch), a provider
# user finds these (403 on the staff pages, their own page shown): the test lists them in KNOWN.
_recommendation_pages("a recommendation from a concern", provider_knows=False)
_recommendation_pages("a recommendation from a review meeting", provider_knows=False)
_recommendation_pages("a recommendation on the authority's own service", provider_knows=False)
_recommendation_pages("a recommendation on the authority's own service from a shared visit", provider_knows=False)
# A social worker records progress on the actions flagged to them (a child of theirs).
declare(
    "reviews:recommendation_progress",
    on="a child-level recommendation from a shared visit",
    get=who(ok=CHANGERS | roles(Role.SOCIAL_WORKER), not_found=OTHER_PROVIDER),
    post=who(may=CHANGERS | roles(Role.SOCIAL_WORKER), not_found=OTHER_PROVIDER),
)
declare(
    "reviews:progress_remove",
    on="a progress note",
    get=who(ok=roles(Role.SENIOR_LEADER, Role.QA_LEAD), not_found=OTHER_PROVIDER),
    post=who(may=roles(Role.SENIOR_LEADER, Role.QA_LEAD), not_found=OTHER_PROVIDER),
)
declare("reviews:provider_recommendations", get=who(ok=PROVIDER_USERS))

# Review meetings. Those who may not know of one (a 404): administrators and provider users.
MEETING_READERS = TRACKER_READERS
COMMISSIONING = roles(Role.COMMISSIONING_OFFICER)
UNKNOWING = ADMINISTRATOR | PROVIDER_USERS
declare("reviews:meeting_list", get=who(ok=MEETING_READERS))
declare("reviews:meeting_schedule", get=who(ok=COMMISSIONING), post=who(may=COMMISSIONING))
for _on in ("a scheduled review meeting", "a held review meeting"):
    declare("reviews:meeting_detail", on=_on, get=who(ok=MEETING_READERS, not_found=UNKNOWING))
declare("reviews:meeting_prepare", on="a scheduled review meeting", get=who(ok=MEETING_READERS, not_found=UNKNOWING))
declare("reviews:meeting_agenda_pdf", on="a scheduled review meeting", get=who(ok=MEETING_READERS, not_found=UNKNOWING))
declare("reviews:meeting_history", on="a held review meeting", get=who(ok=roles(Role.QA_LEAD), not_found=UNKNOWING))
for _name in ("reviews:meeting_book", "reviews:meeting_cancel"):
    declare(_name, on="a scheduled review meeting", get=who(ok=COMMISSIONING), post=who(may=COMMISSIONING))
declare(
    "reviews:meeting_record",
    on="a scheduled review meeting",
    get=who(ok=COMMISSIONING, not_found=UNKNOWING),
    post=who(may=COMMISSIONING, not_found=UNKNOWING),
)
# Once held, recording it again only says so.
declare(
    "reviews:meeting_record",
    on="a held review meeting",
    get=who(redirect=COMMISSIONING, not_found=UNKNOWING),
    post=who(may=COMMISSIONING, not_found=UNKNOWING),
)
declare(
    "reviews:meeting_recommendation_create",
    on="a held review meeting",
    get=who(ok=COMMISSIONING, not_found=UNKNOWING),
    post=who(may=COMMISSIONING, not_found=UNKNOWING),
)
# Case-record notes of a held meeting (issue 17): read by the staff who may see young people's records,
# marked as recorded by commissioning officers, who record the outcomes.
NOTE_READERS = roles(Role.QA_LEAD, Role.COMMISSIONING_OFFICER, Role.SOCIAL_WORKER)
declare("reviews:meeting_case_record_notes", on="a held review meeting", get=who(ok=NOTE_READERS, not_found=UNKNOWING))
declare(
    "reviews:meeting_case_record_note_download",
    on="a young person's outcome for the case record at a held review meeting",
    get=who(ok=NOTE_READERS, not_found=UNKNOWING),
)
declare(
    "reviews:meeting_case_record_note_recorded",
    on="a young person's outcome for the case record at a held review meeting",
    get=who(others=NOT_ALLOWED),
    post=who(may=COMMISSIONING, not_found=UNKNOWING),
)
declare("reviews:compliance_overview", get=who(ok=MEETING_READERS))
declare("reviews:compliance_export", args={"fmt": "csv"}, get=who(ok=MEETING_READERS))

# The review cadence's thresholds: one row, changed by administrators in the admin.
declare_admin(
    "reviews_cadencethresholds",
    on="admin:reviews_cadencethresholds",
    changelist=REDIRECT,
    add=FORBIDDEN,
    delete=FORBIDDEN,
)

# The risk rating's rules: a row each, changed by administrators in the admin, never added or deleted.
declare_admin("reviews_riskrule", on="admin:reviews_riskrule", add=FORBIDDEN, delete=FORBIDDEN)

# Sharing a recommendation with its provider (reviews.share_recommendation): the QA lead and
# commissioning officers; everyone else is refused before the recommendation is looked up (403).
SHARERS = roles(Role.QA_LEAD, Role.COMMISSIONING_OFFICER)
declare(
    "reviews:recommendation_share",
    on="a recommendation from a review meeting",
    get=who(ok=SHARERS),
    post=who(may=SHARERS),
)

# Providers' action plans (issue 16). The QA lead and commissioning officers ask for them, accept,
# return and re-check them; senior leaders and managers read them; the provider's own users write
# theirs; another provider's user finds none of ours (404); social workers and administrators are
# refused (403).
PLAN_READERS = roles(Role.SENIOR_LEADER, Role.QA_LEAD, Role.COMMISSIONING_OFFICER, Role.MANAGER)
PLAN_REVIEWERS = roles(Role.QA_LEAD, Role.COMMISSIONING_OFFICER)
declare("reviews:action_plan_list", get=who(ok=PLAN_READERS, redirect=PROVIDER_USERS))
declare("reviews:provider_action_plans", get=who(ok=PROVIDER_USERS))
declare(
    "reviews:action_plan_request",
    on="a provider",
    get=who(ok=PLAN_REVIEWERS),
    post=who(may=PLAN_REVIEWERS),
)
for _on in ("a requested action plan", "a submitted action plan", "an accepted action plan"):
    declare("reviews:action_plan_detail", on=_on, get=who(ok=PLAN_READERS | PROVIDER, not_found=OTHER_PROVIDER))
# The provider writes its actions while the plan is with it.
declare(
    "reviews:plan_action_add",
    on="a requested action plan",
    get=who(ok=PROVIDER, not_found=OTHER_PROVIDER),
    post=who(may=PROVIDER, not_found=OTHER_PROVIDER),
)
declare(
    "reviews:plan_action_edit",
    on="an action of a requested action plan",
    get=who(ok=PROVIDER, not_found=OTHER_PROVIDER),
    post=who(may=PROVIDER, not_found=OTHER_PROVIDER),
)
for _name, _on in (
    ("reviews:plan_action_remove", "an action of a requested action plan"),
    ("reviews:action_plan_submit", "a requested action plan"),
):
    declare(
        _name,
        on=_on,
        get=who(others=NOT_ALLOWED),
        post=who(may=PROVIDER, not_found=OTHER_PROVIDER),
    )
# The council's steps: on a submitted plan, accept or return it; on an accepted one, re-check it.
for _name, _on in (
    ("reviews:action_plan_return", "a submitted action plan"),
    ("reviews:action_plan_accept", "a submitted action plan"),
    ("reviews:action_plan_recheck", "an accepted action plan"),
):
    declare(
        _name,
        on=_on,
        get=who(ok=PLAN_REVIEWERS, not_found=OTHER_PROVIDER),
        post=who(may=PLAN_REVIEWERS, not_found=OTHER_PROVIDER),
    )

# The response to an Inadequate judgement (issue 16): the council's own record. Council staff read it
# (the children's decisions only those who see young people); the QA lead, commissioning officers and
# the child's own social worker record a decision; a provider user finds none (404), the own provider's
# included: the children's decisions are not theirs to see.
RESPONSE_READERS = roles(Role.SENIOR_LEADER, Role.QA_LEAD, Role.COMMISSIONING_OFFICER, Role.MANAGER, Role.SOCIAL_WORKER)
DECISION_RECORDERS = roles(Role.QA_LEAD, Role.COMMISSIONING_OFFICER, Role.SOCIAL_WORKER)
declare("reviews:inadequate_response_list", get=who(ok=RESPONSE_READERS, not_found=PROVIDER_USERS))
declare(
    "reviews:inadequate_response",
    on="an Inadequate response",
    get=who(ok=RESPONSE_READERS, not_found=PROVIDER_USERS),
)
declare(
    "reviews:safe_to_remain",
    on="a safe to remain decision",
    get=who(ok=DECISION_RECORDERS, not_found=PROVIDER_USERS),
    post=who(may=DECISION_RECORDERS, not_found=PROVIDER_USERS),
)

# "You said, we did" (issue 17). What young people asked for is marked on a draft visit by its writers;
# those who may see the visit but not change it are refused (403), those who may not know of it get a
# 404 (a provider user never sees the marks themselves, only the pairs addressed to them).
UNKNOWING_OF_VISITS = ADMINISTRATOR | PROVIDER | OTHER_PROVIDER
declare(
    "reviews:you_said_add",
    on="a draft visit",
    get=who(ok=VISIT_WRITERS, not_found=UNKNOWING_OF_VISITS),
    post=who(may=VISIT_WRITERS, not_found=UNKNOWING_OF_VISITS),
)
for _name in ("reviews:you_said_edit", "reviews:you_said_remove"):
    declare(
        _name,
        on="a mark of what a young person asked for on a draft visit",
        get=who(ok=VISIT_WRITERS, not_found=UNKNOWING_OF_VISITS),
        post=who(may=VISIT_WRITERS, not_found=UNKNOWING_OF_VISITS),
    )
# The lists name no young person: the tracker's readers, and provider users (their own organisation's).
declare("reviews:you_said_list", get=who(ok=TRACKER_READERS | PROVIDER_USERS))
declare(
    "reviews:provider_you_said",
    on="a provider",
    get=who(ok=TRACKER_READERS | PROVIDER, not_found=OTHER_PROVIDER),
)
# The letter names its young person: for those who may see the young people met (a manager reads the
# visit without them: 403), never a provider user.
declare(
    "reviews:you_said_letter",
    on="a young person met on a draft visit",
    get=who(
        ok=roles(Role.SENIOR_LEADER, Role.QA_LEAD, Role.COMMISSIONING_OFFICER, Role.SOCIAL_WORKER),
        not_found=UNKNOWING_OF_VISITS,
    ),
)
