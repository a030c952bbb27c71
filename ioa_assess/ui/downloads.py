"""Download buttons, side by side: tables (CSV, Excel), charts (PNG, SVG) and personal-data exports
(JSON, Excel). Files are built only when a button is pressed; with `audit` (actor, what), each click
is recorded as an export in the audit trail (services.audit.record_export)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import altair as alt
import pandas as pd
import streamlit as st

from ioa_assess.reports.chart_files import chart_png, chart_svg
from ioa_assess.reports.tables import to_csv, to_xlsx
from ioa_assess.services import privacy
from ioa_assess.services.actor import Actor
from ioa_assess.services.audit import record_export
from ioa_assess.ui.i18n import _

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class DownloadFile:
    label: str
    data: Callable[[], bytes]  # called when the button is pressed
    file_name: str
    mime: str
    icon: str | None = None


def download_row(key: str, files: list[DownloadFile], audit: tuple[Actor, str] | None = None) -> None:
    """One button per file, keyed `<key>-<extension>`."""
    with st.container(horizontal=True, key=f"{key}-files"):
        for file in files:
            fmt = file.file_name.rsplit(".", 1)[-1]
            st.download_button(
                file.label,
                data=file.data,
                file_name=file.file_name,
                mime=file.mime,
                key=f"{key}-{fmt}",
                icon=file.icon,
                on_click=record_export if audit else "ignore",
                args=(*audit, f"format={fmt}") if audit else None,
            )


def chart_downloads(chart: alt.TopLevelMixin, name: str, key: str) -> None:
    """PNG and SVG of a chart, drawn by vl-convert."""
    download_row(
        key,
        [
            DownloadFile(
                _("Chart as PNG"), lambda: chart_png(chart), f"{name}.png", "image/png", ":material/image:"
            ),
            DownloadFile(
                _("Chart as SVG"), lambda: chart_svg(chart), f"{name}.svg", "image/svg+xml", ":material/draw:"
            ),
        ],
    )


def table_downloads(
    frame: pd.DataFrame | Callable[[], pd.DataFrame],
    name: str,
    key: str,
    sheet: str | None = None,
    audit: tuple[Actor, str] | None = None,
) -> None:
    """CSV and Excel of a table (or of a function that makes it, called only on a click). Both are
    safe to open in a spreadsheet: text that looks like a formula is defused."""
    make = frame if callable(frame) else (lambda: frame)
    title = sheet or name
    files = [
        DownloadFile(
            _("Table as CSV"), lambda: to_csv(make()), f"{name}.csv", "text/csv", ":material/download:"
        ),
        DownloadFile(
            _("Table as Excel"),
            lambda: to_xlsx({title: make()}),
            f"{name}.xlsx",
            XLSX,
            ":material/table_view:",
        ),
    ]
    download_row(key, files, audit)


def export_files(sheets: dict[str, pd.DataFrame], stem: str) -> list[DownloadFile]:
    """A personal-data export as JSON and as Excel."""
    return [
        DownloadFile(
            _("Export (JSON)"), lambda: privacy.to_bytes(sheets, "json"), f"{stem}.json", "application/json"
        ),
        DownloadFile(_("Export (Excel)"), lambda: privacy.to_bytes(sheets, "xlsx"), f"{stem}.xlsx", XLSX),
    ]
