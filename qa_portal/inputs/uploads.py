"""Uploaded files: at most settings.FILE_UPLOAD_MAX_MEGABYTES, and text where text is wanted.

`SizeLimitUploadHandler` (first of settings.FILE_UPLOAD_HANDLERS) stops keeping a file once it passes
the limit, so a huge upload fills neither memory nor disk, and hands the form a stand-in that says
how big it was: the form's field then says the limit (`too_big_message`), beside the field, like any
other mistake. `text_problem` finds what in a file's decoded text is not text (NUL bytes, other
control characters), with its line, for the field's message.
"""

import io

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler

from qa_portal.inputs.text import NOT_TEXT, code_point


def max_upload_bytes() -> int:
    return settings.FILE_UPLOAD_MAX_MEGABYTES * 1024 * 1024


def too_big_message() -> str:
    return f"The file must be smaller than {settings.FILE_UPLOAD_MAX_MEGABYTES} MB"


class OversizedUpload(UploadedFile):
    """What a form is given for a file past the limit: its name, and its size as far as it was read
    (more than the limit), with none of its content."""

    too_big = True

    def __init__(self, *, name: str, content_type: str, size: int, charset: str | None):
        super().__init__(io.BytesIO(b""), name=name, content_type=content_type, size=size, charset=charset)


class SizeLimitUploadHandler(FileUploadHandler):
    """Passes each file on to the handlers after it (memory, then a temporary file) until it passes
    max_upload_bytes(); keeps nothing more of it, and completes it as an `OversizedUpload`."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        # None: the handlers after this one are not given the chunk.
        return raw_data if self.received <= max_upload_bytes() else None

    def file_complete(self, file_size):
        if self.received <= max_upload_bytes():
            return None  # kept whole by the next handler
        return OversizedUpload(
            name=self.file_name, content_type=self.content_type, size=self.received, charset=self.charset
        )


def text_problem(text: str) -> str | None:
    """What in a file's decoded text is not text, as a message for the file's field; None if nothing.
    Names the first such character and its line: "This file contains characters that are not text
    (U+0000 on line 3)…"."""
    found = NOT_TEXT.search(text)
    if found is None:
        return None
    line = text.count("\n", 0, found.start()) + 1
    return (
        f"This file contains characters that are not text ({code_point(found.group())} on line {line}). "
        "Check it is the right file, and save it again as 'CSV UTF-8'"
    )
