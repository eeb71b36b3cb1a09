"""A committee pack's download is in the access log of each young person its appendix names: those met
on its visits, and those the visits' recommendations are for. The rest of the pack only counts people."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from providers.models import YoungPerson
from qa_portal.access_log import entries_about
from qa_portal.models import AccessAction
from tests.factories import RecommendationFactory, VisitFactory, YoungPersonFactory
from tests.reporting.test_committee_pages import make_version, manager, report  # noqa: F401  fixtures

pytestmark = pytest.mark.django_db


def test_downloading_a_pack_records_the_young_people_its_visit_reports_name(client, manager, report, provider):  # noqa: F811
    met, recommended_for, elsewhere = YoungPersonFactory(), YoungPersonFactory(), YoungPersonFactory()
    visit = VisitFactory(provider=provider, status="finalised", visit_date=timezone.localdate() - timedelta(days=9))
    visit.young_people_met.add(met)
    RecommendationFactory(visit=visit, level="child", young_person=recommended_for, owner=manager)
    other_visit = VisitFactory(provider=provider, status="finalised")
    other_visit.young_people_met.add(elsewhere)
    version = make_version(report)
    version.figures = {"visit_summaries": [{"visit_id": visit.pk}]}
    version.save()

    client.force_login(manager)
    assert client.get(reverse("committee:version_download", args=[report.pk, version.pk])).status_code == 200

    for person in (met, recommended_for):
        [entry] = entries_about(YoungPerson, person.pk)
        assert (entry.user, entry.action, entry.record) == (manager, AccessAction.DOWNLOADED, version)
        assert entry.what.startswith("Committee pack: ")
    assert not entries_about(YoungPerson, elsewhere.pk).exists()
