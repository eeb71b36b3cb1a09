"""Ready-made markup in a crispy-forms layout.

crispy-forms' `HTML(text)` renders `text` as a Django template, with the page's context: a name, an
answer or a provider's name put into it would be read as template code (`{{ … }}`, `{% … %}`), not
shown as text. So markup built from what people typed goes into a layout as `Markup(…)`, built with
`format_html` or `render_to_string` (which escape it) and put on the page as it is. `HTML(…)` is for
our own fixed markup only."""

from crispy_forms.layout import LayoutObject
from django.utils.html import conditional_escape


class Markup(LayoutObject):
    """Markup put into a form's layout as it is, never read as a template. A plain `str` is escaped
    (shown as text); markup must come from `format_html`, `format_html_join` or `render_to_string`."""

    def __init__(self, html: str):
        self.html = html

    def render(self, form, context, template_pack=None, **kwargs) -> str:
        return conditional_escape(self.html)
