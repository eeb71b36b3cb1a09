"""What a person reads on a page, for tests that assert what the user sees rather than a status code."""

import html
import re
from html.parser import HTMLParser


def text_of(response) -> str:
    """The page's text without tags, entities decoded, runs of white space made one space."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def mentions(text: str, word: str) -> bool:
    """Whether text names word as a word of its own: a child's initials, say, not the same two letters inside
    another word or a random token (a CSRF token or CSP nonce holds "JB" on about one page in sixty)."""
    return re.search(rf"(?<![A-Za-z0-9]){re.escape(word)}(?![A-Za-z0-9])", text) is not None


def heading(response) -> str:
    """The text of the page's main heading (its first <h1>), as text_of gives it; "" if there is none."""
    found = re.search(r"<h1\b[^>]*>(.*?)</h1>", response.content.decode(), re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", found.group(1))).split()) if found else ""


class _FormReader(HTMLParser):
    def __init__(self, action: str):
        super().__init__(convert_charrefs=True)
        self.action, self.values, self._in_form, self._textarea, self._select = action, {}, False, None, None

    def handle_starttag(self, tag, attrs):
        attrs = {key: value if value is not None else "" for key, value in attrs}
        if tag == "form":
            self._in_form = attrs.get("method", "").lower() == "post" and attrs.get("action", "") == self.action
        elif not self._in_form or ("name" not in attrs and tag != "option"):
            return
        elif tag == "input" and attrs.get("type", "text") not in ("submit", "button", "file", "password"):
            if attrs.get("type") not in ("checkbox", "radio") or "checked" in attrs:
                # A check box or radio with no value sends "on"; a text box with none sends "", as browsers do.
                default = "on" if attrs.get("type") in ("checkbox", "radio") else ""
                self.values.setdefault(attrs["name"], []).append(attrs.get("value", default))
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self.values.setdefault(self._textarea, []).append("")
        elif tag == "select":
            self._select = attrs["name"]
        elif tag == "option" and self._select and "selected" in attrs:
            self.values.setdefault(self._select, []).append(attrs.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea][-1] += data


def form_values(response, action: str) -> dict[str, list[str]]:
    """What the POST form on the page whose action is `action` would send as it is shown (the CSRF
    token aside): {name: [values]}, text boxes and text areas with their text, only checked radios
    and check boxes, only selected options. A text area's first newline is dropped, as browsers do."""
    reader = _FormReader(action)
    reader.feed(response.content.decode())
    values = {name: [v.removeprefix("\n") for v in found] for name, found in reader.values.items()}
    values.pop("csrfmiddlewaretoken", None)
    return values


def fill_date(scope, label: str, day) -> None:
    """In a Playwright page (or a part of one), type `day` (a date) in the date input named `label`
    (GOV.UK's day, month and year boxes in a group whose legend is `label`), as a person does."""
    group = scope.get_by_role("group", name=label, exact=True)
    group.get_by_label("Day", exact=True).fill(str(day.day))
    group.get_by_label("Month", exact=True).fill(str(day.month))
    group.get_by_label("Year", exact=True).fill(str(day.year))


def date_shown(response_or_html, name: str) -> str:
    """What a date input `name` shows in its three boxes, as "day/month/year" ("14/2/2010"; a box
    left blank is empty: "14//10")."""
    page = response_or_html if isinstance(response_or_html, str) else response_or_html.content.decode()
    boxes = []
    for part in ("day", "month", "year"):
        found = re.search(rf'<input type="text" name="{name}_{part}"(?: value="([^"]*)")?', page)
        assert found, f"no {part} box for {name}"
        boxes.append(html.unescape(found.group(1) or ""))
    return "/".join(boxes)


def as_shown(day) -> str:
    """A date as its boxes show it: "14/2/2010"."""
    return f"{day.day}/{day.month}/{day.year}"


def choose_option(page, label: str, option: str) -> None:
    """In a Playwright page, choose `option` in the list labelled `label`, as a person does: a select,
    or the accessible-autocomplete a long list becomes (typed into, then the option clicked). Both are a
    combobox, so a radio of the same name elsewhere on the page ("Provider" holds the action) is not it."""
    page.wait_for_load_state()  # static/js/selects.js has enhanced the page's long lists
    control = page.get_by_role("combobox", name=label, exact=True)
    if control.evaluate("element => element.tagName") == "SELECT":
        control.select_option(label=option)
        return
    control.fill(option)
    page.get_by_role("option", name=option, exact=True).click()
