"""Who may use each page of the provider register, young people and imports (qa_portal.page_access).

The register is the council's: provider users see none of it (their own organisation's shared
reports and recommendations are elsewhere). Young people and placements are for the roles with the
young-person permission; concerns never reach a provider.
"""

from qa_portal.page_access import declare, roles, who
from qa_portal.roles import Role

# Everyone on the council's staff who holds providers.view_provider (qa_portal.roles).
REGISTER_READERS = roles(
    Role.SENIOR_LEADER,
    Role.QA_LEAD,
    Role.COMMISSIONING_OFFICER,
    Role.MANAGER,
    Role.SOCIAL_WORKER,
    Role.ADMINISTRATOR,
)
# Who keeps the register: commissioning, and administrators (who set providers up).
REGISTER_KEEPERS = roles(Role.COMMISSIONING_OFFICER, Role.ADMINISTRATOR)
YOUNG_PEOPLE_READERS = roles(Role.QA_LEAD, Role.COMMISSIONING_OFFICER, Role.SOCIAL_WORKER)


def _kept(name: str, *, on: str = "nothing", keepers=REGISTER_KEEPERS) -> None:
    """A form that changes the register: its keepers may, everyone else is refused (403)."""
    declare(name, on=on, get=who(ok=keepers), post=who(may=keepers))


declare("providers:provider_list", get=who(ok=REGISTER_READERS))
declare("providers:provider_export", args={"fmt": "csv"}, get=who(ok=REGISTER_READERS))
declare("providers:provider_detail", on="a provider", get=who(ok=REGISTER_READERS))
declare("providers:provider_settings", on="a provider", get=who(ok=REGISTER_READERS))
# Who changed what: the change-history permission (QA lead, administrator) or those who keep it.
declare(
    "providers:provider_history",
    on="a provider",
    get=who(ok=roles(Role.QA_LEAD, Role.COMMISSIONING_OFFICER, Role.ADMINISTRATOR)),
)
# The risk rating, its reasons and history: every reader; overridden by the QA lead and commissioning.
declare(
    "providers:risk_rating",
    on="a provider",
    get=who(ok=REGISTER_READERS),
    post=who(may=roles(Role.QA_LEAD, Role.COMMISSIONING_OFFICER)),
)
_kept("providers:provider_create")
_kept("providers:provider_edit", on="a provider")
_kept("providers:provider_status", on="a provider")
_kept("providers:setting_create", on="a provider")
_kept("providers:setting_edit", on="a setting")
_kept("providers:inspection_create", on="a provider")
_kept("providers:contact_create", on="a provider")
_kept("providers:contact_edit", on="a contact")

# Concerns: recorded by those who hear of them, kept by the QA lead and commissioning.
# Read by the staff who hold providers.view_concern (qa_portal.roles): never a provider.
CONCERN_READERS = roles(Role.SENIOR_LEADER, Role.QA_LEAD, Role.COMMISSIONING_OFFICER, Role.MANAGER, Role.SOCIAL_WORKER)
declare("providers:concern_list", get=who(ok=CONCERN_READERS))
CONCERN_RECORDERS = roles(Role.SENIOR_LEADER, Role.QA_LEAD, Role.COMMISSIONING_OFFICER, Role.SOCIAL_WORKER)
declare("providers:concern_create", on="a provider", get=who(ok=CONCERN_RECORDERS), post=who(may=CONCERN_RECORDERS))
_kept(
    "providers:concern_edit",
    on="a concern recorded by a social worker",
    keepers=roles(Role.QA_LEAD, Role.COMMISSIONING_OFFICER),
)
# Removed in error by the person who recorded it, or a QA lead (qa_portal.removal).
declare(
    "providers:concern_remove",
    on="a concern recorded by a social worker",
    get=who(ok=roles(Role.SOCIAL_WORKER, Role.QA_LEAD)),
    post=who(may=roles(Role.SOCIAL_WORKER, Role.QA_LEAD)),
)

declare("providers:young_person_list", get=who(ok=YOUNG_PEOPLE_READERS))
declare("providers:young_person_detail", on="a placed young person", get=who(ok=YOUNG_PEOPLE_READERS))
# A provider's active placements, in full (the provider page shows the first few): young people's initials.
declare("providers:provider_placements", on="a provider", get=who(ok=YOUNG_PEOPLE_READERS))
_kept("providers:young_person_create", keepers=roles(Role.COMMISSIONING_OFFICER))
_kept("providers:young_person_edit", on="a placed young person", keepers=roles(Role.COMMISSIONING_OFFICER))
# The QA lead records placements too, to confirm one despite a placement stop.
PLACEMENT_KEEPERS = roles(Role.QA_LEAD, Role.COMMISSIONING_OFFICER)
_kept("providers:placement_create", on="a placed young person", keepers=PLACEMENT_KEEPERS)
_kept("providers:placement_edit", on="a placement", keepers=PLACEMENT_KEEPERS)

# Imports: the commissioning team.
IMPORTERS = roles(Role.COMMISSIONING_OFFICER)
declare("providers:imports", get=who(ok=IMPORTERS))
declare("providers:import_upload", args={"kind": "ofsted"}, get=who(ok=IMPORTERS), post=who(may=IMPORTERS))
declare("providers:import_run", on="an import run", get=who(ok=IMPORTERS), post=who(may=IMPORTERS))

# Privacy (providers.privacy): the access log of a young person's record, the subject-access export
# and retention are the QA lead's (the permissions view_access_log, export_subject_access and
# anonymise_youngperson). A placed young person is never due to be anonymised: the QA lead is sent
# back to the retention review, and a post changes nothing.
_PRIVACY = roles(Role.QA_LEAD)
declare("providers:young_person_access_log", on="a placed young person", get=who(ok=_PRIVACY))
declare("providers:subject_access", on="a placed young person", get=who(ok=_PRIVACY))
declare("providers:subject_access_export", on="a placed young person", get=who(ok=_PRIVACY))
declare("providers:retention_review", get=who(ok=_PRIVACY))
declare(
    "providers:young_person_anonymise",
    on="a placed young person",
    get=who(redirect=_PRIVACY),
    post=who(redirect=_PRIVACY),
)
# A big import's progress, read by its page's script: those who import.
declare("providers:import_progress", on="an import run", get=who(ok=IMPORTERS))
