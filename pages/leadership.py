"""Leadership: where we stand, compared with whom, and whether we are getting better."""

import pandas as pd
import streamlit as st

from ioa_assess.charts import standing_chart, trend_chart
from ioa_assess.i18n import fmt_number
from ioa_assess.questionnaire import load_questionnaire
from ioa_assess.reports.leadership_pdf import (
    comparability_lines,
    insight_text,
    leadership_pdf,
    leadership_xlsx,
    trend_frame,
)
from ioa_assess.reports.plan_report import plan_frame
from ioa_assess.reports.standing import band_name, dimension_frame, dimension_table
from ioa_assess.services.actor import ServiceError
from ioa_assess.services.leadership import leadership_summary
from ioa_assess.ui.downloads import XLSX, DownloadFile, download_row
from ioa_assess.ui.i18n import _, current_language
from ioa_assess.ui.session import require_actor
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

st.title(_("Leadership: {body}", body=summary.body_name))
st.caption(
    _(
        "Latest submitted round: {round} · compared with the whole network ({n} bodies)",
        round=summary.round_name,
        n=peers.n if peers else 0,
    )
)
cols = st.columns(3)
cols[0].metric(
    _("Overall maturity"), fmt_number(summary.overall, lang), help=_("Mean of the dimension scores.")
)
cols[1].metric(_("Level"), band_name(questionnaire, summary.overall, lang))
cols[2].metric(
    _("Change since the previous round"),
    fmt_number(summary.change, lang) if summary.change is not None else "–",
)

st.header(_("Overall maturity over time"))
for line in comparability_lines(summary, lang):
    st.warning(line, icon=":material/compare_arrows:")
trend = trend_frame(summary, lang)
trend_alt = _(
    "Chart: our overall score per round (solid line, circles) against the network median (dashed line, "
    "squares) and the middle half of the network (grey band)."
)
left, right = st.columns([3, 2])
left.altair_chart(trend_chart(trend, lang), width="stretch", alt=trend_alt)
left.caption(trend_alt)
right.dataframe(
    pd.DataFrame(
        {
            _("Round"): trend["round"],
            _("Our score"): [fmt_number(v, lang) if pd.notna(v) else "–" for v in trend["own"]],
            _("Network median"): [fmt_number(v, lang) if pd.notna(v) else "–" for v in trend["peer_median"]],
            _("Comparability"): trend["mark"],
        }
    ),
    hide_index=True,
)

st.header(_("Each dimension against the network"))
frame = dimension_frame(summary.standing, questionnaire, lang)
dims_alt = _(
    "Chart: our score per dimension (diamond), our target (triangle) and the network's median (black tick), "
    "quartiles (grey box) and range (line)."
)
st.altair_chart(standing_chart(frame, lang), width="stretch", alt=dims_alt)
st.caption(dims_alt)
st.dataframe(dimension_table(frame, lang), hide_index=True)

strong, weak = st.columns(2)
with strong:
    st.header(_("Strengths"))
    for insight in summary.strengths:
        st.text("• " + insight_text(summary, insight, lang))
with weak:
    st.header(_("Gaps"))
    for insight in summary.gaps:
        st.text("• " + insight_text(summary, insight, lang))

st.header(_("Targets"))
if summary.targets:
    st.dataframe(
        pd.DataFrame(
            {
                _("Dimension"): [
                    questionnaire.dimension(s.dimension_id).name.get(lang) for s in summary.targets
                ],
                _("Target"): [fmt_number(s.target, lang) for s in summary.targets],
                _("Now"): [fmt_number(s.current, lang) for s in summary.targets],
                _("Status"): [
                    _("met") if s.met else _("gap {gap}", gap=fmt_number(s.gap, lang))
                    for s in summary.targets
                ],
            }
        ),
        hide_index=True,
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
    help=_("Done since {round} opened.", round=plan.last_round_name or "–"),
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
    st.dataframe(plan_frame(plan, questionnaire, lang), hide_index=True, column_order=shown)
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
