"""Altair charts built from plain data frames; no I/O. Colours are Okabe-Ito (colour-blind safe)
and every series also differs by shape or label, so nothing is told by colour alone."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from functools import wraps
from typing import Concatenate, ParamSpec

import altair as alt
import pandas as pd

from ioa_assess.i18n import fmt_number, translate

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
SHAPES = ["circle", "square", "triangle-up", "diamond", "cross", "triangle-down"]
DASHES = [[1, 0], [6, 3], [2, 2], [8, 2, 2, 2], [4, 4], [1, 3]]


P = ParamSpec("P")
# Norwegian writes 2,5 where English writes 2.5. Vega formats axis ticks and labels by the chart's
# locale, on the page and in the PNG, SVG and PDF files alike.
NORWEGIAN_NUMBERS = {"decimal": ",", "thousands": "\u00a0", "grouping": [3], "currency": ["", "\u00a0kr"]}
NUMBER_LOCALES = {"nb": NORWEGIAN_NUMBERS, "nn": NORWEGIAN_NUMBERS}


def in_language(
    build: Callable[Concatenate[pd.DataFrame, str, P], alt.LayerChart],
) -> Callable[Concatenate[pd.DataFrame, str, P], alt.LayerChart]:
    """A chart builder whose numbers are written the way the chart's language writes them."""

    @wraps(build)
    def localised(frame: pd.DataFrame, lang: str, *args: P.args, **kwargs: P.kwargs) -> alt.LayerChart:
        chart = build(frame, lang, *args, **kwargs)
        numbers = NUMBER_LOCALES.get(lang)
        return chart.configure(locale={"number": numbers}) if numbers else chart

    return localised


def _axis_title(lang: str) -> str:
    return translate(lang, "Maturity level (1-5)")


@in_language
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


@in_language
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


@in_language
def history_chart(frame: pd.DataFrame, lang: str) -> alt.LayerChart:
    """Scores over rounds, one line per series (a county, a kind of body ...); each series differs by
    colour, point shape and dash pattern, and the values are written next to the points.

    frame columns: round, order, series, value.
    """
    rounds = list(dict.fromkeys(frame.sort_values("order")["round"]))
    domain = list(dict.fromkeys(frame["series"]))
    palette = ["blue", "black", "vermillion", "green", "purple", "orange"]
    colors = [OKABE_ITO[palette[i % len(palette)]] for i in range(len(domain))]
    shapes = [SHAPES[i % len(SHAPES)] for i in range(len(domain))]
    dashes = [DASHES[i % len(DASHES)] for i in range(len(domain))]
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


