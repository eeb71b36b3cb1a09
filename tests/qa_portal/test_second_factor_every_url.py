"""No address answers someone who has given their password but not yet their second factor: each
named URL, the admin's and the background ones included, is generated from the URL patterns and
opened and posted to in such a session; each sends them to enter their code, or refuses (401 or 403,
for what a page's script calls; 405 for a method it never takes), and nothing is read or written. Only the public pages and the
pages of signing in itself answer. (A view marked @login_not_required, so as to answer a signed-out
script with JSON, is passed over by SecondFactorMiddleware and must refuse such a session itself:
the visit autosave once saved answers on the password alone.)"""

import json

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, VisitFactory
from tests.qa_portal.test_url_protection import PUBLIC, named_patterns, sample_url
from visits.models import Answer, TemplateQuestion

pytestmark = pytest.mark.django_db

# The steps of signing in, which such a session is there to take.
SIGNING_IN = {
    "second_factor",
    "second_factor_recovery",
    "second_factor_set_up",
    "passkey_sign_in_begin",
    "passkey_sign_in_complete",
}
CHECKED = sorted((name, pattern) for name, pattern in named_patterns() if name not in PUBLIC | SIGNING_IN)


def password_alone(client, user):
    response = client.post(reverse("login"), {"username": user.email, "password": PASSWORD})
    assert response.url.startswith(reverse("second_factor")), "signed in without a code"


def refused(response) -> bool:
    if response.status_code == 302:
        return response.url.startswith(reverse("second_factor") + "?next=")
    return response.status_code in (401, 403, 405)  # 405: a POST-only address opened, nothing run


@pytest.mark.parametrize(("name", "pattern"), CHECKED, ids=[name for name, _ in CHECKED])
def test_no_address_answers_the_password_alone(client, administrator, name, pattern):
    password_alone(client, administrator)
    url = sample_url(name, pattern)
    for method in (client.get, client.post):
        response = method(url, "{}", content_type="application/json") if method == client.post else method(url)
        assert refused(response), f"{name} ({url}) answered {method.__name__.upper()} {response.status_code}"


def test_the_visit_autosave_saves_nothing_on_the_password_alone(client, senior_leader, provider):
    visit = VisitFactory(provider=provider, lead_visitor=senior_leader)
    question = TemplateQuestion.objects.filter(section__template=visit.template, section__number=3).first()
    Answer.objects.create(visit=visit, question=question, text="Written with the code given")
    password_alone(client, senior_leader)

    response = client.post(
        reverse("visits:autosave", args=[visit.pk, 3]),
        json.dumps({"fields": {f"q{question.pk}": {"base": "", "value": "Written on the password alone"}}}),
        content_type="application/json",
    )
    assert response.status_code == 401
    assert response.json()["signed_out"] is True
    assert "Written with the code given" not in response.text  # not even a conflict showing it
    assert Answer.objects.get(visit=visit, question=question).text == "Written with the code given"
