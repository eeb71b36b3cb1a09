"""The downloads of this app that can be made in the background (qa_portal.documents), registered
by VisitsConfig.ready()."""

from qa_portal.documents import kinds
from visits.views import report


def register_documents() -> None:
    kinds.register(
        kinds.Kind(
            name=report.REPORT_DOCUMENT,
            label="Visit report",
            build=report.report_file,
            formats=("pdf",),
            # Provider users see their own organisation's shared reports through the access rules,
            # not a permission: the visit is checked instead, when it is made and when downloaded.
            check=report.may_see_the_visit,
            inline=True,
        )
    )