@in_language
def trend_chart(frame: pd.DataFrame, lang: str) -> alt.LayerChart:
    """The overall score per round (solid line, circles, labels) against the peers' median (dashed,
    squares) inside their quartile band (grey); readable in black and white.

    frame columns: round, order, own, peer_median, peer_q1, peer_q3, and optionally mark (the
    comparability note of a round measured with a changed questionnaire).
    """
    rounds = list(frame.sort_values("order")["round"])
    x = alt.X("round:N", sort=rounds, title=translate(lang, "Round"), axis=alt.Axis(labelAngle=0))
    y_scale = SCALE
    band = (
        alt.Chart(frame.dropna(subset=["peer_q1"]))
        .mark_area(opacity=0.35, color="#BBBBBB")
        .encode(x=x, y=alt.Y("peer_q1:Q", scale=y_scale, title=_axis_title(lang)), y2="peer_q3:Q")
    )
    own_label, peer_label = translate(lang, "Our score"), translate(lang, "Network median")
    long = pd.concat(
        [
            frame[["round", "own"]].rename(columns={"own": "value"}).assign(series=own_label),
            frame[["round", "peer_median"]]
            .rename(columns={"peer_median": "value"})
            .assign(series=peer_label),
        ]
    ).dropna(subset=["value"])
    domain = [own_label, peer_label]
    encoding = {
        "x": x,
        "y": alt.Y("value:Q", scale=y_scale),
        "color": alt.Color(
            "series:N",
            scale=alt.Scale(domain=domain, range=[OKABE_ITO["blue"], OKABE_ITO["black"]]),
            title=None,
            legend=alt.Legend(orient="bottom"),
        ),
    }
    lines = (
        alt.Chart(long)
        .mark_line(strokeWidth=2.5)
        .encode(
            **encoding,
            strokeDash=alt.StrokeDash(
                "series:N", scale=alt.Scale(domain=domain, range=[[1, 0], [6, 4]]), legend=None
            ),
        )
    )
    points = (
        alt.Chart(long)
        .mark_point(filled=True, size=90)
        .encode(
            **encoding,
            shape=alt.Shape(
                "series:N", scale=alt.Scale(domain=domain, range=["circle", "square"]), title=None
            ),
            tooltip=["round:N", "series:N", alt.Tooltip("value:Q", format=".2f")],
        )
    )
    labels = (
        alt.Chart(long[long["series"] == own_label])
        .mark_text(dy=-14, fontSize=12, fontWeight="bold")
        .encode(x=x, y=alt.Y("value:Q", scale=y_scale), text=alt.Text("value:Q", format=".1f"))
    )
    layers = [band, lines, points, labels]
    marked = frame[frame["mark"].fillna("") != ""] if "mark" in frame else frame.iloc[0:0]
    if len(marked):
        # A round measured with a changed questionnaire: an open ring round its point and the note
        # written at the foot of the chart, so the line is never read as like with like.
        layers.append(
            alt.Chart(marked)
            .mark_point(
                shape="circle", size=420, filled=False, strokeWidth=1.5, color=OKABE_ITO["vermillion"]
            )
            .encode(x=x, y=alt.Y("own:Q", scale=y_scale))
        )
        layers.append(
            # Right-aligned at its round, so the note runs back over the line it qualifies and stays
            # inside the chart; the first round is never marked (there is nothing before it).
            alt.Chart(
                marked.assign(y=SCALE.domain[0], text=[m.replace(": ", ":\n", 1) for m in marked["mark"]])
            )
            .mark_text(
                align="right",
                baseline="bottom",
                dx=12,
                dy=-4,
                lineBreak="\n",
                fontSize=10,
                fontStyle="italic",
                color=OKABE_ITO["vermillion"],
            )
            .encode(x=x, y=alt.Y("y:Q", scale=y_scale), text="text:N")
        )
    return alt.layer(*layers).properties(height=240)


# --- the facilitator's cohort dashboard ------------------------------------------------------

HEAT_RANGE = ["#F2F7FB", OKABE_ITO["blue"]]  # light to Okabe-Ito blue; black text stays readable
HEAT_WHITE_TEXT_FROM = 4.6  # above this the cell is dark enough for white text
HEADER_WIDTH, HEADER_LINE = 15, 13  # characters per line and line height of the heatmap's column names
# Streamlit fits a chart's whole height (axes and legend included) into its `height` unless the chart
# says otherwise; these charts take the height their rows need and fit only the width.
FIT_WIDTH = alt.AutoSizeParams(type="fit-x", contains="padding")


