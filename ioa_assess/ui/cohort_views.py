"""The sections of the cohort page: completion, the dashboard, comparisons, and change."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from ioa_assess.charts import (
    change_chart,
    cohort_strip_chart,
    distribution_chart,
    group_spread_chart,
    heatmap_chart,
)
from ioa_assess.config import k_anonymity
from ioa_assess.questionnaire import Questionnaire
from ioa_assess.reports import cohort_tables as tables
from ioa_assess.services.actor import Actor
from ioa_assess.services.cohort import CohortTable, NetworkInfo, RoundInfo, cohort_table
from ioa_assess.services.dashboard import (
    completion_summary,
    group_comparison,
    paired_change,
    remind_list_and_key,
)
from ioa_assess.services.memo import cached
from ioa_assess.ui.downloads import chart_downloads, table_downloads
from ioa_assess.ui.i18n import _, current_language
from ioa_assess.ui.tables import show_grid, show_table

HEATMAP_PAGE = 50  # bodies per heatmap: a national network would make one chart thousands of pixels tall


def _heatmap_page(table: CohortTable) -> CohortTable:
    """The bodies the heatmap shows: all of them, or a page of them in a large network."""
    total = len(table.rows)
    if total <= HEATMAP_PAGE:
        return table
    start = st.selectbox(
        _("Bodies shown"),
        list(range(0, total, HEATMAP_PAGE)),
        format_func=lambda first: _(
            "{first}–{last} of {n}", first=first + 1, last=min(first + HEATMAP_PAGE, total), n=total
        ),
        key="heatmap-page",
        width=240,
    )
    return replace(table, rows=table.rows[start : start + HEATMAP_PAGE])


def _chart(chart, alt_text: str, name: str, key: str) -> None:  # type: ignore[no-untyped-def]
    st.altair_chart(chart, width="stretch", alt=alt_text)
    st.caption(alt_text)
    chart_downloads(chart, name, key)


def completion_section(actor: Actor, rnd: RoundInfo) -> None:
    lang = current_language()
    summary = completion_summary(actor, rnd.id)
    members = max(1, len(summary.rows))
    with st.container(horizontal=True, key="completion-counts"):
        for status, label in tables.STATUS_NAMES.items():
            count = summary.counts[status]
            st.metric(
                _(label),
                count,
                border=True,
                help=_("{p} % of the member bodies", p=tables.answered_percent(count, members)),
            )

    st.header(_("Who to remind"))
    remind, remind_state = remind_list_and_key(actor, rnd.id, summary)
    if remind:
        # Built once per state of the round (a large network has thousands of rows).
        remind_table = cached(("remind-frame", remind_state, lang), lambda: tables.remind_frame(remind, lang))
        show_grid(remind_table)
        what = f"remind list, round:{rnd.id}"
        table_downloads(remind_table, "ioa-remind", "remind", sheet=_("Remind"), audit=(actor, what))
    else:
        st.success(_("Every member body has submitted."))

    st.header(_("Completion per body"))
    search = st.text_input(_("Find a body"), key="completion-search", max_chars=100, width=360)
    rows = [r for r in summary.rows if search.strip().casefold() in r.body.casefold()]
    key = (summary.key, lang, search.strip().casefold())
    frame = cached(("completion-frame", key), lambda: tables.completion_frame(rows, lang))
    show_grid(frame, key="completion-table")
    st.markdown("**" + _("Per county") + "**")
    show_table(tables.counts_frame(summary.by_county, lang))
    st.markdown("**" + _("Per kind of body") + "**")
    show_table(tables.counts_frame(summary.by_kind, lang, kinds=True))


def dashboard_section(actor: Actor, rnd: RoundInfo, questionnaire: Questionnaire) -> None:
    lang, k = current_language(), k_anonymity()
    table = cohort_table(actor, rnd.id, names=True)
    if table.too_few:
        st.info(_("Too few submitted assessments to show (fewer than {k}).", k=k))
        return
    if table.hidden:
        st.info(
            _(
                "{n} bodies that have not agreed to be named are left out: fewer than {k} of them have "
                "submitted, so they could be recognised.",
                n=table.hidden,
                k=k,
            )
        )
    heat = tables.heatmap_frame(table, questionnaire, lang)

    st.header(_("Maturity per dimension"))
    strip = heat.dropna(subset=["score"])[["dimension", "score"]]
    _chart(
        cohort_strip_chart(strip, lang),
        _("Chart: each dot is one anonymised body's score in a dimension; the black tick is the median."),
        "ioa-cohort-dimensions",
        "chart-dimensions",
    )
    show_table(tables.dimension_summary_frame(strip, lang))

    st.header(_("Overall maturity"))
    overall = pd.DataFrame({"overall": [r.overall for r in table.rows]})
    _chart(
        distribution_chart(overall, lang),
        _(
            "Chart: how many bodies have each overall maturity, in steps of 0.25; "
            "the dashed line is the median."
        ),
        "ioa-cohort-overall",
        "chart-overall",
    )

    st.header(_("Bodies and dimensions"))
    st.caption(
        _(
            "A body is named only if it agreed to be named in the network; the others appear as "
            "'Body' and a code that changes from round to round."
        )
    )
    page = _heatmap_page(table)
    _chart(
        heatmap_chart(heat if page is table else tables.heatmap_frame(page, questionnaire, lang), lang),
        _("Chart: each row is a body, each column a dimension; the score is written in each cell."),
        "ioa-cohort-heatmap",
        "chart-heatmap",
    )

    st.header(_("Download cohort data"))
    named = st.toggle(_("Name the bodies that agreed to be named"), value=False, key="export-named")
    st.caption(
        _("Without names every body appears under its code. Bodies that have not agreed are never named.")
    )

    def export() -> pd.DataFrame:
        return tables.cohort_data_frame(cohort_table(actor, rnd.id, names=named), questionnaire, lang)

    what = f"cohort data, round:{rnd.id}" + (" (named)" if named else " (anonymised)")
    table_downloads(export, "ioa-cohort", "cohort-data", sheet=_("Cohort"), audit=(actor, what))


def group_notes() -> dict[str, str]:
    return {_("Middle half"): _("from the lower to the upper quartile of the group's bodies")}


def comparisons_section(actor: Actor, rnd: RoundInfo, questionnaire: Questionnaire) -> None:
    lang = current_language()
    st.caption(
        _(
            "A group is shown only with at least {k} submitted bodies, and not when it differs from "
            "another group shown here by fewer than {k} bodies.",
            k=k_anonymity(),
        )
    )
    for by, heading in (("county", _("By county")), ("kind", _("By kind of body"))):
        st.header(heading)
        frame = group_comparison(actor, rnd.id, by)
        shown = tables.spread_chart_frame(frame, lang, by)
        if not shown.empty:
            _chart(
                group_spread_chart(shown, lang),
                _(
                    "Chart: overall maturity per group: range (line), middle half (grey box) and "
                    "median (black tick, written out)."
                ),
                f"ioa-cohort-{by}",
                f"chart-{by}",
            )
        show_table(tables.group_overall_frame(frame, lang, by), notes=group_notes())
        medians = tables.group_dimension_frame(frame, questionnaire, lang, by)
        if not medians.empty:
            st.markdown("**" + _("Median per dimension") + "**")
            show_table(medians)


def change_section(actor: Actor, network: NetworkInfo, rnd: RoundInfo, questionnaire: Questionnaire) -> None:
    lang = current_language()
    earlier = [r for r in network.rounds if r.opens_on < rnd.opens_on]
    if not earlier:
        st.info(_("This is the network's first round: there is no earlier round to compare with."))
        return
    baseline = st.selectbox(_("Baseline round"), earlier, format_func=lambda r: r.name, key="change-baseline")
    change = paired_change(actor, baseline.id, rnd.id)
    st.caption(
        _(
            "Only the {n} bodies that submitted both rounds are compared, each with itself. A dimension "
            "with fewer than {k} such bodies is not shown.",
            n=change.paired,
            k=k_anonymity(),
        )
    )
    shown = tables.change_chart_frame(change, questionnaire, lang)
    if not shown.empty:
        _chart(
            change_chart(shown, lang, change.baseline_round, change.followup_round),
            _(
                "Chart: the median per dimension in each round (open circle: baseline, filled diamond: "
                "follow-up). The number is the median of each body's own change; it can differ from the "
                "distance between the two medians, and a dimension can show a change where the medians "
                "are the same."
            ),
            "ioa-cohort-change",
            "chart-change",
        )
    change_table = tables.change_frame(change, questionnaire, lang)
    show_table(change_table)
    table_downloads(change_table, "ioa-change", "change-data", sheet=_("Change"))
