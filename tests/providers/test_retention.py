"""Retention: young people past a set age, or long since their last placement, are listed for the QA lead
to review, and anonymised on confirmation (their change history too), with a record kept that it was done."""

import html
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from providers.models import ImportRun, YoungPerson, YoungPersonAnonymisation
from providers.retention import years_before, young_person_anonymise
from reviews.models import YoungPersonOutcome
from reviews.privacy import ANONYMISED_NOTES
from tests.factories import PlacementFactory, YoungPersonFactory
from tests.lists import table_rows
from tests.pages import mentions, text_of
from tests.reviews.test_meetings import held_meeting

pytestmark = pytest.mark.django_db

REVIEW = reverse("providers:retention_review")


def born(years_ago: int, days: int = 0) -> date:
    return years_before(timezone.localdate(), years_ago) + timedelta(days=days)


def test_the_review_lists_those_past_the_age_or_long_since_placed_and_not_placed_now(client, qa_lead, provider):
    today = timezone.localdate()
    YoungPersonFactory(case_record_id="26-TODAY", date_of_birth=born(26), cohort="care_leaver")
    YoungPersonFactory(case_record_id="AGED-25", date_of_birth=born(26, days=1), cohort="care_leaver")
    placed_long_ago = YoungPersonFactory(case_record_id="ENDED-8", date_of_birth=born(20), cohort="care_leaver")
    PlacementFactory(
        young_person=placed_long_ago, provider=provider, start_date=born(12), end_date=years_before(today, 8)
    )
    placed_lately = YoungPersonFactory(case_record_id="ENDED-6", date_of_birth=born(20), cohort="care_leaver")
    PlacementFactory(young_person=placed_lately, provider=provider, start_date=born(12), end_date=born(6))
    still_placed = YoungPersonFactory(case_record_id="OLD-PLACED", date_of_birth=born(30), cohort="care_leaver")
    PlacementFactory(young_person=still_placed, provider=provider, start_date=born(10))
    done = YoungPersonFactory(case_record_id="DONE", date_of_birth=born(40), cohort="care_leaver")
    young_person_anonymise(person_id=done.pk, by=qa_lead)
    YoungPersonFactory(case_record_id="CHILD")

    client.force_login(qa_lead)
    response = client.get(REVIEW)
    assert response.status_code == 200
    rows = [[html.unescape(cell) for cell in row] for row in table_rows(response.text)]
    assert [row[0].split()[-1] for row in rows] == ["(26-TODAY)", "(ENDED-8)"]
    assert rows[0][3] == "Aged 26: older than 25"
    assert rows[1][3] == f"Last placement ended on {years_before(today, 8):%d/%m/%Y}: 7 years ago or more"
    assert f"ANON-{done.pk}" in response.text  # under "Anonymised"


def test_the_limits_are_configurable(client, qa_lead, settings):
    settings.RETENTION_AGE_YEARS = 21
    YoungPersonFactory(case_record_id="AGED-22", date_of_birth=born(22), cohort="care_leaver")
    client.force_login(qa_lead)
    assert "AGED-22" in client.get(REVIEW).text


@pytest.fixture
def due(provider, social_worker, qa_lead):
    """JB, born 14 March 27 years ago, once recorded as "JO" (so the change history holds both), with an
    allocated social worker, a placement that ended long ago, and notes about her from a review meeting."""
    person = YoungPersonFactory(
        initials="JO",
        case_record_id="7100009",
        date_of_birth=born(27).replace(month=3, day=14),
        cohort="care_leaver",
        social_worker=social_worker,
    )
    person.initials = "JB"
    person.save()
    PlacementFactory(young_person=person, provider=provider, start_date=born(12), end_date=born(9))
    meeting = held_meeting(provider, born(9, days=-30))
    outcome = YoungPersonOutcome.objects.create(meeting=meeting, young_person=person, notes="JB is settled at school")
    outcome.notes = "JB is settled at Hill Road school"
    outcome.save()
    return person


