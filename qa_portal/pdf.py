"""PDF rendering for every PDF the portal makes: a Django template laid out by WeasyPrint.

Why the fetcher is locked down: our PDFs are OFFICIAL-SENSITIVE and are built from text
that visitors and providers typed. Left to itself WeasyPrint fetches whatever a document
names (images, stylesheets, fonts, `@import`s) over the network or from the file system.
A stray or hostile URL could then tell an outside server that a report was being made,
hang the request on a slow host, or read files off the server. So WeasyPrint here may read
only the project's own static files, found by Django's staticfiles finders; anything else
is refused with an error that WeasyPrint logs before carrying on without that resource.

Templates refer to static files relative to the static root, which is the document's base
URL: `<link rel="stylesheet" href="pdf/report.css">`. Not `{% static %}`: in production
that gives the hashed name from the manifest, which the finders do not hold. The base URL
sits on a `.invalid` host (RFC 6761: it never resolves), and nothing is ever requested
from it: the fetcher maps those URLs to files on disk.

People type in many scripts and emoji; the fonts installed at set-up cover them (static/pdf/report.css
names them). A character no installed font holds would print as an empty box, so it is listed on the
document's last page instead (qa_portal/font_coverage.py finds them), and the view that served the
PDF tells the person who asked for it with `tell_of_unshown_characters`.
"""

import mimetypes
import posixpath
from dataclasses import dataclass, field
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from qa_portal.font_coverage import MOST, UnshownCharacter, unshown_characters
from qa_portal.long_words import with_places_to_wrap

STATIC_ORIGIN = "https://static.qa-portal.invalid/"


class ResourceRefused(ValueError):
    """A PDF named a resource that is not one of our static files."""


def static_base_url() -> str:
    """The base URL of PDF documents: STATIC_URL, placed on the never-resolving origin if relative."""
    return urljoin(STATIC_ORIGIN, settings.STATIC_URL)


class StaticFilesFetcher(URLFetcher):
    """Serves our static files to WeasyPrint and refuses every other URL, without a network request."""

    def fetch(self, url, headers=None):
        base = static_base_url()
        absolute = urljoin(base, url)
        if not absolute.startswith(base):
            raise ResourceRefused(f"PDFs may use only the portal's static files, not {url!r}")
        name = unquote(urlsplit(absolute[len(base) :]).path)
        # Belt and braces: urljoin already folds "..", and the finders refuse paths that leave their folders.
        if not name or name.startswith("/") or ".." in posixpath.normpath(name).split("/"):
            raise ResourceRefused(f"Not a static file: {url!r}")
        path = finders.find(name)
        if not path:
            raise ResourceRefused(f"No static file {name!r}")
        with open(path, "rb") as file:
            body = file.read()
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return URLFetcherResponse(absolute, body, headers={"Content-Type": content_type})


UNSHOWN_NOTE = "components/pdf_unshown_characters.html"


@dataclass(frozen=True)
class RenderedPdf:
    """A PDF, and the characters of its text that no installed font could draw (listed on its last
    page): up to font_coverage.MOST of them, and how many more were left out of the list; `html` is
    the document WeasyPrint laid out, places to wrap and all."""

    content: bytes
    unshown: tuple[UnshownCharacter, ...] = ()
    left_out: int = 0
    html: str = field(default="", repr=False)


@dataclass
class UnshownTally:
    """The unshown characters of a document laid out in parts (the committee pack), gathered part by
    part to be listed once, at its end: up to font_coverage.MOST of them, each once, and how many more."""

    characters: list[UnshownCharacter] = field(default_factory=list)
    left_out: int = 0

    def add(self, characters, left_out: int = 0) -> None:
        for character in characters:
            if character in self.characters:
                continue
            if len(self.characters) < MOST:
                self.characters.append(character)
            else:
                self.left_out += 1
        self.left_out += left_out

    def __bool__(self) -> bool:
        return bool(self.characters)


def render_pdf_checked(template_name: str, context: dict, *, tally: UnshownTally | None = None) -> RenderedPdf:
    """Render a Django template to HTML, then to PDF, reading nothing but our own static files; any
    character of its text that no installed font can draw is listed in a note on its last page, and
    long words get places to wrap (qa_portal/long_words.py).

    A part of a longer document passes its `tally`: its unshown characters are added to the tally
    instead, for the document's last part (`unshown_note_html`) to list them all."""
    html = render_to_string(template_name, context)
    unshown, left_out = unshown_characters(html)
    if unshown and tally is None:
        note = unshown_note_html(UnshownTally(unshown, left_out))
        end = html.rfind("</body>")
        html = html[:end] + note + html[end:] if end >= 0 else html + note
    elif tally is not None:
        tally.add(unshown, left_out)
    html = with_places_to_wrap(html)
    pdf = HTML(string=html, base_url=static_base_url(), url_fetcher=StaticFilesFetcher()).write_pdf()
    return RenderedPdf(pdf, tuple(unshown), left_out, html)


def unshown_note_html(tally: UnshownTally) -> str:
    """The note listing the characters that could not be shown, as HTML for a document's end."""
    return render_to_string(UNSHOWN_NOTE, {"unshown": tally.characters, "left_out": tally.left_out})


def render_pdf(template_name: str, context: dict, **options) -> bytes:
    """The PDF of render_pdf_checked, for callers that need only its bytes."""
    return render_pdf_checked(template_name, context, **options).content


def unshown_summary(rendered: RenderedPdf, *, most: int = 3) -> str:
    """The first few unshown characters of a PDF and where they are, in a sentence's words."""
    listed = [str(character) for character in rendered.unshown[:most]]
    more = len(rendered.unshown) - len(listed) + rendered.left_out
    return "; ".join(listed) + (f"; and {more} more" if more else "")


def tell_of_unshown_characters(request, rendered: RenderedPdf, *, document: str) -> None:
    """Tell the person who asked for a PDF, on the next page they see, of characters it could not show.

    `document` names it from the reader's side, capitalised: "The visit report (PDF)". A request
    without messages (a document the worker makes) is passed over: the PDF's last page says it."""
    if rendered.unshown:
        messages.warning(
            request,
            f"{document} has characters that no font on the server can show, printed as empty boxes: "
            f"{unshown_summary(rendered)}. Its last page lists them.",
            fail_silently=True,
        )
