"""WeasyPrint itself, for qa_portal.pdf: imported the first time a PDF is laid out, never when Django
starts (issue 15: importing it took 0.8 to 1.2 s of every process's start-up, the web's, the worker's
and every management command's, most of which never make a PDF).

Importing WeasyPrint opens its C libraries (Pango, HarfBuzz, fontconfig...) under several names each,
for every platform it supports. cffi hands a name that is not a file to `ctypes.util.find_library`,
which on Linux runs `ldconfig -p`, then the C compiler, then the linker, for every name that is not
found: 22 look-ups, about 0.25 s on an idle machine and a second on a busy one. While WeasyPrint is
imported here, a name is looked up once in the loader's cache (`ldconfig -p`, read once) instead, as
find_library's first step does; where there is no such cache, find_library is left alone.

The fetcher and the fonts are described in qa_portal.pdf.
"""

import ctypes.util
import mimetypes
import os
import posixpath
import re
import subprocess
import threading
from contextlib import contextmanager
from urllib.parse import unquote, urljoin, urlsplit

from django.contrib.staticfiles import finders

from qa_portal.pdf import ResourceRefused, static_base_url


def _loader_cache() -> list[str] | None:
    """The names of the shared libraries in the dynamic loader's cache (`ldconfig -p`), or None."""
    for ldconfig in ("/sbin/ldconfig", "/usr/sbin/ldconfig"):
        if not os.path.exists(ldconfig):
            continue
        try:
            listing = subprocess.run(
                [ldconfig, "-p"], capture_output=True, text=True, timeout=10, env={"LC_ALL": "C", "LANG": "C"}
            ).stdout
        except (OSError, subprocess.SubprocessError):
            return None
        names = [line.split()[0] for line in listing.splitlines()[1:] if line.startswith(("\t", " "))]
        return names or None
    return None


@contextmanager
def _libraries_from_the_loader_cache():
    """While in this block, `ctypes.util.find_library(name)` answers from one reading of the loader's
    cache: the library `lib<name>.so…` it lists, or None, without running the compiler or linker."""
    names = _loader_cache()
    if names is None:
        yield
        return
    original = ctypes.util.find_library

    def find_library(name):
        prefix = f"lib{name}.so"
        return next((soname for soname in names if soname == prefix or soname.startswith(prefix + ".")), None)

    ctypes.util.find_library = find_library
    try:
        yield
    finally:
        ctypes.util.find_library = original


with _libraries_from_the_loader_cache():
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher, URLFetcherResponse


class StaticFilesFetcher(URLFetcher):
    """Serves our static files to WeasyPrint and refuses every other URL, without a network request.

    `find(name)` gives a static file's path or None: Django's staticfiles finders unless given (a
    layout process of qa_portal.pdf_processes, which has no Django, is given the finders' answers);
    `base` is static_base_url() unless given."""

    def __init__(self, *args, find=None, base: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.find = find or finders.find
        self.base = base

    def fetch(self, url, headers=None):
        base = self.base or static_base_url()
        absolute = urljoin(base, url)
        if not absolute.startswith(base):
            raise ResourceRefused(f"PDFs may use only the portal's static files, not {url!r}")
        name = unquote(urlsplit(absolute[len(base) :]).path)
        # Belt and braces: urljoin already folds "..", and the finders refuse paths that leave their folders.
        if not name or name.startswith("/") or ".." in posixpath.normpath(name).split("/"):
            raise ResourceRefused(f"Not a static file: {url!r}")
        path = self.find(name)
        if not path:
            raise ResourceRefused(f"No static file {name!r}")
        with open(path, "rb") as file:
            body = file.read()
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return URLFetcherResponse(absolute, body, headers={"Content-Type": content_type})


_fonts = threading.local()


def font_configuration() -> FontConfiguration:
    """The fonts WeasyPrint lays documents out with: made once per thread and kept, rather than
    made by WeasyPrint for each document, which loads fontconfig's configuration and opens every
    font again. Per thread because Pango's font map is not safe to share between threads; made
    again in a process forked from one that had it. Our documents name no @font-face, so nothing
    one document does changes the fonts of the next."""
    pid = os.getpid()
    if getattr(_fonts, "pid", None) != pid:
        _fonts.configuration, _fonts.pid = FontConfiguration(), pid
    return _fonts.configuration


# Our PDF templates name their stylesheets so, in <head> (templates/visits/report_pdf.html).
_STYLESHEET_LINK = re.compile(r'<link rel="stylesheet" href="(pdf/[\w-]+\.css)">')
_stylesheets: dict[tuple, "CSS"] = {}
_stylesheets_lock = threading.Lock()


def _stylesheet(name: str, fetcher: StaticFilesFetcher, base: str) -> "CSS | None":
    """Our static stylesheet `name` ("pdf/report.css") as WeasyPrint parses it, parsed once per process
    and kept while its file is unchanged; None if it is not one of our static files."""
    path = fetcher.find(name)
    if not path:
        return None
    stat = os.stat(path)
    key = (name, path, stat.st_mtime_ns, stat.st_size, base)
    if key not in _stylesheets:
        with open(path, encoding="utf-8") as file:
            parsed = CSS(string=file.read(), base_url=urljoin(base, name), url_fetcher=fetcher)
        with _stylesheets_lock:
            _stylesheets[key] = parsed
    return _stylesheets[key]


def _with_stylesheets_parsed(html: str, fetcher: StaticFilesFetcher, base: str) -> tuple[str, list]:
    """The document without its stylesheet links, and those stylesheets parsed (kept: `_stylesheet`),
    to be given to WeasyPrint in the same order; or the document as it is and no stylesheets, if it
    has a <style> element (its rules must keep cascading with the linked ones as they were written) or
    links to a stylesheet that is not ours.

    Why (issue 15): WeasyPrint parses every linked stylesheet for every document, about 5% of laying
    out a visit report. Given to it parsed, they cascade as the "user" origin rather than the
    "author" one; with no other stylesheet in the document, no `!important` in ours or in WeasyPrint's
    defaults, and style attributes winning either way, every element gets the same styles."""
    names = _STYLESHEET_LINK.findall(html)
    if not names or re.search(r"<style\b", html, re.IGNORECASE):
        return html, []
    sheets = [_stylesheet(name, fetcher, base) for name in names]
    if None in sheets:
        return html, []
    return _STYLESHEET_LINK.sub("", html), sheets


def write_pdf(html: str, *, fetcher: StaticFilesFetcher | None = None) -> bytes:
    """Lay out an HTML document whose links are relative to the static root, and return the PDF.
    `fetcher` is a StaticFilesFetcher on Django's finders unless given."""
    fetcher = fetcher or StaticFilesFetcher()
    base = fetcher.base or static_base_url()
    html, stylesheets = _with_stylesheets_parsed(html, fetcher, base)
    return HTML(string=html, base_url=base, url_fetcher=fetcher).write_pdf(
        stylesheets=stylesheets, font_config=font_configuration()
    )
