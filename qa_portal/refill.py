"""Put a held form's values back into the page that shows the form, as the person had typed them.

Why the rendered HTML and not the forms: every form page builds its form its own way (model forms,
forms with per-young-person fields, the visit section's hidden `__base` fields, the committee
narrative's `loaded_at`), and no view should need code for this. What they all share is the HTML
they render for a GET. So the page is rendered as usual, then the form on it that posts where the
held one was posted is filled in as the browser showed it before it was sent: text boxes and hidden
fields get `value`, text areas their text, radios and check boxes `checked` as posted, options
`selected`. Hidden fields matter: a visit section's `__base` values and the narrative's `loaded_at`
come back as they were when the person started, so the save still notices a colleague's change.

Only the changed start tags and text area contents are rewritten; every other byte of the page is
left as it was. No HTML library is installed, so this uses the standard library's `html.parser`,
which reports where each tag starts.
"""

import re
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser
from urllib.parse import unquote, urljoin, urlsplit

_NOT_FILLED = {"password", "file", "submit", "button", "image", "reset"}
# The page's own security token is always the one to send.
_ALWAYS_FRESH = {"csrfmiddlewaretoken"}


@dataclass
class _Tag:
    name: str
    attrs: list[tuple[str, str | None]]
    start: int
    end: int
    self_closing: bool
    text: list[str] = field(default_factory=list)  # for option and button: the text inside
    content_end: int | None = None  # for textarea: where its text ends
    options: list["_Tag"] = field(default_factory=list)  # for select

    def get(self, name: str, default: str | None = None) -> str | None:
        return next((value if value is not None else "" for key, value in self.attrs if key == name), default)

    def has(self, name: str) -> bool:
        return any(key == name for key, _ in self.attrs)

    @property
    def label(self) -> str:
        return " ".join("".join(self.text).split())


@dataclass
class _Form:
    tag: _Tag
    controls: list[_Tag] = field(default_factory=list)  # inputs, textareas, selects, buttons, in page order

    def names(self) -> set[str]:
        return {name for control in self.controls if (name := control.get("name"))}

    def posts_to(self, page_url: str) -> str | None:
        if (self.tag.get("method") or "get").lower() != "post":
            return None
        return unquote(urlsplit(urljoin(page_url, self.tag.get("action") or "")).path)


class _Scanner(HTMLParser):
    """Finds the forms of a page and, in each, its controls with their places in the text."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", html)]
        self.forms: list[_Form] = []
        self.main_content_at: int | None = None
        self._form: _Form | None = None
        self._open: dict[str, _Tag] = {}  # the textarea, select, option or button being read
        self.feed(html)
        self.close()

    def _at(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def handle_starttag(self, tag, attrs):
        start = self._at()
        text = self.get_starttag_text() or ""
        node = _Tag(tag, attrs, start, start + len(text), text.endswith("/>"))
        if tag == "main" and node.get("id") == "main-content":
            self.main_content_at = node.end
        elif tag == "form":
            self._form = _Form(node)
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag in ("input", "textarea", "select", "button"):
            self._form.controls.append(node)
            if tag != "input":
                self._open[tag] = node
        elif tag == "option" and "select" in self._open:
            self._open["select"].options.append(node)
            self._open["option"] = node

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
            self._open.clear()
        elif tag == "textarea" and "textarea" in self._open:
            self._open.pop("textarea").content_end = self._at()
        elif tag == "select":
            self._open.pop("option", None)
            self._open.pop("select", None)
        elif tag in ("option", "button"):
            self._open.pop(tag, None)

    def handle_data(self, data):
        for tag in ("option", "button"):
            if tag in self._open:
                self._open[tag].text.append(data)


@dataclass(frozen=True)
class Refilled:
    html: str
    found: bool  # a form posting there was on the page, and was filled
    button: str  # the label of the button that saves it, "" if it has none
    banner_at: int  # where a notice about it belongs: the start of the main content


def _start_tag(node: _Tag, attrs: list[tuple[str, str | None]]) -> str:
    parts = [node.name, *(key if value is None else f'{key}="{escape(value)}"' for key, value in attrs)]
    return f"<{' '.join(parts)}{' /' if node.self_closing else ''}>"


def _set(node: _Tag, name: str, value: str | None, present: bool = True) -> str | None:
    """The node's start tag with attribute `name` set to `value` (or removed); None if unchanged."""
    attrs = [(key, val) for key, val in node.attrs if key != name]
    if present:
        attrs.append((name, value))
    if (node.get(name) is not None) == present and (not present or node.get(name) == (value or "")):
        return None
    return _start_tag(node, attrs)


def _button(form: _Form, fields: dict[str, list[str]]) -> str:
    buttons = [
        control
        for control in form.controls
        if (control.name == "button" and (control.get("type") or "submit").lower() == "submit")
        or (control.name == "input" and (control.get("type") or "").lower() == "submit")
    ]
    pressed = [b for b in buttons if b.get("name") and (b.get("value") or "") in fields.get(b.get("name"), [])]
    chosen = (pressed or buttons or [None])[0]
    if chosen is None:
        return ""
    return chosen.label if chosen.name == "button" else chosen.get("value") or "Submit"


def refill(
    html: str, *, page_url: str, post_path: str, fields: dict[str, list[str]], keep_fresh: frozenset[str] = frozenset()
) -> Refilled:
    """`html` (the page at `page_url`) with the form that posts to `post_path` filled with `fields`
    ({name: [values]}, as request.POST.lists() gives them). When several forms post there, the one
    sharing most field names is filled. Fields named in `keep_fresh` keep the page's own values.
    Returns the page unchanged, `found=False`, when no form on it posts there."""
    scanner = _Scanner(html)
    banner_at = scanner.main_content_at if scanner.main_content_at is not None else 0
    forms = [form for form in scanner.forms if form.posts_to(page_url) == post_path]
    if not forms:
        return Refilled(html, found=False, button="", banner_at=banner_at)
    form = max(forms, key=lambda f: len(f.names() & fields.keys()))
    if scanner.main_content_at is None:
        banner_at = form.tag.start
    queues = {name: list(values) for name, values in fields.items()}
    edits: list[tuple[int, int, str]] = []

    def replace(node: _Tag, text: str | None) -> None:
        if text is not None:
            edits.append((node.start, node.end, text))

    for control in form.controls:
        name = control.get("name")
        if not name or name in keep_fresh or name in _ALWAYS_FRESH or control.has("disabled"):
            continue
        posted = fields.get(name, [])
        if control.name == "input":
            kind = (control.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                replace(control, _set(control, "checked", None, present=(control.get("value") or "on") in posted))
            elif kind not in _NOT_FILLED and queues.get(name):
                replace(control, _set(control, "value", queues[name].pop(0)))
        elif control.name == "textarea" and queues.get(name) and control.content_end is not None:
            # A newline straight after <textarea> is dropped by browsers: one keeps a leading newline typed.
            edits.append((control.end, control.content_end, "\n" + escape(queues[name].pop(0), quote=False)))
        elif control.name == "select" and name in fields:
            for option in control.options:
                value = option.get("value")
                chosen = (value if value is not None else option.label) in posted
                replace(option, _set(option, "selected", None, present=chosen))
    for start, end, text in sorted(edits, reverse=True):
        html = html[:start] + text + html[end:]
        if start < banner_at:
            banner_at += len(text) - (end - start)
    return Refilled(html, found=True, button=_button(form, fields), banner_at=banner_at)
