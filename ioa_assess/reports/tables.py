"""Tables to bytes: CSV, Excel and JSON, safe to open in a spreadsheet."""

from __future__ import annotations

import io

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def defuse(value: object) -> object:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe (CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def to_csv(frame: pd.DataFrame) -> bytes:
    # utf-8-sig so that Excel opens æøå correctly when the file is double-clicked.
    return frame.map(defuse).to_csv(index=False).encode("utf-8-sig")


DECIMALS = 1  # scores and statistics are shown with one decimal everywhere
DECIMAL_FORMAT = "0.0"  # Excel writes the decimal separator of the reader's own locale (2,5 in Norway)


def to_xlsx(sheets: dict[str, pd.DataFrame]) -> bytes:
    """One sheet per frame. Numbers stay numbers: decimals are rounded to what is shown and carry a
    number format, so a Norwegian Excel shows 2,5 and can still sum them."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, frame in sheets.items():
        sheet = workbook.create_sheet(title[:31])
        sheet.append([str(c) for c in frame.columns])
        decimal_columns = {
            index
            for index, column in enumerate(frame.columns, start=1)
            if pd.api.types.is_float_dtype(frame[column])
            or any(isinstance(v, float) and not float(v).is_integer() for v in frame[column].head(200))
        }
        for row in frame.itertuples(index=False):
            sheet.append([_cell(v, index + 1 in decimal_columns) for index, v in enumerate(row)])
        for index in decimal_columns:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                if isinstance(cell.value, float):
                    cell.number_format = DECIMAL_FORMAT
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for index, column in enumerate(frame.columns, start=1):
            width = max([len(str(column)), *(len(str(v)) for v in frame[column].head(200))])
            sheet.column_dimensions[get_column_letter(index)].width = min(60, width + 2)
        for row_cells in sheet.iter_rows(min_row=2):
            for cell in row_cells:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # never a formula, whatever the text starts with
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(value: object, decimal: bool = False) -> object:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return None
    if decimal and isinstance(value, int | float) and not isinstance(value, bool):
        return round(float(value), DECIMALS)
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime().replace(tzinfo=None)
    if hasattr(value, "tzinfo") and getattr(value, "tzinfo", None) is not None:
        return value.replace(tzinfo=None)  # type: ignore[union-attr]
    return value


def to_json(frame: pd.DataFrame) -> bytes:
    return frame.to_json(orient="records", force_ascii=False, date_format="iso", indent=1).encode("utf-8")
