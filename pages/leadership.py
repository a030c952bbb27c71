"""Leadership: the body's maturity over rounds against the network's median and its targets."""

import pandas as pd
import streamlit as st

from ioa_assess.charts import history_chart
from ioa_assess.questionnaire import DEFAULT_VERSION, load_questionnaire
from ioa_assess.services.actor import ServiceError
from ioa_assess.services.directory import actor_context
from ioa_assess.services.results import history
from ioa_assess.ui.i18n import _, current_language
from ioa_assess.ui.session import require_actor
from ioa_assess.ui.widgets import show_error

actor = require_actor("leadership")
lang = current_language()
try:
    points = history(actor)
except ServiceError as exc:
    show_error(exc)
    st.stop()
context = actor_context(actor)
st.title(_("Leadership: {body}", body=context.body_name or ""))
if not points:
    st.info(_("Your organisation has not submitted an assessment yet."))
    st.stop()

questionnaire = load_questionnaire(DEFAULT_VERSION)
own_label, peer_label = _("Our score"), _("Network median")
rows = []
for order, point in enumerate(points):
    rows.append(
        {"round": point.round_name, "order": order, "series": own_label, "value": point.own.overall.value}
    )
    if point.peer_overall:
        rows.append(
            {
                "round": point.round_name,
                "order": order,
                "series": peer_label,
                "value": point.peer_overall.median,
            }
        )
frame = pd.DataFrame(rows).dropna(subset=["value"])
st.subheader(_("Overall maturity over time"))
history_alt = _("Chart: our overall score per round (solid line) against the network median (dashed).")
st.altair_chart(history_chart(frame, lang), width="stretch", alt=history_alt)
st.caption(history_alt)

latest = points[-1]
table = pd.DataFrame(
    {
        _("Dimension"): [questionnaire.dimension(d).name.get(lang) for d in latest.own.dimensions],
        _("Our score"): [s.value for s in latest.own.dimensions.values()],
        _("Network median"): [
            latest.peer_dimensions[d].median if latest.peer_dimensions[d] else None
            for d in latest.own.dimensions
        ],
    }
)
st.subheader(_("Dimensions in {round}", round=latest.round_name))
st.dataframe(table.round(2), hide_index=True)
