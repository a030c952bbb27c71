"""Download buttons for tables (CSV, Excel) and charts (PNG, SVG). Files are built when clicked,
without a rerun of the page; a table download can be recorded in the audit trail."""

from __future__ import annotations

from collections.abc import Callable

import altair as alt
import pandas as pd
import streamlit as st

from ioa_assess.reports.chart_files import chart_png, chart_svg
from ioa_assess.reports.tables import to_csv, to_xlsx
from ioa_assess.services.actor import Actor
from ioa_assess.services.audit import record_export
from ioa_assess.ui.i18n import _

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def chart_downloads(chart: alt.TopLevelMixin, name: str, key: str) -> None:
    """PNG and SVG of a chart, drawn by vl-convert only when a button is pressed."""
    with st.container(horizontal=True, key=f"{key}-files"):
        st.download_button(
            _("Chart as PNG"),
            data=lambda: chart_png(chart),
            file_name=f"{name}.png",
            mime="image/png",
            key=f"{key}-png",
            on_click="ignore",
            icon=":material/image:",
        )
        st.download_button(
            _("Chart as SVG"),
            data=lambda: chart_svg(chart),
            file_name=f"{name}.svg",
            mime="image/svg+xml",
            key=f"{key}-svg",
            on_click="ignore",
            icon=":material/draw:",
        )


def table_downloads(
    frame: pd.DataFrame | Callable[[], pd.DataFrame],
    name: str,
    key: str,
    sheet: str | None = None,
    audit: tuple[Actor, str] | None = None,
) -> None:
    """CSV and Excel of a table (or of a function that makes it, called only on a click).

    Both are safe to open in a spreadsheet: text that looks like a formula is defused. With `audit`
    (actor, what), each download is recorded as an export in the audit trail.
    """
    make = frame if callable(frame) else (lambda: frame)
    title = sheet or name

    def build(fmt: str) -> bytes:
        if audit is not None:
            record_export(audit[0], audit[1], f"format={fmt}")
        return to_csv(make()) if fmt == "csv" else to_xlsx({title: make()})

    with st.container(horizontal=True, key=f"{key}-files"):
        st.download_button(
            _("Table as CSV"),
            data=lambda: build("csv"),
            file_name=f"{name}.csv",
            mime="text/csv",
            key=f"{key}-csv",
            on_click="ignore",
            icon=":material/download:",
        )
        st.download_button(
            _("Table as Excel"),
            data=lambda: build("xlsx"),
            file_name=f"{name}.xlsx",
            mime=XLSX,
            key=f"{key}-xlsx",
            on_click="ignore",
            icon=":material/table_view:",
        )
