"""Template tags of the shared list components: the elided page numbers and sortable table heads."""

from django import template

register = template.Library()


@register.filter
def thousands(number) -> str:
    """A count as people read it: 4812 as "4,812"."""
    return f"{number:,}"


@register.simple_tag
def page_numbers(page, on_each_side=2, on_ends=1):
    """The page numbers to offer around `page`, with `Paginator.ELLIPSIS` for the gaps."""
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=on_each_side, on_ends=on_ends))


def _query(request, **changes) -> str:
    params = request.GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.inclusion_tag("components/table_head.html", takes_context=True)
def table_head(context, columns, filterset=None):
    """The `<thead>` of a list table: `columns` are `qa_portal.lists.Column`s; a sortable one is a
    link that sorts the list by it (the other way round if it already does), keeping the filters
    and going back to the first page, and says how it is sorted in `aria-sort`."""
    current = filterset.sort_key if filterset is not None else None
    heads = []
    for column in columns:
        head = {"column": column, "url": None, "aria_sort": None}
        if column.sortable and current is not None:
            if current == column.ascending:
                head["aria_sort"], choose = "ascending", column.descending or column.ascending
            elif current == column.descending:
                head["aria_sort"], choose = "descending", column.ascending or column.descending
            else:
                choose = getattr(column, column.first) or column.ascending or column.descending
            head["url"] = _query(context["request"], sort=choose, page=None)
        heads.append(head)
    return {"heads": heads}
