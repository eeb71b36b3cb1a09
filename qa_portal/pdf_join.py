"""Joining PDF files into one, written object by object as each file is read, so the memory it takes
is one file's, not the whole result's (issue 15: pypdf's writer held every page's objects until it wrote
the file, about 16 KB a page, 170 MB for a 10,720-page committee pack).

`join_pdfs` copies each file's pages and what they use (content, fonts, images, annotations) to the
output, numbered afresh, then writes one page tree, the named destinations of every file (the first
file's where two give one name), the outline it is given, the first file's document information and
language, and the cross-reference table. pypdf reads the files; the writing is PDF 1.7's plain
syntax (ISO 32000-1, 7.5), one uncompressed object after another, as pypdf's writer writes too.

Optionally it draws `overlays` onto the pages: the Nth page of the overlay files, taken in turn, over
the Nth page of the result (the committee pack's "Page x of y"). Each overlay page becomes a form
XObject drawn after the page's own content, which is wrapped in q ... Q so that the overlay is drawn
in the page's original coordinates; nothing of the page's content is decoded or rewritten. And links
to URIs starting with `internal_links` become links to the named destination after that prefix (parts
laid out apart cannot link into one another, so they link to such URIs and are pointed here).
"""

import gc
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

OVERLAY = "/QAPortalOverlay"  # the overlay's name in each page's resources


@dataclass
class Bookmark:
    """An outline item: its title, the page (from 0, in the joined file) and place it goes to."""

    title: str
    page: int
    left: float | None = None
    top: float | None = None
    children: list["Bookmark"] = field(default_factory=list)


class _Output:
    """The output file and where each object starts in it."""

    def __init__(self, out: BinaryIO):
        self.out = out
        self.offsets: list[int | None] = [None]  # object 0 is the free list's head
        out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")

    def reserve(self) -> int:
        self.offsets.append(None)
        return len(self.offsets) - 1

    def write(self, number: int, obj) -> None:
        self.offsets[number] = self.out.tell()
        self.out.write(b"%d 0 obj\n" % number)
        obj.write_to_stream(self.out)
        self.out.write(b"\nendobj\n")

    def add(self, obj) -> int:
        number = self.reserve()
        self.write(number, obj)
        return number

    def finish(self, trailer) -> None:
        from pypdf.generic import NumberObject

        start = self.out.tell()
        self.out.write(b"xref\n0 %d\n0000000000 65535 f \n" % len(self.offsets))
        for offset in self.offsets[1:]:
            if offset is None:
                raise RuntimeError("An object of the joined PDF was reserved but never written")
            self.out.write(b"%010d 00000 n \n" % offset)
        trailer[_name("/Size")] = NumberObject(len(self.offsets))
        self.out.write(b"trailer\n")
        trailer.write_to_stream(self.out)
        self.out.write(b"\nstartxref\n%d\n%%%%EOF\n" % start)


def _name(text: str):
    from pypdf.generic import NameObject

    return NameObject(text)


class _Copier:
    """Copies objects of one file to the output, each object once, renumbered."""

    def __init__(self, output: _Output, reader, internal_links: str = ""):
        self.output = output
        self.reader = reader
        self.internal_links = internal_links
        self.numbers: dict[tuple[int, int], int] = {}
        self.waiting: list = []

    def number_of(self, reference, *, copy: bool = True) -> int:
        """The output's number for an object of the file, copied when `drain` is next called."""
        key = (reference.idnum, reference.generation)
        if key not in self.numbers:
            self.numbers[key] = self.output.reserve()
            if copy:
                self.waiting.append(reference)
        return self.numbers[key]

    def copy(self, obj):
        from pypdf.generic import (
            ArrayObject,
            DictionaryObject,
            IndirectObject,
            StreamObject,
            TextStringObject,
        )

        if isinstance(obj, IndirectObject):
            return IndirectObject(self.number_of(obj), 0, None)
        if isinstance(obj, StreamObject):
            copied = obj.__class__()
            for key, value in dict.items(obj):
                copied[key] = self.copy(value)
            copied._data = obj._data  # as it is in the file, encoded
            return copied
        if isinstance(obj, DictionaryObject):
            if self.internal_links and obj.get("/Subtype") == "/Link" and "/A" in obj:
                uri = str(obj["/A"].get("/URI", ""))
                if uri.startswith(self.internal_links):
                    link = DictionaryObject({key: self.copy(value) for key, value in dict.items(obj) if key != "/A"})
                    link[_name("/Dest")] = TextStringObject(uri[len(self.internal_links) :])
                    return link
            return DictionaryObject({key: self.copy(value) for key, value in dict.items(obj)})
        if isinstance(obj, ArrayObject):
            return ArrayObject(self.copy(value) for value in obj)
        return obj

    def drain(self) -> None:
        """Copy every object asked for so far, and those they refer to."""
        from pypdf.generic import NullObject

        while self.waiting:
            reference = self.waiting.pop()
            obj = self.reader.get_object(reference)
            self.output.write(self.numbers[(reference.idnum, reference.generation)], self.copy(obj or NullObject()))


