"""The GOV.UK components in templates/components/: summary-list rows, data tables and RAG ratings."""

from types import SimpleNamespace

import pytest
from django.template import Context, Template, TemplateSyntaxError


def render(source, **context):
    return " ".join(Template("{% load portal %}" + source).render(Context(context)).split())


def test_a_summary_row_is_a_gov_uk_row_with_its_value_as_written():
    html = render('{% summary_row "Provider" %} <a href="/p/1/">{{ name }}</a> {% endsummary_row %}', name="A & B")
    assert html == (
        '<div class="govuk-summary-list__row"> <dt class="govuk-summary-list__key">Provider</dt> '
        '<dd class="govuk-summary-list__value"><a href="/p/1/">A &amp; B</a></dd> </div>'
    )


def test_a_summary_row_with_a_change_link_names_what_it_changes_for_screen_readers():
    html = render('{% summary_row key change_url="/edit/" %}Jo{% endsummary_row %}', key="Contact name")
    assert (
        '<dd class="govuk-summary-list__actions"> <a class="govuk-link" href="/edit/">Change'
        '<span class="govuk-visually-hidden"> Contact name</span></a> </dd>'
    ) in html


def test_a_data_table_has_its_caption_headings_and_rows():
    html = render(
        '{% data_table "Concerns" %}{% column "Received" %}{% column "Places" numeric=True %}'
        '{% if wide %}{% column "Summary" width="one-half" %}{% endif %}{% column "Actions" hidden=True %}'
        '{% rows %}<tr class="govuk-table__row"><td class="govuk-table__cell">1</td></tr>{% enddata_table %}',
        wide=True,
    )
    assert '<caption class="govuk-table__caption govuk-visually-hidden">Concerns</caption>' in html
    assert '<th scope="col" class="govuk-table__header"> Received </th>' in html
    assert '<th scope="col" class="govuk-table__header govuk-table__header--numeric"> Places </th>' in html
    assert '<th scope="col" class="govuk-table__header govuk-!-width-one-half"> Summary </th>' in html
    assert '<span class="govuk-visually-hidden">Actions</span>' in html
    assert '<tbody class="govuk-table__body"> <tr class="govuk-table__row"><td class="govuk-table__cell">1</td>' in html


def test_a_data_tables_caption_shows_when_given_a_size_and_a_column_left_out_is_left_out():
    html = render(
        '{% data_table "Versions" caption_size="m" id="versions" %}{% column "A" %}'
        '{% if wide %}{% column "B" %}{% endif %}{% rows %}{% enddata_table %}',
        wide=False,
    )
    assert '<table class="govuk-table" id="versions">' in html
    assert '<caption class="govuk-table__caption govuk-table__caption--m">Versions</caption>' in html
    assert html.count("<th ") == 1


@pytest.mark.parametrize(
    "source",
    [
        '{% column "A" %}',
        '{% data_table "T" %}{% column "A" width="most" %}{% rows %}{% enddata_table %}',
        '{% data_table "T" colour="red" %}{% rows %}{% enddata_table %}',
        '{% summary_row "Key" "extra" %}{% endsummary_row %}',
    ],
)
def test_a_component_used_wrongly_says_so(source):
    with pytest.raises(TemplateSyntaxError):
        render(source)


def test_rag_cells_are_the_cells_of_a_loop_of_short_rag_tags():
    ratings = [SimpleNamespace(rag=rag) for rag in ["red", "", "green", "amber", "red", ""]]
    looped = render(
        "{% for rating in ratings %}"
        '<td class="govuk-table__cell govuk-!-padding-right-2">{% rag_tag rating.rag short=True classes=size %}</td>'
        "{% endfor %}",
        ratings=ratings,
        size="govuk-!-font-size-16",
    )
    assert render("{% rag_cells ratings classes=size %}", ratings=ratings, size="govuk-!-font-size-16") == looped
    assert looped.count("<td") == 6
    assert looped.count(">R</span>") == 2


def test_a_rag_rating_always_says_its_word():
    assert render('{% rag_tag "amber" %}') == '<strong class="govuk-tag govuk-tag--orange">Amber</strong>'
    assert render("{% rag_tag '' %}") == '<span class="govuk-body-s">Not rated</span>'
    assert render('{% rag_tag "green" classes="x" %}') == '<strong class="govuk-tag govuk-tag--green x">Green</strong>'
    assert render('{% rag_tag "red" short=True %}') == (
        '<strong class="govuk-tag govuk-tag--red"><span aria-hidden="true">R</span>'
        '<span class="govuk-visually-hidden">Red</span></strong>'
    )
    assert render("{% rag_tag '' short=True %}") == (
        '<span aria-hidden="true">—</span><span class="govuk-visually-hidden">not rated</span>'
    )
