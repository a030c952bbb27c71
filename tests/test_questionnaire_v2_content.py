"""The content of questionnaire v2 keeps the rules the expert review asked for.

These tests read the YAML files only: they check what a reader of the questionnaire would notice
(a missing translation, a stray placeholder, a question that cannot be compared with v1, a help
text that suddenly says "du"), not how the application loads the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
import yaml

FOLDER = Path(__file__).resolve().parent.parent / "data" / "questionnaire"
LANGUAGES = ("nb", "nn", "en")
LEVELS = (1, 2, 3, 4, 5)
CHANGES = {"same", "reworded", "changed", "new"}
KINDS = {"municipality", "county_council", "health_trust", "state_agency", "neutral"}


@cache
def load(name: str) -> dict:
    return yaml.safe_load((FOLDER / name).read_text(encoding="utf-8"))


def v2() -> dict:
    return load("ioa-v2.yaml")


def v1_ids() -> set[str]:
    return {q["id"] for q in load("ioa-v1.yaml")["questions"]}


def legal() -> dict[str, dict]:
    return {r["id"]: r for r in load("legal-references.yaml")["references"]}


def question_texts(question: dict) -> Iterator[tuple[str, dict]]:
    for key in ("title", "text", "help"):
        yield key, question[key]
    for level in LEVELS:
        yield f"level {level}", question["levels"][level]


def all_texts() -> Iterator[tuple[str, dict]]:
    data = v2()
    yield "title", data["title"]
    for dimension in data["dimensions"]:
        yield f"{dimension['id']} name", dimension["name"]
        yield f"{dimension['id']} description", dimension["description"]
    for removed in data["removed"]:
        yield f"removed {removed['id']}", removed["reason"]
    for question in data["questions"]:
        for key, text in question_texts(question):
            yield f"{question['id']} {key}", text


def test_shape_fits_a_session_of_30_to_40_minutes() -> None:
    data = v2()
    assert data["id"] == "ioa-v2" and data["previous"] == "ioa-v1"
    assert len(data["dimensions"]) == 8
    assert 40 <= len(data["questions"]) <= 46
    assert 30 <= data["minutes"] <= 40
    names = {d["id"]: d["name"]["en"] for d in data["dimensions"]}
    assert names["str"] == "Strategy and leadership commitment"
    assert names["beh"] == "Needs assessment"
    assert names["imp"].startswith("Contract management")


def test_every_text_is_written_in_bokmal_nynorsk_and_english() -> None:
    missing = [
        f"{where} ({lang})"
        for where, text in all_texts()
        for lang in LANGUAGES
        if not str(text.get(lang) or "").strip()
    ]
    assert missing == []


def test_question_ids_are_unique_well_formed_and_in_their_dimension() -> None:
    data = v2()
    ids = [q["id"] for q in data["questions"]]
    assert len(ids) == len(set(ids))
    dimensions = {d["id"] for d in data["dimensions"]}
    for question in data["questions"]:
        assert re.fullmatch(r"[a-z]{2,4}-[0-9]{2}", question["id"])
        assert question["dimension"] in dimensions
        assert question["id"].startswith(question["dimension"] + "-")
    assert {q["dimension"] for q in data["questions"]} == dimensions


def test_every_question_says_honestly_how_it_relates_to_v1() -> None:
    old = v1_ids()
    covered: set[str] = set()
    for question in v2()["questions"]:
        qid, change = question["id"], question["change"]
        assert change in CHANGES, qid
        if change in {"same", "reworded"}:
            assert qid in old, f"{qid} is {change} but v1 has no such question"
            assert not question.get("replaces"), qid
            covered.add(qid)
        else:
            assert qid not in old, f"{qid} is {change} but reuses a v1 id"
        if change == "changed":
            assert question.get("replaces"), f"{qid} does not say what it replaces"
            assert set(question["replaces"]) <= old, qid
            covered.update(question["replaces"])
        if change == "new":
            assert not question.get("replaces"), qid
    for removed in v2()["removed"]:
        assert removed["id"] in old
        covered.add(removed["id"])
    assert old - covered == set(), "v1 questions that v2 neither keeps, replaces nor removes"


def test_a_good_share_of_v1_stays_comparable() -> None:
    comparable = [q for q in v2()["questions"] if q["change"] in {"same", "reworded"}]
    assert len(comparable) >= len(v1_ids()) // 2


def test_texts_use_only_the_org_placeholders_and_never_the_old_wording() -> None:
    wording = v2()["wording"]["org"]
    assert set(wording) == KINDS
    assert all(set(text) == set(LANGUAGES) for text in wording.values())
    problems = []
    for where, text in all_texts():
        for lang in LANGUAGES:
            value = text[lang]
            stray = re.sub(r"\{(org|Org)\}", "", value)
            if "{" in stray or "}" in stray:
                problems.append(f"{where} ({lang}): brace")
            if re.search(r"virksomheten vår|verksemda vår|our organisation", value, re.I):
                problems.append(f"{where} ({lang}): fixed wording instead of {{org}}")
    assert problems == []


def _without_quoted_labels(text: str) -> str:
    return re.sub(r"«[^»]*»|'[^']*'", "", text)


@pytest.mark.parametrize(
    ("lang", "forbidden"),
    [
        ("nb", r"\b(du|deg|din|ditt|dine|man|vi|oss)\b"),
        ("nn", r"\b(du|deg|di|ditt|dine|vi|oss|me)\b"),
        ("en", r"\b(we|our|us)\b"),
    ],
)
def test_help_texts_address_the_reader_one_way(lang: str, forbidden: str) -> None:
    offenders = [
        question["id"]
        for question in v2()["questions"]
        if re.search(forbidden, _without_quoted_labels(question["help"][lang]), re.I)
    ]
    assert offenders == []


def test_level_five_means_measured_and_improved_and_sharing_stays_in_collaboration() -> None:
    offenders = [
        question["id"]
        for question in v2()["questions"]
        if question["dimension"] != "sam"
        and re.search(r"\bshar(e|es|ing)\b(?! of)", question["levels"][5]["en"])
    ]
    assert offenders == []


def test_coverage_words_follow_one_rule_and_level_two_is_not_a_count() -> None:
    problems = []
    for question in v2()["questions"]:
        levels = {n: question["levels"][n]["en"] for n in LEVELS}
        if re.search(r"\b(every|each)\b", levels[3], re.I):
            problems.append(f"{question['id']}: level 3 says every/each")
        if re.search(r"\b(once|twice|one or two|a tender or two)\b", levels[2], re.I):
            problems.append(f"{question['id']}: level 2 counts")
    assert problems == []


def test_not_relevant_is_the_exception() -> None:
    flagged = [q["id"] for q in v2()["questions"] if q.get("not_relevant")]
    assert all(isinstance(q.get("not_relevant", False), bool) for q in v2()["questions"])
    assert len(flagged) <= 3, flagged


def test_legal_references_exist_are_dated_and_proposals_are_marked() -> None:
    references = legal()
    for rid, reference in references.items():
        assert re.fullmatch(r"[a-z0-9-]+", rid)
        assert reference["status"] in {"in_force", "proposal"}
        assert reference["url"].startswith("https://")
        assert reference["as_of"]
        assert all(reference["rule"][lang].strip() for lang in LANGUAGES)
    assert references["prop-147-l"]["status"] == "proposal"
    used = set()
    for question in v2()["questions"]:
        for rid in question.get("legal", []):
            assert rid in references, f"{question['id']} cites unknown rule {rid}"
            used.add(rid)
        minimum = question.get("legal_minimum")
        if minimum is not None:
            assert minimum in (2, 3, 4, 5) and question.get("legal"), question["id"]
    assert used == set(references), "rules that no help text relies on"


def test_the_legal_defects_named_in_the_review_are_fixed() -> None:
    questions = {q["id"]: q for q in v2()["questions"]}
    assert questions["kon-07"]["legal_minimum"] and "foa-7-9" in questions["kon-07"]["legal"]
    assert "loa-5" in questions["kon-03"]["legal"]
    assert "tilbudskonkurranse" in questions["kon-08"]["help"]["nb"]
    assert "Forskningsrådet" in questions["org-06"]["help"]["nb"]
    assert "finansierer leverandøren" in questions["org-06"]["help"]["nb"]
    assert "største mengde" in questions["imp-06"]["help"]["nb"]
    assert "men bare fordi" in questions["imp-03"]["levels"][2]["nb"]
    assert "men berre fordi" in questions["imp-03"]["levels"][2]["nn"]
    text_questions = [q for q in questions.values() if not q["text"]["nb"].startswith("I hvilken grad")]
    assert text_questions == []


def test_nynorsk_and_english_use_the_forms_chosen_once() -> None:
    problems = []
    for where, text in all_texts():
        for pattern in (r"\b[Ee]nkelte\b", r"løyndommar", r"\bein rutine\b", r"\bein oversikt\b"):
            if re.search(pattern, text["nn"]):
                problems.append(f"{where}: nn {pattern}")
        for pattern in (r"hospital beds", r"(?<!contract )\bthe notice\b"):
            if re.search(pattern, text["en"]):
                problems.append(f"{where}: en {pattern}")
    assert problems == []
