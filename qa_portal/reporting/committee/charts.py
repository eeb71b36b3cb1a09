"""The pack's charts: SVG drawn on the server by pygal, with no script and nothing fetched."""

import re

import pygal
from django.utils.safestring import mark_safe
from pygal.style import Style

from qa_portal.reporting.committee.figures import CommitteeFigures

# Charts: SVG drawn on the server by pygal, with no script and nothing fetched --------------------

FONT = "Arial, 'Liberation Sans', sans-serif"
BLUE, BLACK = "#1d70b8", "#0b0c0c"


def _style() -> Style:
    return Style(
        font_family=FONT,
        background="#ffffff",
        plot_background="#ffffff",
        foreground=BLACK,
        foreground_strong=BLACK,
        foreground_subtle="#b1b4b6",
        opacity="1",
        opacity_hover="1",
        colors=(BLUE,),
        title_font_size=15,
        label_font_size=12,
        major_label_font_size=12,
        value_font_size=13,
        value_colors=(BLACK,),
        guide_stroke_color="#b1b4b6",
        major_guide_stroke_color="#b1b4b6",
        guide_stroke_dasharray="2,2",
        major_guide_stroke_dasharray="2,2",
        tooltip_font_size=12,
    )


def _config(title: str, *, width: int, height: int) -> dict:
    return {
        "title": title,
        "width": width,
        "height": height,
        "explicit_size": True,
        "js": [],  # no script is linked...
        "disable_xml_declaration": True,  # ...and the SVG can sit inside HTML
        "style": _style(),
        "show_legend": False,
        "print_values": True,
        "print_zeroes": False,
        "print_values_position": "top",
        "truncate_label": -1,
        "truncate_legend": -1,
        "margin": 12,
        "spacing": 8,
    }


def _axis(top: int) -> list[int]:
    """Whole-number steps for a count axis: about five of them."""
    top = max(top, 4)  # a month with one visit should not fill the chart
    step = -(-top // 5)
    return list(range(0, top + step, step))


def _clean_svg(svg: str) -> str:
    # pygal still writes an inline <script> holding its tooltip settings: drop it, and the
    # comments naming its website, so the chart is drawing and text only.
    svg = re.sub(r"<script\b.*?</script>", "", svg, flags=re.S)
    return re.sub(r"<!--.*?-->", "", svg, flags=re.S)


def visits_chart(figures: CommitteeFigures) -> str:
    counts = [count for _, _, count in figures.visits_by_month]
    chart = pygal.Bar(**_config("QA visits by month", width=640, height=300), y_labels=_axis(max(counts, default=0)))
    chart.x_labels = [short for short, _, _ in figures.visits_by_month]
    chart.add("Visits", counts)
    return mark_safe(_clean_svg(chart.render(is_unicode=True)))  # our own drawing: no user text in it


def recommendations_chart(figures: CommitteeFigures) -> str:
    statuses = figures.recommendation_statuses
    chart = pygal.HorizontalBar(
        **_config("Recommendations by where they stand", width=640, height=260),
        y_labels=_axis(max((n for _, n in statuses), default=0)),
    )
    # A horizontal bar chart draws its first label at the bottom: reversed, it reads as the table does.
    chart.x_labels = [label for label, _ in reversed(statuses)]
    chart.add("Recommendations", [n for _, n in reversed(statuses)])
    return mark_safe(_clean_svg(chart.render(is_unicode=True)))  # our own drawing: no user text in it
