"""The response to an Inadequate judgement (issue 16): opened by the Ofsted import or by hand, once per
judgement; a same-day visit to plan, a "safe to remain?" decision for each child placed, due 24 hours
later and asked of their social worker; reminders and the escalation, each once; the provider asked for
its improvement plan; closed when every decision is recorded and the plan accepted; who sees what."""

import csv
import io
import re
import zipfile
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from providers.privacy import anonymisers
from qa_portal.audit.models import PersonalDataAccess
from qa_portal.celery import app as celery_app
from qa_portal.models import Notification
from qa_portal.reporting.committee.counting import committee_figures
from qa_portal.roles import Role
from reviews import action_plans
from reviews import responses as services
from reviews.models import ActionPlanStatus, InadequateResponse, SafeToRemainDecision
from reviews.privacy import ANONYMISED_NOTES, anonymise_decision_details
from tests.factories import (
    InspectionFactory,
    PlacementFactory,
    PlanActionFactory,
    ProviderFactory,
    SettingFactory,
    UserFactory,
    VisitFactory,
    YoungPersonFactory,
)
from tests.mail import deliver_all, text, to
from tests.pages import mentions, text_of
from tests.providers.import_ofsted import ofsted_csv, ofsted_row
from visits.models import Visit, VisitReason, VisitStatus

pytestmark = pytest.mark.django_db

JUDGEMENT_COLUMN = "Overall experiences and progress of children and young people"


@pytest.fixture
def provider():
    return ProviderFactory(name="Harbour Lights Fostering")


@pytest.fixture
def home(provider):
    return SettingFactory(provider=provider, name="Oak House", urn="SC200001")


@pytest.fixture
def other_home(provider):
    return SettingFactory(provider=provider, name="Elm House", urn="SC200002")


@pytest.fixture
def social_workers(db):
    return UserFactory(role=Role.SOCIAL_WORKER, full_name="Sam Ward"), UserFactory(
        role=Role.SOCIAL_WORKER, full_name="Pat Reid"
    )


@pytest.fixture
def two_placed(provider, home, other_home, social_workers):
    """Two young people living at Oak House, each with their own social worker, and one at Elm House."""
    first = YoungPersonFactory(initials="AB", social_worker=social_workers[0])
    second = YoungPersonFactory(initials="CD", social_worker=social_workers[1])
    elsewhere = YoungPersonFactory(initials="EF", social_worker=social_workers[0])
    PlacementFactory(young_person=first, provider=provider, setting=home)
    PlacementFactory(young_person=second, provider=provider, setting=home)
    PlacementFactory(young_person=elsewhere, provider=provider, setting=other_home)
    return first, second


def inadequate_file(urn="SC200001", name="Oak House", days_ago=3):
    day = timezone.localdate() - timedelta(days=days_ago)
    return ofsted_csv(
        [
            ofsted_row(
                urn,
                Name=name,
                **{"Inspection date": f"{day:%d/%m/%Y}", "Publication date": "", JUDGEMENT_COLUMN: "Inadequate"},
            )
        ]
    )


def import_through_the_pages(client, officer, content):
    client.force_login(officer)
    upload = SimpleUploadedFile("ofsted.csv", content.encode(), "text/csv")
    run_url = client.post(reverse("providers:import_upload", args=["ofsted"]), {"file": upload}).url
    return client.post(run_url, follow=True)


