"""Laying out the committee pack: the narrative as blocks, what a pack is made from, and the PDF."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.utils import timezone

from qa_portal.models import User
from qa_portal.pdf import render_pdf
from qa_portal.reporting.committee.charts import recommendations_chart, visits_chart
from qa_portal.reporting.committee.counting import committee_figures
from qa_portal.reporting.models import CommitteePackVersion, CommitteeReport
from qa_portal.roles import Role
from visits.models import Visit
from visits.selectors import report_context, visit_with_report_data

PACK_TEMPLATE = "reporting/committee/pack_pdf.html"

# The narrative ----------------------------------------------------------------------------------


def narrative_blocks(text: str) -> list[tuple[str, object]]:
    """Plain text as paragraphs (one a line) and bulleted lists (lines starting "- " or "• ")."""
    blocks: list[tuple[str, object]] = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        bullet = re.match(r"^[-•*]\s+(.*)$", line)
        if not bullet:
            blocks.append(("paragraph", line))
        elif blocks and blocks[-1][0] == "list":
            blocks[-1][1].append(bullet.group(1))
        else:
            blocks.append(("list", [bullet.group(1)]))
    return blocks


# Building the pack ------------------------------------------------------------------------------


@dataclass
class PackSource:
    """What a pack is made from besides the data: its title, period and narrative."""

    title: str
    period_start: date
    period_end: date
    introduction: str = ""
    learning: str = ""
    future_plans: str = ""
    version: int | None = None
    requested_by: str = ""

    @classmethod
    def for_report(cls, report: CommitteeReport, *, version: CommitteePackVersion | None = None) -> "PackSource":
        return cls(
            title=report.title,
            period_start=version.period_start if version else report.period_start,
            period_end=version.period_end if version else report.period_end,
            introduction=report.introduction,
            learning=report.learning,
            future_plans=report.future_plans,
            version=version.number if version else None,
            requested_by=version.created_by.full_name if version and version.created_by else "",
        )


def _author() -> User | None:
    """The report is the QA lead's (the Head of Safeguarding and Quality Assurance)."""
    return User.objects.active_with_role(Role.QA_LEAD).order_by("full_name", "pk").first()


Progress = Callable[[int, str], None]


def build_pack(source: PackSource, *, progress: Progress | None = None, today: date | None = None):
    """Count the figures, draw the charts, gather the visit reports and lay out the PDF, saying
    how far it has got. Returns (PDF bytes, figures)."""
    say = progress or (lambda percent, message: None)
    say(10, "Counting the figures")
    figures = committee_figures(source.period_start, source.period_end, today=today)
    say(20, "Drawing the charts")
    charts = {"visits": visits_chart(figures), "recommendations": recommendations_chart(figures)}
    say(40, "Gathering the visit reports")
    ids = [summary.visit_id for summary in figures.visit_summaries]
    appendix = []
    visits = visit_with_report_data(Visit.objects.filter(pk__in=ids)).order_by("visit_date", "pk")
    for n, visit in enumerate(visits, start=1):
        # For elected members: young people as a count only, never initials.
        context = report_context(visit, viewer=None, young_people_shown=False)
        context["recommendations"] = list(context["recommendations"])
        context["anchor"] = f"visit-{visit.pk}"
        appendix.append(context)
        if n % 5 == 0 or n == len(ids):
            say(40 + 40 * n // max(len(ids), 1), f"Gathering the visit reports ({n} of {len(ids)})")
    say(85, "Laying out the pages")
    author = _author()
    pdf = render_pdf(
        PACK_TEMPLATE,
        {
            "source": source,
            "figures": figures,
            "charts": charts,
            "appendix": appendix,
            "narrative": {
                "introduction": narrative_blocks(source.introduction),
                "learning": narrative_blocks(source.learning),
                "future_plans": narrative_blocks(source.future_plans),
            },
            "author": author,
            "authority_name": settings.AUTHORITY_NAME,
            "service_name": settings.SERVICE_NAME,
            "generated_at": timezone.localtime(),
        },
    )
    return pdf, figures