def test_anonymising_on_confirmation_removes_the_identifying_values_from_the_record_and_its_history(
    client, qa_lead, due
):
    birth = due.date_of_birth
    assert YoungPerson.history.filter(id=due.pk).count() == 2
    client.force_login(qa_lead)
    confirm = client.get(reverse("providers:young_person_anonymise", args=[due.pk]))
    assert "Anonymise JB (7100009)?" in html.unescape(confirm.text)

    response = client.post(reverse("providers:young_person_anonymise", args=[due.pk]))
    assert response.status_code == 302

    due.refresh_from_db()
    assert (due.initials, due.case_record_id, due.date_of_birth, due.social_worker) == (
        "XX",
        f"ANON-{due.pk}",
        date(birth.year, 1, 1),
        None,
    )
    history = list(YoungPerson.history.filter(id=due.pk).values("initials", "case_record_id", "date_of_birth"))
    assert len(history) == 3  # created, changed, anonymised: each rewritten
    assert all(
        row == {"initials": "XX", "case_record_id": f"ANON-{due.pk}", "date_of_birth": due.date_of_birth}
        for row in history
    )
    assert not YoungPerson.history.filter(id=due.pk, social_worker__isnull=False).exists()
    outcome = YoungPersonOutcome.objects.get(young_person=due)
    assert outcome.notes == ANONYMISED_NOTES
    assert set(YoungPersonOutcome.history.filter(young_person_id=due.pk).values_list("notes", flat=True)) == {
        ANONYMISED_NOTES
    }

    record = YoungPersonAnonymisation.objects.get(young_person=due)
    assert (record.by, record.fields_changed, record.history_rows_scrubbed) == (qa_lead, 5, 5)
    assert (
        record.reason == "Aged 27: older than 25; Last placement ended on " + f"{born(9):%d/%m/%Y}: 7 years ago or more"
    )
    page = html.unescape(client.get(REVIEW).text)
    assert f"ANON-{due.pk}" in page and "7100009" not in page
    person_page = client.get(due.get_absolute_url())
    # Initials in the page's text: they can turn up in the markup's random tokens (the CSRF token).
    assert "Anonymised on" in text_of(person_page) and not mentions(text_of(person_page), "JB")
    assert "7100009" not in person_page.text


def test_a_record_not_due_is_not_anonymised(client, qa_lead, placed):
    client.force_login(qa_lead)
    response = client.post(reverse("providers:young_person_anonymise", args=[placed[0].pk]), follow=True)
    assert "is not due to be anonymised" in html.unescape(response.text)
    assert YoungPerson.objects.get(pk=placed[0].pk).initials == "JB"
    assert not YoungPersonAnonymisation.objects.exists()


def test_only_those_who_review_retention_see_it(client, commissioning_officer, social_worker, due):
    for user in (commissioning_officer, social_worker):
        client.force_login(user)
        assert client.get(REVIEW).status_code == 403
        assert client.post(reverse("providers:young_person_anonymise", args=[due.pk])).status_code == 403
    assert YoungPerson.objects.get(pk=due.pk).initials == "JB"


def test_their_rows_in_the_placements_files_kept_from_imports_are_rewritten_and_nobody_elses(qa_lead, due):
    birth = due.date_of_birth
    content = (
        "Case record ID,Initials,Date of birth,Cohort,Provider,Start date\r\n"
        f"0007100009,JB,{birth:%d/%m/%Y},Care leaver,Harbour Lights Fostering,01/02/2016\r\n"
        "7100010,KM,01/01/2012,Child in care,Harbour Lights Fostering,01/02/2016\r\n"
    )
    run = ImportRun.objects.create(
        kind="placements",
        filename="placements.csv",
        content=content,
        uploaded_by=qa_lead,
        preview={"refused": [{"line": 2, "young_person": "JB (7100009)", "why": "Case record ID 7100009 is on stop"}]},
    )

    young_person_anonymise(person_id=due.pk, by=qa_lead)

    run.refresh_from_db()
    assert run.content == (
        "Case record ID,Initials,Date of birth,Cohort,Provider,Start date\r\n"
        f"ANON-{due.pk},XX,{birth.year},Care leaver,Harbour Lights Fostering,01/02/2016\r\n"
        "7100010,KM,01/01/2012,Child in care,Harbour Lights Fostering,01/02/2016\r\n"
    )
    assert run.preview["refused"][0]["young_person"] == f"XX (ANON-{due.pk})"
    assert run.preview["refused"][0]["why"] == f"Case record ID ANON-{due.pk} is on stop"
    record = YoungPersonAnonymisation.objects.get(young_person=due)
    assert "Placements file placements.csv" in " ".join(record.details) and record.fields_changed == 5 + 3