def test_importing_a_new_inadequate_judgement_opens_the_response(
    client, smtp_server, provider, home, two_placed, social_workers, qa_lead, commissioning_officer, provider_user
):
    """The issue's "Done when": a same-day visit task and two decisions due 24 hours later, each social
    worker emailed once, over real SMTP."""
    provider.commissioning_officer = commissioning_officer
    provider.save()
    before = timezone.now()

    imported = import_through_the_pages(client, commissioning_officer, inadequate_file())

    assert "File imported" in text_of(imported)
    response = InadequateResponse.objects.get()
    assert response.setting == home
    assert response.opened_by == commissioning_officer
    assert response.visit_due_on >= timezone.localdate()
    decisions = list(response.decisions.order_by("young_person__initials"))
    assert [d.young_person.initials for d in decisions] == ["AB", "CD"]  # not EF, at Elm House
    for decision in decisions:
        assert before + timedelta(hours=24) <= decision.due_at <= timezone.now() + timedelta(hours=24)
    assert response.action_plan.status == ActionPlanStatus.REQUESTED
    assert response.action_plan.inspection == response.inspection

    messages = deliver_all(smtp_server)
    for worker, initials in zip(social_workers, ["AB", "CD"], strict=True):
        theirs = to(messages, worker)
        assert len(theirs) == 1
        assert f"is {initials} safe to remain at Oak House, Harbour Lights Fostering?" in theirs[0]["Subject"]
        assert reverse(
            "reviews:safe_to_remain", args=[response.pk, response.decisions.get(young_person__initials=initials).pk]
        ) in text(theirs[0])
    for person in (qa_lead, commissioning_officer):
        told = to(messages, person)
        assert [m["Subject"] for m in told if "plan a visit" in m["Subject"]] == [
            "Inadequate judgement: plan a visit to Oak House, Harbour Lights Fostering today"
        ]
    assert len(to(messages, provider_user)) == 1  # the request for the improvement plan

    # The visit task on the QA lead's home page, and the response page's "Plan the visit".
    client.force_login(qa_lead)
    home_page = text_of(client.get(reverse("home")))
    assert "Plan the same-day visit to Oak House, Harbour Lights Fostering (Inadequate judgement)" in home_page
    page = client.get(response.get_absolute_url())
    assert "Plan the visit" in text_of(page)
    assert services.plan_the_visit_url(response).replace("&", "&amp;") in page.content.decode()


def test_importing_the_same_file_again_opens_no_second_response(
    client, smtp_server, provider, home, two_placed, commissioning_officer
):
    content = inadequate_file()
    import_through_the_pages(client, commissioning_officer, content)
    deliver_all(smtp_server)
    emails = Notification.objects.count()

    again = import_through_the_pages(client, commissioning_officer, content)

    assert "File imported" in text_of(again)
    assert InadequateResponse.objects.count() == 1
    assert SafeToRemainDecision.objects.count() == 2
    assert Notification.objects.count() == emails


def test_a_preview_opens_nothing(client, provider, home, two_placed, commissioning_officer):
    client.force_login(commissioning_officer)
    upload = SimpleUploadedFile("ofsted.csv", inadequate_file().encode(), "text/csv")
    client.post(reverse("providers:import_upload", args=["ofsted"]), {"file": upload})

    assert not InadequateResponse.objects.exists()
    assert not Notification.objects.exists()


def test_an_old_or_good_judgement_opens_nothing(client, provider, home, two_placed, commissioning_officer):
    old = inadequate_file(days_ago=services.NEWS_DAYS + 10)
    good = ofsted_csv([ofsted_row("SC200002", Name="Elm House", **{JUDGEMENT_COLUMN: "Good"})])

    import_through_the_pages(client, commissioning_officer, old)
    import_through_the_pages(client, commissioning_officer, good)

    assert not InadequateResponse.objects.exists()


def test_recording_the_judgement_by_hand_opens_the_response(client, provider, home, two_placed, commissioning_officer):
    client.force_login(commissioning_officer)
    day = timezone.localdate() - timedelta(days=1)

    client.post(
        reverse("providers:inspection_create", args=[provider.pk]),
        {
            "scale": "four_point",
            "setting": home.pk,
            "event_type": "full",
            "inspection_date_day": day.day,
            "inspection_date_month": day.month,
            "inspection_date_year": day.year,
            "judgement": 4,
        },
    )

    response = InadequateResponse.objects.get()
    assert response.opened_by == commissioning_officer
    assert response.decisions.count() == 2
    assert response.action_plan.requested_by == commissioning_officer


def test_a_provider_level_outcome_3_covers_all_the_providers_young_people(
    provider, home, other_home, two_placed, commissioning_officer
):
    from providers.models import OfstedInspection
    from providers.services import inspection_record

    no_setting = PlacementFactory(provider=provider, young_person=YoungPersonFactory(initials="GH"))
    ended = PlacementFactory(
        provider=provider,
        setting=home,
        end_date=timezone.localdate() - timedelta(days=5),
        start_date=timezone.localdate() - timedelta(days=50),
    )
    inspection = inspection_record(
        inspection=OfstedInspection(
            provider=provider,
            scale="supported_accommodation",
            inspection_date=timezone.localdate() - timedelta(days=2),
            sa_outcome=3,
        ),
        by=commissioning_officer,
    )

    response = InadequateResponse.objects.get(inspection=inspection)
    assert response.setting is None
    initials = sorted(response.decisions.values_list("young_person__initials", flat=True))
    assert initials == ["AB", "CD", "EF", "GH"]
    assert no_setting.young_person.initials in initials
    assert ended.young_person.initials not in initials


