"""Laying out the committee pack: the narrative as blocks, what a pack is made from, and the PDF.

The PDF is laid out in parts, so that the time it takes grows in step with the number of visits and
the appendix's visit reports take the same memory however many there are: WeasyPrint holds a whole
document's layout in memory until it is written, which for one document of 100 visit reports was
about 800 MB (bench/pack.py; README, Performance). The parts are:

- the report itself (sections 1 to 9), the appendix's heading and the first visit report, which
  follows the heading on its page; section 2 has a paragraph for every visit and section 4 an impact
  statement for every recommendation completed, so in a pack of more than PARAGRAPHS_PER_PART visits
  or STATEMENTS_PER_PART statements the report is itself in parts (`_report_parts`), each of the next
  so many paragraphs or statements starting a page (a smaller pack is laid out as it always was);
- the rest of the appendix, VISITS_PER_PART visit reports a part, each loaded and written as HTML
  before the next;
- the title page and contents, laid out last, when the page of every heading is known (read back
  from the parts' named destinations, the anchors WeasyPrint writes);
- and, if some text has characters no installed font can draw, the note that lists them.

In a pack with more than two parts of visit reports after the first report (more than 21 visits),
the parts are laid out by LAYOUT_PROCESSES
processes of their own side by side (qa_portal.pdf_processes: WeasyPrint's layout is nearly all of a
pack's time, and a Celery worker's process may start such processes), this process writing each part's
HTML while they lay the earlier ones out; a smaller pack is laid out in this process.

"Page x of y", which only the whole pack's length can tell, is laid out once every part is, in
documents of page numbers alone laid out by the same stylesheet (pack.css leaves that corner of the
footer blank in the parts), and drawn over each page as the parts are joined.

The parts are joined by qa_portal.pdf_join, which copies each part's pages to the file and forgets
them before the next, so the join takes the same memory however many pages the pack has: the
contents' links are pointed at their headings (a part cannot link into another, so they are laid out
as links to LINK and rewritten), the parts' bookmarks are put together as one outline (the visit
reports under the appendix's).
"""

import gc
import logging
import math
import re
import tempfile
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone

from qa_portal.models import User
from qa_portal.pdf import UnshownTally, render_html_checked, unshown_note_html
from qa_portal.pdf_join import Bookmark, join_pdfs
from qa_portal.pdf_processes import PROCESSES, InlineLayout, LayoutProcesses
from qa_portal.reporting.committee.counting import committee_figures
from qa_portal.reporting.models import CommitteePackVersion, CommitteeReport
from qa_portal.roles import Role
from reviews.you_said import pairs_completed_between
from visits.models import Visit
from visits.selectors import report_context, visit_with_report_data

# pypdf and pygal (0.2 s to import) are imported when a pack is made, not whenever Django starts.
if TYPE_CHECKING:
    from pypdf import PdfReader

logger = logging.getLogger(__name__)

FRONT_TEMPLATE = "reporting/committee/pack_front_pdf.html"
BODY_TEMPLATE = "reporting/committee/pack_body_pdf.html"
APPENDIX_TEMPLATE = "reporting/committee/pack_appendix_pdf.html"
NOTE_TEMPLATE = "reporting/committee/pack_note_pdf.html"
PAGE_NUMBERS_TEMPLATE = "reporting/committee/pack_page_numbers_pdf.html"

# Visit reports laid out together. Memory grows with this, not with the visits in the pack; each
# part also carries its own copy of the fonts it uses, so fewer, longer parts make a smaller file.
VISITS_PER_PART = 10
# Section 2's visit paragraphs laid out together: a part of the report holds at most these.
PARAGRAPHS_PER_PART = 200
# Section 4's impact statements laid out together: one for each recommendation made in the period
# and completed, so a year of 1,600 visits has about 5,400 (600 pages), more than any other part.
STATEMENTS_PER_PART = 300
# Pages of "Page x of y" laid out together.
PAGE_NUMBERS_PER_PART = 250
# Processes laying the parts out side by side (qa_portal.pdf_processes), in a pack of more than two
# parts of visit reports; a smaller pack is laid out in the process making it.
LAYOUT_PROCESSES = PROCESSES
# Where the contents' links point until the parts are joined; never requested (RFC 6761: .invalid).
LINK = "https://pack.qa-portal.invalid/#"