@in_language
def heatmap_chart(frame: pd.DataFrame, lang: str) -> alt.LayerChart:
    """Bodies (rows) by dimensions (columns), coloured by score, with the score written in each cell
    (so colour is never the only carrier); a cell without enough answers shows "–".

    frame columns: body, dimension, score (None: not enough answers). Rows keep the frame's order.
    """

    frame = frame.assign(text=[fmt_number(v, lang) if pd.notna(v) else "–" for v in frame["score"]])
    bodies = list(dict.fromkeys(frame["body"]))
    dimensions = list(dict.fromkeys(frame["dimension"]))
    y = alt.Y("body:N", sort=bodies, title=None, axis=alt.Axis(labelLimit=220, labelOverlap=False))
    # Dimension names wrapped over lines, so that every column is named however narrow it is. Vega
    # draws the lines of a label downwards, into the cells: so each label is padded at the front to
    # the same number of lines and the whole header is lifted by that many lines.
    wrapped = {
        name: textwrap.wrap(name, HEADER_WIDTH, break_long_words=False) or [name] for name in dimensions
    }
    lines = max(len(w) for w in wrapped.values()) if wrapped else 1
    padded = {name: [""] * (lines - len(w)) + w for name, w in wrapped.items()}
    x = alt.X(
        "dimension:N",
        sort=dimensions,
        title=None,
        axis=alt.Axis(
            orient="top",
            labelAngle=0,
            labelExpr=f"{json.dumps(padded, ensure_ascii=False)}[datum.label]",
            labelFontSize=11,
            labelLineHeight=HEADER_LINE,
            labelPadding=4 + (lines - 1) * HEADER_LINE,
            labelOverlap=False,
        ),
    )
    tooltip = [
        alt.Tooltip("body:N", title=translate(lang, "Body")),
        alt.Tooltip("dimension:N", title=translate(lang, "Dimension")),
        alt.Tooltip("text:N", title=translate(lang, "Score")),
    ]
    cells = (
        alt.Chart(frame)
        .mark_rect(stroke="white", strokeWidth=1)
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "score:Q",
                scale=alt.Scale(domain=[1, 5], range=HEAT_RANGE, nice=False),
                title=_axis_title(lang),
                legend=alt.Legend(orient="bottom", gradientLength=220),
            ),
            tooltip=tooltip,
        )
    )
    labels = (
        alt.Chart(frame)
        .mark_text(fontSize=11)
        .encode(
            x=x,
            y=y,
            text="text:N",
            color=alt.condition(
                alt.datum.score >= HEAT_WHITE_TEXT_FROM, alt.value("white"), alt.value(OKABE_ITO["black"])
            ),
            tooltip=tooltip,
        )
    )
    return alt.layer(cells, labels).properties(height=max(120, 22 * len(bodies)), autosize=FIT_WIDTH)