class _Overlays:
    """The overlay files' pages in turn, each written as a form XObject; None once they run out."""

    def __init__(self, output: _Output, paths: list[Path]):
        self.output = output
        self.paths = list(paths)
        self.pages = iter(())
        self.copier: _Copier | None = None

    def next_form(self) -> int | None:
        from pypdf import PdfReader
        from pypdf.generic import ArrayObject, DecodedStreamObject, FloatObject, NameObject

        page = next(self.pages, None)
        while page is None and self.paths:
            self.copier = None
            gc.collect()  # the last file's reader (see join_pdfs)
            reader = PdfReader(self.paths.pop(0))
            self.copier = _Copier(self.output, reader)
            self.pages = iter(reader.pages)
            page = next(self.pages, None)
        if page is None:
            return None
        form = DecodedStreamObject()
        form[NameObject("/Type")] = NameObject("/XObject")
        form[NameObject("/Subtype")] = NameObject("/Form")
        form[NameObject("/BBox")] = ArrayObject(FloatObject(value) for value in page.mediabox)
        form[NameObject("/Resources")] = self.copier.copy(dict.get(page, "/Resources"))
        form[NameObject("/Filter")] = NameObject("/FlateDecode")
        contents = page.get_contents()
        form._data = zlib.compress(contents.get_data() if contents is not None else b"")
        number = self.output.add(form)
        self.copier.drain()
        return number