# The contents: each section's anchor and heading, as the body's template heads them.
SECTIONS = [
    ("introduction", "1. Introduction"),
    ("visits", "2. Quality Assurance Visits"),
    ("meetings", "3. Commissioning Review Meetings"),
    ("impact", "4. Impact and Outcomes"),
    ("you-said-we-did", "5. You Said, We Did"),
    ("send", "6. Focus on children with Special Educational Needs"),
    ("learning", "7. Learning"),
    ("future-plans", "8. Future Plans"),
    ("ofsted", "9. Ofsted Ratings of the Providers We Use"),
    ("appendix", "Appendix: Quality Assurance Visit Reports"),
]

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


@dataclass
class OutlineItem:
    title: str
    page: int  # from 0, within its part
    left: float | None
    top: float | None
    children: list["OutlineItem"] = field(default_factory=list)


@dataclass
class Part:
    """A part of the pack, laid out and written to `path`: its pages, the page (from 0) of each of
    its anchors, and its bookmarks."""

    path: Path
    pages: int
    anchors: dict[str, int]
    outline: list[OutlineItem]
    in_appendix: bool = False  # its bookmarks go under the appendix's


def _outline(reader: "PdfReader", items) -> list[OutlineItem]:
    result: list[OutlineItem] = []
    for item in items:
        if isinstance(item, list):  # the children of the item before
            result[-1].children = _outline(reader, item)
        else:
            result.append(OutlineItem(item.title, reader.get_destination_page_number(item), item.left, item.top))
    return result


def render_html(template: str, context: dict, *, tally: UnshownTally) -> str:
    """A part's HTML (qa_portal.pdf.render_html_checked), its unshown characters added to `tally`."""
    return render_html_checked(template, context, tally=tally)[0]


def _part(laid_out: "Future[Path]", *, in_appendix: bool = False) -> Part:
    """A part once laid out, with only what the joining needs read back from its file."""
    from pypdf import PdfReader

    path = laid_out.result()
    reader = PdfReader(path)
    anchors = {name: reader.get_destination_page_number(dest) for name, dest in reader.named_destinations.items()}
    part = Part(path, len(reader.pages), anchors, _outline(reader, reader.outline), in_appendix)
    del reader
    gc.collect()  # the reader's objects refer back to it (see qa_portal.pdf_join)
    return part


def _visit_reports(ids: list[int], *, first_number: int) -> list[dict]:
    """The reports of these visits, in this order, numbered A<first_number> onwards."""
    loaded = {visit.pk: visit for visit in visit_with_report_data(Visit.objects.filter(pk__in=ids))}
    reports = []
    for number, pk in enumerate(ids, start=first_number):
        # For elected members: young people as a count only, never initials.
        context = report_context(loaded[pk], viewer=None, young_people_shown=False)
        context["recommendations"] = list(context["recommendations"])
        context["anchor"] = f"visit-{pk}"
        context["number"] = number
        reports.append(context)
    return reports


def _report_parts(figures, *, paragraphs: int, statements: int) -> list[dict]:
    """What each part of the report holds (the body template's flags): the next `paragraphs` of
    section 2's visit paragraphs a part, the first opening the report; the last of them ends section 2
    and starts sections 3 and 4 with the first `statements` of section 4's impact statements; then the
    next `statements` a part, the last part closing the report (sections 5 to 8 and the appendix's
    heading). A report of no more than `paragraphs` visits and `statements` statements is one part."""
    summaries, impacts = figures.visit_summaries, figures.impact_statements
    visit_chunks = [summaries[start : start + paragraphs] for start in range(0, max(len(summaries), 1), paragraphs)]
    impact_chunks = [impacts[start : start + statements] for start in range(0, max(len(impacts), 1), statements)]
    parts = [{"visits_part": True, "visit_paragraphs": chunk, "impact_statements": []} for chunk in visit_chunks]
    parts[-1]["impact_statements"] = impact_chunks[0]
    parts += [{"visits_part": False, "visit_paragraphs": [], "impact_statements": chunk} for chunk in impact_chunks[1:]]
    for n, part in enumerate(parts):
        part.update(opening=n == 0, visits_end=n == len(visit_chunks) - 1, closing=n == len(parts) - 1)
    return parts


