"""Every answer of a visit section autosaves with compare-and-set (radios, checkboxes, selects, dates
and text alike), and no save ever writes an answer the visitor did not change (issue 11)."""

import json
import socket
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from qa_portal.roles import Role
from tests.factories import SettingFactory, UserFactory
from tests.pages import text_of
from tests.signin import Client
from visits.models import Answer, TemplateQuestion

pytestmark = pytest.mark.django_db


def autosave(client, visit, number, fields):
    return client.post(
        reverse("visits:autosave", args=[visit.pk, number]),
        json.dumps({"fields": fields}),
        content_type="application/json",
        headers={"Accept": "application/json"},
    )


def question(visit, text):
    return TemplateQuestion.objects.get(section__template=visit.template, text=text)


class _SectionForm(HTMLParser):
    """What a browser posts from a section page's form when its Save button is pressed."""

    def __init__(self):
        super().__init__()
        self.data, self.inside, self.textarea, self.select = {}, False, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and "data-autosave-url" in attrs:
            self.inside = True
        name = attrs.get("name")
        if not self.inside or (not name and tag != "option"):
            return
        if tag == "input" and (attrs.get("type") not in ("radio", "checkbox") or "checked" in attrs):
            self.data.setdefault(name, []).append(attrs.get("value") or "")
        elif tag == "textarea":
            self.textarea = name
            self.data[name] = [""]
        elif tag == "select":
            self.select = name
        elif tag == "option" and self.select and "selected" in attrs:
            self.data[self.select] = [attrs.get("value") or ""]

    def handle_data(self, data):
        if self.textarea:
            self.data[self.textarea][0] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self.data[self.textarea][0] = self.data[self.textarea][0].removeprefix("\n")
            self.textarea = None
        elif tag == "select":
            self.select = None
        elif tag == "form":
            self.inside = False


def form_of(response) -> dict[str, list[str]]:
    parser = _SectionForm()
    parser.feed(response.content.decode())
    return parser.data


@pytest.fixture
def colleague():
    return UserFactory(role=Role.QA_LEAD, full_name="Ada Colleague")


# Each kind of answer autosaves.


def test_a_yes_or_no_answer_autosaves(client, senior_leader, visit):
    client.force_login(senior_leader)
    q = question(visit, "Does the young person feel safe in the area?")
    response = autosave(client, visit, 3, {f"q{q.pk}_choice": {"base": "", "value": "no"}})
    assert response.status_code == 200
    assert response.json()["saved"] == {f"q{q.pk}_choice": "no"}
    assert Answer.objects.get(visit=visit, question=q).choice == "no"


def test_no_to_good_enough_for_my_own_child_autosaves(client, senior_leader, visit):
    client.force_login(senior_leader)
    response = autosave(client, visit, 8, {"overall_judgement": {"base": "", "value": "no"}})
    assert response.status_code == 200
    visit.refresh_from_db()
    assert visit.overall_judgement == "no"


def test_the_setting_chosen_from_a_list_autosaves(client, senior_leader, visit):
    setting = SettingFactory(provider=visit.provider, name="Wren Cottage")
    client.force_login(senior_leader)
    response = autosave(client, visit, 1, {"setting": {"base": "", "value": str(setting.pk)}})
    assert response.status_code == 200
    visit.refresh_from_db()
    assert visit.setting == setting


def test_ticked_boxes_autosave(client, senior_leader, visit, placed):
    client.force_login(senior_leader)
    response = autosave(client, visit, 1, {"reasons": {"base": "number", "value": ["number", "high_cost"]}})
    assert response.json()["saved"] == {"reasons": "high_cost,number"}
    response = autosave(
        client, visit, 2, {"young_people_met": {"base": "", "value": [str(person.pk) for person in placed]}}
    )
    assert response.status_code == 200
    visit.refresh_from_db()
    assert sorted(visit.reasons) == ["high_cost", "number"]
    assert set(visit.young_people_met.all()) == set(placed)


def test_a_date_autosaves_and_a_half_typed_one_is_refused_by_name(client, senior_leader, visit):
    client.force_login(senior_leader)
    response = autosave(
        client,
        visit,
        1,
        {
            "visit_date": {"base": "", "value": "12/03/202"},
            "others_present": {"base": "", "value": "Tom Reilly, social worker"},
        },
    )
    assert response.status_code == 422
    # A year typed short is refused as every date field refuses it (qa_portal.dates).
    year = timezone.localdate().year
    assert response.json()["errors"] == {"visit_date": f"Enter the year as 4 digits, for example {year}"}
    visit.refresh_from_db()
    assert (visit.visit_date, visit.others_present) == (None, "Tom Reilly, social worker")

    yesterday = timezone.localdate() - timedelta(days=1)
    response = autosave(client, visit, 1, {"visit_date": {"base": "", "value": f"{yesterday:%d/%m/%Y}"}})
    assert response.status_code == 200
    visit.refresh_from_db()
    assert visit.visit_date == yesterday


def test_a_choice_someone_else_changed_first_is_not_overwritten(client, senior_leader, colleague, visit):
    client.force_login(colleague)
    autosave(client, visit, 8, {"overall_judgement": {"base": "", "value": "with_reservations"}})
    client.force_login(senior_leader)
    response = autosave(client, visit, 8, {"overall_judgement": {"base": "", "value": "no"}})
    assert response.status_code == 409
    conflict = response.json()["conflicts"]["overall_judgement"]
    assert (conflict["theirs"], conflict["theirs_display"]) == ("with_reservations", "Yes, with reservations")
    assert "Ada Colleague saved a different version" in conflict["message"]
    visit.refresh_from_db()
    assert visit.overall_judgement == "with_reservations"