@pytest.fixture
def opened(provider, home, two_placed, commissioning_officer, qa_lead):
    from providers.models import OfstedInspection
    from providers.services import inspection_record

    inspection = inspection_record(
        inspection=OfstedInspection(
            provider=provider, setting=home, inspection_date=timezone.localdate() - timedelta(days=1), judgement=4
        ),
        by=commissioning_officer,
    )
    return InadequateResponse.objects.get(inspection=inspection)


def test_a_decision_is_in_the_young_persons_subject_access_export_and_its_details_are_cleared_on_anonymising(
    client, opened, social_workers, qa_lead
):
    first = opened.decisions.get(young_person__initials="AB")
    second = opened.decisions.get(young_person__initials="CD")
    for decision, worker, mark in ((first, social_workers[0], "AB"), (second, social_workers[1], "CD")):
        services.safe_to_remain_record(
            decision=decision,
            by=worker,
            loaded_at=decision.updated_at,
            answer="remain",
            safeguards=f"SAFEGUARDS-FOR-{mark}",
        )
    client.force_login(qa_lead)
    export = client.get(reverse("providers:subject_access_export", args=[first.young_person_id]))
    archive = zipfile.ZipFile(io.BytesIO(export.content))
    rows = list(csv.reader(io.StringIO(archive.read("safe-to-remain-decisions.csv").decode("utf-8-sig"))))
    assert [row[5] for row in rows[1:]] == ["SAFEGUARDS-FOR-AB"]
    assert b"SAFEGUARDS-FOR-CD" not in b"".join(archive.read(name) for name in archive.namelist())

    # Changed: the export holds the earlier decision too, with who made it.
    first.refresh_from_db()
    services.safe_to_remain_record(
        decision=first, by=qa_lead, loaded_at=first.updated_at, answer="other", other="OTHER-FOR-AB"
    )
    export = client.get(reverse("providers:subject_access_export", args=[first.young_person_id]))
    archive = zipfile.ZipFile(io.BytesIO(export.content))
    rows = list(csv.reader(io.StringIO(archive.read("safe-to-remain-decisions.csv").decode("utf-8-sig"))))
    assert rows[0][-1] == "Earlier decisions"
    assert rows[1][7] == "OTHER-FOR-AB"
    assert rows[1][-1].startswith(f"Remain, with safeguards: SAFEGUARDS-FOR-AB ({social_workers[0].full_name}, ")

    assert anonymise_decision_details in anonymisers()
    scrubbed = anonymise_decision_details(first.young_person)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.decision, first.safeguards, first.other) == ("other", "", ANONYMISED_NOTES)
    assert second.safeguards == "SAFEGUARDS-FOR-CD"
    # Its change history holds neither what was written then nor what is written now.
    kept = SafeToRemainDecision.history.filter(id=first.pk).values_list("safeguards", "other")
    assert not [row for row in kept if "FOR-AB" in " ".join(row)]
    assert scrubbed.history_rows >= 2
    assert "SAFEGUARDS-FOR-CD" in SafeToRemainDecision.history.filter(id=second.pk).values_list("safeguards", flat=True)
    export = client.get(reverse("providers:subject_access_export", args=[first.young_person_id]))
    archive = zipfile.ZipFile(io.BytesIO(export.content))
    assert b"FOR-AB" not in b"".join(archive.read(name) for name in archive.namelist())


def test_the_reminder_and_the_escalation_each_go_once(smtp_server, opened, social_workers, qa_lead):
    deliver_all(smtp_server)
    first = opened.decisions.get(young_person__initials="AB")
    second = opened.decisions.get(young_person__initials="CD")
    services.safe_to_remain_record(
        decision=second,
        by=social_workers[1],
        loaded_at=second.updated_at,
        answer="move",
        move_by=timezone.localdate() + timedelta(days=2),
    )
    not_yet = first.due_at - timedelta(hours=services.REMIND_HOURS_BEFORE + 1)
    soon = first.due_at - timedelta(hours=1)
    late = first.due_at + timedelta(minutes=5)

    assert services.remind_decisions(not_yet) == {"safe_to_remain_reminder": 0, "safe_to_remain_overdue": 0}
    assert services.remind_decisions(soon) == {"safe_to_remain_reminder": 1, "safe_to_remain_overdue": 0}
    assert services.remind_decisions(soon) == {"safe_to_remain_reminder": 0, "safe_to_remain_overdue": 0}
    assert services.remind_decisions(late) == {"safe_to_remain_reminder": 0, "safe_to_remain_overdue": 1}
    assert services.remind_decisions(late + timedelta(hours=3)) == {
        "safe_to_remain_reminder": 0,
        "safe_to_remain_overdue": 0,
    }

    messages = deliver_all(smtp_server)
    assert [m["Subject"] for m in to(messages, social_workers[0])] == [
        f"Reminder: is AB safe to remain at Oak House, Harbour Lights Fostering? Due "
        f"{timezone.localtime(first.due_at):%H:%M on %-d %B %Y}"
    ]
    assert [m["Subject"] for m in to(messages, qa_lead)] == [
        "Overdue: no decision yet whether AB is safe to remain at Oak House, Harbour Lights Fostering"
    ]
    assert to(messages, social_workers[1]) == []


