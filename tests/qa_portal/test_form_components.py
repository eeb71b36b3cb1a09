"""Every form of the portal shows its fields as the GOV.UK Design System has them (qa_portal.inputs,
qa_portal.widgets): no blank "---------" radio or option (a required choice has no empty radio; an optional one
names it), no check box in a list without a value, every box and select styled as GOV.UK's, numbers in a
text box with a numeric keyboard, and every date in the date input pattern (day, month and year in a
labelled group).

The forms are those test_inputs_every_form opens (every named address with a form is declared there),
as each is first shown and as it comes back with errors."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.qa_portal.test_inputs_every_form import FORMS, records, sign_in_as  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

BLANK_LABELS = {"", "---------"}


class _Fields(HTMLParser):
    """The radios (with their labels), boxes, selects and date inputs of a page's POST forms."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.radios, self.checkboxes, self.boxes, self.selects = [], [], [], []
        self.groups, self.date_inputs = [], []
        self.labels: dict[str, str] = {}
        self.options: list[tuple[str, str]] = []  # (select's name, option's text)
        self._label_for = None
        self._select = None
        self._option = None
        self._fieldsets: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = {key: value or "" for key, value in attrs}
        classes = attrs.get("class", "").split()
        if tag == "fieldset":
            self._fieldsets.append(attrs)
        elif tag == "input" and attrs.get("type") == "radio":
            self.radios.append(attrs)
        elif tag == "input" and attrs.get("type") == "checkbox":
            self.checkboxes.append(attrs)
        elif tag == "input" and attrs.get("type", "text") not in ("hidden", "radio", "checkbox", "submit", "button"):
            self.boxes.append(attrs)
        elif tag == "select":
            self.selects.append(attrs)
            self._select = attrs.get("name")
        elif tag == "option" and self._select is not None:
            self._option = ""
        elif tag == "label":
            self._label_for = attrs.get("for")
            self.labels.setdefault(self._label_for, "")
        elif tag == "div" and "govuk-date-input" in classes:
            self.date_inputs.append(attrs.get("id"))
            self.groups.append(self._fieldsets[-1] if self._fieldsets else {})

    def handle_endtag(self, tag):
        if tag == "option" and self._option is not None:
            self.options.append((self._select, " ".join(self._option.split())))
            self._option = None
        elif tag == "select":
            self._select = None
        elif tag == "label":
            self._label_for = None
        elif tag == "fieldset" and self._fieldsets:
            self._fieldsets.pop()

    def handle_data(self, data):
        if self._option is not None:
            self._option += data
        if self._label_for is not None:
            self.labels[self._label_for] += data


def _problems(html: str) -> list[str]:
    page = _Fields()
    page.feed(html)
    problems = []
    for radio in page.radios:
        label = " ".join(page.labels.get(radio.get("id"), "").split())
        if label in BLANK_LABELS:
            problems.append(f"radio {radio.get('name')}={radio.get('value')!r} is labelled {label!r}")
    for box in page.checkboxes:
        if box.get("value") == "":  # none is Django's single check box, which posts "on"
            label = " ".join(page.labels.get(box.get("id"), "").split())
            problems.append(f"check box {box.get('name')} {label!r} has no value: ticked, it is refused")
    for box in page.boxes:
        name, kind = box.get("name"), box.get("type", "text")
        if kind in ("number", "date"):
            problems.append(f"{name} is type={kind}, not a text box with a numeric keyboard or a date input")
        if kind != "file" and "govuk-input" not in box.get("class", "").split():
            problems.append(f"{name} ({kind}) is not styled govuk-input")
    for select in page.selects:
        if "govuk-select" not in select.get("class", "").split():
            problems.append(f"select {select.get('name')} is not styled govuk-select")
    for name, text in page.options:
        if text == "---------":
            problems.append(f"select {name} offers '---------': name what choosing nothing means")
    for id_, group in zip(page.date_inputs, page.groups, strict=True):
        if group.get("role") != "group":
            problems.append(f"date input {id_} is not in a fieldset with role=group")
    return problems


@pytest.mark.parametrize("name", sorted(FORMS))
def test_every_form_shows_its_fields_as_govuk_does(request, client, records, provider_user, name):  # noqa: F811
    who, arguments = FORMS[name]
    sign_in_as(request, client, who)
    url = reverse(name, args=[records[a].pk if isinstance(a, str) else a for a in arguments])
    shown = client.get(url)
    assert shown.status_code == 200, f"{url}: {shown.status_code}"
    assert _problems(shown.content.decode()) == [], url
    # As it comes back with errors (everything left blank): the same components, the boxes kept.
    refused = client.post(url, {})
    if refused.status_code == 200:
        assert _problems(refused.content.decode()) == [], f"{url}, with errors"


def test_the_check_finds_a_blank_radio_and_an_unstyled_box():
    html = (
        '<form method="post"><input type="radio" name="cohort" id="c1" value=""><label for="c1">---------</label>'
        '<input type="checkbox" name="met" id="m1" value=""><label for="m1">Not known</label>'
        '<input type="number" name="capacity"><select name="provider"><option value="">---------</option></select>'
        '<fieldset><div class="govuk-date-input" id="id_d"></div></fieldset></form>'
    )
    assert _problems(html) == [
        "radio cohort='' is labelled '---------'",
        "check box met 'Not known' has no value: ticked, it is refused",
        "capacity is type=number, not a text box with a numeric keyboard or a date input",
        "capacity (number) is not styled govuk-input",
        "select provider is not styled govuk-select",
        "select provider offers '---------': name what choosing nothing means",
        "date input id_d is not in a fieldset with role=group",
    ]
