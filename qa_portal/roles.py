"""The portal's roles. Each role is a Django group carrying the permissions below.

`sync_roles()` makes the groups match this module; it runs after every migrate,
so a permission added here reaches every environment with the next deployment.
"""

import logging

from django.contrib.auth.models import Group, Permission
from django.db import models

from qa_portal.account_changes import role_permissions, role_permissions_record
from qa_portal.audit.models import AccountChange

logger = logging.getLogger(__name__)


class Role(models.TextChoices):
    # value: stable identifier used in code and templates; label: the group's name.
    SENIOR_LEADER = "senior_leader", "Senior leader (visitor)"
    QA_LEAD = "qa_lead", "QA lead"
    COMMISSIONING_OFFICER = "commissioning_officer", "Commissioning officer"
    MANAGER = "manager", "Manager"
    SOCIAL_WORKER = "social_worker", "Social worker"
    PROVIDER_USER = "provider_user", "Provider user"
    ADMINISTRATOR = "administrator", "Administrator"


# When someone holds several roles, their home page is that of the first one here.
ROLE_PRECEDENCE = [
    Role.ADMINISTRATOR,
    Role.QA_LEAD,
    Role.COMMISSIONING_OFFICER,
    Role.SENIOR_LEADER,
    Role.MANAGER,
    Role.SOCIAL_WORKER,
    Role.PROVIDER_USER,
]

STAFF_ROLES = frozenset(Role) - {Role.PROVIDER_USER}


def _perms(app: str, actions: str, models: str) -> list[str]:
    """_perms("providers", "view add", "setting contact") -> ["providers.view_setting", ...]"""
    return [f"{app}.{action}_{model}" for model in models.split() for action in actions.split()]


_REGISTER = "provider setting ofstedinspection contact"
_YOUNG_PEOPLE = "youngperson placement"
_SEE_REGISTER = _perms("providers", "view", _REGISTER)

# "app_label.codename" for each role. Later features add their permissions here.
_SEE_VISITS = [*_perms("visits", "view", "visit"), *_perms("reviews", "view", "recommendation reviewmeeting")]
_WRITE_VISITS = [
    *_perms("visits", "view add change", "visit"),
    *_perms("reviews", "view add change", "recommendation"),
    "reviews.add_progressupdate",
    *_perms("reviews", "view", "reviewmeeting"),
]
_MEETINGS = "reviewmeeting compliancecheck youngpersonoutcome recommendation"
# Providers' action plans (issue 16): the QA lead and commissioning officers ask for them, accept,
# return and re-check them; senior leaders and managers read them. Provider users write their own
# organisation's through the access rules (reviews.access), not a permission.
_REVIEW_ACTION_PLANS = ["reviews.view_actionplan", "reviews.add_actionplan", "reviews.review_actionplan"]
# The response to an Inadequate judgement (issue 16): council staff read it (the children's decisions
# only those who see young people); the QA lead, commissioning officers and social workers (for their
# own children, reviews.responses.may_record) record the "safe to remain?" decisions.
_SEE_RESPONSES = "reviews.view_inadequateresponse"
_RECORD_DECISIONS = "reviews.record_safetoremaindecision"
# The visit programme (issue 17): "Which provider to visit next" for those who choose and make visits,
# the year's programme for them and managers; its weights are the administrators' (the admin).
_VISIT_NEXT = "reporting.view_visit_next"
_PROGRAMME = "reporting.view_visit_programme"

