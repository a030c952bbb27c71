"""Altair charts to PNG and SVG without a browser (vl-convert)."""

from __future__ import annotations

import altair as alt
import vl_convert


def chart_png(chart: alt.TopLevelMixin, scale: float = 2.0) -> bytes:
    return vl_convert.vegalite_to_png(chart.to_json(), scale=scale)


def chart_svg(chart: alt.TopLevelMixin) -> str:
    return vl_convert.vegalite_to_svg(chart.to_json())
