"""My results: scores with how they were computed, peers under the k rule, targets, next steps."""

import streamlit as st

from ioa_assess.charts import standing_chart
from ioa_assess.config import k_anonymity
from ioa_assess.questionnaire import load_questionnaire
from ioa_assess.reports.comparison_marks import mark_text
from ioa_assess.reports.standing import (
    answers_frame,
    band_name,
    dimension_frame,
    dimension_table,
    dimension_table_notes,
    evidence_frame,
    next_steps,
    ranked_dimensions,
    scores_frame,
)
from ioa_assess.reports.tables import to_csv, to_xlsx
from ioa_assess.services.actor import ServiceError
from ioa_assess.services.results import PEER_GROUPS, body_rounds, standing
from ioa_assess.ui.agreed_results import (
    answers_section,
    disagreement_section,
    evidence_caption,
    provisional_notice,
    question_evidence,
    to_find_out_section,
)
from ioa_assess.ui.downloads import XLSX, DownloadFile, download_row
from ioa_assess.ui.headline import headline
from ioa_assess.ui.i18n import _, current_language
from ioa_assess.ui.plan_form import open_plan_with
from ioa_assess.ui.session import require_actor
from ioa_assess.ui.tables import show_table
from ioa_assess.ui.targets import target_form
from ioa_assess.ui.text import plain
from ioa_assess.ui.widgets import show_error

actor = require_actor("results")
lang = current_language()
group_key = st.session_state.get("peer-group", "network")
rounds = dict(body_rounds(actor))
round_id = st.session_state.get("results-round")
try:
    result = standing(actor, group_key, round_id=round_id if round_id in rounds else None)
except ServiceError as exc:
    show_error(exc)
    st.stop()
questionnaire = load_questionnaire(result.questionnaire_version).worded(result.body_kind)
overall = result.result.overall

st.title(_("Results: {body}", body=plain(result.body_name)))
if len(rounds) > 1:
    st.selectbox(
        _("Round"),
        list(rounds),
        index=list(rounds).index(result.round_id),
        format_func=rounds.get,
        key="results-round",
    )
else:
    st.caption(_("Round: {round}", round=plain(result.round_name)))
if result.status == "draft":
    st.info(_("The assessment is not submitted yet: these scores change as answers are given."))
provisional_notice(result)

options = [g.key for g in result.groups]
st.selectbox(
    _("Compare with"),
    options,
    index=options.index(result.group.key),
    key="peer-group",
    format_func=lambda key: _(PEER_GROUPS[key]) + f" ({next(g.size for g in result.groups if g.key == key)})",
)
k = k_anonymity()
if result.group.withheld == "too_few":
    st.warning(_("Too few bodies to compare in this group (fewer than {k}). Choose a larger group.", k=k))
elif result.group.withheld == "differencing":
    st.warning(
        _(
            "This group is hidden: it differs from a larger group by fewer than {k} bodies, "
            "which could reveal them.",
            k=k,
        )
    )

headline(
    overall.value,
    band_name(questionnaire, overall.value, lang),
    result.previous_overall,
    result.previous_round_name,
    peer_label=_("Peer median"),
    peer_value=result.overall_peers.median if result.overall_peers else None,
)
if mark := mark_text(result.previous_comparability, lang):
    st.warning(
        _("Change since {round}: {mark}.", round=plain(result.previous_round_name), mark=mark),
        icon=":material/compare_arrows:",
    )
st.caption(
    _(
        "Computed from {used} of {total} dimensions. A dimension gets a score when at least half of its "
        "questions have a level; 'don't know / not relevant' is left out.",
        used=overall.scored,
        total=overall.total,
    )
)
evidence_caption(result, lang)

frame = dimension_frame(result, questionnaire, lang)
st.header(_("Each dimension against your peers"))
alt_text = _(
    "Chart: your score per dimension (diamond), your target (triangle) and the peers' median (black tick), "
    "quartiles (grey box) and range (line). The same numbers are in the table."
)
st.altair_chart(standing_chart(frame, lang), width="stretch", alt=alt_text)
st.caption(alt_text)
show_table(dimension_table(frame, lang), notes=dimension_table_notes(lang))

to_find_out_section(result, questionnaire, lang)

ranked = ranked_dimensions(result)
if ranked:
    strong, weak = questionnaire.dimension(ranked[0]), questionnaire.dimension(ranked[-1])
    st.header(_("What to do next"))
    st.write(
        _(
            "Strongest: **{strong}**. Weakest: **{weak}**.",
            strong=plain(strong.name.get(lang)),
            weak=plain(weak.name.get(lang)),
        )
    )
    for step in next_steps(result, questionnaire, weak.id, lang)[:3]:
        with st.container(border=True):
            levels = f"{step.current_level} → {step.next_level} ({step.next_level_name})"
            st.markdown(f"**{step.question_title}**: {levels}")
            st.text(step.description)
            question_evidence(result, step.question_id, lang)
            if actor.answers_for_body and st.button(
                _("Make an action of this"), key=f"plan-from-{step.question_id}"
            ):
                open_plan_with(step.question_id)

answers_section(result, questionnaire, lang)
disagreement_section(actor, result, questionnaire, lang)

if actor.answers_for_body:
    target_form(questionnaire, result)

st.header(_("Download"))
answers = answers_frame(result, questionnaire, lang)
scores = scores_frame(result, questionnaire, lang)
download_row(
    "download",
    [
        DownloadFile(_("Answers (CSV)"), lambda: to_csv(answers), "ioa-answers.csv", "text/csv"),
        DownloadFile(
            _("Answers and scores (Excel)"),
            lambda: to_xlsx(
                {
                    _("Answers"): answers,
                    _("Scores"): scores,
                    _("Evidence"): evidence_frame(result, questionnaire, lang),
                }
            ),
            "ioa-results.xlsx",
            XLSX,
        ),
    ],
)
