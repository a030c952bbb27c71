"""Charts as files: PNG and SVG rendered without a browser by vl-convert."""

from __future__ import annotations

import altair as alt
import vl_convert

PNG_SCALE = 2.0  # twice the screen size: sharp when printed or put on a slide
FILE_WIDTH = 760  # on the page a chart takes the column's width; a file needs one of its own


def _sized(chart: alt.TopLevelMixin, width: int) -> alt.TopLevelMixin:
    if chart.to_dict().get("width") is None:
        chart = chart.properties(width=width)
    return chart


def chart_png(chart: alt.TopLevelMixin, scale: float = PNG_SCALE, width: int = FILE_WIDTH) -> bytes:
    return vl_convert.vegalite_to_png(_sized(chart, width).to_json(), scale=scale)


def chart_svg(chart: alt.TopLevelMixin, width: int = FILE_WIDTH) -> bytes:
    return vl_convert.vegalite_to_svg(_sized(chart, width).to_json()).encode("utf-8")