def test_the_hourly_job_is_on_the_beat_schedule():
    jobs = {entry["task"] for entry in celery_app.conf.beat_schedule.values()}
    assert "reviews.tasks.remind_safe_to_remain_decisions" in jobs


def record(client, decision, **data):
    decision.refresh_from_db()
    return client.post(
        reverse("reviews:safe_to_remain", args=[decision.response_id, decision.pk]),
        {"loaded_at": decision.updated_at.isoformat(), **data},
    )


def test_the_response_closes_when_every_decision_is_recorded_and_the_plan_accepted(
    client, opened, social_workers, qa_lead, commissioning_officer, provider_user
):
    first, second = opened.decisions.order_by("young_person__initials")
    client.force_login(social_workers[0])
    assert record(client, first, answer="remain", safeguards="Daily visits by the social worker").status_code == 302
    client.force_login(qa_lead)
    assert record(client, second, answer="other", other="Placed with family this weekend").status_code == 302
    opened.refresh_from_db()
    assert not opened.is_closed  # the plan is not yet accepted

    plan = opened.action_plan
    PlanActionFactory(plan=plan, updated_by=provider_user)
    action_plans.action_plan_submit(plan=plan, by=provider_user)
    action_plans.action_plan_accept(plan=plan, by=commissioning_officer)

    opened.refresh_from_db()
    assert opened.is_closed
    page = text_of(client.get(opened.get_absolute_url()))
    assert "Closed" in page
    for step in (
        "Inadequate judgement of Oak House, Harbour Lights Fostering recorded",
        "AB: Remain, with safeguards: Daily visits by the social worker",
        "CD: Other: Placed with family this weekend",
        "Improvement plan requested from the provider",
        f"Improvement plan submitted by the provider ({provider_user.full_name})",
        f"Improvement plan accepted ({commissioning_officer.full_name})",
        "Response closed: every decision recorded and the plan accepted",
    ):
        assert step in page, step
    provider_page = text_of(client.get(reverse("providers:provider_detail", args=[opened.provider_id])))
    assert "Response to an Inadequate judgement" in provider_page
    assert "Safe to remain decisions recorded: 2 of 2" in provider_page


def test_the_visit_planned_from_the_response_is_its_visit(client, opened, qa_lead):
    client.force_login(qa_lead)
    form = client.get(services.plan_the_visit_url(opened))
    assert form.status_code == 200
    ticked = re.search(rf'<input[^>]*value="{VisitReason.INADEQUATE}"[^>]*>', form.content.decode())
    assert ticked and "checked" in ticked.group(0)

    visit = VisitFactory(provider=opened.provider, setting=opened.setting, planned_date=timezone.localdate())
    from visits import planning

    planning.visit_planned(visit, qa_lead)
    opened.refresh_from_db()
    assert opened.visit == visit
    Visit.objects.filter(pk=visit.pk).update(visit_date=timezone.localdate(), status=VisitStatus.SUBMITTED)
    opened.refresh_from_db()
    assert services.days_to_visit(opened) == 0
    figures = committee_figures(timezone.localdate() - timedelta(days=30), timezone.localdate())
    assert [(row.where, row.days_to_visit) for row in figures.response_rows] == [
        ("Oak House, Harbour Lights Fostering", 0)
    ]


def test_a_decision_needs_its_detail_and_keeps_the_text(client, opened, social_workers):
    decision = opened.decisions.get(young_person__initials="AB")
    client.force_login(social_workers[0])

    page = record(client, decision, answer="remain", safeguards="  ", other="Kept text")

    assert page.status_code == 200
    assert "Say what safeguards keep them safe where they are" in text_of(page)
    assert "Kept text" in page.content.decode()
    moved = record(client, decision, answer="move", move_by_day="31", move_by_month="2", move_by_year="2026")
    assert moved.status_code == 200
    decision.refresh_from_db()
    assert not decision.is_recorded