def _contents(parts: list[Part], visits: list[Visit], *, front_pages: int) -> list[dict]:
    """The contents' entries, each with the page its heading is on, the front having `front_pages`."""
    pages: dict[str, int] = {}
    before = front_pages
    for part in parts:
        for name, page in part.anchors.items():
            pages.setdefault(name, before + page + 1)
        before += part.pages
    entries = [{"title": title, "link": LINK + anchor, "page": pages[anchor]} for anchor, title in SECTIONS]
    entries[-1]["visits"] = [
        {
            "title": f"A{number}. {visit.provider.name}, {visit.date:%-d %B %Y}",
            "link": f"{LINK}visit-{visit.pk}",
            "page": pages[f"visit-{visit.pk}"],
        }
        for number, visit in enumerate(visits, start=1)
    ]
    return entries


def _front(layout, path: Path, context: dict, parts: list[Part], visits: list[Visit], tally: UnshownTally) -> Part:
    """Lay out the title page and contents. Their page numbers count the front's own pages, known only
    once it is laid out: guessed first (about 45 entries a page), and laid out again if wrong."""
    guess = 1 + math.ceil((len(SECTIONS) + len(visits)) / 45)
    for _ in range(5):
        attempt = UnshownTally()
        html = render_html(
            FRONT_TEMPLATE, {**context, "contents": _contents(parts, visits, front_pages=guess)}, tally=attempt
        )
        front = _part(layout.submit(html, path))
        if front.pages == guess:
            tally.add(attempt.characters, attempt.left_out)
            return front
        guess = front.pages
    raise RuntimeError("The contents' length did not settle")


def _bookmarks(parts: list[Part], *, first_page: int) -> list[Bookmark]:
    """The parts' bookmarks as one outline: the report's, with the appendix's parts' under the
    report's last (the appendix); pages counted in the joined pack, whose first part is the front."""
    outline: list[Bookmark] = []
    appendix: list[Bookmark] | None = None

    def made(items: list[OutlineItem], first_page: int) -> list[Bookmark]:
        return [
            Bookmark(item.title, first_page + item.page, item.left, item.top, made(item.children, first_page))
            for item in items
        ]

    for part in parts:
        items = made(part.outline, first_page)
        if part.in_appendix and appendix is not None:
            appendix.extend(items)
        elif part.in_appendix:
            outline.extend(items)
        elif items:
            outline.extend(items)
            appendix = items[-1].children
        first_page += part.pages
    return outline


def _page_numbers(layout, folder: Path, *, total: int) -> list[Path]:
    """Documents of "Page x of y" alone, for every page of a pack of `total` pages, PAGE_NUMBERS_PER_PART
    pages each, laid out by the same stylesheet as the pack (pack.css leaves that corner of the footer
    blank in the parts), to be drawn over the pack's pages as they are joined."""
    laid_out = []
    for start in range(0, total, PAGE_NUMBERS_PER_PART):
        count = min(PAGE_NUMBERS_PER_PART, total - start)
        html = render_html(
            PAGE_NUMBERS_TEMPLATE, {"first": start + 1, "total": total, "pages": range(count)}, tally=UnshownTally()
        )
        laid_out.append(layout.submit(html, folder / f"numbers-{start // PAGE_NUMBERS_PER_PART}.pdf"))
    return [numbers.result() for numbers in laid_out]


