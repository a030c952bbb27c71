"""Altair charts built from plain data frames; no I/O. Colours are Okabe-Ito (colour-blind safe)
and every series also differs by shape or label, so nothing is told by colour alone."""

from __future__ import annotations

import altair as alt
import pandas as pd

from ioa_assess.i18n import translate

OKABE_ITO = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "grey": "#999999",
    "black": "#000000",
}
SCALE = alt.Scale(domain=[1, 5], nice=False)


def _axis_title(lang: str) -> str:
    return translate(lang, "Maturity level (1-5)")


def standing_chart(frame: pd.DataFrame, lang: str) -> alt.LayerChart:
    """One row per dimension: the peers' spread (range and quartile box, median tick), the body's
    own score (filled diamond) and its target (open triangle).

    frame columns: dimension, own, low, q1, median, q3, high, target.
    """
    order = list(frame["dimension"])
    y = alt.Y("dimension:N", sort=order, title=None, axis=alt.Axis(labelLimit=260))
    base = alt.Chart(frame).encode(y=y)
    peers = frame.dropna(subset=["median"])
    peer_base = alt.Chart(peers).encode(y=y)
    whisker = peer_base.mark_rule(color=OKABE_ITO["grey"]).encode(
        x=alt.X("low:Q", scale=SCALE, title=_axis_title(lang)), x2="high:Q"
    )
    box = peer_base.mark_bar(size=14, color="#D9D9D9", stroke=OKABE_ITO["grey"]).encode(x="q1:Q", x2="q3:Q")
    median = peer_base.mark_tick(color=OKABE_ITO["black"], thickness=2, size=18).encode(
        x="median:Q",
        tooltip=[
            alt.Tooltip("dimension:N", title=translate(lang, "Dimension")),
            alt.Tooltip("median:Q", title=translate(lang, "Peer median"), format=".1f"),
            alt.Tooltip("q1:Q", title=translate(lang, "Lower quartile"), format=".1f"),
            alt.Tooltip("q3:Q", title=translate(lang, "Upper quartile"), format=".1f"),
        ],
    )
    marks = _series_frame(frame, lang)
    series = (
        alt.Chart(marks)
        .mark_point(size=140, filled=True, opacity=0.95)
        .encode(
            y=y,
            x=alt.X("value:Q", scale=SCALE),
            shape=alt.Shape(
                "series:N",
                scale=alt.Scale(
                    domain=[translate(lang, "Your score"), translate(lang, "Your target")],
                    range=["diamond", "triangle-up"],
                ),
                title=None,
            ),
            color=alt.Color(
                "series:N",
                scale=alt.Scale(
                    domain=[translate(lang, "Your score"), translate(lang, "Your target")],
                    range=[OKABE_ITO["blue"], OKABE_ITO["vermillion"]],
                ),
                title=None,
                legend=alt.Legend(orient="bottom"),
            ),
            tooltip=[
                alt.Tooltip("dimension:N", title=translate(lang, "Dimension")),
                alt.Tooltip("series:N", title=" "),
                alt.Tooltip("value:Q", title=translate(lang, "Level"), format=".1f"),
            ],
        )
    )
    labels = base.mark_text(align="left", dx=10, fontSize=11).encode(
        x=alt.X("own:Q", scale=SCALE), text=alt.Text("own:Q", format=".1f")
    )
    height = max(160, 38 * len(frame))
    return alt.layer(whisker, box, median, series, labels).properties(height=height)


def _series_frame(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    own = (
        frame[["dimension", "own"]]
        .rename(columns={"own": "value"})
        .assign(series=translate(lang, "Your score"))
    )
    target = frame[["dimension", "target"]].rename(columns={"target": "value"})
    target = target.assign(series=translate(lang, "Your target"))
    return pd.concat([own, target]).dropna(subset=["value"])


def cohort_strip_chart(frame: pd.DataFrame, lang: str) -> alt.LayerChart:
    """Every anonymised body's score per dimension as a dot, with the median as a black tick.

    frame columns: dimension, score (one row per body and dimension).
    """
    order = list(dict.fromkeys(frame["dimension"]))
    y = alt.Y("dimension:N", sort=order, title=None, axis=alt.Axis(labelLimit=260))
    dots = (
        alt.Chart(frame)
        .mark_circle(size=40, opacity=0.45, color=OKABE_ITO["blue"])
        .encode(
            x=alt.X("score:Q", scale=SCALE, title=_axis_title(lang)),
            y=y,
            yOffset=alt.YOffset("jitter:Q"),
        )
        .transform_calculate(jitter="random()")
    )
    medians = (
        alt.Chart(frame)
        .mark_tick(color=OKABE_ITO["black"], thickness=3, size=26)
        .encode(
            x=alt.X("median(score):Q", scale=SCALE),
            y=y,
            tooltip=[
                alt.Tooltip("dimension:N", title=translate(lang, "Dimension")),
                alt.Tooltip("median(score):Q", title=translate(lang, "Median"), format=".2f"),
                alt.Tooltip("count(score):Q", title=translate(lang, "Bodies")),
            ],
        )
    )
    return alt.layer(dots, medians).properties(height=max(160, 44 * len(order)))


def history_chart(frame: pd.DataFrame, lang: str) -> alt.LayerChart:
    """Score over rounds: the body's line (solid, circles) against the peer median (dashed, squares).

    frame columns: round, order, series, value.
    """
    rounds = list(dict.fromkeys(frame.sort_values("order")["round"]))
    domain = list(dict.fromkeys(frame["series"]))
    colors = [OKABE_ITO["blue"], OKABE_ITO["black"], OKABE_ITO["vermillion"]][: len(domain)]
    shapes = ["circle", "square", "triangle-up"][: len(domain)]
    dashes = [[1, 0], [5, 3], [2, 2]][: len(domain)]
    enc = {
        "x": alt.X("round:N", sort=rounds, title=translate(lang, "Round"), axis=alt.Axis(labelAngle=0)),
        "y": alt.Y("value:Q", scale=SCALE, title=_axis_title(lang)),
        "color": alt.Color(
            "series:N",
            scale=alt.Scale(domain=domain, range=colors),
            title=None,
            legend=alt.Legend(orient="bottom"),
        ),
    }
    lines = (
        alt.Chart(frame)
        .mark_line()
        .encode(
            **enc,
            strokeDash=alt.StrokeDash("series:N", scale=alt.Scale(domain=domain, range=dashes), legend=None),
        )
    )
    points = (
        alt.Chart(frame)
        .mark_point(filled=True, size=80)
        .encode(
            **enc,
            shape=alt.Shape("series:N", scale=alt.Scale(domain=domain, range=shapes), title=None),
            tooltip=["round:N", "series:N", alt.Tooltip("value:Q", format=".2f")],
        )
    )
    labels = (
        alt.Chart(frame)
        .mark_text(dy=-12, fontSize=11)
        .encode(x=enc["x"], y=enc["y"], text=alt.Text("value:Q", format=".1f"))
    )
    return alt.layer(lines, points, labels).properties(height=260)
