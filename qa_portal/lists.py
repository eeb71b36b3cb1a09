"""The shared parts of every list page: one FilterSet filters and sorts the rows that the page,
its counts and its downloads all show, so a download always holds exactly the rows on screen.

A list's FilterSet (in its app's `filters.py`) subclasses `ListFilterSet` and is always given a
queryset already restricted by `qa_portal.access.visible_to`: filtering only ever narrows what the
user may see. A value the list cannot use (an unknown status, a year that is not a number) is
refused by the form with a message next to its field; the other filters still apply and the page
still renders.
"""

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

import django_filters
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Div, Field, Layout, Size
from django import forms
from django.core.paginator import Page, Paginator
from django.http import Http404, QueryDict
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from qa_portal.table_versions import CSRF_STAND_IN, cached_markup, code_digest, person_key
from qa_portal.widgets import LabelChoiceIterator, Select

SPREADSHEET_FORMATS = ("csv", "xlsx")


class SortFilter(django_filters.ChoiceFilter):
    """The list's order, chosen by key in the query string (`?sort=-name`).

    `orders` maps each key to its label and its `order_by` terms; `default` is the key used when
    none is chosen or the one given is refused. It always applies, so paging is stable."""

    def __init__(self, *, orders: dict[str, tuple[str, list]], default: str, **kwargs):
        self.orders = orders
        self.default = default
        kwargs.setdefault("label", "Sort by")
        kwargs.setdefault("empty_label", None)
        kwargs.setdefault("error_messages", {"invalid_choice": "Choose a sort order from the list"})
        super().__init__(choices=[(key, label) for key, (label, _) in orders.items()], **kwargs)

    def filter(self, qs, value):
        _, order = self.orders.get(value or self.default, self.orders[self.default])
        return qs.order_by(*order)


class CheckboxField(forms.BooleanField):
    """Ticked is True; unticked is None (not False), so the filter is skipped as if not given."""

    def to_python(self, value):
        return True if super().to_python(value) else None


class CheckboxFilter(django_filters.Filter):
    """A checkbox (`=1`, `=on`): ticked, it applies its `method`; unticked, it does nothing."""

    field_class = CheckboxField


def choose_from_list(label: str) -> dict:
    """The message for a value that is not one of the choices, next to its field."""
    return {"invalid_choice": f"Choose {label} from the list"}


class ListFilterSet(django_filters.FilterSet):
    """A list's filters and sort, laid out as a GOV.UK form.

    Always bound to the query string (an empty one is valid), so defaults such as the sort order
    apply on the first visit as well. `column_width` is the GOV.UK grid column each field takes
    (e.g. "one-quarter"); None stacks the fields, for a filter panel beside the list."""

    column_width: str | None = "one-quarter"
    field_order: list[str] | None = None  # the form's order, when not the order declared
    rows: list[list[str]] | None = None  # fields by grid row, when they do not all fit on one
    # The column that names a record in a choice list (people by name, not by email; providers by
    # name): the options are read as (pk, that column), with no model instance each.
    choice_labels: dict[str, str] = {}
    # Choice lists long enough to be typed into (every provider, every person): GOV.UK's
    # accessible-autocomplete over the select, which stays what the form sends (qa_portal.widgets).
    autocomplete: tuple[str, ...] = ()

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data if data is not None else QueryDict(), queryset, request=request, prefix=prefix)
        if self.field_order:
            self.filters = {name: self.filters[name] for name in self.field_order}

    @property
    def form(self):
        form = super().form
        if not hasattr(form, "helper"):
            form.helper = self.form_helper(form)
            for name, field in form.fields.items():
                if name in self.choice_labels and isinstance(field, forms.ModelChoiceField):
                    field.label_field = self.choice_labels[name]
                    field.label_from_instance = lambda obj, attribute=field.label_field: getattr(obj, attribute)
                    field.iterator = LabelChoiceIterator
                if type(field.widget) is forms.Select:
                    # Written without a template per option (a thousand providers took tens of ms).
                    field.widget = Select(field.widget.attrs, autocomplete=name in self.autocomplete)
                    field.widget.is_required = field.required
                if isinstance(field, forms.ChoiceField):
                    field.widget.choices = field.choices
        return form

    def form_helper(self, form) -> FormHelper:
        helper = FormHelper()
        helper.form_tag = False
        helper.disable_csrf = True  # a GET form: a token would only end up in the address
        helper.label_size = Size.SMALL
        helper.legend_size = Size.SMALL
        fields = {name: self._layout_field(name, field) for name, field in form.fields.items()}
        if not self.column_width:
            helper.layout = Layout(*fields.values())
            return helper
        rows = self.rows or [list(fields)]
        helper.layout = Layout(
            *[
                Div(
                    *[
                        Div(fields[name], css_class=f"govuk-grid-column-{self.column_width}")
                        for name in row
                        if name in fields
                    ],
                    css_class="govuk-grid-row",
                )
                for row in rows
                if any(name in fields for name in row)
            ]
        )
        return helper

    @staticmethod
    def _layout_field(name, field):
        if isinstance(field, forms.BooleanField):
            return Field.checkbox(name, small=True)
        if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
            return Field.select(name, css_class="app-select--full")
        return Field.text(name)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        # A refused sort value is left out of cleaned_data; the list still needs its default order.
        sort = self.filters.get("sort")
        if isinstance(sort, SortFilter) and "sort" not in self.form.cleaned_data:
            queryset = sort.filter(queryset, "")
        return queryset

    @property
    def values(self) -> dict:
        """The filters that were given and accepted, sort included: {name: cleaned value}."""
        self.form.is_valid()
        return {
            name: value
            for name, value in self.form.cleaned_data.items()
            if value not in (None, "", False, [], ()) and name in self.filters
        }

    @property
    def is_filtered(self) -> bool:
        """Whether a filter narrows the list (the sort alone does not): for "Clear filters"."""
        return any(name != "sort" for name in self.values)

    @property
    def sort_key(self) -> str | None:
        """The sort order in force: the chosen key, or the default."""
        sort = self.filters.get("sort")
        if not isinstance(sort, SortFilter):
            return None
        return self.values.get("sort") or sort.default

    @property
    def sort_label(self) -> str:
        """The sort order in force in words ("Soonest due first"), e.g. for a table's caption."""
        key = self.sort_key
        return self.filters["sort"].orders[key][0] if key else ""


