"""A cell of an import typed with a line break in it (Alt+Enter in a spreadsheet) is one line once read:
every column read is one line (a name, a URN, a date). A setting's name once kept its line break, and
the same-day email when that setting was judged Inadequate ("Inadequate judgement: plan a visit to
Line / Break House today") could never be sent: no mail server takes a subject on two lines. An email
whose subject names something stored with a line break before this is sent on one line."""

import pytest

from providers.models import Setting
from qa_portal.notify import notify
from tests.mail import deliver_all
from tests.providers.import_ofsted import ofsted_csv, ofsted_row, run_import

pytestmark = pytest.mark.django_db


def test_a_line_break_in_a_name_is_read_as_a_space(tmp_path, provider):
    rows = [ofsted_row("SC777001", Name="Line\r\nBreak House", **{"Local authority": "Kent\nCounty"})]
    run_import(tmp_path, ofsted_csv(rows))
    setting = Setting.objects.get(urn="SC777001")
    assert setting.name == "Line Break House"


def test_an_email_naming_a_name_stored_with_a_line_break_is_sent_on_one_line(smtp_server, qa_lead, provider):
    provider.name = "Harbour Lights\r\nBcc: someone@example.com"  # as an earlier import could leave it
    provider.save()
    notify(
        to=qa_lead,
        kind="test",
        key="one",
        subject=f"{provider} is now High risk",
        template="emails/risk_high",
        context={"provider": provider},
    )
    [message] = deliver_all(smtp_server)
    assert message["Subject"] == "Harbour Lights Bcc: someone@example.com is now High risk"
    assert message["Bcc"] is None and message["To"] == qa_lead.email
