"""The portal's template components: status tags, RAG ratings, summary-list rows and data tables.

Each renders one partial in templates/components/ (or, for a tag, one line of markup), so
GOV.UK Frontend's markup is written once. Colours come from qa_portal.tags, where each app
registers its statuses: this module imports no app.

    {% status_tag "visit_status" visit.status %}
    {% status_tag "flag" "overdue" %}   {% status_tag "recommendation_status" rec.status inline=True %} (emails)
    {% rag_tag check.rag %}             {% rag_tag rating.rag short=True %} (a letter, the word for screen readers)
    {% summary_row "Provider" %}{{ meeting.provider.name }}{% endsummary_row %}
    {% summary_row "Name" change_url=url %}{{ contact.name }}{% endsummary_row %}
    {% data_table "Concerns about this provider" %}
      {% column "Received" %}{% column "Places" numeric=True %}{% column "Summary" width="one-half" %}
    {% rows %}
      {% for concern in concerns %}<tr class="govuk-table__row">…</tr>{% endfor %}
    {% enddata_table %}
"""

import base64
from functools import lru_cache

from django import template
from django.template.base import token_kwargs
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from qa_portal import intentions, wording
from qa_portal.tags import tag_for

register = template.Library()

# GOV.UK Frontend's width override classes (govuk-!-width-one-half...), for table columns.
WIDTHS = {"full", "three-quarters", "two-thirds", "one-half", "one-third", "one-quarter"}
CAPTION_SIZES = {"s", "m", "l", "xl"}


@register.simple_tag
def status_tag(name, value, label=None, inline=False, classes=""):
    """One status as a GOV.UK tag in the colour registered for it (see qa_portal.tags).

    `label` replaces the registered words; `inline=True` writes the colours as a style
    attribute, for emails; `classes` adds classes, such as a smaller font size."""
    tag = tag_for(name, value, label)
    if inline:
        return format_html('<strong style="{}">{}</strong>', tag.inline_style, tag.label)
    css = f"{tag.css_class} {classes}" if classes else tag.css_class
    return format_html('<strong class="{}">{}</strong>', css, tag.label)


@register.simple_tag
def tag_class(name, value):
    """Only the classes of a status's tag, for markup that is not a plain tag (see _version_status.html)."""
    return tag_for(name, value).css_class


@register.simple_tag
def rag_tag(value, short=False, classes=""):
    """A red, amber or green rating, always with its word, never colour alone (WCAG 1.4.1): as a tag
    ("Red"), or `short` as a letter ("R") with the word for screen readers, for tables with a column
    per area. No rating reads "Not rated". One line of markup, not a partial: the compliance overview
    writes 450 of them a page."""
    if not value:
        if short:
            return mark_safe('<span aria-hidden="true">—</span><span class="govuk-visually-hidden">not rated</span>')
        return mark_safe('<span class="govuk-body-s">Not rated</span>')
    tag = tag_for("rag", value)
    css = f"{tag.css_class} {classes}" if classes else tag.css_class
    if short:
        return format_html(
            '<strong class="{}"><span aria-hidden="true">{}</span>'
            '<span class="govuk-visually-hidden">{}</span></strong>',
            css,
            tag.label[:1],
            tag.label,
        )
    return format_html('<strong class="{}">{}</strong>', css, tag.label)


@lru_cache(maxsize=64)
def _rag_cell(rag: str, classes: str) -> str:
    return format_html('<td class="govuk-table__cell govuk-!-padding-right-2">{}</td>', rag_tag(rag, True, classes))


@register.simple_tag
def rag_cells(ratings, classes=""):
    """A table cell for each of `ratings` (objects with a `rag`) holding its short `rag_tag`: the
    compliance overview's nine areas a row in one call instead of a loop of tags (450 a page). A cell
    is one of four, whoever reads it, so each is made once."""
    return mark_safe("".join(_rag_cell(rating.rag, classes) for rating in ratings))


def _kwargs(parser, bits, tag_name, allowed):
    kwargs = token_kwargs(bits, parser)
    if bits:
        raise template.TemplateSyntaxError(f"{tag_name} takes one value, then name=value options: {' '.join(bits)}")
    if unknown := set(kwargs) - allowed:
        raise template.TemplateSyntaxError(f"{tag_name} has no option {', '.join(sorted(unknown))}")
    return kwargs


def _partial(context, name, values):
    return context.template.engine.get_template(name).render(context.new(values))


class SummaryRowNode(template.Node):
    def __init__(self, key, nodelist, options):
        self.key, self.nodelist, self.options = key, nodelist, options

    def render(self, context):
        options = {name: value.resolve(context) for name, value in self.options.items()}
        value = mark_safe(self.nodelist.render(context).strip())  # already escaped as it was rendered
        return _partial(
            context, "components/summary_row.html", {"key": self.key.resolve(context), "value": value, **options}
        )


