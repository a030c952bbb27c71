"""Reading the questionnaire without answering it: the Questionnaire page, its PDF and Excel files,
and the assessment form's v2 answer options, help and legal references."""

from __future__ import annotations

import io

import openpyxl
from pypdf import PdfReader

from ioa_assess.comparability import change_counts, question_changes
from ioa_assess.questionnaire import LEVELS, load_questionnaire
from ioa_assess.reports.questionnaire_doc import questionnaire_pdf, questionnaire_xlsx
from ioa_assess.scoring import DONT_KNOW, NOT_RELEVANT
from ioa_assess.services.assessments import open_assessment
from ioa_assess.ui.navigation import PAGE_ROLES
from tests.factories import put_in_state
from tests.test_pages import app_for, demo_actor, texts

V2 = "ioa-v2"


def _expander_texts(at) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(str(t.value) for t in at.text)


def test_every_signed_in_role_may_open_the_questionnaire() -> None:
    from ioa_assess.services.actor import ROLES

    assert set(PAGE_ROLES["questionnaire"]) == set(ROLES)


def test_the_page_shows_the_current_version_its_changes_and_older_versions(demo_db: str) -> None:
    at = app_for(demo_actor("leader")).run()
    at.switch_page("pages/questionnaire.py").run()
    assert not at.exception
    v2 = load_questionnaire(V2).worded(None)
    assert at.selectbox(key="questionnaire-version").value == V2
    content = texts(at)
    assert v2.title.get("en") in content and "What changed since ioa-v1" in content
    counts = change_counts(question_changes("ioa-v1", V2))
    assert f"{counts['same']} questions are the same and {counts['reworded']} reworded" in content
    changes = next(df.value for df in at.dataframe if "Change" in df.value.columns)
    assert len(changes) == len(question_changes("ioa-v1", V2))
    shown = _expander_texts(at)
    legal_question = next(q for q in v2.questions if q.legal)
    assert legal_question.help.get("en") in shown
    assert v2.legal_references(legal_question)[0].source in shown
    assert "{org}" not in shown and "{Org}" not in shown  # neutral wording filled in
    assert "our organisation" in shown.lower()
    below = next(q for q in v2.questions if q.legal_minimum)
    assert f"1 – Not started: {below.levels[1].get('en')} (below the legal requirement)" in shown
    assert f"{below.legal_minimum} – " in shown
    at.selectbox(key="questionnaire-version").set_value("ioa-v1").run()
    assert not at.exception
    assert "What changed since" not in texts(at)
    v1 = load_questionnaire("ioa-v1")
    assert v1.questions[0].levels[5].get("en") in _expander_texts(at)


def test_the_page_is_in_nynorsk_when_chosen(demo_db: str) -> None:
    at = app_for(demo_actor("participant"))
    at.session_state["lang"] = "nn"
    at.run()
    at.switch_page("pages/questionnaire.py").run()
    assert not at.exception
    v2 = load_questionnaire(V2).worded(None)
    assert v2.dimensions[0].name.get("nn") in texts(at)
    assert v2.questions[0].levels[3].get("nn") in _expander_texts(at)
    assert "Kva er endra sidan ioa-v1" in texts(at)


def test_the_pdf_reads_back_in_norwegian_with_every_question_and_level() -> None:
    v2 = load_questionnaire(V2).worded(None)
    reader = PdfReader(io.BytesIO(questionnaire_pdf(v2, "nb")))
    assert len(reader.pages) > 5
    for page in reader.pages:
        assert round(float(page.mediabox.width)) == 595  # A4
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert v2.title.get("nb") in text
    assert f"Det tar omtrent {v2.minutes} minutter å svare." in text
    for question in v2.questions:
        assert question.id in text
    assert "Ikke startet" in text and "Ledende" in text
    assert "under lovkravet" in text
    assert "forslag, ikke vedtatt" in text  # Prop. 147 L is a proposal
    assert "Prop. 147 L" in text


def test_the_excel_file_has_one_row_per_question_and_the_five_levels_in_columns() -> None:
    v2 = load_questionnaire(V2).worded(None)
    workbook = openpyxl.load_workbook(io.BytesIO(questionnaire_xlsx(v2, "nn")))
    assert workbook.sheetnames == ["Spørjeskjema", "Endringar"]
    rows = [[cell.value for cell in row] for row in workbook["Spørjeskjema"].iter_rows()]
    header, body = rows[0], rows[1:]
    assert len(body) == len(v2.questions)
    level_columns = [f"{level} – {v2.scale.name(level, 'nn')}" for level in LEVELS]
    assert all(name in header for name in level_columns)
    first = dict(zip(header, body[0], strict=True))
    assert v2.questions[0].id in first.values()
    assert body[0][header.index(level_columns[4])] == v2.questions[0].levels[5].get("nn") + (
        " (under lovkravet)" if v2.questions[0].below_legal_minimum(5) else ""
    )
    changes = list(workbook["Endringar"].iter_rows(values_only=True))
    assert len(changes) == len(question_changes("ioa-v1", V2)) + 1


def test_the_form_offers_not_relevant_only_where_allowed_and_says_how_long_it_takes(demo_db: str) -> None:
    participant = demo_actor("participant")
    state = open_assessment(participant)
    assert state.questionnaire_version == V2
    put_in_state(state.body_id, state.round_id, "not_started")  # before the first answer
    v2 = load_questionnaire(V2)
    at = app_for(participant).run()
    at.switch_page("pages/assess.py").run()
    assert not at.exception
    assert any(f"Answering takes about {v2.minutes} minutes" in str(i.value) for i in at.info)
    first_dimension = v2.questions_in(v2.dimensions[0].id)
    for question in first_dimension:
        options = at.radio(key=f"answer-{question.id}").options
        assert len(options) == (7 if question.not_relevant else 6)
    dimension = next(d.id for d in v2.dimensions if any(q.not_relevant for q in v2.questions_in(d.id)))
    at.button(key=f"dimension-{dimension}").click().run()
    allowed = next(q for q in v2.questions_in(dimension) if q.not_relevant)
    radio = at.radio(key=f"answer-{allowed.id}")
    assert len(radio.options) == 7
    assert radio.options[-2:] == ["Don't know", "Not relevant to us"]
    radio.set_value(NOT_RELEVANT).run()
    assert not at.exception
    assert open_assessment(participant).levels()[allowed.id] == NOT_RELEVANT
    fixed = next(q for q in v2.questions_in(dimension) if not q.not_relevant)
    at.run()  # the whole page again: a fragment's rerun redraws only its own question
    assert len(at.radio(key=f"answer-{fixed.id}").options) == 6
    at.radio(key=f"answer-{fixed.id}").set_value(DONT_KNOW).run()
    assert open_assessment(participant).levels()[fixed.id] == DONT_KNOW
    legal = next(q for q in v2.questions_in(dimension) if q.legal)
    assert v2.legal_references(legal)[0].source in _expander_texts(at)
