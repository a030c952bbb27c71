"""Tables on a page: numbers written the Norwegian way (2,5 with one decimal), blanks as "–", and laid
out to fit the page's width.

`show_table` is for short tables (a few dozen rows): an HTML table whose cells wrap, so it never
scrolls sideways. `show_grid` is for long lists: a scrolling grid, with its columns sized to fit.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import streamlit as st

from ioa_assess.i18n import fmt_number
from ioa_assess.ui.i18n import current_language

BLANK = "–"


def readable(frame: pd.DataFrame, lang: str, digits: int = 1) -> pd.DataFrame:
    """The frame as a user reads it: decimals in the language's way, whole numbers as they are,
    and nothing shown as "None" or "nan"."""

    def cell(value: object) -> object:
        if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
            return BLANK
        if isinstance(value, bool):
            return value
        if isinstance(value, float):
            return fmt_number(value, lang, digits)
        return value

    shown = frame.copy()
    for column in shown.columns:
        series = shown[column]
        if pd.api.types.is_bool_dtype(series):
            continue
        if pd.api.types.is_integer_dtype(series):
            shown[column] = [BLANK if pd.isna(v) else str(int(v)) for v in series]
        else:
            shown[column] = [cell(v) for v in series]
    if not isinstance(shown.index, pd.RangeIndex):
        shown.index = [cell(v) for v in shown.index]
    return shown


def show_table(frame: pd.DataFrame, *, notes: Mapping[str, str] | None = None, index: bool = False) -> None:
    """A short table that wraps its cells to the page's width. `notes` explains short column
    headings below the table (a heading's full meaning is never lost to a narrow column)."""
    st.table(readable(frame, current_language()), hide_index=not index)
    if notes:
        st.caption(" · ".join(f"{heading}: {text}" for heading, text in notes.items()))


def show_grid(
    frame: pd.DataFrame,
    *,
    widths: Mapping[str, str | int] | None = None,
    help: Mapping[str, str] | None = None,
    key: str | None = None,
) -> None:
    """A long list in a scrolling grid; the columns named in `widths` get that width."""
    config = {
        column: st.column_config.Column(width=(widths or {}).get(column), help=(help or {}).get(column))
        for column in frame.columns
        if column in (widths or {}) or column in (help or {})
    }
    st.dataframe(readable(frame, current_language()), hide_index=True, column_config=config or None, key=key)