def join_pdfs(
    path: Path,
    files: list[Path],
    *,
    outline: list[Bookmark] = (),
    overlays: list[Path] = (),
    internal_links: str = "",
) -> int:
    """Write the pages of `files`, in order, to one PDF at `path` (see the module): their named
    destinations, `outline`, the first file's document information and language; `overlays`' pages
    drawn over them in turn if given (there must be as many as the files' pages); links to
    `internal_links`… made links to the named destinations. Returns the number of pages."""
    from pypdf import PdfReader
    from pypdf.generic import (
        ArrayObject,
        DecodedStreamObject,
        DictionaryObject,
        FloatObject,
        IndirectObject,
        NameObject,
        NullObject,
        NumberObject,
        TextStringObject,
    )

    def reference(number: int) -> IndirectObject:
        return IndirectObject(number, 0, None)

    def destination(page: int, left, top) -> ArrayObject:
        place = [FloatObject(value) if value is not None else NullObject() for value in (left, top)]
        return ArrayObject([reference(pages[page]), NameObject("/XYZ"), *place, NumberObject(0)])

    def stream(data: bytes) -> int:
        content = DecodedStreamObject()
        content._data = data
        return output.add(content)

    pages: list[int] = []  # each page's object number, in order
    names: dict[str, tuple[int, object, object]] = {}  # named destination: page's object number, left, top
    info, language = None, None
    with path.open("wb") as out:
        output = _Output(out)
        tree = output.reserve()
        overlay = _Overlays(output, overlays) if overlays else None
        if overlay:
            # The page's own content is wrapped in q ... Q, then the overlay is drawn: shared by every page.
            save, restore, draw = stream(b"q\n"), stream(b"\nQ\n"), stream(f"{OVERLAY} Do\n".encode())
        for file in files:
            reader = PdfReader(file)
            copier = _Copier(output, reader, internal_links)
            if info is None:
                info = DictionaryObject(
                    {NameObject(key): TextStringObject(str(value)) for key, value in (reader.metadata or {}).items()}
                )
                language = reader.root_object.get("/Lang")
            page_numbers = [copier.number_of(page.indirect_reference, copy=False) for page in reader.pages]
            for page, number in zip(reader.pages, page_numbers, strict=True):
                copied = DictionaryObject(
                    {key: copier.copy(value) for key, value in dict.items(page) if key not in ("/Parent", "/Contents")}
                )
                copied[NameObject("/Parent")] = reference(tree)
                contents = dict.get(page, "/Contents")
                # A content stream is an indirect object; so may be an array of them.
                contents = (
                    contents.get_object() if isinstance(contents, IndirectObject) and _is_array(contents) else contents
                )
                streams = (
                    list(contents) if isinstance(contents, ArrayObject) else [] if contents is None else [contents]
                )
                refs = [copier.copy(ref) for ref in streams if isinstance(ref, IndirectObject)]
                form = overlay.next_form() if overlay else None
                if form is not None:
                    original = _resolved(dict.get(page, "/Resources")) or DictionaryObject()
                    resources = DictionaryObject({key: copier.copy(value) for key, value in dict.items(original)})
                    xobjects = _resolved(dict.get(original, "/XObject")) or DictionaryObject()
                    xobjects = DictionaryObject({key: copier.copy(value) for key, value in dict.items(xobjects)})
                    xobjects[NameObject(OVERLAY)] = reference(form)
                    resources[NameObject("/XObject")] = xobjects
                    copied[NameObject("/Resources")] = resources
                    refs = [reference(save), *refs, reference(restore), reference(draw)]
                elif overlay:
                    raise ValueError("There are fewer overlay pages than pages")
                copied[NameObject("/Contents")] = ArrayObject(refs)
                output.write(number, copied)
                copier.drain()
                pages.append(number)
            for name, dest in reader.named_destinations.items():
                page = dest.page
                key = getattr(page, "indirect_reference", None) or page
                if name not in names and key is not None:
                    number = copier.numbers.get((key.idnum, key.generation))
                    if number is not None:
                        names[name] = (number, dest.left, dest.top)
            # A reader's objects refer back to it: freed by the cycle collector, which might not run
            # before the next few files had been read.
            del reader, copier, page
            gc.collect()
        if overlay and overlay.next_form() is not None:
            raise ValueError("There are more overlay pages than pages")

        output.write(
            tree,
            DictionaryObject(
                {
                    NameObject("/Type"): NameObject("/Pages"),
                    NameObject("/Kids"): ArrayObject(reference(number) for number in pages),
                    NameObject("/Count"): NumberObject(len(pages)),
                }
            ),
        )
        page_index = {number: index for index, number in enumerate(pages)}
        catalog = DictionaryObject({NameObject("/Type"): NameObject("/Catalog"), NameObject("/Pages"): reference(tree)})
        if names:
            listed = ArrayObject()
            for name in sorted(names):
                number, left, top = names[name]
                listed += [TextStringObject(name), destination(page_index[number], left, top)]
            dests = output.add(DictionaryObject({NameObject("/Names"): listed}))
            catalog[NameObject("/Names")] = DictionaryObject({NameObject("/Dests"): reference(dests)})
        if outline:
            root = output.reserve()
            first, last, count = _write_outline(output, list(outline), root, destination)
            output.write(
                root,
                DictionaryObject(
                    {
                        NameObject("/Type"): NameObject("/Outlines"),
                        NameObject("/First"): reference(first),
                        NameObject("/Last"): reference(last),
                        NameObject("/Count"): NumberObject(count),
                    }
                ),
            )
            catalog[NameObject("/Outlines")] = reference(root)
        if language is not None:
            catalog[NameObject("/Lang")] = TextStringObject(str(language))
        trailer = DictionaryObject({NameObject("/Root"): reference(output.add(catalog))})
        if info:
            trailer[NameObject("/Info")] = reference(output.add(info))
        output.finish(trailer)
    return len(pages)


def _resolved(obj):
    from pypdf.generic import IndirectObject

    return obj.get_object() if isinstance(obj, IndirectObject) else obj


def _is_array(reference) -> bool:
    from pypdf.generic import ArrayObject

    return isinstance(reference.get_object(), ArrayObject)


def _write_outline(output: _Output, items: list[Bookmark], parent: int, destination) -> tuple[int, int, int]:
    """Write outline items under `parent`, all open: (first's number, last's, items shown in all)."""
    from pypdf.generic import DictionaryObject, IndirectObject, NameObject, NumberObject, TextStringObject

    numbers = [output.reserve() for _ in items]
    shown = len(items)
    for n, (item, number) in enumerate(zip(items, numbers, strict=True)):
        entry = DictionaryObject(
            {
                NameObject("/Title"): TextStringObject(item.title),
                NameObject("/Parent"): IndirectObject(parent, 0, None),
                NameObject("/Dest"): destination(item.page, item.left, item.top),
            }
        )
        if n:
            entry[NameObject("/Prev")] = IndirectObject(numbers[n - 1], 0, None)
        if n + 1 < len(items):
            entry[NameObject("/Next")] = IndirectObject(numbers[n + 1], 0, None)
        if item.children:
            first, last, count = _write_outline(output, item.children, number, destination)
            entry[NameObject("/First")] = IndirectObject(first, 0, None)
            entry[NameObject("/Last")] = IndirectObject(last, 0, None)
            entry[NameObject("/Count")] = NumberObject(count)
            shown += count
        output.write(number, entry)
    return numbers[0], numbers[-1], shown
