"""User text (body, network and round names) inside Markdown that Streamlit renders."""

from __future__ import annotations

import re

# Characters that start Markdown (or Streamlit's :red[...], :material/icon:, $math$) anywhere in a
# line; CommonMark lets any of them be backslash-escaped.
_INLINE = re.compile(r"([\\`*_\[\]<>$:~|!{}()#&])")
# ... and those that matter only at the start of a line: lists ("- ", "+ ", "1. ", "1) ").
_BULLET = re.compile(r"^(\s*)([-+=])", re.MULTILINE)
_NUMBERED = re.compile(r"^(\s*\d+)([.)])", re.MULTILINE)


def plain(text: str) -> str:
    """`text` escaped so that Markdown shows it exactly as written."""
    text = _INLINE.sub(r"\\\1", text)
    text = _BULLET.sub(r"\1\\\2", text)
    return _NUMBERED.sub(r"\1\\\2", text)
