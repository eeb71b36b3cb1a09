"""A provider's risk rating: why it is what it is, its history, and the override form."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from providers import risk
from providers.forms import RiskOverrideForm
from providers.forms.risk import END
from providers.models import Provider
from qa_portal import access
from qa_portal.intentions import one_record_per_intention

HISTORY_SHOWN = 50


def risk_context(user, provider: Provider) -> dict:
    """What the provider page and the risk rating page show of the rating: the reasons `user` may see,
    how many others there are, and the override in force (None when there is none, or it has lapsed)."""
    reasons, hidden = risk.visible_reasons(provider, user)
    override = provider.risk_override
    if override is not None and (override.ended_at or override.look_again_on < timezone.localdate()):
        override = None
    return {
        "risk_reasons": reasons,
        "risk_reasons_hidden": hidden,
        "risk_override": override,
        "may_override_risk": user.has_perm("providers.override_risk_rating"),
    }


@require_http_methods(["GET", "POST"])
@permission_required("providers.view_provider", raise_exception=True)
@one_record_per_intention
def risk_rating(request, pk):
    """GET: the rating, its reasons, any override and the history of changes; the override form for
    those who may override (QA lead, commissioning officers). POST: override the rating, or end the
    override in force."""
    provider = access.get_for_user(
        request.user, Provider.objects.select_related("risk_override", "risk_override__set_by"), pk=pk
    )
    context = {"provider": provider, **risk_context(request.user, provider)}
    form = None
    if context["may_override_risk"]:
        form = RiskOverrideForm(request.POST or None, in_force=context["risk_override"] is not None)
    elif request.method == "POST":
        raise PermissionDenied("Only the QA lead or a commissioning officer may override a risk rating.")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["rating"] == END:
            risk.risk_override_end(provider=provider, by=request.user)
            messages.success(request, "Override ended: the rating from the rules shows again")
        else:
            risk.risk_override_set(
                provider=provider,
                rating=int(data["rating"]),
                reason=data["reason"].strip(),
                look_again_on=data["look_again_on"],
                by=request.user,
            )
            messages.success(request, "Risk rating overridden")
        return redirect(f"{provider.get_absolute_url()}#risk-rating")
    context["form"] = form
    context["changes"] = list(
        provider.risk_rating_changes.select_related("changed_by").order_by("-changed_at", "-pk")[:HISTORY_SHOWN]
    )
    return render(request, "providers/risk_rating.html", context)
