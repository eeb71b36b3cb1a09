"""How long each kind of text may be: one table for the whole portal (README: Inputs).

| Kind        | Characters | For                                                                        |
|-------------|-----------:|----------------------------------------------------------------------------|
| `NAME`      |        200 | a name, title or job title                                                 |
| `LINE`      |      1,000 | any other one-line text box that does not say (the default)                |
| `REASON`    |      2,000 | a reason or short note: why something was removed, cancelled, brought      |
|             |            | forward or not accepted; what needs changing in a visit report             |
| `SUMMARY`   |      5,000 | a concern, a recommendation, an impact statement, a progress update, the   |
|             |            | provider's action; who came to a visit or meeting                          |
| `NARRATIVE` |     20,000 | a visit's answers and summary, a meeting's notes, the committee report (the |
|             |            | default for a text area that does not say)                                  |

20,000 characters is about 3,000 words: eight pages of a visit report for one answer. The longest
text in the demo data is under 500. A model's text field says its kind with `LimitedTextField`
(forms made from it take the limit; `full_clean`, which every service and import calls, enforces it);
a form's own text box with `max_length`; `PortalForm` gives any text box without one the default of
its kind. Text the portal writes itself (emails, error reports, an import's file) is not limited
here: it is bounded where it is made.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.deconstruct import deconstructible

NAME = 200
LINE = 1_000
REASON = 2_000
SUMMARY = 5_000
NARRATIVE = 20_000


def named(label: str | None) -> str:
    """How a message names a field: by its label; a question's whole text is too long to repeat, so
    by its first words ("Your answer to “How do young people describe…”")."""
    name = " ".join(str(label or "").split())
    if not name:
        return "This text"
    if len(name) <= 60:
        return name
    words = name[:45].rsplit(" ", 1)[0].rstrip(",;:")
    return f"Your answer to “{words}…”"


def length_message(label: str | None, limit: int, count: int) -> str:
    """The message for text over its limit, naming the field (`named`):
    "Summary must be 5,000 characters or fewer; it has 5,210"."""
    return f"{named(label)} must be {limit:,} characters or fewer; it has {count:,}"


@deconstructible
class LengthLimit:
    """A validator: text of at most `limit` characters; the message names the field by `label`
    (when it is given and short) and says how long the text is."""

    code = "max_length"

    def __init__(self, limit: int, label: str | None = None):
        self.limit, self.label = limit, label

    def __call__(self, value) -> None:
        if value is not None and len(value) > self.limit:
            raise ValidationError(length_message(self.label, self.limit, len(value)), code=self.code)

    def __eq__(self, other):
        return isinstance(other, LengthLimit) and (self.limit, self.label) == (other.limit, other.label)


class LimitedTextField(models.TextField):
    """A text field with a maximum length, as `limits` says for its kind: `max_length` is required.

    Enforced by the forms made from it (they take `max_length`, and PortalForm's message) and by
    `full_clean` (as a CharField's is), not by the database: a limit can change without rewriting a
    table, and a row saved before it came in still loads."""

    def __init__(self, *args, max_length: int, **kwargs):
        super().__init__(*args, max_length=max_length, **kwargs)

    def contribute_to_class(self, cls, name, *args, **kwargs):
        super().contribute_to_class(cls, name, *args, **kwargs)
        # Named now that the field knows its verbose name: "Summary must be 5,000 characters or fewer".
        # A new list: a copy of the field (simple_history's, say) must not add to the original's.
        limit = LengthLimit(self.max_length, label=str(self.verbose_name).capitalize())
        self.validators = [*(v for v in self.validators if not isinstance(v, LengthLimit)), limit]
