"""The visit's history reads like its path (issue 11): each step, made through the pages, is in the
visit's "All changes" page with the person who took it, including the steps that change no column of
the visit (recorded on case records, shared with commissioning)."""

import re
from html import unescape

import pytest
from django.urls import reverse

from tests.factories import RecommendationFactory
from tests.visits.conftest import complete, share_with_provider
from visits.models import VisitStatus

pytestmark = pytest.mark.django_db


def post(client, name, visit, data=None):
    return client.post(reverse(f"visits:{name}", args=[visit.pk]), data or {}, follow=True)


def history_rows(client, visit) -> list[tuple[str, str]]:
    """(who, what) for each row of the visit's history page, oldest first."""
    page = client.get(reverse("visits:visit_history", args=[visit.pk]))
    assert page.status_code == 200
    rows = []
    for row in re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', page.text, flags=re.S)[1:]:
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)
        text = [" ".join(unescape(re.sub(r"<[^>]+>", " ", cell)).split()).replace(" :", ":") for cell in cells]
        if len(text) == 3:
            rows.append((text[1], text[2]))
    return rows[::-1]


def test_every_step_of_the_path_is_in_the_history_with_who_took_it(
    client, qa_lead, senior_leader, provider_user, visit, placed
):
    complete(visit, placed)
    rec = RecommendationFactory(visit=visit, owner=senior_leader)
    client.force_login(senior_leader)
    assert "Visit submitted to the QA lead" in post(client, "submit", visit).text
    client.force_login(qa_lead)
    post(client, "return_to_draft", visit, {"note": "Please add what JB said about school"})
    client.force_login(senior_leader)
    post(client, "submit", visit)
    client.force_login(qa_lead)
    share_with_provider(client, visit)
    client.force_login(provider_user)
    client.post(
        reverse("reviews:visit_respond", args=[visit.pk]),
        {
            "comment": "Thank you for visiting.",
            f"r{rec.pk}_accepted": "yes",
            f"r{rec.pk}_action": "Weekly activity planning with each young person",
            f"r{rec.pk}_action_by": "31/12/2030",
        },
    )
    client.force_login(qa_lead)
    post(client, "finalise", visit)
    for person in placed:  # each young person's case-record note, one at a time
        client.post(reverse("visits:case_record_note_recorded", args=[visit.pk, person.pk]))
    post(client, "commissioning", visit)
    visit.refresh_from_db()
    assert visit.status == VisitStatus.FINALISED

    steps = [(who, what) for who, what in history_rows(client, visit) if what.startswith("Visit:")]
    leader, lead, provider = senior_leader.full_name, qa_lead.full_name, provider_user.full_name
    expected = [
        (leader, "Submitted"),
        (lead, "Returned to draft: Please add what JB said about school"),
        (leader, "Submitted"),
        (lead, "Shared with provider"),
        (provider, "Provider responded"),
        (lead, "Finalised"),
        (lead, "Recorded on case records: 1 of 2 case records"),
        (lead, "Recorded on case records: 2 of 2 case records"),
        (lead, "Shared with commissioning"),
    ]
    found = [(who, what) for who, what in steps if "(reason:" in what]
    assert len(found) == len(expected), steps
    for (who, what), (expected_who, expected_reason) in zip(found, expected, strict=True):
        assert who == expected_who, (who, what)
        assert f"(reason: {expected_reason}" in what, what
    # The status changes read as the path: draft, submitted, back to draft, and on to finalised.
    transitions = [
        ("Draft", "Submitted"),
        ("Submitted", "Draft"),
        ("Draft", "Submitted"),
        ("Submitted", "Shared with provider"),
        ("Shared with provider", "Provider responded"),
        ("Provider responded", "Finalised"),
    ]
    for (_, what), (old, new) in zip(found, transitions, strict=False):
        assert f"Status: {old} → {new}" in what, what
    assert "Provider's response due: (blank) →" in found[3][1]
