"""The service navigation: each role sees only the pages it may use.

An item shows when it names neither roles nor a permission, or when the user holds one
of its roles or has its permission. Later features add their items here.

Related pages share one top-level item (a group): the visits, which provider to visit next and the
programme; the tracker and action plans; review meetings and the compliance overview; providers,
young people and imports. So the navigation stays one line
high at 1366 pixels wide for every role (issue 14: the QA lead's ten items wrapped onto a second
line). A group's item opens the first of its pages the user may see, shows as current on any of
them, and those pages carry a sub-navigation to the others (templates/components/sub_navigation.html).
"""

from dataclasses import dataclass
from functools import lru_cache

from django.urls import get_script_prefix, get_urlconf, reverse

from qa_portal.roles import Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    permission: str | None = None
    roles: frozenset[Role] | None = None

    def allows(self, user) -> bool:
        if self.roles is None and self.permission is None:
            return True
        by_role = self.roles is not None and user.has_role(*self.roles)
        return by_role or (self.permission is not None and user.has_perm(self.permission))


@dataclass(frozen=True)
class NavGroup:
    """One top-level item for several pages; shown when the user may see any of them."""

    label: str
    pages: tuple[NavItem, ...]


NAV_ITEMS = [
    NavItem("Home", "home"),
    NavGroup(
        "Visits",
        (
            NavItem(
                "Visits", "visits:visit_list", permission="visits.view_visit", roles=frozenset({Role.PROVIDER_USER})
            ),
            NavItem("Which provider next", "visit_next", permission="reporting.view_visit_next"),
            NavItem("Programme", "visit_programme", permission="reporting.view_visit_programme"),
        ),
    ),
    NavItem("Your actions", "reviews:my_actions", roles=frozenset({Role.SOCIAL_WORKER})),
    NavItem("Your recommendations", "reviews:provider_recommendations", roles=frozenset({Role.PROVIDER_USER})),
    NavItem("Your action plans", "reviews:provider_action_plans", roles=frozenset({Role.PROVIDER_USER})),
    NavGroup(
        "Tracker",
        (
            NavItem("Recommendations", "reviews:tracker", permission="reviews.view_recommendation"),
            NavItem("Action plans", "reviews:action_plan_list", permission="reviews.view_actionplan"),
            NavItem("You said, we did", "reviews:you_said_list", permission="reviews.view_recommendation"),
        ),
    ),
    NavGroup(
        "Reviews",
        (
            NavItem("Review meetings", "reviews:meeting_list", permission="reviews.view_reviewmeeting"),
            NavItem("Compliance", "reviews:compliance_overview", permission="reviews.view_reviewmeeting"),
        ),
    ),
    NavGroup(
        "Providers",
        (
            NavItem("Providers", "providers:provider_list", permission="providers.view_provider"),
            NavItem(
                "Inadequate responses",
                "reviews:inadequate_response_list",
                roles=frozenset({Role.QA_LEAD, Role.COMMISSIONING_OFFICER}),
            ),
            NavItem("Young people", "providers:young_person_list", permission="providers.view_youngperson"),
            NavItem("Imports", "providers:imports", permission="providers.add_importrun"),
        ),
    ),
    NavItem("Committee pack", "committee:report_list", permission="reporting.view_committee_pack"),
    NavItem("Jobs", "jobs", permission="qa_portal.view_jobs_page"),
    NavItem("Visit template", "visits:template_list", permission="visits.view_visittemplate"),
    NavItem("Users", "admin:qa_portal_user_changelist", permission="qa_portal.view_user"),
    NavItem("Administration", "admin:index", roles=frozenset({Role.ADMINISTRATOR})),
]


def _is_under(path: str, url: str) -> bool:
    return path == url if url == "/" else path.startswith(url)


def items_for(user, current_path: str) -> list[dict]:
    """The top-level items the user may see, in order: each {"label", "url", "active", "pages"}, where
    "pages" lists a group's pages the user may see (each {"label", "url", "active"}; empty for a single
    page). At most one item is active, and within it at most one page: the one whose address is the
    longest start of `current_path`, so "Users" (under /admin/) outranks "Administration"."""
    if not user.is_authenticated:
        return []
    permissions = frozenset(user.get_all_permissions()) if user.is_active else frozenset()
    allowed = _allowed(user.is_active, frozenset(user.roles), permissions, get_script_prefix(), get_urlconf())
    items = []
    for label, pages in allowed:
        shown = [{"label": page_label, "url": url, "active": False} for page_label, url in pages]
        items.append({"label": label, "url": shown[0]["url"], "active": False, "pages": shown})
    matches = [(item, page) for item in items for page in item["pages"] if _is_under(current_path, page["url"])]
    if matches:
        item, page = max(matches, key=lambda match: len(match[1]["url"]))
        item["active"] = page["active"] = True
    for item in items:
        if len(item["pages"]) < 2:
            item["pages"] = []
    return items


class _Person:
    """What NavItem.allows asks of a user, for `_allowed`: whether active, their roles, their permissions."""

    def __init__(self, is_active: bool, roles: frozenset, permissions: frozenset):
        self.is_active, self.roles, self.permissions = is_active, roles, permissions

    def has_role(self, *roles: Role) -> bool:
        return self.is_active and any(role in self.roles for role in roles)

    def has_perm(self, permission: str) -> bool:
        return self.is_active and permission in self.permissions


@lru_cache(maxsize=256)
def _allowed(is_active: bool, roles: frozenset, permissions: frozenset, script_prefix: str, urlconf) -> tuple:
    """The items a person of these roles and permissions may see, as ((label, ((page label, url), ...)), ...):
    worked out once a process for each such set (a few per role), not on every page (every address
    reversed, every item's rule asked: about half a millisecond). The addresses depend on the script
    prefix and URLconf, so they are part of the key."""
    person = _Person(is_active, roles, permissions)
    allowed = []
    for entry in NAV_ITEMS:
        members = entry.pages if isinstance(entry, NavGroup) else (entry,)
        pages = tuple((p.label, reverse(p.url_name)) for p in members if p.allows(person))
        if pages:
            allowed.append((entry.label, pages))
    return tuple(allowed)


def sub_navigation(items: list[dict], current_path: str) -> dict | None:
    """The current group's item ({"label", "pages", ...}) for the sub-navigation shown on the group's
    pages themselves (their lists, not the records under them, which have their own way back); None
    elsewhere."""
    for item in items:
        if item["active"] and any(page["url"] == current_path for page in item["pages"]):
            return item
    return None