def test_a_colleagues_decision_meanwhile_is_shown_not_overwritten(client, opened, social_workers, qa_lead):
    decision = opened.decisions.get(young_person__initials="AB")
    loaded_at = decision.updated_at.isoformat()
    services.safe_to_remain_record(
        decision=decision, by=qa_lead, loaded_at=decision.updated_at, answer="other", other="Moved to her aunt's"
    )
    client.force_login(social_workers[0])

    page = client.post(
        reverse("reviews:safe_to_remain", args=[opened.pk, decision.pk]),
        {"loaded_at": loaded_at, "answer": "remain", "safeguards": "Daily calls"},
    )

    assert page.status_code == 200
    assert "Other: Moved to her aunt's" in text_of(page)
    assert "Daily calls" in page.content.decode()
    decision.refresh_from_db()
    assert decision.in_words == "Other: Moved to her aunt's"


def test_a_changed_decision_names_who_recorded_it_and_who_changed_it(client, opened, social_workers, qa_lead):
    decision = opened.decisions.get(young_person__initials="AB")
    worker = social_workers[0]
    client.force_login(worker)
    record(client, decision, answer="remain", safeguards="Daily calls from the social worker")
    decision.refresh_from_db()
    first_at = decision.recorded_at

    client.force_login(qa_lead)
    record(client, decision, answer="move", move_by_day="31", move_by_month="1", move_by_year="2027")

    decision.refresh_from_db()
    assert (decision.recorded_by, decision.recorded_at) == (worker, first_at)
    assert decision.changed_by == qa_lead and decision.changed_at > first_at
    page = text_of(client.get(opened.get_absolute_url()))
    # The first recording is not put in the QA lead's name, nor the change in the social worker's.
    assert f"{worker.full_name}, {timezone.localtime(first_at):%-d %B %Y, %H:%M}" in page
    assert f"Changed by {qa_lead.full_name}, {timezone.localtime(decision.changed_at):%-d %B %Y, %H:%M}" in page
    # The timeline keeps what was first decided, in the name of who decided it, and the change in the other's.
    assert f"AB: Remain, with safeguards: Daily calls from the social worker ({worker.full_name})" in page
    assert f"AB: decision changed to Move by 31 January 2027 ({qa_lead.full_name})" in page
    assert "AB: decision recorded" not in page
    form = text_of(client.get(decision.get_absolute_url()))
    assert (
        f"Recorded: Move by 31 January 2027 (first recorded by {worker.full_name}, "
        f"{timezone.localtime(first_at):%-d %B %Y, %H:%M}; changed by {qa_lead.full_name}, "
        f"{timezone.localtime(decision.changed_at):%-d %B %Y, %H:%M})" in form
    )


def test_each_change_keeps_the_decision_before_it_in_the_name_of_who_made_it(
    client, opened, social_workers, qa_lead, commissioning_officer
):
    decision = opened.decisions.get(young_person__initials="AB")
    for by, data in (
        (social_workers[0], {"answer": "remain", "safeguards": "Daily calls from the social worker"}),
        (qa_lead, {"answer": "other", "other": "Staying with her aunt this week"}),
        (commissioning_officer, {"answer": "remain", "safeguards": "A second carer at night"}),
    ):
        client.force_login(by)
        assert record(client, decision, **data).status_code == 302

    client.force_login(qa_lead)
    page = text_of(client.get(opened.get_absolute_url()))
    timeline = page[page.index("Timeline") :]
    first = timeline.index(
        f"AB: Remain, with safeguards: Daily calls from the social worker ({social_workers[0].full_name})"
    )
    second = timeline.index(f"AB: decision changed to Other: Staying with her aunt this week ({qa_lead.full_name})")
    third = timeline.index(
        f"AB: decision changed to Remain, with safeguards: A second carer at night ({commissioning_officer.full_name})"
    )
    assert first < second < third
    # The response's page on the provider's page tells the same story.
    provider_page = text_of(client.get(opened.provider.get_absolute_url()))
    assert f"AB: decision changed to Other: Staying with her aunt this week ({qa_lead.full_name})" in provider_page


