"""Review cadence thresholds in Django admin (administrators only).

There is one row of thresholds: administrators change it, never add a second or delete it.
Review meetings themselves are recorded in the portal, not here."""

from django.contrib import admin
from django.shortcuts import redirect
from django.utils import timezone

from reviews.models import CadenceThresholds


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
