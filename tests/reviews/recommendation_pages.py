"""Helpers for the tests of one recommendation's pages: their addresses, and the error shown beside a field."""

import re

from django.urls import reverse

IMPACT_NEEDED = "Say what difference this made for the child before completing it"


def detail(rec):
    return reverse("reviews:recommendation_detail", args=[rec.pk])


def progress(rec):
    return reverse("reviews:recommendation_progress", args=[rec.pk])


def complete(rec):
    return reverse("reviews:recommendation_complete", args=[rec.pk])


def not_accepted(rec):
    return reverse("reviews:recommendation_not_accepted", args=[rec.pk])


def error_beside(html, field):
    """The error message shown beside a field (GOV.UK: in the field's form group, above the input)."""
    match = re.search(
        rf'<span id="id_{field}_\d+_error" class="govuk-error-message">\s*'
        r'<span class="govuk-visually-hidden">Error:</span>(.*?)</span>',
        html,
        re.S,
    )
    return "Error: " + " ".join(match.group(1).split()) if match else None
