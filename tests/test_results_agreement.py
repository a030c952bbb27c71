"""The body's own results rest on its agreed answers: while a draft, the people's median stands in
as "provisional" where nothing is agreed; each agreed answer carries its evidence, the results say
how much of the score rests on documented or verified evidence, and where the body's people
disagreed most, without names. The exports carry the same."""

from __future__ import annotations

import io

import openpyxl
import pytest
from pypdf import PdfReader

from ioa_assess.i18n import translate
from ioa_assess.questionnaire import load_questionnaire
from ioa_assess.reports.export import responses_frame
from ioa_assess.reports.leadership_pdf import leadership_pdf, leadership_xlsx
from ioa_assess.reports.standing import PROVISIONAL_NOTE, answers_frame, evidence_frame, scores_frame
from ioa_assess.reports.tables import to_xlsx
from ioa_assess.scoring import score_assessment
from ioa_assess.services.agreement import accept_medians, agree
from ioa_assess.services.assessments import mark_done, open_assessment, submit_assessment
from ioa_assess.services.leadership import leadership_summary
from ioa_assess.services.plans import latest_level, suggestions
from ioa_assess.services.results import standing
from tests.factories import MUNICIPALITIES_ROGALAND, body_person, make_cohort, several_answer
from tests.rendered_text import pdf_text
from tests.test_pages import app_for, demo_actor, texts

QUESTIONNAIRE = load_questionnaire("ioa-v1")
Q = [q.id for q in QUESTIONNAIRE.questions]
ROUTINE = "Rutine for kontraktsoppfølging, kvalitetssystemet"
REASON = "Vi ble enige i ledermøtet: rutinen finnes, men brukes ikke overalt."


@pytest.fixture
def gjesdal(any_db: str):  # type: ignore[no-untyped-def]
    """Three people of one body answer, apart on the first question, close on the second, alike on
    the third; the agency lead has not agreed anything yet."""
    cohort = make_cohort(MUNICIPALITIES_ROGALAND[:4])
    body = cohort.body_ids[0]
    a, b, c = (body_person(body, name) for name in ("innkjoper", "kommunalsjef", "radgiver"))
    lead = body_person(body, "leder", "agency_lead")
    assessment_id = several_answer(
        {
            a: {Q[0]: 1, Q[1]: 2, Q[2]: 4},
            b: {Q[0]: (3, "documented", ROUTINE), Q[1]: 2, Q[2]: 4},
            c: {Q[0]: 5, Q[1]: 3},
        }
    )
    return assessment_id, a, lead


def test_a_draft_shows_the_peoples_median_as_provisional_until_the_lead_agrees(gjesdal) -> None:  # type: ignore[no-untyped-def]
    assessment_id, participant, lead = gjesdal
    before = standing(participant)
    assert before.status == "draft"
    assert before.levels == {Q[0]: 3, Q[1]: 2, Q[2]: 4}  # the medians of 1/3/5, 2/2/3 and 4/4
    assert before.provisional == {Q[0], Q[1], Q[2]}
    assert before.result == score_assessment(QUESTIONNAIRE, {Q[0]: 3, Q[1]: 2, Q[2]: 4})
    assert before.evidence_share.scored == 0 and before.evidence == {}  # a median has no evidence
    agree(lead, assessment_id, Q[0], 4, REASON)
    after = standing(participant)
    assert after.levels == {Q[0]: 4, Q[1]: 2, Q[2]: 4}
    assert after.provisional == {Q[1], Q[2]}
    assert after.comments[Q[0]] == REASON  # no comment on the agreed answer: its reason is shown
    # Nobody gave 4 with evidence: the agreed answer is self-declared.
    assert after.evidence[Q[0]].kind == "self"
    assert (after.evidence_share.backed, after.evidence_share.scored) == (0, 1)
    agree(lead, assessment_id, Q[0], 3, REASON)  # the level the documented answer gave
    agreed = standing(participant)
    assert agreed.evidence[Q[0]].kind == "documented" and agreed.evidence[Q[0]].reference == ROUTINE
    assert (agreed.evidence_share.backed, agreed.evidence_share.scored) == (1, 1)
    assert agreed.evidence_share.share == 1.0
    first = QUESTIONNAIRE.question(Q[0]).dimension
    shares = {d.dimension_id: (d.evidence.backed, d.evidence.scored) for d in agreed.dimensions}
    assert shares[first] == (1, 1)
    assert sum(scored for _, scored in shares.values()) == 1  # only agreed answers are counted


