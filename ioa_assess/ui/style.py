"""Page-wide style: what Streamlit's theme cannot say. Phones (narrower than Streamlit's 640 px column
break) get smaller headings, so that a long Norwegian word is never broken in the middle."""

from __future__ import annotations

import streamlit as st

from ioa_assess.config import DATA_DIR

ICON = DATA_DIR / "icon.png"  # served by the app itself: a Material icon would be fetched from Google
NARROW = 640  # Streamlit stacks columns below this width

CSS = f"""
<style>
@media (max-width: {NARROW}px) {{
  h1 {{ font-size: 1.8rem !important; }}
  h2 {{ font-size: 1.3rem !important; }}
  h3 {{ font-size: 1.1rem !important; }}
  h1, h2, h3 {{ overflow-wrap: normal; word-break: normal; }}
  .st-key-dimension-buttons {{ display: none; }}
  [data-testid="stTable"] table {{ font-size: 0.75rem; }}
  [data-testid="stTable"] th, [data-testid="stTable"] td {{ padding: 0.25rem 0.3rem; hyphens: auto; }}
}}
@media (min-width: {NARROW + 1}px) {{
  .st-key-dimension-compact {{ display: none; }}
}}
</style>
"""


def apply_style() -> None:
    st.html(CSS)