# "app_label.codename" for each role. Later features add their permissions here.
ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.SENIOR_LEADER: [
        *_SEE_REGISTER,
        *_perms("providers", "view add", "concern"),
        *_WRITE_VISITS,
        "reviews.view_actionplan",
        _SEE_RESPONSES,
        _VISIT_NEXT,
        _PROGRAMME,
    ],
    Role.QA_LEAD: [
        *_SEE_REGISTER,
        *_perms("providers", "view", _YOUNG_PEOPLE),
        # To record a placement at a provider under a placement stop, with the confirmation only
        # they and commissioning officers may give.
        *_perms("providers", "add change", "placement"),
        "providers.confirm_placement_despite_stop",
        "providers.override_risk_rating",
        *_perms("providers", "view add change", "concern"),
        "providers.view_change_history",
        # Privacy: who has seen a young person's record, their subject-access export, and retention
        # (reviewing and anonymising the records past their time). The data protection officer works
        # through the QA lead, who sees everything (DOMAIN.md).
        "providers.view_access_log",
        "providers.export_subject_access",
        "providers.anonymise_youngperson",
        *_WRITE_VISITS,
        "visits.share_visit",
        "visits.finalise_visit",
        "reviews.share_recommendation",
        *_REVIEW_ACTION_PLANS,
        _SEE_RESPONSES,
        _RECORD_DECISIONS,
        "qa_portal.view_jobs_page",
        "reporting.view_committee_pack",
        _VISIT_NEXT,
        _PROGRAMME,
    ],
    Role.COMMISSIONING_OFFICER: [
        *_perms("providers", "view add change", f"{_REGISTER} {_YOUNG_PEOPLE} concern"),
        "providers.confirm_placement_despite_stop",
        "providers.override_risk_rating",
        "providers.add_importrun",
        "providers.view_importrun",
        *_perms("visits", "view", "visit"),
        *_perms("reviews", "view add change", _MEETINGS),
        "reviews.add_progressupdate",
        "reviews.share_recommendation",
        *_REVIEW_ACTION_PLANS,
        _SEE_RESPONSES,
        _RECORD_DECISIONS,
    ],
    Role.MANAGER: [
        *_SEE_REGISTER,
        *_perms("providers", "view", "concern"),
        *_SEE_VISITS,
        "reviews.view_actionplan",
        _SEE_RESPONSES,
        "reporting.view_committee_pack",
        _PROGRAMME,
    ],
    Role.SOCIAL_WORKER: [
        *_SEE_REGISTER,
        *_perms("providers", "view", _YOUNG_PEOPLE),
        *_perms("providers", "view add", "concern"),
        *_SEE_VISITS,
        "reviews.add_progressupdate",  # on the actions flagged to them
        _SEE_RESPONSES,
        _RECORD_DECISIONS,
    ],
    # Provider users see their own organisation through the access rules, not a permission.
    Role.PROVIDER_USER: [],
    Role.ADMINISTRATOR: [
        *_perms("providers", "view add change", _REGISTER),
        "providers.view_change_history",
        *_perms("visits", "view add change", "visittemplate templatesection templatequestion"),
        *_perms("visits", "delete", "templatesection templatequestion"),
        *_perms("reviews", "view change", "cadencethresholds riskrule"),
        *_perms("reporting", "view change", "visitnextweights"),
        "qa_portal.view_jobs_page",
        "qa_portal.view_notification",
        "qa_portal.change_notification",  # sends failed emails again
        "qa_portal.view_user",
        "qa_portal.add_user",
        "qa_portal.change_user",
        "qa_portal.view_accountchange",  # role and permission changes, before and after
        "auth.view_group",
        "axes.view_accessattempt",
        "axes.delete_accessattempt",
        "axes.view_accessfailurelog",
    ],
}


def sync_roles(**_kwargs) -> None:
    """Create one group per role and give it exactly the permissions listed above. Each role whose
    permissions this changes is recorded, before and after (qa_portal.account_changes)."""
    wanted = {perm for perms in ROLE_PERMISSIONS.values() for perm in perms}
    found = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.select_related("content_type").filter(
            codename__in={perm.split(".", 1)[1] for perm in wanted}
        )
    }
    for role in Role:
        group, _ = Group.objects.get_or_create(name=role.label)
        before = role_permissions(group)
        perms = []
        for name in ROLE_PERMISSIONS[role]:
            if name in found:
                perms.append(found[name])
            else:
                logger.warning("Role %s: permission %s does not exist (yet)", role.label, name)
        group.permissions.set(perms)
        role_permissions_record(group=group, before=before, by=None, how=AccountChange.How.ROLES_UPDATE)
