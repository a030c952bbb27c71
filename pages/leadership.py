"""Leadership: where we stand, compared with whom, and whether we are getting better."""

import pandas as pd
import streamlit as st

from ioa_assess.charts import standing_chart, trend_chart
from ioa_assess.questionnaire import load_questionnaire
from ioa_assess.reports.leadership_pdf import (
    DIMENSIONS_ALT,
    EVIDENCE_HELP,
    TREND_ALT,
    comparability_lines,
    leadership_pdf,
    leadership_xlsx,
    trend_frame,
)
from ioa_assess.reports.leadership_text import insight_text, target_status
from ioa_assess.reports.plan_report import plan_frame
from ioa_assess.reports.standing import (
    band_name,
    dimension_frame,
    dimension_table,
    dimension_table_notes,
    evidence_line,
)
from ioa_assess.services.actor import ServiceError
from ioa_assess.services.leadership import leadership_summary
from ioa_assess.ui.downloads import XLSX, DownloadFile, download_row
from ioa_assess.ui.headline import headline
from ioa_assess.ui.i18n import _, current_language
from ioa_assess.ui.session import require_actor
from ioa_assess.ui.tables import show_table
from ioa_assess.ui.text import plain
from ioa_assess.ui.widgets import show_error

actor = require_actor("leadership")
lang = current_language()
try:
    summary = leadership_summary(actor)
except ServiceError as exc:
    show_error(exc)
    st.stop()
questionnaire = load_questionnaire(summary.questionnaire_version)
peers = summary.standing.overall_peers

st.title(_("Leadership: {body}", body=plain(summary.body_name)))
st.caption(
    _(
        "Latest submitted round: {round} · compared with the whole network ({n} bodies)",
        round=plain(summary.round_name),
        n=peers.n if peers else 0,
    )
)
previous = summary.trend[-2] if len(summary.trend) > 1 else None
headline(
    summary.overall,
    band_name(questionnaire, summary.overall, lang),
    summary.overall - summary.change if summary.change is not None and summary.overall is not None else None,
    previous.round_name if previous else None,
    peer_label=_("Network median"),
    peer_value=peers.median if peers else None,
)
st.caption(evidence_line(summary.standing.evidence_share, lang), help=_(EVIDENCE_HELP))

st.header(_("Overall maturity over time"))
for line in comparability_lines(summary, lang):
    st.warning(plain(line), icon=":material/compare_arrows:")  # the line quotes a round's name
trend = trend_frame(summary, lang)
trend_alt = _(TREND_ALT)
st.altair_chart(trend_chart(trend, lang), width="stretch", alt=trend_alt)
st.caption(trend_alt)
# Below the chart at full width: the comparability notes are long and would not fit beside it.
show_table(
    pd.DataFrame(
        {
            _("Round"): trend["round"],
            _("Our score"): trend["own"],
            _("Network median"): trend["peer_median"],
            _("Comparability"): trend["mark"],
        }
    )
)

st.header(_("Each dimension against the network"))
frame = dimension_frame(summary.standing, questionnaire, lang)
dims_alt = _(DIMENSIONS_ALT)
st.altair_chart(standing_chart(frame, lang, ours=True), width="stretch", alt=dims_alt)
st.caption(dims_alt)
show_table(dimension_table(frame, lang, ours=True), notes=dimension_table_notes(lang))

strong, weak = st.columns(2)
for column, heading, insights in (
    (strong, _("Strengths"), summary.strengths),
    (weak, _("Gaps"), summary.gaps),
):
    with column:
        st.header(heading)
        for insight in insights:
            text = insight_text(summary, insight, lang)
            with st.container(border=True):
                st.text(text.dimension)
                if text.step:
                    st.caption(text.step)

st.header(_("Targets"))
if summary.targets:
    show_table(
        pd.DataFrame(
            {
                _("Dimension"): [
                    questionnaire.dimension(s.dimension_id).name.get(lang) for s in summary.targets
                ],
                _("Target"): [s.target for s in summary.targets],
                _("Now"): [s.current for s in summary.targets],
                _("Status"): [target_status(s, lang) for s in summary.targets],
            }
        )
    )
else:
    st.info(
        _("No targets are set yet. The people answering for your organisation set them on the results page.")
    )

st.header(_("Improvement plan"))
plan = summary.plan
overdue, soon, done = st.columns(3)
overdue.metric(_("Overdue"), len(plan.overdue))
soon.metric(_("Due in the next 30 days"), len(plan.due_soon))
done.metric(
    _("Done since the last round"),
    len(plan.done_since_last_round),
    help=_("Done since {round} opened.", round=plain(plan.last_round_name or "–")),
)
for label, actions in (
    (_("Overdue"), plan.overdue),
    (_("Due in the next 30 days"), plan.due_soon),
    (_("Done since the last round"), plan.done_since_last_round),
):
    if actions:
        st.text(f"{label}: " + "; ".join(a.title for a in actions))
if plan.actions:
    shown = [_("Action"), _("Change at the next round"), _("Status"), _("Due"), _("Owner")]
    show_table(plan_frame(plan, questionnaire, lang)[shown])
    st.caption(
        _(
            "Change at the next round: the level of each question the action addresses in the round it was "
            "made from and in the next submitted round."
        )
    )
else:
    st.info(_("No actions are planned yet."))
st.page_link("pages/plan.py", label=_("Open the improvement plan"), icon=":material/checklist:")

st.header(_("Download"))
pdf = DownloadFile(
    _("Report (PDF): the picture and the plan"),
    lambda: leadership_pdf(summary, lang),
    "ioa-leadership.pdf",
    "application/pdf",
)
numbers = DownloadFile(
    _("The numbers (Excel)"), lambda: leadership_xlsx(summary, lang), "ioa-leadership.xlsx", XLSX
)
download_row("download", [pdf, numbers])  # each file is built only when asked for