@in_language
def distribution_chart(frame: pd.DataFrame, lang: str) -> alt.LayerChart:
    """How many bodies have each overall maturity (bins of 0.25), each bar labelled with its count,
    and the median as a dashed line with its value.

    frame columns: overall.
    """
    values = frame.dropna(subset=["overall"])
    bins = alt.Bin(extent=[1, 5], step=0.25)
    count_title = translate(lang, "Bodies")
    # Room above the highest bar for its count, below the median's label.
    highest = int(((values["overall"] - 1) // 0.25).value_counts().max()) if len(values) else 1
    bars = (
        alt.Chart(values)
        .mark_bar(color=OKABE_ITO["blue"], opacity=0.85)
        .encode(
            x=alt.X("overall:Q", bin=bins, scale=SCALE, title=translate(lang, "Overall maturity (1-5)")),
            y=alt.Y(
                "count():Q",
                title=count_title,
                scale=alt.Scale(domain=[0, highest * 1.2]),
                axis=alt.Axis(tickMinStep=1),
            ),
            tooltip=[alt.Tooltip("count():Q", title=count_title)],
        )
    )
    counts = (
        alt.Chart(values)
        .mark_text(dy=-7, fontSize=11)
        .encode(x=alt.X("overall:Q", bin=bins, scale=SCALE), y="count():Q", text="count():Q")
    )
    median_value = float(values["overall"].median()) if len(values) else None
    median_frame = pd.DataFrame({"median": [median_value] if median_value is not None else []})
    rule = (
        alt.Chart(median_frame)
        .mark_rule(color=OKABE_ITO["black"], strokeDash=[6, 3], strokeWidth=2)
        .encode(x=alt.X("median:Q", scale=SCALE))
    )

    text = translate(lang, "Median {value}", value=fmt_number(median_value, lang))
    rule_label = (
        alt.Chart(median_frame)
        .mark_text(align="left", dx=4, fontSize=11, fontWeight="bold")
        .encode(x=alt.X("median:Q", scale=SCALE), y=alt.value(-10), text=alt.value(text))
    )
    return alt.layer(bars, counts, rule, rule_label).properties(height=220, autosize=FIT_WIDTH)


@in_language
def group_spread_chart(frame: pd.DataFrame, lang: str) -> alt.LayerChart:
    """One row per group: range (line), quartiles (grey box), median (black tick, written out).

    frame columns: group, low, q1, median, q3, high, bodies.
    """
    y = alt.Y("group:N", sort=list(frame["group"]), title=None, axis=alt.Axis(labelLimit=220))
    base = alt.Chart(frame).encode(y=y)
    whisker = base.mark_rule(color=OKABE_ITO["grey"]).encode(
        x=alt.X("low:Q", scale=SCALE, title=translate(lang, "Overall maturity (1-5)")), x2="high:Q"
    )
    box = base.mark_bar(size=16, color="#D9D9D9", stroke=OKABE_ITO["grey"]).encode(x="q1:Q", x2="q3:Q")
    median = base.mark_tick(color=OKABE_ITO["black"], thickness=3, size=22).encode(
        x="median:Q",
        tooltip=[
            alt.Tooltip("group:N", title=" "),
            alt.Tooltip("bodies:Q", title=translate(lang, "Bodies")),
            alt.Tooltip("median:Q", title=translate(lang, "Median"), format=".2f"),
            alt.Tooltip("q1:Q", title=translate(lang, "Lower quartile"), format=".2f"),
            alt.Tooltip("q3:Q", title=translate(lang, "Upper quartile"), format=".2f"),
        ],
    )
    labels = base.mark_text(align="left", dx=8, dy=-12, fontSize=11).encode(
        x=alt.X("median:Q", scale=SCALE), text=alt.Text("median:Q", format=".1f")
    )
    return alt.layer(whisker, box, median, labels).properties(
        height=max(80, 40 * len(frame)), autosize=FIT_WIDTH
    )


@in_language
def change_chart(frame: pd.DataFrame, lang: str, before: str, after: str) -> alt.LayerChart:
    """Median per dimension in the baseline (open grey circle) and the follow-up (filled blue
    diamond), joined by a line, with the median change written at the end.

    frame columns: measure, before, after, change, and optionally mark (the comparability note of a
    measure compared across questionnaire versions). `before`/`after` name the two rounds.
    """
    order = list(frame["measure"])
    y = alt.Y("measure:N", sort=order, title=None, axis=alt.Axis(labelLimit=260))
    line = (
        alt.Chart(frame)
        .mark_rule(color=OKABE_ITO["grey"], strokeWidth=2)
        .encode(y=y, x=alt.X("before:Q", scale=SCALE, title=_axis_title(lang)), x2="after:Q")
    )
    long = pd.concat(
        [
            frame[["measure", "before"]].rename(columns={"before": "value"}).assign(series=before),
            frame[["measure", "after"]].rename(columns={"after": "value"}).assign(series=after),
        ]
    )
    domain = [before, after]
    points = (
        alt.Chart(long)
        .mark_point(size=130, strokeWidth=2)
        .encode(
            y=y,
            x=alt.X("value:Q", scale=SCALE),
            shape=alt.Shape(
                "series:N", scale=alt.Scale(domain=domain, range=["circle", "diamond"]), title=None
            ),
            color=alt.Color(
                "series:N",
                scale=alt.Scale(domain=domain, range=[OKABE_ITO["grey"], OKABE_ITO["blue"]]),
                title=None,
                legend=alt.Legend(orient="bottom"),
            ),
            fill=alt.Fill(
                "series:N", scale=alt.Scale(domain=domain, range=["white", OKABE_ITO["blue"]]), legend=None
            ),
            tooltip=[
                alt.Tooltip("measure:N", title=translate(lang, "Dimension")),
                alt.Tooltip("series:N", title=translate(lang, "Round")),
                alt.Tooltip("value:Q", title=translate(lang, "Median"), format=".2f"),
            ],
        )
    )

    labelled = frame.assign(
        text=[("+" if c > 0 else "") + fmt_number(c, lang, digits=2) for c in frame["change"]],
        right=frame[["before", "after"]].max(axis=1),
    )
    labels = (
        alt.Chart(labelled)
        .mark_text(align="left", dx=12, fontSize=11)
        .encode(y=y, x=alt.X("right:Q", scale=SCALE), text="text:N")
    )
    layers = [line, points, labels]
    marked = frame[frame["mark"].fillna("") != ""] if "mark" in frame else frame.iloc[0:0]
    if len(marked):
        # A dimension measured with a changed questionnaire is drawn, but says so under its line.
        layers.append(
            alt.Chart(marked.assign(x=SCALE.domain[0]))
            .mark_text(align="left", baseline="top", dy=9, fontSize=10, fontStyle="italic")
            .encode(y=y, x=alt.X("x:Q", scale=SCALE), text="mark:N")
        )
    row = 46 if len(marked) else 32
    return alt.layer(*layers).properties(height=max(160, row * len(frame)), autosize=FIT_WIDTH)
