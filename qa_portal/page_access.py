"""Who may use each page: one declaration for every named address, kept in each app's `page_access`
module beside its views, so that a new page cannot ship without saying who may use it.

Nothing here decides access at run time (the views and `qa_portal.access` do). The generated
authorisation test (tests/qa_portal/test_page_access.py) opens every named address as every identity,
with real records of our provider and another's, and fails when what happens is not what is declared,
or when an address has no declaration (naming it).

An identity is one of the seven roles, or `OTHER_PROVIDER_USER`. `Role.PROVIDER_USER` stands for the
provider user of the record's own provider; `OTHER_PROVIDER_USER` for one of another provider, who
must find nothing of ours (a 404) where ours may look.

    declare(
        "visits:visit_detail",
        on="a shared with provider visit",        # the record whose id fills the address
        get=who(ok=VISIT_READERS | {Role.PROVIDER_USER}, not_found={OTHER_PROVIDER_USER}),
    )

`on` names a record in words (the test's records are keyed by them; "nothing" for an address without
one) and `args` gives the address's other arguments (`{"fmt": "csv"}`). One address may be declared
on several records where the answer depends on the record (a draft visit and a shared one).

`get` is what each identity gets when it opens the page. `post`, for an address that changes
something, is what each identity that may not change it gets when it posts to it; those who may are
`may=` (the test does not post as them, so that the records stay as they are). A refused post must
be a 403, 404 or 405, or a redirect that changes nothing; the test checks that nothing changed.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.utils.module_loading import autodiscover_modules

from qa_portal.roles import STAFF_ROLES, Role

OK = "ok"  # 200: the page, the file or the JSON
REDIRECT = "redirect"  # 301/302 to somewhere other than the sign-in page
FORBIDDEN = "403"
NOT_FOUND = "404"
NOT_ALLOWED = "405"
MAY = "may"  # for `post`: may change it (not posted by the test)
REFUSALS = frozenset({FORBIDDEN, NOT_FOUND, NOT_ALLOWED, REDIRECT})

OTHER_PROVIDER_USER = "other_provider_user"
IDENTITIES: tuple[str, ...] = (*(role.value for role in Role), OTHER_PROVIDER_USER)
STAFF = frozenset(role.value for role in STAFF_ROLES)
PROVIDER_USERS = frozenset({Role.PROVIDER_USER.value, OTHER_PROVIDER_USER})
EVERYONE = frozenset(IDENTITIES)


def roles(*chosen: Role | str) -> frozenset[str]:
    return frozenset(str(role) for role in chosen)


def who(
    *,
    ok: Iterable = (),
    redirect: Iterable = (),
    forbidden: Iterable = (),
    not_found: Iterable = (),
    not_allowed: Iterable = (),
    may: Iterable = (),
    others: str = FORBIDDEN,
) -> dict[str, str]:
    """{identity: outcome} for all eight identities: each one named gets its outcome, every other one
    `others`. Raises ValueError when an identity is named twice or is not one."""
    outcomes: dict[str, str] = {}
    for outcome, named in (
        (OK, ok),
        (REDIRECT, redirect),
        (FORBIDDEN, forbidden),
        (NOT_FOUND, not_found),
        (NOT_ALLOWED, not_allowed),
        (MAY, may),
    ):
        for identity in named:
            identity = str(identity)
            if identity not in IDENTITIES:
                raise ValueError(f"{identity!r} is not an identity (qa_portal.page_access.IDENTITIES)")
            if identity in outcomes:
                raise ValueError(f"{identity} is named twice")
            outcomes[identity] = outcome
    return {identity: outcomes.get(identity, others) for identity in IDENTITIES}


@dataclass(frozen=True)
class Declaration:
    name: str  # the address's name, "namespace:name"
    on: str  # the record filling the address, in words ("nothing" for none)
    get: Mapping[str, str]
    post: Mapping[str, str] | None  # None: the address changes nothing
    args: Mapping[str, str] = field(default_factory=dict)
    fields: tuple[str, ...] = ()  # the record's id is also sent under these names (query and form)

    @property
    def label(self) -> str:
        return self.name if self.on == "nothing" else f"{self.name} on {self.on}"


_declared: dict[tuple[str, str], Declaration] = {}


def declare(
    name: str,
    *,
    get: Mapping[str, str],
    post: Mapping[str, str] | None = None,
    on: str = "nothing",
    args: Mapping[str, str] | None = None,
    fields: tuple[str, ...] = (),
) -> None:
    """Declare who may use the address `name` on the record `on` (see the module's docstring)."""
    if (name, on) in _declared:
        raise ValueError(f"{name} on {on} is declared twice")
    if any(outcome == MAY for outcome in get.values()):
        raise ValueError(f"{name}: `may` is for posts")
    if post is not None and not set(post.values()) <= REFUSALS | {MAY}:
        raise ValueError(f"{name}: a refused post is a 403, 404, 405 or a redirect")
    _declared[(name, on)] = Declaration(name=name, on=on, get=get, post=post, args=args or {}, fields=fields)


def declarations() -> list[Declaration]:
    """Every declaration, each app's `page_access` module imported first (as the admin finds `admin`)."""
    autodiscover_modules("page_access")
    return sorted(_declared.values(), key=lambda d: (d.name, d.on))


ADMIN_VIEWS = ("changelist", "add", "change", "history", "delete")


def declare_admin(
    model: str,
    *,
    on: str,
    changelist: str = OK,
    add: str = OK,
    change: str = OK,
    history: str = OK,
    delete: str = OK,
) -> None:
    """The Django admin's five pages for one model (`model` is "app_label_modelname"), as an
    administrator finds each (OK, or FORBIDDEN where the admin refuses them: a read-only model's
    add and delete, say). Everyone else is refused with the portal's 403 page (qa_portal.admin_site).
    A page the administrator may open they may also post to."""
    administrator = Role.ADMINISTRATOR.value
    for view, outcome in zip(ADMIN_VIEWS, (changelist, add, change, history, delete), strict=True):
        declare(
            f"admin:{model}_{view}",
            on="nothing" if view in ("changelist", "add") else on,
            get=who(**{_KEYWORDS[outcome]: [administrator]}, others=FORBIDDEN),
            post=who(**{_KEYWORDS[MAY if outcome == OK else outcome]: [administrator]}, others=FORBIDDEN),
        )


_KEYWORDS = {OK: "ok", FORBIDDEN: "forbidden", NOT_FOUND: "not_found", MAY: "may", REDIRECT: "redirect"}


# The base's own pages.

# Signed in already, the sign-in page sends everyone on to their home page. Everyone may use the
# password pages, their own notifications and documents, and the public pages.
declare("login", get=who(redirect=EVERYONE))
for _name in (
    "password_reset",
    "password_reset_done",
    "password_reset_complete",
    "password_change_done",
    "accessibility",
    "healthz",
    "notifications",
    "document_list",
):
    declare(_name, get=who(ok=EVERYONE))
declare("password_reset_confirm", args={"uidb64": "MQ", "token": "set-password"}, get=who(ok=EVERYONE))
declare("password_change", get=who(ok=EVERYONE), post=who(may=EVERYONE))
declare("logout", get=who(others=NOT_ALLOWED), post=who(may=EVERYONE))
declare("session_extend", get=who(others=NOT_ALLOWED), post=who(may=EVERYONE))
# Browsers report Content-Security-Policy violations here, signed in or not (qa_portal.csp_reports).
declare("csp_report", get=who(others=NOT_ALLOWED), post=who(may=EVERYONE))

# A document made in the background is for the person who asked for it alone.
_QA_LEAD = frozenset({Role.QA_LEAD.value})
for _name in ("document_detail", "document_progress", "document_download"):
    declare(_name, on="the QA lead's document", get=who(ok=_QA_LEAD, others=NOT_FOUND))
declare(
    "document_send_again",
    on="the QA lead's document",
    get=who(others=NOT_ALLOWED),
    post=who(may=_QA_LEAD, others=NOT_FOUND),
)

# Django admin: administrators only (users, roles, thresholds, sign-in lock-outs and the email ledger);
# anyone else signed in gets the portal's 403 page at every admin address (qa_portal.admin_site).
_ADMINISTRATOR = frozenset({Role.ADMINISTRATOR.value})
for _name in ("admin:index", "admin:password_change_done", "admin:jsi18n"):
    declare(_name, get=who(ok=_ADMINISTRATOR))
declare("admin:app_list", args={"app_label": "reviews"}, get=who(ok=_ADMINISTRATOR))
# Signed in already: the admin's own sign-in page refuses everyone (the portal's is the one to use).
declare("admin:login", get=who(others=FORBIDDEN), post=who(others=FORBIDDEN))
declare("admin:logout", get=who(not_allowed=_ADMINISTRATOR), post=who(may=_ADMINISTRATOR))
# The admin's "Change password" leads to the portal's own page.
declare("admin:password_change", get=who(redirect=_ADMINISTRATOR), post=who(redirect=_ADMINISTRATOR))
declare("admin:autocomplete", get=who(forbidden=_ADMINISTRATOR))
declare("admin:view_on_site", on="admin:a provider", get=who(redirect=_ADMINISTRATOR))
declare_admin("auth_group", on="admin:auth_group", add=FORBIDDEN, delete=FORBIDDEN)
declare_admin("axes_accessattempt", on="admin:axes_accessattempt", add=FORBIDDEN)
declare_admin(
    "axes_accesslog",
    on="admin:axes_accesslog",
    changelist=FORBIDDEN,
    add=FORBIDDEN,
    change=FORBIDDEN,
    history=FORBIDDEN,
    delete=FORBIDDEN,
)
declare_admin("axes_accessfailurelog", on="admin:axes_accessfailurelog", add=FORBIDDEN, delete=FORBIDDEN)
declare_admin("qa_portal_user", on="admin:qa_portal_user", delete=FORBIDDEN)
declare_admin("qa_portal_notification", on="admin:qa_portal_notification", add=FORBIDDEN, delete=FORBIDDEN)
# Role and permission changes, before and after (qa_portal.account_changes): read-only.
declare_admin("qa_portal_accountchange", on="admin:qa_portal_accountchange", add=FORBIDDEN, delete=FORBIDDEN)

# Signing in with a second factor (qa_portal.second_factor). Someone who has given their code is
# sent on from the code pages; "Your account" lets each person replace their app or recovery codes.
for _name in ("second_factor", "second_factor_recovery", "recovery_codes"):
    declare(_name, get=who(redirect=EVERYONE), post=who(redirect=EVERYONE))
# Setting up an authenticator app is also how a signed-in person replaces theirs.
declare("second_factor_set_up", get=who(ok=EVERYONE), post=who(may=EVERYONE))
declare("account_security", get=who(ok=EVERYONE))
declare("new_recovery_codes", get=who(others=NOT_ALLOWED), post=who(may=EVERYONE))
# Passkeys (qa_portal.passkeys): the addresses their pages' scripts post to (JSON), and removing one's
# own passkey (anyone else's is not found). Each person adds and uses only their own.
for _name in ("passkey_sign_in_begin", "passkey_sign_in_complete", "passkey_add_begin", "passkey_add_complete"):
    declare(_name, get=who(others=NOT_ALLOWED), post=who(may=EVERYONE))
declare("passkey_remove", get=who(others=NOT_ALLOWED), post=who(not_found=EVERYONE))
# Council sign-in (qa_portal.council_sign_in) is off unless OIDC is configured: not found.
declare("council_sign_in", get=who(not_found=EVERYONE))
declare("oidc_authentication_callback", get=who(not_found=EVERYONE))