def test_a_decision_changed_before_its_history_was_kept_gives_no_words_to_its_first_recording(
    client, opened, social_workers, qa_lead
):
    decision = opened.decisions.get(young_person__initials="AB")
    client.force_login(social_workers[0])
    record(client, decision, answer="remain", safeguards="Daily calls from the social worker")
    client.force_login(qa_lead)
    record(client, decision, answer="move", move_by_day="31", move_by_month="1", move_by_year="2027")
    SafeToRemainDecision.history.filter(id=decision.pk).delete()  # as a decision changed before 2 December 2026

    page = text_of(client.get(opened.get_absolute_url()))
    assert f"AB: decision recorded ({social_workers[0].full_name})" in page
    assert f"AB: decision changed to Move by 31 January 2027 ({qa_lead.full_name})" in page
    assert "Daily calls" not in page


def test_who_may_see_and_record(client, opened, social_workers, manager, provider_user, other_provider_user):
    first = opened.decisions.get(young_person__initials="AB")
    url = opened.get_absolute_url()

    client.force_login(manager)
    page = client.get(url)
    assert page.status_code == 200
    assert "AB" not in text_of(page).split()
    assert first.young_person.case_record_id not in page.content.decode()
    assert client.get(first.get_absolute_url()).status_code == 403

    for outsider in (provider_user, other_provider_user):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        assert client.get(first.get_absolute_url()).status_code == 404

    # A social worker records for their own children only.
    client.force_login(social_workers[1])
    assert client.get(first.get_absolute_url()).status_code == 403
    client.force_login(social_workers[0])
    assert client.get(url).status_code == 200
    assert client.get(first.get_absolute_url()).status_code == 200
    assert PersonalDataAccess.objects.filter(user=social_workers[0]).exists()


def test_an_agency_office_named_after_its_provider_is_named_once(provider):
    office = SettingFactory(provider=provider, name="Harbour Lights Fostering (Whitstable office)")
    assert InadequateResponse(provider=provider, setting=office).where == "Harbour Lights Fostering (Whitstable office)"
    assert InadequateResponse(provider=provider).where == "Harbour Lights Fostering"


def test_the_list_of_responses_shows_open_ones_and_filters_to_closed_without_naming_a_child(
    client, opened, provider, qa_lead, provider_user
):
    ash = SettingFactory(provider=provider, name="Ash House")
    InadequateResponse.objects.create(
        provider=provider,
        inspection=InspectionFactory(provider=provider, setting=ash, judgement=4),
        setting=ash,
        opened_at=timezone.now() - timedelta(days=400),
        visit_due_on=timezone.localdate() - timedelta(days=400),
        closed_at=timezone.now() - timedelta(days=380),
    )
    client.force_login(qa_lead)
    url = reverse("reviews:inadequate_response_list")
    assert url in client.get(reverse("home")).text  # in the QA lead's navigation
    page = text_of(client.get(url))
    assert "1 response" in page and "Oak House, Harbour Lights Fostering" in page and "Ash House" not in page
    assert "0 of 2 recorded" in page and "Open" in page
    assert not mentions(page, "AB") and not mentions(page, "CD")
    page = text_of(client.get(url, {"status": "closed"}))
    assert "Ash House, Harbour Lights Fostering" in page and "Oak House" not in page
    page = text_of(client.get(url, {"status": "all", "provider": provider.pk}))
    assert "2 responses" in page
    assert "Choose a status from the list" in text_of(client.get(url, {"status": "nonsense"}))
    client.force_login(provider_user)
    assert client.get(url).status_code == 404


def test_an_overdue_visit_and_a_late_or_overdue_decision_say_so(client, opened, social_workers, qa_lead):
    first, second = opened.decisions.order_by("young_person__initials")
    earlier = timezone.now() - timedelta(days=3)
    InadequateResponse.objects.filter(pk=opened.pk).update(opened_at=earlier, visit_due_on=timezone.localdate(earlier))
    opened.decisions.update(due_at=earlier + timedelta(hours=24))
    services.safe_to_remain_record(
        decision=SafeToRemainDecision.objects.get(pk=first.pk),
        by=qa_lead,
        loaded_at=first.updated_at,
        answer="remain",
        safeguards="Daily visits",
    )
    client.force_login(qa_lead)
    page = text_of(client.get(opened.get_absolute_url()))
    assert "the same working day Overdue" in page
    assert "after it was due" in page
    client.force_login(social_workers[1])
    page = text_of(client.get(second.get_absolute_url()))
    assert "Overdue" in page
