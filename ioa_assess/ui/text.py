"""User text (names, labels, comments, reasons) inside Markdown that Streamlit renders.

Streamlit renders Markdown in titles, headers, captions, st.write, st.markdown, alerts and widget
labels, with its own extensions (:red[...], :material/icon:, $math$). Every text a user typed, and
every name a user chose, goes through plain() before it is put into such a text, so that it shows
exactly as typed. tests/test_rendering.py searches pages/ and ui/ for uses that skip it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

# Characters that start Markdown (or Streamlit's :red[...], :material/icon:, $math$) anywhere in a
# line; CommonMark lets any of them be backslash-escaped.
_INLINE = re.compile(r"([\\`*_\[\]<>$:~|!{}()#&])")
# ... and those that matter only at the start of a line: lists ("- ", "+ ", "1. ", "1) ").
_BULLET = re.compile(r"^(\s*)([-+=])", re.MULTILINE)
_NUMBERED = re.compile(r"^(\s*\d+)([.)])", re.MULTILINE)


# Web addresses, emoji and icon codes are recognised in the text after the escapes are read
# (GitHub's autolinks, :smile:, :material/home:), so escaping cannot stop them: an invisible word
# joiner after each colon and inside "www." breaks them up without changing what the reader sees.
# E-mail addresses are left whole (at worst a mailto link), so that a copied address still works.
WORD_JOINER = "\u2060"
_WWW = re.compile(r"(www)(\.)", re.IGNORECASE)


def plain(text: str) -> str:
    """`text` escaped so that Markdown shows it exactly as written."""
    text = _INLINE.sub(r"\\\1", text)
    text = _BULLET.sub(r"\1\\\2", text)
    text = _NUMBERED.sub(r"\1\\\2", text)
    text = text.replace(":", ":" + WORD_JOINER)
    return _WWW.sub(r"\1" + WORD_JOINER + r"\2", text)


def plain_values(values: Mapping[str, object]) -> dict[str, object]:
    """A message's values with every text escaped (an error may quote what the user typed)."""
    return {name: plain(value) if isinstance(value, str) else value for name, value in values.items()}