# A save never sends, and never writes, an answer the visitor did not change.


def test_an_answer_sent_as_it_was_is_neither_compared_nor_written(client, senior_leader, colleague, visit):
    security, amenities = question(visit, "Security"), question(visit, "Amenities nearby")
    client.force_login(colleague)
    autosave(client, visit, 3, {f"q{security.pk}": {"base": "", "value": "Locks and fire doors checked"}})
    client.force_login(senior_leader)
    response = autosave(
        client,
        visit,
        3,
        {f"q{security.pk}": {"base": "", "value": ""}, f"q{amenities.pk}": {"base": "", "value": "A park nearby"}},
    )
    assert response.status_code == 200
    assert response.json()["conflicts"] == {}
    assert Answer.objects.get(visit=visit, question=security).text == "Locks and fire doors checked"
    assert Answer.objects.get(visit=visit, question=amenities).text == "A park nearby"


def test_saving_the_page_keeps_an_answer_a_colleague_saved_meanwhile(client, senior_leader, colleague, visit):
    """The reported fault: A saves "Security"; B, without reloading, changes only "Amenities" and saves."""
    security, amenities = question(visit, "Security"), question(visit, "Amenities nearby")
    client.force_login(senior_leader)
    page = client.get(reverse("visits:section", args=[visit.pk, 3]))
    client.force_login(colleague)
    autosave(client, visit, 3, {f"q{security.pk}": {"base": "", "value": "Locks and fire doors checked"}})

    client.force_login(senior_leader)
    data = form_of(page)
    data[f"q{amenities.pk}"] = ["A park and a bus stop"]
    response = client.post(reverse("visits:section", args=[visit.pk, 3]), data)
    assert response.status_code == 302
    assert Answer.objects.get(visit=visit, question=security).text == "Locks and fire doors checked"
    assert Answer.objects.get(visit=visit, question=amenities).text == "A park and a bus stop"


def test_saving_again_after_a_conflict_keeps_theirs_until_the_visitor_chooses(client, senior_leader, colleague, visit):
    security = question(visit, "Security")
    client.force_login(senior_leader)
    page = client.get(reverse("visits:section", args=[visit.pk, 3]))
    client.force_login(colleague)
    autosave(client, visit, 3, {f"q{security.pk}": {"base": "", "value": "Their words"}})
    client.force_login(senior_leader)
    data = form_of(page)
    data[f"q{security.pk}"] = ["My words"]
    url = reverse("visits:section", args=[visit.pk, 3])

    conflict = client.post(url, data)
    assert "Ada Colleague saved a different version" in text_of(conflict)
    again = client.post(url, form_of(conflict))  # Save pressed again, nothing chosen
    assert again.status_code == 200
    assert "Ada Colleague saved a different version" in text_of(again)
    assert Answer.objects.get(visit=visit, question=security).text == "Their words"

    chosen = form_of(again) | {f"q{security.pk}__resolve": ["mine"]}
    assert client.post(url, chosen).status_code == 302
    assert Answer.objects.get(visit=visit, question=security).text == "My words"


def test_using_their_version_after_a_conflict_writes_nothing(client, senior_leader, colleague, visit):
    security = question(visit, "Security")
    client.force_login(colleague)
    autosave(client, visit, 3, {f"q{security.pk}": {"base": "", "value": "Their words"}})
    client.force_login(senior_leader)
    url = reverse("visits:section", args=[visit.pk, 3])
    conflict = client.post(url, {f"q{security.pk}": "My words", f"q{security.pk}__base": ""})
    response = client.post(url, form_of(conflict) | {f"q{security.pk}__resolve": ["theirs"]}, follow=True)
    assert "Section 3 saved" in text_of(response)
    assert form_of(response)[f"q{security.pk}"] == ["Their words"]
    assert Answer.objects.get(visit=visit, question=security).updated_by == colleague


def test_a_whole_form_post_of_unchanged_choices_writes_nothing(client, senior_leader, colleague, visit, placed):
    client.force_login(senior_leader)
    page = client.get(reverse("visits:section", args=[visit.pk, 1]))
    client.force_login(colleague)
    autosave(client, visit, 1, {"how_arranged": {"base": "announced", "value": "unannounced"}})
    autosave(client, visit, 1, {"reasons": {"base": "number", "value": ["concerns"]}})
    client.force_login(senior_leader)
    response = client.post(reverse("visits:section", args=[visit.pk, 1]), form_of(page))
    assert response.status_code == 302
    visit.refresh_from_db()
    assert (visit.how_arranged, visit.reasons) == ("unannounced", ["concerns"])


# When the save cannot be made at all, the answer says why.


def test_an_autosave_after_the_session_ended_says_signed_out(client, visit):
    response = autosave(client, visit, 3, {})
    assert response.status_code == 401
    assert response.json()["signed_out"] is True


@pytest.mark.django_db(transaction=True)
def test_an_autosave_while_the_database_is_unreachable_says_so(senior_leader, visit):
    client = Client(raise_request_exception=False)  # as a browser sees it
    client.force_login(senior_leader)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    settings_dict, port = connection.settings_dict, connection.settings_dict["PORT"]
    settings_dict["PORT"] = str(closed_port)
    connection.close()
    try:
        response = autosave(client, visit, 8, {"overall_judgement": {"base": "", "value": "no"}})
    finally:
        settings_dict["PORT"] = port
        connection.close()
    assert response.status_code == 503
    assert "There is no connection to the database" in response.json()["error"]
