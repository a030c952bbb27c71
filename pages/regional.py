"""Region: the network's maturity per county and per kind of body over rounds, participation, and
the gaps most bodies share. Aggregates only, under the k rule; no body is named."""

import streamlit as st

from ioa_assess.charts import history_chart
from ioa_assess.config import k_anonymity, open_data_licence
from ioa_assess.i18n import fmt_number, fmt_percent
from ioa_assess.questionnaire import load_questionnaire
from ioa_assess.reports.open_data_files import zip_bytes
from ioa_assess.services.actor import ServiceError
from ioa_assess.services.cohort import network_info
from ioa_assess.services.open_data import open_data
from ioa_assess.services.regional import regional_view
from ioa_assess.ui.downloads import DownloadFile, download_row
from ioa_assess.ui.i18n import _, current_language
from ioa_assess.ui.session import require_actor
from ioa_assess.ui.widgets import KIND_NAMES, show_error

actor = require_actor("regional")
lang = current_language()
try:
    view = regional_view(actor)
except ServiceError as exc:
    show_error(exc)
    st.stop()
questionnaire = load_questionnaire(view.questionnaire_version)
k = k_anonymity()
st.title(_("Region: {network}", network=view.network_name))
st.caption(_("Aggregates only. A group of fewer than {k} bodies is not shown.", k=k))

for group_type, heading in (
    ("county", _("Maturity per county over rounds")),
    ("kind", _("Maturity per kind of body")),
):
    st.header(heading)
    rows = view.trend[view.trend["group_type"] == group_type] if not view.trend.empty else view.trend
    shown = rows.dropna(subset=["median"]) if not rows.empty else rows
    if shown.empty:
        st.info(_("Too few bodies to compare (fewer than {k}).", k=k))
        continue
    label = (lambda g: _(KIND_NAMES.get(g, g))) if group_type == "kind" else (lambda g: g)
    frame = shown.assign(series=[label(g) for g in shown["group"]], value=shown["median"])
    alt_text = _(
        "Chart: the median overall maturity of each group per round; the table has the same numbers."
    )
    st.altair_chart(
        history_chart(frame[["round", "order", "series", "value"]], lang), width="stretch", alt=alt_text
    )
    table = rows.assign(group=[label(g) for g in rows["group"]])
    st.dataframe(
        {
            _("Round"): table["round"],
            _("Group"): table["group"],
            _("Bodies"): [str(int(n)) if n == n and n is not None else _("too few") for n in table["bodies"]],
            _("Median"): [fmt_number(v, lang) if v == v and v is not None else "–" for v in table["median"]],
        },
        hide_index=True,
    )

st.header(_("Participation in the latest round"))
st.dataframe(
    {
        _("County"): view.participation["county"],
        _("Member bodies"): view.participation["members"],
        _("Submitted"): [
            str(int(v)) if v == v and v is not None else _("too few") for v in view.participation["submitted"]
        ],
    },
    hide_index=True,
)

st.header(_("Shared gaps"))
if view.dimension_medians.empty:
    st.info(_("Too few bodies to compare (fewer than {k}).", k=k))
else:
    st.write(_("Dimensions from the lowest network median:"))
    st.dataframe(
        {
            _("Dimension"): [
                questionnaire.dimension(d).name.get(lang) for d in view.dimension_medians["dimension_id"]
            ],
            _("Median"): [fmt_number(v, lang) for v in view.dimension_medians["median"]],
        },
        hide_index=True,
    )
    st.write(_("Questions where most bodies are at level 1 or 2:"))
    top = view.shared_gaps.head(10)
    st.dataframe(
        {
            _("Question"): [questionnaire.question(q).title.get(lang) for q in top["question_id"]],
            _("Dimension"): [questionnaire.dimension(d).name.get(lang) for d in top["dimension_id"]],
            _("Share at level 1-2"): [fmt_percent(v, lang) for v in top["share_low"]],
            _("Median"): [fmt_number(v, lang) for v in top["median"]],
        },
        hide_index=True,
    )

st.header(_("Open data"))
st.caption(
    _(
        "The network's aggregates per dimension and question, per county and kind of body, for anyone "
        "to reuse: CSV files for spreadsheets and JSON, with a data dictionary and the licence {licence}. "
        "The same rules as on this page: at least {k} bodies per figure, no body named.",
        licence=open_data_licence(),
        k=k,
    )
)
rounds = list(reversed(network_info(actor).rounds))
if rounds:
    chosen = st.selectbox(_("Round"), rounds, format_func=lambda r: r.name, key="open-data-round", width=360)
    archive = DownloadFile(
        _("Open data (zip with CSV and JSON)"),
        lambda: zip_bytes(open_data(actor, chosen.id), lang),
        f"ioa-open-data-{chosen.id}.zip",
        "application/zip",
        icon=":material/public:",
    )
    download_row("open-data", [archive], audit=(actor, f"open data, round:{chosen.id}"))
