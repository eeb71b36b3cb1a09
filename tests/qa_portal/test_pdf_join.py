"""Joining PDFs file by file (qa_portal/pdf_join.py, issue 15): the joined PDF has every page in order
with what was drawn on it, the files' named destinations, the outline given, links to the parts'
placeholder URIs pointing at their headings, each page's overlay drawn over it, and the memory it
takes does not grow with the pages joined."""

import tracemalloc
from pathlib import Path

import pytest
from pypdf import PdfReader

from qa_portal.pdf_join import Bookmark, join_pdfs
from qa_portal.pdf_layout import write_pdf

LINK = "https://parts.invalid/#"


def _document(folder: Path, name: str, html: str) -> Path:
    path = folder / f"{name}.pdf"
    path.write_bytes(
        write_pdf(f'<!doctype html><html lang="en"><head><title>{name}</title></head><body>{html}</body></html>')
    )
    return path


@pytest.fixture
def files(tmp_path):
    contents = _document(tmp_path, "contents", f'<p><a href="{LINK}second">To the second</a></p>')
    first = _document(
        tmp_path, "first", '<h1 id="first">The first</h1><p style="break-before: page">Its second page.</p>'
    )
    second = _document(tmp_path, "second", '<h1 id="second">The second</h1><p><a href="#second">Back</a></p>')
    return [contents, first, second]


def _texts(reader: PdfReader) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def test_the_pages_names_outline_links_and_overlays_come_through(tmp_path, files):
    overlay = _document(
        tmp_path, "overlay", "".join(f'<p style="break-before: page">Overlay {n}</p>' for n in range(1, 5))
    )
    outline = [Bookmark("The first", 1, 0, 800, children=[Bookmark("Its second page", 2)]), Bookmark("The second", 3)]
    joined = tmp_path / "joined.pdf"

    assert join_pdfs(joined, files, outline=outline, overlays=[overlay], internal_links=LINK) == 4

    reader = PdfReader(joined)
    texts = _texts(reader)
    assert ["To the second" in texts[0], "The first" in texts[1], "Its second page" in texts[2]] == [True] * 3
    assert "The second" in texts[3] and "Back" in texts[3]
    for n, text in enumerate(texts, start=1):
        assert f"Overlay {n}" in text
    names = reader.named_destinations
    assert reader.get_destination_page_number(names["first"]) == 1
    assert reader.get_destination_page_number(names["second"]) == 3
    link = reader.pages[0]["/Annots"][0].get_object()
    assert link["/Dest"] == "second" and "/A" not in link
    assert reader.pages[3]["/Annots"][0].get_object()["/Dest"] == "second"
    first, children, second = reader.outline
    assert (first.title, reader.get_destination_page_number(first)) == ("The first", 1)
    assert [(child.title, reader.get_destination_page_number(child)) for child in children] == [("Its second page", 2)]
    assert (second.title, reader.get_destination_page_number(second)) == ("The second", 3)
    assert reader.metadata["/Title"] == "contents" and reader.root_object["/Lang"] == "en"


def test_overlays_must_match_the_pages(tmp_path, files):
    overlay = _document(tmp_path, "overlay", "<p>Only one page</p>")
    with pytest.raises(ValueError, match="fewer overlay pages"):
        join_pdfs(tmp_path / "joined.pdf", files, overlays=[overlay])


def test_the_memory_of_joining_does_not_grow_with_the_pages(tmp_path):
    part = _document(
        tmp_path, "part", "".join(f'<h2 id="h{n}" style="break-before: page">Page {n}</h2>' for n in range(10))
    )

    def peak(copies: int) -> int:
        tracemalloc.start()
        join_pdfs(tmp_path / f"joined-{copies}.pdf", [part] * copies)
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return top

    peak(2)  # pypdf's own first-use allocations
    few, many = peak(5), peak(30)
    assert len(PdfReader(tmp_path / "joined-30.pdf").pages) == 300
    # pypdf's writer held about 16 KB a page: 250 pages more would have been about 4 MB.
    assert many - few < 1_000_000, (few, many)
