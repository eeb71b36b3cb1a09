"""PDF rendering reads the portal's own static files and nothing else: no network, no other files; and its
fonts, set up once per thread, serve every document alike."""

import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader
from weasyprint import HTML
from weasyprint.urls import URLFetchingError, fetch

from qa_portal.pdf import ResourceRefused, render_pdf, static_base_url, warm_up
from qa_portal.pdf_layout import StaticFilesFetcher, write_pdf
from tests.pdf_reading import laid_out

BASE_DIR = Path(__file__).resolve().parent.parent.parent


class _Recorder(BaseHTTPRequestHandler):
    def do_GET(self):
        self.server.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"p { color: red }")

    def log_message(self, *args):
        pass


@contextmanager
def recording_http_server():
    """A real web server on a free local port that records every request it receives."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    server.requests = []
    server.origin = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def http_server():
    with recording_http_server() as server:
        yield server


# A document naming outside resources in every way WeasyPrint would fetch them.
GREEDY_TEMPLATE = """<!DOCTYPE html>
<html>
  <head>
    <link rel="stylesheet" href="{{ origin }}/link.css">
    <style>
      @import url({{ origin }}/import.css);
      @font-face { font-family: Remote; src: url({{ origin }}/font.woff); }
      body { font-family: Remote, sans-serif; background: url({{ origin }}/background.png); }
    </style>
  </head>
  <body>
    <p>Only our own files</p>
    <img src="{{ origin }}/image.png" alt="">
    <img src="file:///etc/hostname" alt="">
    <img src="images/favicon.svg" alt="">
  </body>
