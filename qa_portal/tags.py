"""Status tags: the one place that decides which GOV.UK tag colour each status is shown in.

Each app declares the colour of every value of a status next to its TextChoices and
registers it here under a name ("visit_status", "recommendation_status", "rag"...), so
`qa_portal` knows nothing of the apps. Everything that shows a status draws it through
`tag_for`, so a status has the same colour wherever it appears:

- pages: `{% status_tag "visit_status" visit.status %}` (qa_portal/templatetags/portal.py)
  gives `<strong class="govuk-tag govuk-tag--yellow">Shared with provider</strong>`;
- PDFs: the same markup; static/pdf/report.css gives the `govuk-tag--*` classes the colours
  of `PALETTE` (tests/qa_portal/test_tags.py checks that they agree);
- emails: `{% status_tag ... inline=True %}` writes the same colours as inline styles,
  because mail clients drop style sheets;
- scripts: the JSON a page polls carries `tag_for(...).css_class`.

The words always say what the status is and the colour only repeats them (WCAG 1.4.1, use
of colour). A value with no colour (one added to the database before its colour, or a
mistyped name) is a grey tag in its own words: never an error on the page.
"""

import logging
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Choices

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Colour:
    text: str
    background: str


# GOV.UK Frontend 5's tag colours (govuk-frontend/dist/govuk/components/tag/_index.scss, as
# compiled in 5.14): the colour name is the `govuk-tag--<name>` modifier.
PALETTE: dict[str, Colour] = {
    "grey": Colour(text="#282d30", background="#e5e6e7"),
    "purple": Colour(text="#491644", background="#efdfed"),
    "turquoise": Colour(text="#10403c", background="#d4ecea"),
    "blue": Colour(text="#0c2d4a", background="#bbd4ea"),
    "light-blue": Colour(text="#0c2d4a", background="#e8f1f8"),
    "yellow": Colour(text="#594d00", background="#fff7bf"),
    "orange": Colour(text="#6e3619", background="#fcd6c3"),
    "red": Colour(text="#2a0b06", background="#f4cdc6"),
    "pink": Colour(text="#6b1c40", background="#f9e1ec"),
    "green": Colour(text="#005a30", background="#cce2d8"),
}
FALLBACK = "grey"


@dataclass(frozen=True)
class Tag:
    """One status as a tag: its words and its colour's name (a key of PALETTE)."""

    label: str
    colour: str

    @property
    def css_class(self) -> str:
        return f"govuk-tag govuk-tag--{self.colour}"

    @property
    def inline_style(self) -> str:
        """The tag's look as a style attribute, for emails (GOV.UK Frontend 5's padding and colours)."""
        colour = PALETTE[self.colour]
        return f"display:inline-block;padding:2px 8px 3px;color:{colour.text};background-color:{colour.background};"


@dataclass(frozen=True)
class TagSet:
    colours: Mapping[str, str]  # value -> colour name
    labels: Mapping[str, str]  # value -> words


_sets: dict[str, TagSet] = {}


def _key(value) -> str:
    # str() of a TextChoices or IntegerChoices member is its value, as stored in the database.
    return "" if value is None else str(value)


def register(
    name: str,
    choices: type[Choices] | None = None,
    *,
    colours: Mapping,
    labels: Mapping | None = None,
) -> None:
    """Register the tag colour of every value of one status under `name`.

    `choices` (a TextChoices or IntegerChoices) gives the words for each value; `labels`
    adds words for values without choices (flags such as "overdue") or replaces some.
    `colours` maps each value to a colour name of PALETTE. Raises ImproperlyConfigured,
    when the app loads, if a value has no colour, a colour is not GOV.UK's, or `name` is
    already registered with a different mapping."""
    words = {_key(value): label for value, label in choices.choices} if choices else {}
    words.update({_key(value): label for value, label in (labels or {}).items()})
    chosen = {_key(value): colour for value, colour in colours.items()}
    if missing := sorted(set(words) - set(chosen)):
        raise ImproperlyConfigured(f"Tag set {name!r}: no colour for {', '.join(missing)}")
    if unknown := sorted(set(chosen.values()) - set(PALETTE)):
        raise ImproperlyConfigured(f"Tag set {name!r}: {', '.join(unknown)} is not a GOV.UK tag colour")
    tag_set = TagSet(colours=chosen, labels=words)
    if _sets.get(name, tag_set) != tag_set:
        raise ImproperlyConfigured(f"Tag set {name!r} is already registered")
    _sets[name] = tag_set


def tag_for(name: str, value, label: str | None = None) -> Tag:
    """The tag for `value` of the status registered as `name`, in `label`'s words if given.

    Never raises: an unregistered name or value is a grey tag saying `label`, the registered
    words, or the value itself, and is logged so that someone registers its colour."""
    key = _key(value)
    tag_set = _sets.get(name)
    colour = tag_set.colours.get(key) if tag_set else None
    if colour is None:
        logger.warning("No tag colour for %r in %r: shown grey", key, name)
    words = label or (tag_set.labels.get(key) if tag_set else None) or key or "Not recorded"
    return Tag(label=str(words), colour=colour or FALLBACK)


def registered() -> dict[str, TagSet]:
    """Every registered tag set by name (for tests and documentation)."""
    return dict(_sets)


# Flags that any page may show beside a date or a row.
register("flag", colours={"overdue": "red", "new": "blue"}, labels={"overdue": "Overdue", "new": "New"})