def build_pack(
    source: PackSource,
    *,
    progress: Progress | None = None,
    today: date | None = None,
    visits_per_part: int = 0,
    paragraphs_per_part: int = 0,
    statements_per_part: int = 0,
    processes: int | None = None,
):
    """Count the figures, draw the charts, lay out the report and the visit reports part by part,
    then the contents, and join them (see this module's docstring), saying how far it has got.
    `visits_per_part`, `paragraphs_per_part` and `statements_per_part` are VISITS_PER_PART,
    PARAGRAPHS_PER_PART and STATEMENTS_PER_PART unless given. The parts are laid out by `processes`
    processes side by side (qa_portal.pdf_processes; 0: in this process), LAYOUT_PROCESSES unless
    given if there are more than two parts of visit reports. Returns (PDF bytes, figures)."""
    from qa_portal.reporting.committee.charts import recommendations_chart, visits_chart

    say = progress or (lambda percent, message: None)
    per_part = visits_per_part or VISITS_PER_PART
    paragraphs = paragraphs_per_part or PARAGRAPHS_PER_PART
    statements = statements_per_part or STATEMENTS_PER_PART
    say(10, "Counting the figures")
    figures = committee_figures(source.period_start, source.period_end, today=today)
    say(20, "Drawing the charts")
    charts = {"visits": visits_chart(figures), "recommendations": recommendations_chart(figures)}
    ids = [summary.visit_id for summary in figures.visit_summaries]
    visits = list(
        Visit.objects.filter(pk__in=ids)
        .select_related("provider")
        .only("pk", "visit_date", "planned_date", "provider__name")
        .order_by("visit_date", "pk")
    )
    ordered = [visit.pk for visit in visits]
    # The body holds only the first report, which follows the appendix's heading on its page: the
    # body is the largest part already, its section 2 having a paragraph for every visit.
    chunks = [ordered[:1]] + [ordered[n : n + per_part] for n in range(1, len(ordered), per_part)]
    if processes is None:
        processes = LAYOUT_PROCESSES if len(chunks) > 3 else 0
    where = f"{processes} processes" if processes else "this process"
    logger.info("Committee pack of %s visits: laid out in %s", len(visits), where)
    common = {
        "source": source,
        "figures": figures,
        "author": _author(),
        "authority_name": settings.AUTHORITY_NAME,
        "service_name": settings.SERVICE_NAME,
        "generated_at": timezone.localtime(),
    }
    tally = UnshownTally()
    with (
        tempfile.TemporaryDirectory(prefix="committee-pack-") as folder,
        LayoutProcesses(processes) if processes else InlineLayout() as layout,
    ):
        folder = Path(folder)
        say(30, "Laying out the report")
        body = {
            **common,
            "charts": charts,
            "narrative": {
                "introduction": narrative_blocks(source.introduction),
                "learning": narrative_blocks(source.learning),
                "future_plans": narrative_blocks(source.future_plans),
            },
            "visit_count": len(visits),
        }
        # Each part is handed to the layout as soon as its HTML is written (the report's first: they
        # are the longest), and read back once every part is laid out.
        laid_out: list[tuple[Future, bool]] = []
        for n, context in enumerate(_report_parts(figures, paragraphs=paragraphs, statements=statements)):
            if context["closing"]:
                context["appendix"] = _visit_reports(chunks[0], first_number=1)
                # Section 5: what young people asked for and what was done, naming nobody (reviews.you_said).
                context["you_said_we_did"] = pairs_completed_between(source.period_start, source.period_end)
            html = render_html(BODY_TEMPLATE, {**body, **context}, tally=tally)
            laid_out.append((layout.submit(html, folder / f"body-{n}.pdf"), False))
        done = len(chunks[0])
        for n, chunk in enumerate(chunks[1:], start=1):
            say(
                30 + 55 * done // len(visits),
                f"Laying out the visit reports ({done + 1} to {done + len(chunk)} of {len(visits)})",
            )
            context = {**common, "appendix": _visit_reports(chunk, first_number=done + 1)}
            html = render_html(APPENDIX_TEMPLATE, context, tally=tally)
            laid_out.append((layout.submit(html, folder / f"appendix-{n}.pdf"), True))
            done += len(chunk)
        parts = [_part(future, in_appendix=in_appendix) for future, in_appendix in laid_out]
        say(85, "Laying out the contents")
        front = _front(layout, folder / "front.pdf", common, parts, visits, tally)
        if tally:
            # Listed at the end, under the running title of the last page before it.
            last = visits[-1] if visits else None
            running_title = (
                f"{last.provider.name}, {last.date:%-d %B %Y}" if last else f"Annual report {figures.period_label}"
            )
            note = {**common, "note": unshown_note_html(tally), "running_title": running_title}
            html = render_html(NOTE_TEMPLATE, note, tally=UnshownTally())
            parts.append(_part(layout.submit(html, folder / "note.pdf"), in_appendix=True))
        say(90, "Numbering the pages")
        total = front.pages + sum(part.pages for part in parts)
        numbers = _page_numbers(layout, folder, total=total)
        say(95, "Joining the parts")
        # Written to a file object by object (qa_portal.pdf_join), so that the pack is in memory once,
        # when it is read back, and never as pypdf's objects of all its pages.
        joined = folder / "pack.pdf"
        join_pdfs(
            joined,
            [front.path, *(part.path for part in parts)],
            outline=_bookmarks(parts, first_page=front.pages),
            overlays=numbers,
            internal_links=LINK,
        )
        pdf = joined.read_bytes()
    return pdf, figures
