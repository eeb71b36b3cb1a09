"""Layout objects of the GOV.UK Design System that crispy-forms-gds lacks or gets wrong.

`Reveal`: a question that depends on a choice, shown under that choice only when it is made, as the
Design System's conditional reveal (radios and checkboxes) has it: the panel is
`govuk-radios__conditional` (or `govuk-checkboxes__conditional`) under the choice, the choice
`data-aria-controls` it, and govuk-frontend's radios and checkboxes modules show and hide it. Without
JavaScript every panel is shown. crispy-forms-gds's own `ConditionalRadios` is not used: it writes
`aria-controls` where govuk-frontend 5 reads `data-aria-controls`, so its panels never open.

The form must not trust what a hidden panel posts: a value chosen there, then hidden by another choice,
is still sent; its `clean` drops it (the Ofsted inspection form keeps no judgement on the other scale).
"""

from crispy_forms.utils import TEMPLATE_PACK, render_field
from crispy_forms_gds.layout import Field
from django.utils.safestring import mark_safe


class Reveal(Field):
    """`Reveal("scale", {"four_point": [Field.select("setting"), …], "supported_accommodation": [...]})`:
    the radios (or checkboxes) of the field `scale`, and under each choice named, its questions
    (layout objects or field names), shown when it is chosen. `legend_size` and the like as
    crispy-forms-gds's `Field.radios` takes them."""

    def __init__(self, field: str, reveals: dict, *, legend_size=None, inline=False, **kwargs):
        context = {"legend_size": legend_size} if legend_size else {}
        if inline:
            context["radios_inline"] = context["inline"] = True
        super().__init__(field, context=context, **kwargs)
        self.reveals = {str(value): list(fields) for value, fields in reveals.items()}

    def render(self, form, context, template_pack=TEMPLATE_PACK, **kwargs):
        conditional = {
            value: mark_safe(  # rendered by crispy-forms, escaped as it was rendered
                "".join(render_field(field, form, context, template_pack=template_pack) for field in fields)
            )
            for value, fields in self.reveals.items()
        }
        self.context = {**self.context, "conditional": conditional}
        return super().render(form, context, template_pack=template_pack, **kwargs)