def test_the_plans_suggestions_start_from_the_provisional_answers(gjesdal) -> None:  # type: ignore[no-untyped-def]
    _, participant, _ = gjesdal
    assert [s.question_id for s in suggestions(participant)] == [Q[1], Q[0], Q[2]]  # 2, 3, 4
    assert latest_level(participant, Q[0]) == 3


def test_a_submitted_assessment_rests_on_its_agreed_answers_alone(gjesdal) -> None:  # type: ignore[no-untyped-def]
    assessment_id, participant, lead = gjesdal
    with pytest.raises(Exception, match="no agreed answer"):
        submit_assessment(lead, assessment_id)
    agree(lead, assessment_id, Q[0], 3, REASON)
    assert accept_medians(lead, assessment_id) == 2
    submit_assessment(lead, assessment_id)
    result = standing(participant)
    assert result.status == "submitted" and result.provisional == frozenset()
    assert result.levels == {Q[0]: 3, Q[1]: 2, Q[2]: 4}
    assert (result.evidence_share.backed, result.evidence_share.scored) == (1, 3)
    # The disagreement stays visible after submitting: it is the body's own finding.
    assert [(d.question_id, d.lowest, d.median, d.highest, d.people) for d in result.disagreements] == [
        (Q[0], 1, 3, 5, 3),
        (Q[1], 2, 2, 3, 3),
    ]


def test_disagreement_needs_two_people_and_a_difference(any_db: str) -> None:
    cohort = make_cohort(MUNICIPALITIES_ROGALAND[:4])
    body = cohort.body_ids[0]
    alone = body_person(body, "alene")
    several_answer({alone: {Q[0]: (4, "verified", "Internrevisjonen, mars 2025"), Q[1]: 1}})
    result = standing(alone)
    # One person: their answers are the body's, with no provisional step and nothing to compare.
    assert result.provisional == frozenset() and result.disagreements == []
    assert result.evidence[Q[0]].kind == "verified"
    assert (result.evidence_share.backed, result.evidence_share.scored) == (1, 2)
    other = body_person(body, "kollega")
    several_answer({other: {Q[0]: 4, Q[1]: 1, Q[2]: 2}})
    result = standing(alone)
    assert result.disagreements == []  # two people, the same levels; a third question by one alone
    assert result.provisional == {Q[0], Q[1], Q[2]}


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_the_results_excel_has_each_answers_evidence_and_the_share(gjesdal, lang: str) -> None:  # type: ignore[no-untyped-def]
    assessment_id, participant, lead = gjesdal
    agree(lead, assessment_id, Q[0], 3, REASON)
    result = standing(participant)
    data = to_xlsx(
        {
            "svar": answers_frame(result, QUESTIONNAIRE, lang),
            "poeng": scores_frame(result, QUESTIONNAIRE, lang),
            "belegg": evidence_frame(result, QUESTIONNAIRE, lang),
        }
    )
    book = openpyxl.load_workbook(io.BytesIO(data))
    rows = list(book["svar"].values)
    header = rows[0]
    by_question = {row[header.index(translate(lang, "Question id"))]: row for row in rows[1:]}

    def cell(question_id: str, column: str) -> object:
        return by_question[question_id][header.index(translate(lang, column))]

    assert cell(Q[0], "Agreed or provisional") == translate(lang, "agreed")
    assert cell(Q[0], "Evidence") == {"nb": "dokumentert", "nn": "dokumentert"}[lang]
    assert cell(Q[0], "Reference") == ROUTINE
    assert cell(Q[0], "Comment") == REASON
    assert cell(Q[1], "Agreed or provisional") == {"nb": "foreløpig", "nn": "førebels"}[lang]
    assert cell(Q[1], "Level") == 2 and cell(Q[1], "Evidence") is None  # a median has no evidence
    assert cell(Q[3], "Agreed or provisional") is None  # nobody answered it
    evidence = list(book["belegg"].values)
    overall = evidence[-1]
    assert overall[0] == translate(lang, "Overall") and overall[1:] == (1, 1, 100.0)


