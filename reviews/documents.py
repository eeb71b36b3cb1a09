"""The downloads of this app that can be made in the background (qa_portal.documents), registered
by ReviewsConfig.ready()."""

from qa_portal.documents import kinds
from reviews.views import meetings, overview, tracker


def register_documents() -> None:
    kinds.register(
        kinds.Kind(
            name=tracker.TRACKER_DOCUMENT,
            label="Recommendation and Impact Tracker",
            build=tracker.tracker_file,
            stream_csv=tracker.tracker_csv,
            permission="reviews.view_recommendation",
            formats=("csv", "xlsx", "pdf"),
            noun="recommendation",
            list_url_name="reviews:tracker",
        )
    )
    kinds.register(
        kinds.Kind(
            name=overview.COMPLIANCE_DOCUMENT,
            label="Compliance overview",
            build=overview.compliance_file,
            stream_csv=overview.compliance_csv,
            permission="reviews.view_reviewmeeting",
            formats=("csv", "xlsx"),
            noun="provider",
            list_url_name="reviews:compliance_overview",
        )
    )
    kinds.register(
        kinds.Kind(
            name=meetings.AGENDA_DOCUMENT,
            label="Review meeting agenda",
            build=meetings.agenda_file,
            formats=("pdf",),
            # Meetings are the council's own: the meeting is checked through the access rules when
            # the agenda is made and when it is downloaded (a provider user gets a 404).
            check=meetings.may_see_the_meeting,
            inline=True,
        )
    )
