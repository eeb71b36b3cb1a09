"""Who may see and change records in the provider register.

Provider users see only their own organisation. Young people and placements are for
the roles that hold the young-person permission (QA lead, commissioning, social workers), and so is
any sight of a young person elsewhere: initials, age or notes on a page, in a PDF or a select box
(`may_see_young_people`).
Who changed what in the register is for the QA lead and administrators, and for those who
keep that part of the register (`may_see_history`).
"""

from providers.models import (
    Concern,
    Contact,
    ImportRun,
    OfstedInspection,
    Placement,
    Provider,
    Setting,
    YoungPerson,
    YoungPersonAnonymisation,
)
from qa_portal import access
from qa_portal.roles import Role


def _provider_scoped(perm: str, provider_path: str | None):
    """Visible with `perm`; a provider user sees only rows of their own provider."""

    def visible(user, queryset):
        if user.has_role(Role.PROVIDER_USER):
            if provider_path is None:
                return queryset.none()
            return queryset.filter(**{provider_path: user.provider_id})
        return queryset if user.has_perm(perm) else queryset.none()

    return visible


def _can(perm: str):
    return lambda user, obj: user.has_perm(perm)


access.register(
    Provider, visible=_provider_scoped("providers.view_provider", "pk"), can_change=_can("providers.change_provider")
)
access.register(
    Setting, visible=_provider_scoped("providers.view_setting", "provider"), can_change=_can("providers.change_setting")
)
access.register(
    OfstedInspection,
    visible=_provider_scoped("providers.view_ofstedinspection", "provider"),
    can_change=_can("providers.change_ofstedinspection"),
)
access.register(
    Contact, visible=_provider_scoped("providers.view_contact", "provider"), can_change=_can("providers.change_contact")
)
# Intelligence about a provider is never shown to that provider.
access.register(
    Concern, visible=_provider_scoped("providers.view_concern", None), can_change=_can("providers.change_concern")
)
access.register(
    YoungPerson,
    visible=_provider_scoped("providers.view_youngperson", None),
    can_change=_can("providers.change_youngperson"),
)
access.register(
    Placement,
    visible=_provider_scoped("providers.view_placement", None),
    can_change=_can("providers.change_placement"),
)


# The young-person permission: who may see young people, wherever they appear (issue 13).
YOUNG_PERSON_PERMISSION = "providers.view_youngperson"


def may_see_young_people(user) -> bool:
    """Whether `user` may see young people (initials, age, cohort, notes about them) on any page, PDF,
    download or select box: the roles with the young-person permission (the QA lead, commissioning
    officers, social workers). A provider user sees those named on records addressed to their own
    organisation (a shared visit report, a recommendation shared with them), which are the only
    records of young people they can reach. Managers, senior leaders and administrators do not:
    pages show them a sentence saying so, or a count. (Within one visit, its visitors see the young
    people they met: visits.access.may_see_young_people_met.) Templates read it as
    `young_people_shown`, from providers.context_processors on pages and given by the view to PDFs."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    return user.has_role(Role.PROVIDER_USER) or user.has_perm(YOUNG_PERSON_PERMISSION)


# The base's own pages (the admin's stored emails) ask this rule through qa_portal.access.
access.register_young_people_rule(may_see_young_people)


def may_see_history(user, obj) -> bool:
    """Whether `user` may see who changed what on `obj` (a provider or a young person) and the records
    under it: with the change-history permission (QA lead, administrator), or as one who keeps it
    (commissioning officers, who may change every provider and young person). Which kinds of record
    the history then holds follows what they may see (concerns and placements need their permissions)."""
    return user.has_perm("providers.view_change_history") or access.can_change(user, obj)


def _import_runs_visible(user, queryset):
    # Uploads are shared with the whole commissioning team (everyone who may import), applied or
    # not: any of them may check and apply a colleague's file, and each run records who did what.
    return queryset if user.has_perm("providers.add_importrun") else queryset.none()


access.register(ImportRun, visible=_import_runs_visible, can_change=_can("providers.add_importrun"))


# The record that a young person was anonymised is for those who review retention (the QA lead).
access.register(
    YoungPersonAnonymisation,
    visible=lambda user, queryset: queryset if user.has_perm("providers.anonymise_youngperson") else queryset.none(),
    can_change=lambda user, obj: False,
)
