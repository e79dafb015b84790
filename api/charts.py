"""SVG charts for the statistics report, drawn offline with pygal (no script fetched: no request leaves the page)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pygal
from markupsafe import Markup
from pygal.style import Style

_STYLE = Style(
    background="white",
    plot_background="white",
    font_family='system-ui, "Noto Sans CJK SC", sans-serif',
    colors=("#1a9850", "#78b35a", "#fee08b", "#e08214", "#d73027", "#9ecae1"),
)


def _config() -> pygal.Config:
    config = pygal.Config()
    config.js = []  # pygal's tooltip script would be fetched from its site: a static, printable drawing
    config.disable_xml_declaration = True
    config.style = _STYLE
    config.width, config.height = 640, 320
    config.legend_at_bottom = True
    return config


def bars(title: str, labels: Sequence[str], series: Mapping[str, Sequence[float]], *, stacked: bool = False) -> Markup:
    """A bar chart (one bar group per label, one series each) as inline SVG."""
    chart = (pygal.StackedBar if stacked else pygal.Bar)(_config(), title=title)
    chart.x_labels = list(labels)
    for name, values in series.items():
        chart.add(name, list(values))
    return Markup(chart.render(is_unicode=True))  # pygal escapes the text it draws
