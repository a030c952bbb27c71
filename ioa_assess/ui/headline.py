"""The headline figures of a body's results: overall maturity with its change, level, and a comparison."""

from __future__ import annotations

import streamlit as st

from ioa_assess.i18n import fmt_change, fmt_number
from ioa_assess.ui.i18n import _, current_language
from ioa_assess.ui.text import plain


def signed(change: float, lang: str) -> str:
    """A change as shown: "+0,3", "-0,3" (ASCII minus, which also sets the metric's arrow), "0,0"."""
    return fmt_change(change, lang)


def headline(
    overall: float | None,
    level_name: str | None,
    previous: float | None,
    previous_round: str | None,
    *,
    peer_label: str,
    peer_value: float | None,
) -> None:
    """Three figures in a row; a change that rounds to nothing shows no arrow, and says so in words."""
    lang = current_language()
    change = signed(overall - previous, lang) if overall is not None and previous is not None else None
    moved = change is not None and change[0] in "+-"
    cols = st.columns(3)
    cols[0].metric(
        _("Overall maturity"),
        fmt_number(overall, lang),
        delta=change if moved else None,
        help=_("Mean of the dimension scores."),
    )
    # Without a score the level is "–" and the reason goes into the help: a sentence in the big
    # figure's font would be cut off.
    cols[1].metric(
        _("Level"),
        level_name if overall is not None and level_name else "–",
        help=_("The level the overall score rounds to.") if overall is not None else level_name,
    )
    cols[2].metric(peer_label, fmt_number(peer_value, lang))
    if change is None or previous_round is None:
        return
    if moved:
        text = _(
            "Since {round}: from {before} to {now}.",
            round=plain(previous_round),
            before=fmt_number(previous, lang),
            now=fmt_number(overall, lang),
        )
    else:
        text = _(
            "Unchanged since {round}: {now}.", round=plain(previous_round), now=fmt_number(overall, lang)
        )
    st.caption(text)
