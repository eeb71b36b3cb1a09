"""A committee pack names no young person (it counts them; its visit reports are laid out without
them), so its download is in the access log as who, when and which version, with nobody's data: it is
on no young person's "Who has seen this record", not even of those its visits met."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from providers.models import YoungPerson
from qa_portal.access_log import entries_about
from qa_portal.models import AccessAction, PersonalDataAccess
from tests.factories import RecommendationFactory, VisitFactory, YoungPersonFactory
from tests.reporting.test_committee_pages import make_version, manager, report  # noqa: F401  fixtures

pytestmark = pytest.mark.django_db


def test_downloading_a_pack_records_the_download_and_no_young_people(client, manager, report, provider):  # noqa: F811
    met, recommended_for = YoungPersonFactory(), YoungPersonFactory()
    visit = VisitFactory(provider=provider, status="finalised", visit_date=timezone.localdate() - timedelta(days=9))
    visit.young_people_met.add(met)
    RecommendationFactory(visit=visit, level="child", young_person=recommended_for, owner=manager)
    version = make_version(report)
    version.figures = {"visit_summaries": [{"visit_id": visit.pk}]}
    version.save()

    client.force_login(manager)
    url = reverse("committee:version_download", args=[report.pk, version.pk])
    assert client.get(url).status_code == 200

    [entry] = PersonalDataAccess.objects.all()
    assert (entry.user, entry.action, entry.record, entry.path) == (manager, AccessAction.DOWNLOADED, version, url)
    assert entry.what == f"Committee pack: {report.title}, version {version.number}"
    assert (entry.subject_type, entry.subject_ids) == (None, [])
    for person in (met, recommended_for):
        assert not entries_about(YoungPerson, person.pk).exists()


def test_each_download_is_recorded(client, manager, report):  # noqa: F811
    version = make_version(report)
    client.force_login(manager)
    url = reverse("committee:version_download", args=[report.pk, version.pk])
    client.get(url)
    client.get(url)
    assert PersonalDataAccess.objects.filter(record_id=version.pk, user=manager).count() == 2