def paginate(request, rows, per_page: int) -> Page:
    """The page of `rows` asked for by `?page=` (the last page if past the end, the first if not a
    number); the template's pagination shows it with `Paginator.get_elided_page_range`."""
    return Paginator(rows, per_page).get_page(request.GET.get("page"))


def kept_content(
    request,
    name: str,
    template: str,
    make_context: Callable[[], tuple[dict, Any]],
    *,
    code: tuple[str, ...],
    key: Hashable = (),
    posts: bool = False,
) -> tuple[str, Any]:
    """A page's content (everything inside `<main>` but the messages) rendered from `template` with the
    context `make_context()` returns, as markup, with what else it returned (the ids of the young people
    shown, for the access log): kept while no table its queries read is written
    (`qa_portal.table_versions.cached_markup`), per person (`person_key`), day, address and query
    string, and version of the modules named in `code` (those that work the content out: the view's,
    its filters'...). `key` adds anything else it depends on. So every query of the content must run in
    `make_context` or while the template renders (the record itself read again there, so its table is
    watched), and the template must not depend on the request but by the person, the address and the
    query string. A form that posts (`{% csrf_token %}`) only with `posts`: the markup is kept with a
    stand-in for the token (`table_versions.CSRF_STAND_IN`), replaced by this request's at every opening;
    otherwise, or with a form's one-time token (qa_portal.intentions), ValueError.
    Returns (markup, extra). The caller logs who was seen at every opening, and checks access before."""

    def render() -> tuple[str, Any]:
        context, extra = make_context()
        if posts:
            context = {**context, "csrf_token": CSRF_STAND_IN}
        return render_to_string(template, context, request=request), extra

    kept_key = (
        person_key(request.user),
        timezone.localdate(),
        request.path,
        tuple(request.GET.lists()),
        code_digest(*code),
        key,
    )
    markup, extra = cached_markup(name, kept_key, render)
    if posts:
        # Markup the template escaped; the token is letters and digits.
        markup = mark_safe(markup.replace(CSRF_STAND_IN, get_token(request)))
    return markup, extra


def spreadsheet_format(fmt: str) -> str:
    """`fmt` if a list downloads in it (CSV or XLSX), else a 404."""
    if fmt not in SPREADSHEET_FORMATS:
        raise Http404("Lists download as CSV or XLSX")
    return fmt


@dataclass(frozen=True)
class Column:
    """One column of a list table, for the shared table head (`components/table_head.html`).

    `ascending` and `descending` are the sort keys that order the list by this column (A to Z,
    oldest first, fewest first; and the reverse); `first` is the one a click on an unsorted
    column chooses."""

    label: str
    ascending: str | None = None
    descending: str | None = None
    first: str = "ascending"
    numeric: bool = False
    classes: str = ""

    @property
    def sortable(self) -> bool:
        return bool(self.ascending or self.descending)
