"""Review cadence thresholds and the risk rating's rules in Django admin (administrators only).

There is one row of thresholds: administrators change it, never add a second or delete it.
Review meetings themselves are recorded in the portal, not here."""

from django.contrib import admin
from django.shortcuts import redirect
from django.utils import timezone

from reviews.models import RULE_NUMBERS, CadenceThresholds, RiskRule, RuleRating


@admin.register(CadenceThresholds)
class CadenceThresholdsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "updated_at"]
    readonly_fields = ["updated_at"]
    fieldsets = [
        (
            None,
            {
                "fields": ["quarterly_from", "half_yearly_from", "annual_from", "updated_at"],
                "description": (
                    "How often each provider has a commissioning review meeting, by the number of young people "
                    "placed there now. A provider with at least the quarterly number of active placements is "
                    "reviewed quarterly; at least the half-yearly number, half-yearly; at least the annual number, "
                    "annually; fewer, no routine review. Each number must be higher than the next. The next "
                    "review is due one cadence after the last one held, so a change here moves providers' "
                    "next review dates straight away."
                ),
            },
        )
    ]

    def changelist_view(self, request, extra_context=None):
        # One row only: go straight to it (made with the defaults if it does not exist yet).
        if self.has_view_or_change_permission(request):
            thresholds = CadenceThresholds.current()
            return redirect("admin:reviews_cadencethresholds_change", thresholds.pk)
        return super().changelist_view(request, extra_context)

    def has_add_permission(self, request):
        return not CadenceThresholds.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        obj.updated_at = timezone.now()
        super().save_model(request, obj, form, change)


@admin.register(RiskRule)
class RiskRuleAdmin(admin.ModelAdmin):
    """The rules of the providers' risk rating: each can be made High, Medium or not used, and its number
    changed; none added or deleted (the portal knows how to apply each). Each change is in the rule's
    History with who, when, and the values before and after; every provider is rated again at once."""

    list_display = ["described", "rating"]
    list_display_links = ["described"]
    fields = ["rule_described", "rating", "number"]
    readonly_fields = ["rule_described"]

    @admin.display(description="Rule")
    def described(self, obj):
        return obj.described

    @admin.display(description="Rule")
    def rule_described(self, obj):
        unit = RULE_NUMBERS.get(obj.rule)
        return f"{obj.get_rule_display()}" + (f" ({unit[0]})" if unit else "")

    def get_fields(self, request, obj=None):
        if obj is not None and obj.rule not in RULE_NUMBERS:
            return ["rule_described", "rating"]
        return super().get_fields(request, obj)

    def changelist_view(self, request, extra_context=None):
        RiskRule.current()  # the defaults, made for any rule missing
        extra_context = {
            **(extra_context or {}),
            "subtitle": "A provider's risk rating is the highest that any rule in use gives it; Low if none does.",
        }
        return super().changelist_view(request, extra_context)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def construct_change_message(self, request, form, formsets, add=False):
        # The admin's History then says what each value was and became, not just which field changed.
        changes = []
        for name in form.changed_data:
            before = form.initial.get(name)
            after = form.cleaned_data.get(name)
            if name == "rating":
                labels = dict(RuleRating.choices)
                before, after = labels.get(before, before), labels.get(after, after)
            changes.append(f"{form.fields[name].label}: {before} to {after}")
        return "; ".join(changes) or "No change"
