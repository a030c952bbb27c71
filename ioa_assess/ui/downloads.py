"""Download buttons whose downloads are recorded in the audit trail (services.audit.record_export)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ioa_assess.services import privacy
from ioa_assess.services.actor import Actor
from ioa_assess.services.audit import record_export
from ioa_assess.ui.i18n import _

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def audited_downloads(actor: Actor, what: str, key: str, files: list[tuple[str, bytes, str, str]]) -> None:
    """(label, data, file name, mime) side by side; a click records "export" of `what` by `actor`."""
    row = st.container(horizontal=True)
    for label, data, file_name, mime in files:
        fmt = file_name.rsplit(".", 1)[-1]
        row.download_button(
            label,
            data,
            file_name,
            mime,
            key=f"{key}-{fmt}",
            on_click=record_export,
            args=(actor, what, f"format={fmt}"),
        )


def export_files(sheets: dict[str, pd.DataFrame], stem: str) -> list[tuple[str, bytes, str, str]]:
    """A personal-data export as JSON and as Excel."""
    return [
        (_("Export (JSON)"), privacy.to_bytes(sheets, "json"), f"{stem}.json", "application/json"),
        (_("Export (Excel)"), privacy.to_bytes(sheets, "xlsx"), f"{stem}.xlsx", XLSX),
    ]