@pytest.fixture
def submitted_with_evidence(any_db: str):  # type: ignore[no-untyped-def]
    """One body answered every question, two of them with evidence, and submitted."""
    cohort = make_cohort(MUNICIPALITIES_ROGALAND[:4])
    body = cohort.body_ids[0]
    person = body_person(body, "innkjoper")
    answers: dict[str, object] = {q: 3 for q in Q}
    answers[Q[0]] = (4, "documented", ROUTINE)
    answers[Q[1]] = (2, "verified", "Internrevisjonen, mars 2025")
    answers[Q[2]] = 0  # don't know: outside the score
    assessment_id = several_answer({person: answers})  # type: ignore[dict-item]
    submit_assessment(person, assessment_id)
    return body


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_the_leadership_pdf_and_excel_carry_the_evidence(submitted_with_evidence, lang: str) -> None:  # type: ignore[no-untyped-def]
    leader = body_person(submitted_with_evidence, "leder", "leader")
    summary = leadership_summary(leader)
    share = summary.standing.evidence_share
    assert (share.backed, share.scored) == (2, 39)
    pdf = leadership_pdf(summary, lang)
    reader = PdfReader(io.BytesIO(pdf))
    evidence_page = " ".join(reader.pages[-1].extract_text().split())
    line = {
        "nb": "2 av 39 svar i skåren bygger på dokumentert eller verifisert grunnlag (5 %).",
        "nn": "2 av 39 svar i skåren byggjer på dokumentert eller verifisert grunnlag (5 %).",
    }[lang]
    assert line in evidence_page
    strategy = QUESTIONNAIRE.dimension(QUESTIONNAIRE.question(Q[0]).dimension)
    scored = sum(1 for q in QUESTIONNAIRE.questions_in(strategy.id)) - 1  # one "don't know"
    assert f"{strategy.name.get(lang)}: 2 / {scored}" in evidence_page
    assert "Rutine for kontraktsoppfølging" in evidence_page and "Internrevisjonen" in evidence_page
    assert "verifisert" in evidence_page and "dokumentert" in evidence_page
    assert {"nb": "egenerklært", "nn": "eigenerklært"}[lang] in evidence_page
    assert "documented" not in pdf_text(pdf) and "self" not in pdf_text(pdf)
    book = openpyxl.load_workbook(io.BytesIO(leadership_xlsx(summary, lang)))
    answers = list(book[translate(lang, "Answers")].values)
    header = answers[0]
    first = next(row for row in answers[1:] if row[0] == Q[0])
    assert first[header.index(translate(lang, "Evidence"))] == "dokumentert"
    assert first[header.index(translate(lang, "Reference"))] == ROUTINE
    assert first[header.index(translate(lang, "Agreed or provisional"))] == translate(lang, "agreed")
    overall = list(book[translate(lang, "Evidence")].values)[-1]
    assert overall[1:] == (39, 2, 5.1)


def test_the_admin_export_has_the_agreement_and_evidence_columns(gjesdal) -> None:  # type: ignore[no-untyped-def]
    assessment_id, _, lead = gjesdal
    agree(lead, assessment_id, Q[0], 3, REASON)
    frame = responses_frame()
    row = frame[frame["question_id"] == Q[0]].iloc[0]
    assert (row["agreement"], row["reason"]) == ("agreed", REASON)
    assert (row["evidence"], row["evidence_ref"]) == ("documented", ROUTINE)
    assert len(frame) == 1  # provisional medians are not the body's answers: only agreed ones are


@pytest.mark.parametrize("role", ["participant", "agency_lead"])
def test_the_results_page_marks_provisional_answers_once_and_names_nobody(demo_db: str, role: str) -> None:
    """The demo's Gjesdal: three people, one question agreed so far."""
    at = app_for(demo_actor(role)).run()
    at.switch_page("pages/results.py").run()
    assert not at.exception
    shown = texts(at)
    assert shown.count(PROVISIONAL_NOTE) == 1
    assert "answers in the score rest on documented or verified evidence" in shown
    # The lead sees where the people disagree; a participant still answering does not, so that
    # the colleagues' views do not steer theirs.
    disagreement_shown = "Where your people disagreed most" in shown and "Nobody is named here." in shown
    assert disagreement_shown == (role == "agency_lead")
    assert ("once you have said your own part is done" in shown) == (role == "participant")
    for name in ("Kommunalsjef helse og omsorg", "Rådgiver økonomi", "Innkjøper", "Respondent A"):
        assert name not in shown
    tables = " ".join(str(t.value) for t in at.table)
    assert "Kommunalsjef" not in tables
    grid = at.dataframe[0].value
    assert set(grid["Agreed or provisional"]) == {"agreed", "provisional"}
    links = [link.proto.label for link in at.get("page_link")]
    # The agency lead is sent on to compare and agree, where that page is part of the app.
    assert ("Compare and agree" in links) == (role == "agency_lead")


def test_a_participant_sees_where_colleagues_disagree_once_done(demo_db: str) -> None:
    participant = demo_actor("participant")
    assert standing(participant).disagreements == [] and standing(participant).disagreements_held_back
    mark_done(participant, open_assessment(participant).id)
    result = standing(participant)
    assert result.disagreements and not result.disagreements_held_back
    assert standing(demo_actor("agency_lead")).disagreements == result.disagreements
