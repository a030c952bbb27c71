"""Workshop agenda: the questions where the cohort is weakest, most divided, and what moved most
between rounds, as a ranked list to export; and "learn from whom" for one question."""

import streamlit as st

from ioa_assess.config import k_anonymity
from ioa_assess.questionnaire import load_questionnaire
from ioa_assess.reports import cohort_tables as tables
from ioa_assess.services.actor import ServiceError
from ioa_assess.services.agenda import (
    MAX_TOP,
    REASONS,
    learn_from_whom,
    workshop_agenda,
)
from ioa_assess.ui.downloads import table_downloads
from ioa_assess.ui.i18n import _, current_language
from ioa_assess.ui.internal_disagreement import internal_disagreement_section
from ioa_assess.ui.network_plans import network_plans_section
from ioa_assess.ui.rounds import pick_network, pick_round
from ioa_assess.ui.session import require_actor
from ioa_assess.ui.tables import show_table
from ioa_assess.ui.widgets import show_error

actor = require_actor("agenda")
lang = current_language()
st.title(_("Workshop agenda"))
network, rnd = pick_round(actor, pick_network(actor))
questionnaire = load_questionnaire(rnd.questionnaire_version)
earlier = [r for r in reversed(network.rounds) if r.opens_on < rnd.opens_on]
compare_col, top_col = st.columns([3, 1])
names = {0: _("No comparison")} | {r.id: r.name for r in earlier}
compare = compare_col.selectbox(
    _("Change since"), list(names), index=1 if earlier else 0, format_func=names.get, key="agenda-compare"
)
top = top_col.number_input(_("Questions per list"), min_value=1, max_value=MAX_TOP, value=5, key="agenda-top")
try:
    items = workshop_agenda(actor, rnd.id, compare or None, int(top))
except ServiceError as exc:
    show_error(exc)
    st.stop()
st.caption(
    _(
        "From the submitted assessments; a question with fewer than {k} answers is left out. "
        "Change counts only the bodies that answered the question in both rounds.",
        k=k_anonymity(),
    )
)

agenda = tables.agenda_frame(items, questionnaire, lang)
headings = {
    "lowest_median": _("Lowest cohort median"),
    "widest_spread": _("Widest spread: the cohort is divided"),
    "improved": _("Improved most"),
    "declined": _("Declined most"),
}
explanations = {
    "lowest_median": _("Where most bodies are at the start: a shared need."),
    "widest_spread": _("The middle half of the bodies is far apart: some can teach the others."),
    "improved": _("Mean change in level per body since the earlier round."),
    "declined": _("Mean change in level per body since the earlier round."),
}
for reason in REASONS:
    if reason in ("improved", "declined") and not compare:
        continue
    st.header(headings[reason])
    st.caption(explanations[reason])
    part = [i for i in items if i.reason == reason]
    if not part:
        st.write(_("No question qualifies."))
        continue
    show_table(tables.agenda_display_frame(part, questionnaire, lang))

internal_disagreement_section(actor, rnd.id, int(top), questionnaire, lang)
network_plans_section(actor, network.id, rnd.id, questionnaire, lang)

st.header(_("Take the agenda along"))
table_downloads(agenda, "ioa-workshop-agenda", "agenda", sheet=_("Agenda"))

st.divider()
st.header(_("Learn from whom"))
st.caption(
    _(
        "For one question: the bodies at level 4–5 and at level 1–2 that agreed to be named in the "
        "network, so that you can pair them. Bodies that have not agreed are never listed."
    )
)
questions = [q.id for q in questionnaire.questions]
first = items[0].question_id if items else questions[0]
question_id = st.selectbox(
    _("Question"),
    questions,
    index=questions.index(first),
    format_func=lambda q: questionnaire.question(q).title.get(lang),
    key="learn-question",
)
try:
    learn = learn_from_whom(actor, rnd.id, question_id)
except ServiceError as exc:
    show_error(exc)
    st.stop()
leaders_col, learners_col = st.columns(2)
for col, heading, rows, empty in (
    (leaders_col, _("Can share (level 4–5)"), learn.leaders, _("No named body is at level 4–5.")),
    (learners_col, _("Want to learn (level 1–2)"), learn.learners, _("No named body is at level 1–2.")),
):
    col.markdown(f"**{heading}**")
    if rows:
        with col:
            show_table(tables.named_levels_frame(rows, lang))
    else:
        col.caption(empty)
st.caption(_("{n} bodies that submitted have not agreed to be named.", n=learn.not_named))
