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
"""

import mimetypes
import posixpath
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

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


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render a Django template to HTML, then to PDF, reading nothing but our own static files."""
    html = render_to_string(template_name, context)
    return HTML(string=html, base_url=static_base_url(), url_fetcher=StaticFilesFetcher()).write_pdf()
