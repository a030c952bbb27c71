"""Questionnaire versions: the new keys of v2 and their checks, the mapping between versions, the
questionnaire-diff command and the v2 scoring rules."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ioa_assess.cli import main
from ioa_assess.comparability import (
    change_counts,
    comparability,
    comparable_questions,
    dimension_comparability,
    question_changes,
)
from ioa_assess.questionnaire import (
    QuestionnaireError,
    available_versions,
    load_questionnaire,
    load_questionnaire_file,
    newest_version,
)
from ioa_assess.scoring import DONT_KNOW, NOT_RELEVANT, score_assessment, to_find_out
from tests.conftest import PROJECT
from tests.questionnaire_v2 import LEGAL, v2_questionnaires, v2_raw, write_folder

__all__ = ["v2_questionnaires"]


def error_for(tmp_path: Path, v2: dict | None = None, legal: dict | None = None) -> str:
    folder = write_folder(tmp_path / "q", v2, legal)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    with pytest.raises(QuestionnaireError) as info:
        load_questionnaire_file(folder / "ioa-v2.yaml")
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before  # nothing changed
    message = str(info.value)
    assert "\n" not in message and "Traceback" not in message
    return message


def question(raw: dict, question_id: str) -> dict:
    return next(q for q in raw["questions"] if q["id"] == question_id)


# --- validation --------------------------------------------------------------------------


def test_the_test_v2_is_valid_and_summarised(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "q")
    questionnaire = load_questionnaire_file(folder / "ioa-v2.yaml")
    assert questionnaire.summary() == "ioa-v2: 8 dimensions, 40 questions, languages: nb, nn, en"
    assert questionnaire.minutes == 35
    assert questionnaire.scale.separate_options


def test_an_unknown_legal_reference_is_named(tmp_path: Path) -> None:
    raw = v2_raw()
    question(raw, "kon-01")["legal"] = ["foa-9-3", "loa-99"]
    message = error_for(tmp_path, raw)
    assert "questions[" in message and "(kon-01).legal" in message
    assert "unknown legal reference 'loa-99'" in message


def test_a_broken_legal_references_file_is_named(tmp_path: Path) -> None:
    legal = {**LEGAL, "references": [{**LEGAL["references"][0], "status": "maybe"}]}
    message = error_for(tmp_path, legal=legal)
    assert "legal-references.yaml" in message and "status" in message


def test_a_kept_id_that_the_previous_version_lacks_is_refused(tmp_path: Path) -> None:
    raw = v2_raw()
    question(raw, "str-07")["change"] = "reworded"
    message = error_for(tmp_path, raw)
    assert "(str-07).change" in message and "ioa-v1 has no question 'str-07'" in message


def test_a_previous_question_neither_kept_replaced_nor_removed_is_refused(tmp_path: Path) -> None:
    raw = v2_raw()
    raw["removed"] = []
    message = error_for(tmp_path, raw)
    assert "'beh-05' is neither kept (same or reworded), replaced" in message


def test_a_changed_question_must_take_a_new_id(tmp_path: Path) -> None:
    raw = v2_raw()
    question(raw, "org-01")["change"] = "changed"
    message = error_for(tmp_path, raw)
    assert "(org-01).change" in message and "needs a new id" in message


def test_an_unknown_placeholder_is_refused(tmp_path: Path) -> None:
    raw = v2_raw()
    question(raw, "sam-01")["help"]["nn"] = "Spør {kommune} om dette."
    message = error_for(tmp_path, raw)
    assert "(sam-01).help.nn" in message and "unknown placeholder '{kommune}'" in message


def test_not_relevant_on_a_v1_file_is_refused(tmp_path: Path) -> None:
    from tests.questionnaire_v2 import v1_raw

    raw = v1_raw()
    question(raw, "mar-01")["not_relevant"] = True
    path = tmp_path / "ioa-v1.yaml"
    from tests.questionnaire_v2 import dump

    path.write_text(dump(raw), encoding="utf-8")
    with pytest.raises(QuestionnaireError, match=r"'mar-01' allows 'not relevant'.*combined"):
        load_questionnaire_file(path)


def test_a_missing_previous_version_is_named(tmp_path: Path) -> None:
    raw = v2_raw()
    raw["previous"] = "ioa-v0"
    message = error_for(tmp_path, raw)
    assert "previous: the previous version 'ioa-v0' is not in" in message


def test_validate_questionnaire_prints_the_summary_or_one_error(tmp_path: Path, capsys) -> None:
    folder = write_folder(tmp_path / "q")
    assert main(["validate-questionnaire", str(folder / "ioa-v2.yaml")]) == 0
    assert capsys.readouterr().out == "ioa-v2: 8 dimensions, 40 questions, languages: nb, nn, en\n"
    raw = v2_raw()
    raw["minutes"] = "long"
    write_folder(folder, raw)
    assert main(["validate-questionnaire", str(folder / "ioa-v2.yaml")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "minutes" in err and err.count("\n") == 1


def test_org_is_worded_by_kind_of_body_and_neutral_when_unknown(tmp_path: Path) -> None:
    questionnaire = load_questionnaire_file(write_folder(tmp_path / "q") / "ioa-v2.yaml")
    assert questionnaire.worded("health_trust").question("str-01").title.get("nn") == (
        "Helseføretaket vårt har ein strategi"
    )
    assert (
        questionnaire.worded(None).question("str-01").title.get("nb") == "Organisasjonen vår har en strategi"
    )
    assert questionnaire.worded("municipality").question("str-01").title.get("en") == "Our municipality plan"


def test_legal_references_are_attached_in_the_listed_order(tmp_path: Path) -> None:
    questionnaire = load_questionnaire_file(write_folder(tmp_path / "q") / "ioa-v2.yaml")
    refs = questionnaire.legal_references(questionnaire.question("kon-01"))
    assert [r.source for r in refs] == ["Anskaffelsesforskriften § 9-3", "Prop. 147 L (2024–2025)"]
    assert [r.proposal for r in refs] == [False, True]
    assert questionnaire.question("kon-01").below_legal_minimum(2)
    assert not questionnaire.question("kon-01").below_legal_minimum(3)


# --- versions and the mapping ---------------------------------------------------------------


def test_the_newest_usable_version_is_the_default_for_new_rounds(v2_questionnaires: Path) -> None:
    assert available_versions() == ["ioa-v1", "ioa-v2"]
    assert newest_version() == "ioa-v2"
    (v2_questionnaires / "ioa-v2.yaml").write_text("id: [broken", encoding="utf-8")
    load_questionnaire.cache_clear()
    assert newest_version() == "ioa-v1"


def test_comparable_questions_are_those_kept_same_or_reworded(v2_questionnaires: Path) -> None:
    comparable = comparable_questions("ioa-v1", "ioa-v2")
    assert "str-02" in comparable and "str-01" in comparable
    assert not {"str-03", "str-06", "str-07", "beh-05"} & comparable
    assert comparable == comparable_questions("ioa-v2", "ioa-v1")
    assert len(comparable) == 8 * 4 - 1
    assert comparable_questions("ioa-v1", "ioa-v1") == {q.id for q in load_questionnaire("ioa-v1").questions}


def test_how_many_of_a_dimensions_questions_are_comparable(v2_questionnaires: Path) -> None:
    strategy = dimension_comparability("ioa-v1", "ioa-v2", "str")
    assert (strategy.comparable, strategy.total, strategy.fully) == (4, 6, False)
    needs = dimension_comparability("ioa-v1", "ioa-v2", "beh")
    assert (needs.comparable, needs.total) == (3, 4)
    same = comparability("ioa-v1", "ioa-v1")
    assert same.fully and same.comparable == same.total == 40


def test_questionnaire_diff_prints_one_line_per_question_and_the_counts(
    v2_questionnaires: Path, capsys
) -> None:
    assert main(["questionnaire-diff", "ioa-v1", "ioa-v2"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1] == "ioa-v1 -> ioa-v2: 23 same, 8 reworded, 8 changed, 1 new, 1 removed"
    assert "same str-01 {Org} har en strategi" in lines
    assert "reworded str-02 Innovasjon i anskaffelsesstrategien" in lines
    assert "changed str-06 Ledelsens eierskap" in lines
    assert "new str-07 Politisk forankring" in lines
    assert any(line.startswith("removed beh-05 ") for line in lines)
    assert len(lines) == 40 + 1 + 1
    assert main(["questionnaire-diff", "ioa-v2", "ioa-v1"]) == 1
    assert "does not follow" in capsys.readouterr().err


# --- the v2 scoring rules -------------------------------------------------------------------


def test_not_relevant_cannot_raise_a_score_where_the_question_does_not_allow_it(
    v2_questionnaires: Path,
) -> None:
    v2 = load_questionnaire("ioa-v2")
    honest = {"org-01": 4, "org-02": 4, "org-04": 1, "org-05": 1, "org-06": 2}
    gamed = {**honest, "org-04": NOT_RELEVANT, "org-05": NOT_RELEVANT}
    assert score_assessment(v2, honest).dimensions["org"].value == pytest.approx(2.4)
    gamed_score = score_assessment(v2, gamed).dimensions["org"]
    assert gamed_score.value == pytest.approx(10 / 3)  # the low ones count as not answered...
    assert gamed_score.total == 5  # ...but the dimension keeps all its questions
    gamed_more = {**gamed, "org-06": NOT_RELEVANT}
    assert score_assessment(v2, gamed_more).dimensions["org"].value is None  # 2 of 5: not enough
    assert to_find_out(v2, gamed) == ["org-04", "org-05"]


def test_not_relevant_takes_an_allowed_question_out_of_the_dimension(v2_questionnaires: Path) -> None:
    v2 = load_questionnaire("ioa-v2")
    answers = {"mar-01": NOT_RELEVANT, "mar-02": 3, "mar-04": 2}
    score = score_assessment(v2, answers).dimensions["mar"]
    assert (score.total, score.scored, score.not_relevant) == (4, 2, 1)
    assert score.value == pytest.approx(2.5)  # 2 of the 4 relevant questions: enough


def test_dont_know_leads_to_not_enough_answers_and_is_something_to_find_out(v2_questionnaires: Path) -> None:
    v2 = load_questionnaire("ioa-v2")
    answers = {"sam-01": 3, "sam-02": 4, "sam-04": DONT_KNOW, "sam-05": DONT_KNOW, "sam-06": DONT_KNOW}
    score = score_assessment(v2, answers).dimensions["sam"]
    assert score.value is None and (score.dont_know, score.total) == (3, 5)
    assert to_find_out(v2, answers) == ["sam-06", "sam-04", "sam-05"]  # questionnaire order


def test_v1_keeps_its_combined_answer_and_its_rule(v2_questionnaires: Path) -> None:
    v1 = load_questionnaire("ioa-v1")
    answers = {"mar-01": DONT_KNOW, "mar-02": 3, "mar-03": 5, "mar-04": 4}
    score = score_assessment(v1, answers).dimensions["mar"]
    assert (score.value, score.not_relevant, score.total) == (4.0, 1, 5)
    assert to_find_out(v1, answers) == []


# --- rounds keep their version --------------------------------------------------------------


def test_a_new_round_takes_the_newest_version_unless_chosen_and_keeps_it(
    sqlite_url: str, v2_questionnaires: Path
) -> None:
    from datetime import date

    from ioa_assess.bootstrap import init_database
    from ioa_assess.services import network_admin
    from ioa_assess.services.actor import InvalidInput
    from ioa_assess.services.cohort import network_info
    from tests.factories import make_cohort, make_user

    init_database()
    cohort = make_cohort(["Gjesdal", "Sandnes"])
    facilitator = make_user("fasilitator@ks.no", "facilitator", network_id=cohort.network_id)
    newest = network_admin.create_round(
        facilitator, cohort.network_id, "Ny", date(2027, 9, 1), date(2027, 12, 1)
    )
    chosen = network_admin.create_round(
        facilitator, cohort.network_id, "Gammel", date(2027, 9, 1), date(2027, 12, 1), "ioa-v1"
    )
    (v2_questionnaires / "ioa-v2.yaml").write_text("id: [broken", encoding="utf-8")
    load_questionnaire.cache_clear()
    with pytest.raises(InvalidInput, match="Unknown questionnaire version"):
        network_admin.create_round(
            facilitator, cohort.network_id, "Brutt", date(2027, 9, 1), date(2027, 12, 1), "ioa-v2"
        )
    versions = {r.id: r.questionnaire_version for r in network_info(facilitator, cohort.network_id).rounds}
    assert versions[newest] == "ioa-v2" and versions[chosen] == "ioa-v1"


# --- the shipped files, through the command line as a user runs it ---------------------------


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ioa_assess", *args], cwd=PROJECT, capture_output=True, text=True, timeout=120
    )


def test_the_shipped_v2_validates_and_its_diff_has_a_line_per_question() -> None:
    v2 = load_questionnaire("ioa-v2")
    done = _cli("validate-questionnaire", "data/questionnaire/ioa-v2.yaml")
    assert done.returncode == 0, done.stderr
    assert (
        done.stdout
        == f"ioa-v2: {len(v2.dimensions)} dimensions, {len(v2.questions)} questions, languages: nb, nn, en\n"
    )
    done = _cli("questionnaire-diff", "ioa-v1", "ioa-v2")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    counts = change_counts(question_changes("ioa-v1", "ioa-v2"))
    assert lines[-1] == (
        f"ioa-v1 -> ioa-v2: {counts['same']} same, {counts['reworded']} reworded, "
        f"{counts['changed']} changed, {counts['new']} new, {counts['removed']} removed"
    )
    assert len(lines) - 1 == len(v2.questions) + counts["removed"]
    for line, question in zip(lines, v2.questions, strict=False):
        status, question_id, title = line.split(" ", 2)
        assert status in ("same", "reworded", "changed", "new")
        assert (question_id, title) == (question.id, question.title.nb)
