"""What sharing a visit report with its provider sends, shown on the check page before anyone confirms.

Sharing emails the provider's users and contacts and starts the time they have to respond (DOMAIN.md:
10 working days by default), so it is never one click: the QA lead first sees exactly what the
provider will receive (the report as its users will read it, who is emailed and each email's text)
and then confirms. The confirmation carries a fingerprint of what was shown; if anything in it has
changed by the time it arrives (a contact added, the report returned and submitted again), nothing is
shared and the page is shown again."""

import copy
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet
from django.utils import timezone

from qa_portal.models import User
from qa_portal.notify import Message
from qa_portal.working_days import add_working_days
from visits.models import Visit, VisitStatus
from visits.notifications import provider_report_email, provider_report_recipients
from visits.selectors import report_context

# The recommendations of a visit its provider sees once the report is shared. They belong to `reviews`,
# which registers the one rule it applies to provider users (reviews.access), so that this app does not
# import `reviews` and the preview cannot drift from what the provider is then shown.
_provider_recommendations: Callable[[Visit], QuerySet] | None = None


def register_provider_recommendations(rule: Callable[[Visit], QuerySet]) -> None:
    """Say which recommendations of a visit its provider sees once the report is shared: `rule(visit)`
    returns them as a queryset. Called by reviews.apps."""
    global _provider_recommendations
    _provider_recommendations = rule


@dataclass(frozen=True)
class Recipient:
    """Someone the provider's copy goes to: a user of the provider (who signs in to read it), or one of
    its contacts who receive reports (by name, when the contact has one)."""

    name: str
    email: str
    has_account: bool


@dataclass(frozen=True)
class ShareCheck:
    """Everything the check page shows: the recipients, each one's email, the report's context as the
    provider will read it (for visits/_report_body.html), the date their response will be due if
    shared today, and the fingerprint the confirmation must carry."""

    visit: Visit
    recipients: list[Recipient]
    emails: list[Message]
    report: dict
    response_due: date
    fingerprint: str

    @property
    def can_share(self) -> bool:
        """Only a submitted report with someone to tell: shared with nobody, the provider would never
        hear of it while their time to respond ran out."""
        return self.visit.status == VisitStatus.SUBMITTED and bool(self.recipients)


def response_due_if_shared_today() -> date:
    """When the provider's response is due if the report is shared today: `PROVIDER_RESPONSE_WORKING_DAYS`
    working days on, England and Wales bank holidays excluded (visits.services.visit_share sets the same)."""
    return add_working_days(timezone.localdate(), settings.PROVIDER_RESPONSE_WORKING_DAYS)


def share_check(visit: Visit) -> ShareCheck:
    """What sharing `visit` (a visit loaded through visits.selectors.visit_with_report_data) would send
    now. The report is shown as the provider's users will read it once shared: with the young people
    met by initials (providers.access.may_see_young_people lets provider users see those in reports
    shared with them) and only the recommendations addressed to them. Raises ImproperlyConfigured when
    no app has registered which recommendations those are."""
    if _provider_recommendations is None:
        raise ImproperlyConfigured("No rule says which recommendations a provider sees (reviews registers it).")
    due = response_due_if_shared_today()
    # As it will stand once shared: the status it will have and the date the response is due.
    as_shared = as_it_will_stand(visit, status=VisitStatus.SHARED, response_due=due)
    recipients = provider_report_recipients(visit)
    emails = [provider_report_email(as_shared, recipient) for recipient in recipients]
    report = report_context(as_shared, viewer=None, young_people_shown=True)
    report["path_notes_hidden"] = True  # as for every provider user (report_context)
    report["recommendations"] = list(
        _provider_recommendations(visit).select_related("owner", "young_person").order_by("pk")
    )
    contacts = {c.email.lower(): c.name for c in visit.provider.contacts.exclude(email="")}
    people = [
        Recipient(name=r.full_name, email=r.email, has_account=True)
        if isinstance(r, User)
        else Recipient(name=contacts.get(r.lower(), ""), email=r, has_account=False)
        for r in recipients
    ]
    return ShareCheck(
        visit=visit,
        recipients=people,
        emails=emails,
        report=report,
        response_due=due,
        fingerprint=_fingerprint(visit, emails, report["recommendations"]),
    )


def as_it_will_stand(visit: Visit, **changes) -> Visit:
    """A copy of `visit` in memory with `changes` made, never saved (copy.copy keeps its prefetched
    answers and sections): the report as it will read once shared."""
    shared = copy.copy(visit)
    for name, value in changes.items():
        setattr(shared, name, value)
    return shared


def _fingerprint(visit: Visit, emails: list[Message], recommendations) -> str:
    """A digest of what the check page shows that could change before the confirmation arrives: the
    report's status and last step, the answers' last changes, the recipients and their emails, and the
    recommendations the provider will see."""
    last_step = max((event.pk for event in visit.events.all()), default=0)
    answered = max((answer.updated_at.isoformat() for answer in visit.answers.all()), default="")
    parts = [
        str(visit.pk),
        visit.status,
        str(last_step),
        answered,
        *(f"{m.email}\n{m.subject}\n{m.body}" for m in emails),
        *(f"{r.pk}:{r.level}:{r.text}" for r in recommendations),
    ]
    return hashlib.sha256("\x1e".join(parts).encode()).hexdigest()
