"""The provider page's visits section."""

from qa_portal import access
from visits.models import Visit


def provider_visits(request, provider):
    if not request.user.has_perm("visits.view_visit"):
        return None
    visits = access.visible_to(request.user, Visit).filter(provider=provider).select_related("lead_visitor")[:10]
    return "visits/_provider_panel.html", {"provider_visits": list(visits)}