@register.tag
def summary_row(parser, token):
    """{% summary_row key [change_url=… change_text="Change"] %}value{% endsummary_row %}

    One row of a GOV.UK summary list (templates/components/summary_row.html). With
    change_url, the row ends in a "Change" link whose hidden text names the key."""
    bits = token.split_contents()
    tag_name, bits = bits[0], bits[1:]
    if not bits:
        raise template.TemplateSyntaxError(f"{tag_name} needs the row's key")
    key = parser.compile_filter(bits.pop(0))
    options = _kwargs(parser, bits, tag_name, {"change_url", "change_text"})
    nodelist = parser.parse((f"end{tag_name}",))
    parser.delete_first_token()
    return SummaryRowNode(key, nodelist, options)


COLUMNS = "_data_table_columns"


class ColumnNode(template.Node):
    def __init__(self, text, options):
        self.text, self.options = text, options

    def render(self, context):
        if COLUMNS not in context:
            raise template.TemplateSyntaxError("{% column %} belongs between {% data_table %} and {% rows %}")
        options = {name: value.resolve(context) for name, value in self.options.items()}
        if options.get("width") and options["width"] not in WIDTHS:
            raise template.TemplateSyntaxError(f"No GOV.UK width {options['width']!r}: one of {sorted(WIDTHS)}")
        context[COLUMNS].append({"text": self.text.resolve(context), **options})
        return ""


@register.tag
def column(parser, token):
    """{% column text [numeric=True] [width="one-half"] [hidden=True] [classes="…"] %}: one
    column heading of a {% data_table %}. `hidden` keeps the heading for screen readers only."""
    bits = token.split_contents()
    tag_name, bits = bits[0], bits[1:]
    if not bits:
        raise template.TemplateSyntaxError(f"{tag_name} needs the heading's text")
    text = parser.compile_filter(bits.pop(0))
    return ColumnNode(text, _kwargs(parser, bits, tag_name, {"numeric", "width", "hidden", "classes"}))


class DataTableNode(template.Node):
    def __init__(self, caption, options, head, body):
        self.caption, self.options, self.head, self.body = caption, options, head, body

    def render(self, context):
        options = {name: value.resolve(context) for name, value in self.options.items()}
        if options.get("caption_size") and options["caption_size"] not in CAPTION_SIZES:
            raise template.TemplateSyntaxError(f"No caption size {options['caption_size']!r}")
        columns = []
        with context.push({COLUMNS: columns}):
            self.head.render(context)  # the {% column %} tags fill `columns`; nothing else is kept
        rows = mark_safe(self.body.render(context).strip())  # already escaped as it was rendered
        values = {"caption": self.caption.resolve(context), "columns": columns, "rows": rows, **options}
        return _partial(context, "components/table.html", values)


@register.tag
def data_table(parser, token):
    """{% data_table caption [caption_size="m"] [id="…"] [classes="…"] %} {% column … %}…
    {% rows %} <tr class="govuk-table__row">…</tr>… {% enddata_table %}

    A GOV.UK table (templates/components/table.html): its caption, one heading per
    {% column %}, then the rows as written. The caption names the table for screen readers;
    it is shown only with caption_size, since a heading above usually names it already."""
    bits = token.split_contents()
    tag_name, bits = bits[0], bits[1:]
    if not bits:
        raise template.TemplateSyntaxError(f"{tag_name} needs the table's caption")
    caption = parser.compile_filter(bits.pop(0))
    options = _kwargs(parser, bits, tag_name, {"caption_size", "id", "classes"})
    head = parser.parse(("rows",))
    parser.delete_first_token()
    body = parser.parse((f"end{tag_name}",))
    parser.delete_first_token()
    return DataTableNode(caption, options, head, body)


@register.simple_tag(takes_context=True)
def query(context, **changes):
    """The current query string with some parameters changed (None removes one); keeps filters on paging and sorting."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag(takes_context=True)
def form_token(context):
    """{% form_token %} inside a hand-written form that creates something: its one-time token, the one
    it was posted with if the page is drawn again after a POST (qa_portal.intentions)."""
    request = context.get("request")
    return intentions.token_input(request.POST if request is not None and request.method == "POST" else None)


@register.filter
def removable_by(record, user):
    """{% if concern|removable_by:user %}: may `user` remove this record in error (qa_portal.removal)?"""
    return record.may_be_removed_by(user)


@register.filter
def with_article(phrase):
    """{{ "annual review meeting"|with_article }} is "an annual review meeting" (qa_portal.wording)."""
    return wording.with_article(str(phrase))


@register.filter
def count_of(n, nouns):
    """{{ n|count_of:"visit" }} is "1 visit" or "2 visits"; {{ n|count_of:"child,children" }} names the
    plural where it is not the noun with an s (qa_portal.wording)."""
    one, _, many = str(nouns).partition(",")
    return wording.count_of(int(n), one, many or None)


@register.filter
def due_in(days):
    """{{ days|due_in }}: "today", "tomorrow", "in 3 days" (qa_portal.wording)."""
    return wording.due_in(int(days))


@register.filter
def svg_image_src(svg):
    """{{ chart|svg_image_src }}: an SVG drawing (such as a committee chart) as a data: URL for an
    <img src>. Drawn inline instead, its own <style> would be refused by the page's
    Content-Security-Policy (no inline style); inside an image it styles only the image."""
    return "data:image/svg+xml;base64," + base64.b64encode(str(svg).encode("utf-8")).decode("ascii")
