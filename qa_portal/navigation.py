"""The service navigation: each role sees only the pages it may use.

An item shows when it names neither roles nor a permission, or when the user holds one
of its roles or has its permission. Later features add their items here.
"""

from dataclasses import dataclass

from django.urls import reverse

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


NAV_ITEMS = [
    NavItem("Home", "home"),
    NavItem("Visits", "visits:visit_list", permission="visits.view_visit", roles=frozenset({Role.PROVIDER_USER})),
    NavItem("Your actions", "reviews:my_actions", roles=frozenset({Role.SOCIAL_WORKER})),
    NavItem("Your recommendations", "reviews:provider_recommendations", roles=frozenset({Role.PROVIDER_USER})),
    NavItem("Your action plans", "reviews:provider_action_plans", roles=frozenset({Role.PROVIDER_USER})),
    NavItem("Tracker", "reviews:tracker", permission="reviews.view_recommendation"),
    NavItem("Action plans", "reviews:action_plan_list", permission="reviews.view_actionplan"),
    NavItem(
        "Inadequate responses",
        "reviews:inadequate_response_list",
        roles=frozenset({Role.QA_LEAD, Role.COMMISSIONING_OFFICER}),
    ),
    NavItem("Reviews", "reviews:meeting_list", permission="reviews.view_reviewmeeting"),
    NavItem("Compliance", "reviews:compliance_overview", permission="reviews.view_reviewmeeting"),
    NavItem("Providers", "providers:provider_list", permission="providers.view_provider"),
    NavItem("Young people", "providers:young_person_list", permission="providers.view_youngperson"),
    NavItem("Imports", "providers:imports", permission="providers.add_importrun"),
    NavItem("Committee pack", "committee:report_list", permission="reporting.view_committee_pack"),
    NavItem("Jobs", "jobs", permission="qa_portal.view_jobs_page"),
    NavItem("Visit template", "visits:template_list", permission="visits.view_visittemplate"),
    NavItem("Users", "admin:qa_portal_user_changelist", permission="qa_portal.view_user"),
    NavItem("Administration", "admin:index", roles=frozenset({Role.ADMINISTRATOR})),
]


def items_for(user, current_path: str) -> list[dict]:
    if not user.is_authenticated:
        return []
    items = []
    for item in NAV_ITEMS:
        if item.allows(user):
            url = reverse(item.url_name)
            active = current_path == url if url == "/" else current_path.startswith(url)
            items.append({"label": item.label, "url": url, "active": active})
    # The longest matching prefix wins, so "Users" (under /admin/) outranks "Administration".
    active_items = [i for i in items if i["active"]]
    if len(active_items) > 1:
        keep = max(active_items, key=lambda i: len(i["url"]))
        for i in active_items:
            i["active"] = i is keep
    return items