</html>
"""


@pytest.fixture
def greedy_template(settings, tmp_path):
    (tmp_path / "greedy.html").write_text(GREEDY_TEMPLATE)
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    return "greedy.html"


def test_render_pdf_makes_no_request_for_anything_a_template_names(greedy_template, http_server):
    pdf = render_pdf(greedy_template, {"origin": http_server.origin})
    assert pdf.startswith(b"%PDF")
    assert "Only our own files" in PdfReader(BytesIO(pdf)).pages[0].extract_text()
    assert http_server.requests == []


def test_weasyprint_left_to_itself_would_have_fetched_them(http_server):
    # The control for the test above: the same document does reach the server with WeasyPrint's own fetcher.
    HTML(string=GREEDY_TEMPLATE.replace("{{ origin }}", http_server.origin)).write_pdf()
    assert "/link.css" in http_server.requests
    assert "/image.png" in http_server.requests


def test_the_fetcher_serves_a_static_file():
    for url in ["/static/images/favicon.svg", "images/favicon.svg"]:
        response = StaticFilesFetcher().fetch(url)
        assert response.read() == (BASE_DIR / "static/images/favicon.svg").read_bytes()
        assert response.content_type == "image/svg+xml"


def test_the_fetcher_serves_the_report_stylesheet():
    assert b"OFFICIAL-SENSITIVE" in StaticFilesFetcher().fetch("pdf/report.css").read()


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/static/images/favicon.svg",
        "file:///etc/passwd",
        "data:text/plain,hello",
        "/static/../manage.py",
        "/static/%2e%2e/manage.py",
        "/static/images/no-such-file.svg",
        "/manage.py",
    ],
)
def test_the_fetcher_refuses_anything_else(url):
    with pytest.raises(ResourceRefused):
        StaticFilesFetcher().fetch(url)


def test_the_fetcher_refuses_http_without_a_request(http_server):
    with pytest.raises(ResourceRefused):
        StaticFilesFetcher().fetch(f"{http_server.origin}/x.png")
    assert http_server.requests == []


def test_a_refusal_is_an_error_weasyprint_logs_and_skips_not_one_that_stops_the_pdf():
    with pytest.raises(URLFetchingError), fetch(StaticFilesFetcher(), "https://example.com/x.png"):
        pass


PAGE = '<html><head><link rel="stylesheet" href="pdf/report.css"></head><body><h1>{}</h1><p>{}</p></body></html>'


def pdf_text(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)


def test_documents_laid_out_one_after_another_and_at_once_in_two_threads_each_print_their_own_text(settings, tmp_path):
    """The fonts are set up once per thread (qa_portal.pdf_layout.font_configuration) and kept: each
    document still prints its own text, in order and from two threads at once."""
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    warm_up()
    names = {}
    for n, text in enumerate(("Harbour Lights Fostering", "Ffion ap Dafydd", "Wojciech Łukasiewicz", "Дмитро")):
        (tmp_path / f"page{n}.html").write_text(PAGE.format(f"Report {n}", text))
        names[n] = (f"page{n}.html", text)
    results: dict[int, bytes] = {}

    def lay_out(n):
        results[n] = render_pdf(names[n][0], {})

    lay_out(0)
    lay_out(1)
    others = [threading.Thread(target=lay_out, args=(n,)) for n in (2, 3)]
    for thread in others:
        thread.start()
    for thread in others:
        thread.join()
    for n, (_, text) in names.items():
        printed = pdf_text(results[n])
        assert f"Report {n}" in printed and text in printed, (n, printed)


STYLED = """<!doctype html><html lang="en"><head><meta charset="utf-8">{links}<title>Styled</title></head><body>
<div class="report-header"><p class="report-authority">Northshire Council</p><h1>Visit report</h1>
<p class="report-subtitle">Harbour Lights Fostering, 4 March 2026</p></div>
<table class="report-summary"><tbody><tr><th scope="row">Status</th><td><strong class="govuk-tag govuk-tag--green">Finalised</strong></td></tr>
<tr><th scope="row">Lead visitor</th><td>Ffion ap Dafydd, QA lead</td></tr></tbody></table>
<h2>1. Safety</h2><h3>Do young people feel safe?</h3><p>Yes: every young person we met said so, in their own words.</p>
<dl class="govuk-summary-list"><div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Cohort</dt>
<dd class="govuk-summary-list__value">Leaving care</dd></div></dl>
<table class="govuk-table"><thead class="govuk-table__head"><tr><th class="govuk-table__header">Recommendation</th>
<th class="govuk-table__header govuk-table__header--numeric">Days</th></tr></thead>
<tbody><tr><td class="govuk-table__cell">Review the missing-from-care protocol</td><td class="govuk-table__cell govuk-table__cell--numeric">28</td></tr></tbody></table>
</body></html>"""


def _words(pdf: bytes) -> list[tuple]:
    return [
        (word.page, word.text, round(word.left, 1), round(word.top, 1)) for page in laid_out(pdf) for word in page.words
    ]


def test_a_document_given_our_stylesheets_parsed_prints_as_when_weasyprint_reads_their_links():
    """Our stylesheets are parsed once per process and handed to WeasyPrint (qa_portal.pdf_layout), as
    the user origin rather than the author one: every word is where WeasyPrint puts it when it follows
    the document's links itself, again the second time, and not where it would be unstyled."""
    links = '<link rel="stylesheet" href="pdf/report.css"><link rel="stylesheet" href="pdf/pack.css">'
    html = STYLED.format(links=links)
    fetcher = StaticFilesFetcher()
    as_linked = HTML(string=html, base_url=static_base_url(), url_fetcher=fetcher).write_pdf()

    assert _words(write_pdf(html)) == _words(as_linked)
    assert _words(write_pdf(html)) == _words(as_linked)
    assert _words(write_pdf(STYLED.format(links=""))) != _words(as_linked)


def test_a_document_with_a_style_element_has_its_links_read_by_weasyprint_as_before():
    """A <style> element's rules cascade with the linked stylesheets as written, so such a document
    (the agenda, the tracker, in landscape) is laid out from its links as WeasyPrint reads them."""
    links = '<link rel="stylesheet" href="pdf/report.css"><style>@page { size: A4 landscape; }</style>'
    pdf = write_pdf(STYLED.format(links=links))
    page = laid_out(pdf)[0]
    assert page.width > page.height
    assert _words(pdf) == _words(
        HTML(
            string=STYLED.format(links=links), base_url=static_base_url(), url_fetcher=StaticFilesFetcher()
        ).write_pdf()
    )
