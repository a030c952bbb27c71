"""Cohort: who has answered, and where the network stands per dimension (anonymised)."""

import pandas as pd
import streamlit as st

from ioa_assess.charts import cohort_strip_chart
from ioa_assess.config import k_anonymity
from ioa_assess.i18n import fmt_date
from ioa_assess.questionnaire import load_questionnaire
from ioa_assess.services.cohort import cohort_scores, completion
from ioa_assess.ui.i18n import _, current_language
from ioa_assess.ui.rounds import pick_round
from ioa_assess.ui.session import require_actor

actor = require_actor("cohort")
lang = current_language()
st.title(_("Cohort"))
network, rnd = pick_round(actor)
st.caption(_("{network}: {n} member bodies", network=network.name, n=network.members))
questionnaire = load_questionnaire(rnd.questionnaire_version)

rows = completion(actor, rnd.id)
status_names = {"not_started": _("Not started"), "in_progress": _("In progress"), "submitted": _("Submitted")}
counts = {key: sum(1 for r in rows if r.status == key) for key in status_names}
cols = st.columns(3)
for col, (key, label) in zip(cols, status_names.items(), strict=True):
    col.metric(label, counts[key])

st.subheader(_("Maturity per dimension"))
scores = cohort_scores(actor, rnd.id)
if scores.empty:
    st.info(_("Too few submitted assessments to show (fewer than {k}).", k=k_anonymity()))
else:
    scores["dimension"] = [questionnaire.dimension(d).name.get(lang) for d in scores["dimension_id"]]
    strip_alt = _(
        "Chart: each dot is one anonymised body's score in a dimension; the black tick is the median."
    )
    st.altair_chart(cohort_strip_chart(scores, lang), width="stretch", alt=strip_alt)
    st.caption(strip_alt)
    summary = scores.groupby("dimension", sort=False)["score"].describe()[["count", "25%", "50%", "75%"]]
    summary.columns = [_("Bodies"), _("Lower quartile"), _("Median"), _("Upper quartile")]
    st.dataframe(summary.round(2))

st.subheader(_("Completion per body"))
table = pd.DataFrame(
    {
        _("Body"): [r.body for r in rows],
        _("County"): [r.county for r in rows],
        _("Status"): [status_names[r.status] for r in rows],
        _("Answered"): [f"{r.answered}/{r.total}" for r in rows],
        _("Last activity"): [fmt_date(r.last_activity, lang) if r.last_activity else "–" for r in rows],
    }
)
st.dataframe(table, hide_index=True)
