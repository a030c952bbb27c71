"""Rounds measured with different questionnaire versions: the demo's baseline is on v1 and its
follow-up on v2. Every comparison across the two compares only what is comparable, and marks a
dimension or overall score measured with a changed questionnaire, on the page, in the PDF and in the
Excel file. The new answer options are enforced by the service."""

from __future__ import annotations

import io

import openpyxl
import pytest
from pypdf import PdfReader
from sqlalchemy import select

from ioa_assess.comparability import comparability, comparable_questions
from ioa_assess.i18n import translate
from ioa_assess.questionnaire import DEFAULT_VERSION, load_questionnaire, newest_version
from ioa_assess.reports.leadership_pdf import leadership_pdf, leadership_xlsx
from ioa_assess.scoring import DONT_KNOW, NOT_RELEVANT
from ioa_assess.services.actor import InvalidInput
from ioa_assess.services.agenda import question_changes
from ioa_assess.services.assessments import open_assessment, save_answer
from ioa_assess.services.dashboard import OVERALL, paired_change
from ioa_assess.services.leadership import leadership_summary
from ioa_assess.services.results import standing
from ioa_assess.storage.engine import session_scope
from ioa_assess.storage.models import Round
from tests.test_pages import PAGES, app_for, demo_actor, texts

V2 = "ioa-v2"


def _rounds() -> list[Round]:
    with session_scope() as session:
        return list(session.scalars(select(Round).order_by(Round.opens_on)))


def _mark(comparable: int, total: int, lang: str = "en") -> str:
    return translate(
        lang,
        "measured with a changed questionnaire: {n} of {total} questions comparable",
        n=comparable,
        total=total,
    )


def test_the_demo_baseline_is_on_v1_and_the_follow_up_on_the_newest_version(demo_db: str) -> None:
    assert newest_version() == V2
    assert [r.questionnaire_version for r in _rounds()] == [DEFAULT_VERSION, V2]


def test_the_leaders_trend_is_marked_where_the_questionnaire_changed(demo_db: str) -> None:
    summary = leadership_summary(demo_actor("leader"))
    first, latest = summary.trend
    assert first.comparability is None
    assert latest.comparability is not None and not latest.comparability.fully
    expected = comparability(DEFAULT_VERSION, V2)
    assert (latest.comparability.comparable, latest.comparability.total) == (expected.comparable, 45)
    strategy = next(d for d in summary.standing.dimensions if d.dimension_id == "str")
    assert strategy.previous is not None  # drawn...
    assert (
        strategy.previous_comparability is not None and not strategy.previous_comparability.fully
    )  # ...marked
    assert strategy.previous_comparability.comparable < strategy.previous_comparability.total


def test_the_leadership_pdf_and_excel_carry_the_mark(demo_db: str) -> None:
    summary = leadership_summary(demo_actor("leader"))
    latest = summary.trend[-1].comparability
    assert latest is not None
    mark_nb = _mark(latest.comparable, latest.total, "nb")
    reader = PdfReader(io.BytesIO(leadership_pdf(summary, "nb")))
    text = " ".join(reader.pages[0].extract_text().split())  # page one: the maturity picture
    assert mark_nb in text
    workbook = openpyxl.load_workbook(io.BytesIO(leadership_xlsx(summary, "nb")))
    over_time = [[cell.value for cell in row] for row in workbook["Over tid"].iter_rows()]
    assert over_time[0][-1] == "Sammenlignbarhet"
    assert over_time[-1][-1] == mark_nb and not over_time[1][-1]
    dimensions = [[cell.value for cell in row] for row in workbook["Dimensjoner"].iter_rows()]
    column = dimensions[0].index("Sammenlignbarhet")
    strategy = comparability(DEFAULT_VERSION, V2).dimensions["str"]
    assert _mark(strategy.comparable, strategy.total, "nb") in [row[column] for row in dimensions]


