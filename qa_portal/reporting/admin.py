"""The weights of "Which provider to visit next" in Django admin (administrators only), as the review
cadence's thresholds and the risk rating's rules are (reviews/admin.py): one row, changed, never added
or deleted; its History says what each weight was and became, and who changed it when."""

from django.contrib import admin
from django.shortcuts import redirect
from django.utils import timezone

from qa_portal.reporting.models import VisitNextWeights

_FIELDSETS = [
    (
        "Young people placed",
        ["per_young_person", "per_vulnerable_young_person"],
        "Counted from the placements active today.",
    ),
    ("New to the authority", ["new_to_authority"], "The provider's flag in the register."),
    (
        "Concerns",
        [
            "concern_high",
            "concern_medium",
            "concern_low",
            "concern_months",
            "recent_concern_months",
            "recent_concern_factor",
        ],
        "Concerns from young people, social workers and others, by severity; those from a Regulation 44 report "
        "count under Regulation 44 instead.",
    ),
    ("Regulation 44", ["per_regulation_44_issue"], ""),
    ("High cost", ["high_cost"], "Counted once, whether the provider or any of its placements is high cost."),
    (
        "Time since the last QA visit",
        ["per_month_since_visit", "months_since_visit_counted", "never_visited"],
        "Whole months since the last visit that took place. Make “never visited” worth more than the most "
        "the months can add, so that a provider never visited ranks higher.",
    ),
    ("Risk rating", ["risk_high", "risk_medium"], "The provider's risk rating (a Low rating adds nothing)."),
]


@admin.register(VisitNextWeights)
class VisitNextWeightsAdmin(admin.ModelAdmin):
    """How much each reason counts in "Which provider to visit next". Every change is in the weights'
    History with who, when, and each value before and after; the list uses the new weights at once."""

    readonly_fields = ["updated_at"]
    fieldsets = [
        (
            None,
            {
                "fields": ["updated_at"],
                "description": (
                    "Each provider's score in “Which provider to visit next” is the sum of the points below "
                    "for each reason that applies to it. Points are whole numbers from 0 to 100; 0 leaves a "
                    "reason out."
                ),
            },
        ),
        *[(title, {"fields": fields, "description": description}) for title, fields, description in _FIELDSETS],
    ]

    def changelist_view(self, request, extra_context=None):
        # One row only: go straight to it (made with the defaults if it does not exist yet).
        if self.has_view_or_change_permission(request):
            return redirect("admin:reporting_visitnextweights_change", VisitNextWeights.current().pk)
        return super().changelist_view(request, extra_context)

    def has_add_permission(self, request):
        return not VisitNextWeights.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        obj.updated_at = timezone.now()
        super().save_model(request, obj, form, change)

    def construct_change_message(self, request, form, formsets, add=False):
        # The admin's History then says what each weight was and became, not just which changed.
        changes = [
            f"{form.fields[name].label}: {form.initial.get(name)} to {form.cleaned_data.get(name)}"
            for name in form.changed_data
        ]
        return "; ".join(changes) or "No change"
