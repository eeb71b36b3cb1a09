""" "You said, we did" (issue 17): what young people asked for on visits, beside what was done.

A pair is a young person's words marked on a visit (reviews.models.YouSaid) and a recommendation raised
from them that has been completed: its impact statement is the "we did". Lists of pairs name no young
person (the provider page, the authority-wide page and the committee pack say "a young person at
<setting>"): they are read by people who may not see young people, and by elected members. Only the
letter for the young person who said it (reviews.views.you_said.you_said_letter) is theirs alone."""

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from providers.case_record_notes import Naming, without_young_people
from qa_portal import access
from reviews.models import Recommendation, RecommendationStatus, YouSaid
from visits.services import young_people_placed


@dataclass(frozen=True)
class Pair:
    """What a young person said (`said`) and what was done (`did`, an impact statement), with where
    and when: the provider and setting of the visit, the day of the visit (`visit_date`), the day the
    recommendation was completed (`done_on`). `recommendation_id` and `visit_id` for links; no young
    person is named."""

    said: str
    did: str
    provider: str
    provider_id: int
    setting: str
    visit_date: date
    done_on: date | None
    recommendation_id: int
    visit_id: int


def completed_pairs(recommendations: QuerySet) -> QuerySet:
    """The completed recommendations of `recommendations` that answer something a young person asked
    for, with what they need to be shown as pairs, the latest done first."""
    return (
        recommendations.filter(status=RecommendationStatus.COMPLETED, you_said__isnull=False)
        .select_related("you_said__visit__provider", "you_said__visit__setting", "you_said__young_person")
        .prefetch_related("you_said__visit__young_people_met")
        .order_by("-completed_at", "-pk")
    )


def as_pairs(recommendations) -> list[Pair]:
    """`recommendations` from `completed_pairs` as Pairs, naming no young person: the initials or
    case-record ID of the young person who said it, or of another met on the visit, typed into what they
    said or what was done, read "[a young person]" (providers.case_record_notes.without_young_people)."""
    pairs = []
    for rec in recommendations:
        visit = rec.you_said.visit
        people = [rec.you_said.young_person, *visit.young_people_met.all()]
        pairs.append(
            Pair(
                said=without_young_people(rec.you_said.said, people),
                did=without_young_people(rec.impact_statement, people),
                provider=visit.provider.name,
                provider_id=visit.provider_id,
                setting=visit.setting.name if visit.setting_id else "",
                visit_date=visit.date,
                done_on=rec.completed_at.date() if rec.completed_at else None,
                recommendation_id=rec.pk,
                visit_id=visit.pk,
            )
        )
    return pairs


def you_said_we_did(user, *, provider=None) -> QuerySet:
    """The recommendations behind the pairs `user` may see, of one provider or of all, the latest done
    first (completed_pairs; as_pairs turns those of a page into Pairs): only completed recommendations
    they may see (reviews.access: for a provider user, those addressed to their own organisation, never
    one about the authority's own service)."""
    recommendations = access.visible_to(user, Recommendation)
    if provider is not None:
        recommendations = recommendations.filter(provider=provider)
    return completed_pairs(recommendations)


def pairs_completed_between(start: date, end: date) -> list[Pair]:
    """Every pair whose recommendation was completed from `start` to `end` (both included): the
    committee pack's "You said, we did" section, counted as its impact section counts completions."""
    recommendations = Recommendation.objects.filter(completed_at__date__range=(start, end))
    return as_pairs(completed_pairs(recommendations))


@dataclass(frozen=True)
class LetterItem:
    """One thing a young person asked for, for their letter: what they said, and what was done
    (`did`, the impact statements of its completed recommendations) or whether it is still being worked
    on (`in_hand`)."""

    said: str
    did: list[str]
    in_hand: bool


def letter_items(visit, young_person) -> list[LetterItem]:
    """What `young_person` asked for on `visit` and what was done about each: theirs alone, never what
    another young person asked for. Another young person met or placed there, named in the words or in
    what was done by initials or case-record ID, reads "[another young person]"
    (providers.case_record_notes.Naming, as the case-record notes take others out)."""
    marks = YouSaid.objects.filter(visit=visit, young_person=young_person).prefetch_related("recommendations")
    naming = Naming.of(young_person, young_people_placed(visit))  # placed there then, and everyone met
    items = []
    for mark in marks.order_by("pk"):
        recommendations = list(mark.recommendations.all())
        did = [
            naming.without_others(rec.impact_statement)[0]
            for rec in recommendations
            if rec.status == RecommendationStatus.COMPLETED
        ]
        in_hand = any(rec.is_live for rec in recommendations)
        items.append(LetterItem(said=naming.without_others(mark.said)[0], did=did, in_hand=in_hand))
    return items