def test_the_leadership_page_shows_the_mark(demo_db: str) -> None:
    at = app_for(demo_actor("leader")).run()
    at.switch_page(PAGES["leadership"]).run()
    assert not at.exception
    latest = comparability(DEFAULT_VERSION, V2)
    assert _mark(latest.comparable, latest.total) in texts(at)
    table = next(df.value for df in [*at.dataframe, *at.table] if "Comparability" in df.value.columns)
    assert table["Comparability"].iloc[-1] == _mark(latest.comparable, latest.total)


def test_the_cohorts_paired_change_is_marked_per_dimension(demo_db: str) -> None:
    baseline, followup = _rounds()
    change = paired_change(demo_actor("facilitator"), baseline.id, followup.id)
    overall = change.measure_comparability(OVERALL)
    assert overall is not None and not overall.fully
    strategy = change.measure_comparability("str")
    assert strategy is not None and (strategy.comparable, strategy.total) == (
        comparability(DEFAULT_VERSION, V2).dimensions["str"].comparable,
        len(load_questionnaire(V2).questions_in("str")),
    )
    from ioa_assess.reports.cohort_tables import change_chart_frame, change_frame

    table = change_frame(change, load_questionnaire(V2), "en")
    assert _mark(strategy.comparable, strategy.total) in list(table["Comparability"])
    assert _mark(strategy.comparable, strategy.total) in list(
        change_chart_frame(change, load_questionnaire(V2), "en")["mark"]
    )


def test_the_agendas_rises_and_falls_compare_only_comparable_questions(demo_db: str) -> None:
    baseline, followup = _rounds()
    changes = question_changes(demo_actor("facilitator"), followup.id, baseline.id)
    assert len(changes) > 0
    assert set(changes["question_id"]) <= comparable_questions(DEFAULT_VERSION, V2)


def test_results_mark_the_change_and_list_what_to_find_out(demo_db: str) -> None:
    leader = demo_actor("leader")
    result = standing(leader)
    assert result.questionnaire_version == V2 and result.previous_comparability is not None
    participant = demo_actor("participant")
    state = open_assessment(participant)
    # A question nobody in the body has given a level yet: several people answer in the demo, and
    # the body's provisional answer is their median level, which a "don't know" beside it does not move.
    question = next(
        q for q in load_questionnaire(V2).questions if not q.not_relevant and q.id not in state.answered
    )
    save_answer(participant, state.id, question.id, level=DONT_KNOW)
    assert question.id in standing(participant).to_find_out
    at = app_for(participant)
    at.session_state["results-round"] = state.round_id
    at.run()
    at.switch_page(PAGES["results"]).run()
    assert not at.exception
    content = texts(at)
    assert "To find out" in content
    title = load_questionnaire(V2).worded("municipality").question(question.id).title.get("en")
    assert any(f"• {title} (provisional)" in str(t.value) for t in at.text)
    compared = standing(participant).previous_comparability
    assert compared is not None
    assert _mark(compared.comparable, compared.total) in content


def test_not_relevant_is_refused_where_the_question_does_not_allow_it(demo_db: str) -> None:
    participant = demo_actor("participant")
    state = open_assessment(participant)
    assert state.questionnaire_version == V2
    v2 = load_questionnaire(V2)
    fixed = next(q for q in v2.questions if not q.not_relevant)
    allowed = next(q for q in v2.questions if q.not_relevant)
    before = open_assessment(participant).answers.get(fixed.id)
    with pytest.raises(InvalidInput, match="cannot be chosen for this question"):
        save_answer(participant, state.id, fixed.id, level=NOT_RELEVANT)
    assert open_assessment(participant).answers.get(fixed.id) == before  # nothing changed
    assert save_answer(participant, state.id, allowed.id, level=NOT_RELEVANT).level == NOT_RELEVANT
    assert save_answer(participant, state.id, fixed.id, level=DONT_KNOW).level == DONT_KNOW
