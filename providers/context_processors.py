"""What every page's template needs to know from the provider register."""

from providers.access import may_see_young_people


def young_people(request) -> dict:
    """`young_people_shown`: whether the person may see young people on this page (providers.access).
    A view may say otherwise for its own records (a visit's visitors, visits.access); a template that
    is not given it (a PDF, an email) shows no young person."""
    return {"young_people_shown": may_see_young_people(getattr(request, "user", None))}
