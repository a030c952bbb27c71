"""The shipped questionnaire loads; broken questionnaire files fail with one readable line."""

from __future__ import annotations

import copy
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import pytest
import yaml

from ioa_assess.config import QUESTIONNAIRE_DIR
from ioa_assess.questionnaire import (
    LANGUAGES,
    Questionnaire,
    QuestionnaireError,
    load_questionnaire,
    load_questionnaire_file,
)

REAL_FILE = QUESTIONNAIRE_DIR / "ioa-v1.yaml"


# --- helpers ---------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _parsed_real_file() -> dict:
    return yaml.safe_load(REAL_FILE.read_text(encoding="utf-8"))


def real_raw() -> dict:
    """The real questionnaire as plain YAML data, a fresh copy ready to be mutated."""
    return copy.deepcopy(_parsed_real_file())


def dump(raw: object) -> str:
    return yaml.safe_dump(raw, allow_unicode=True, sort_keys=False)


def write_yaml(tmp_path: Path, raw: object, name: str = "broken.yaml") -> Path:
    path = tmp_path / name
    path.write_text(dump(raw), encoding="utf-8")
    return path


def load_error(path: Path) -> str:
    """The message of the QuestionnaireError that loading `path` raises."""
    with pytest.raises(QuestionnaireError) as info:
        load_questionnaire_file(path)
    return str(info.value)


def assert_one_readable_line(message: str, path: Path, *fragments: str) -> None:
    assert str(path) in message
    assert "\n" not in message
    assert "Traceback" not in message
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in {message!r}"


def assert_all_languages(text, where: str) -> None:
    for lang in LANGUAGES:
        value = getattr(text, lang)
        assert value and value.strip(), f"{where}: no {lang} text"


# --- the shipped questionnaire -----------------------------------------------------------


@pytest.fixture(scope="module")
def questionnaire() -> Questionnaire:
    return load_questionnaire("ioa-v1")


def test_shipped_questionnaire_has_8_dimensions_and_40_questions(questionnaire: Questionnaire) -> None:
    assert questionnaire.id == "ioa-v1"
    assert len(questionnaire.dimensions) == 8
    assert len(questionnaire.questions) == 40
    assert len({q.id for q in questionnaire.questions}) == 40


def test_every_dimension_has_questions(questionnaire: Questionnaire) -> None:
    for dimension in questionnaire.dimensions:
        assert questionnaire.questions_in(dimension.id), dimension.id


def test_every_question_has_five_levels_in_all_languages(questionnaire: Questionnaire) -> None:
    for question in questionnaire.questions:
        assert sorted(question.levels) == [1, 2, 3, 4, 5], question.id
        for level, text in question.levels.items():
            assert_all_languages(text, f"{question.id} level {level}")


def test_every_question_has_help_in_all_languages(questionnaire: Questionnaire) -> None:
    for question in questionnaire.questions:
        assert_all_languages(question.help, f"{question.id} help")


def test_summary(questionnaire: Questionnaire) -> None:
    assert questionnaire.summary() == "ioa-v1: 8 dimensions, 40 questions, languages: nb, nn, en"


def test_the_real_file_survives_a_yaml_round_trip(tmp_path: Path) -> None:
    """The broken variants below start from this dump, so the dump itself must be valid."""
    loaded = load_questionnaire_file(write_yaml(tmp_path, real_raw(), "copy.yaml"))
    assert loaded == load_questionnaire("ioa-v1")


# --- broken files ---------------------------------------------------------------------------


def duplicate_question_id(raw: dict) -> tuple[str, ...]:
    raw["questions"][1]["id"] = raw["questions"][0]["id"]
    return ("duplicate question id", f"'{raw['questions'][0]['id']}'")


def level_missing(raw: dict) -> tuple[str, ...]:
    question = raw["questions"][3]
    del question["levels"][3]
    return (question["id"], "levels", "level 3 is missing")


def unknown_dimension(raw: dict) -> tuple[str, ...]:
    question = raw["questions"][5]
    question["dimension"] = "xyz"
    return (question["id"], "unknown dimension", "'xyz'")


def empty_nb_text(raw: dict) -> tuple[str, ...]:
    question = raw["questions"][7]
    question["text"]["nb"] = ""
    return (f"({question['id']}).text.nb",)


def blank_nb_text(raw: dict) -> tuple[str, ...]:
    question = raw["questions"][7]
    question["text"]["nb"] = "   "
    return (f"({question['id']}).text.nb", "text is empty")


@pytest.mark.parametrize(
    "mutate",
    [duplicate_question_id, level_missing, unknown_dimension, empty_nb_text, blank_nb_text],
)
def test_invalid_content_is_one_readable_line(
    tmp_path: Path, mutate: Callable[[dict], tuple[str, ...]]
) -> None:
    raw = real_raw()
    fragments = mutate(raw)
    path = write_yaml(tmp_path, raw)
    assert_one_readable_line(load_error(path), path, *fragments)


def test_bad_yaml_syntax_names_the_line(tmp_path: Path) -> None:
    lines = dump(real_raw()).splitlines()
    broken_index = next(i for i, line in enumerate(lines) if line.startswith("version:"))
    lines[broken_index] = "version: 1: 2"
    path = tmp_path / "broken.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    message = load_error(path)
    assert_one_readable_line(message, path, f"line {broken_index + 1}", "not valid YAML")


def test_control_character_names_the_line(tmp_path: Path) -> None:
    """A control character pasted from a word processor is a YAML error with a place, too."""
    lines = dump(real_raw()).splitlines()
    broken_index = next(i for i, line in enumerate(lines) if line.startswith("version:"))
    lines[broken_index] = "version: 1\x0b"
    path = tmp_path / "broken.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    message = load_error(path)
    assert_one_readable_line(message, path, f"line {broken_index + 1}", "not valid YAML")
    assert "unknown place" not in message


def test_not_utf8_bytes(tmp_path: Path) -> None:
    data = dump(real_raw()).encode("latin-1", errors="replace")
    first_bad = next(i for i, byte in enumerate(data) if byte >= 0x80)
    path = tmp_path / "latin1.yaml"
    path.write_bytes(data)
    assert_one_readable_line(load_error(path), path, f"byte {first_bad}", "not UTF-8")


def test_a_file_that_is_a_list(tmp_path: Path) -> None:
    path = write_yaml(tmp_path, real_raw()["questions"])
    assert_one_readable_line(load_error(path), path, "top level", "expected a mapping")


def test_a_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "does-not-exist.yaml"
    assert_one_readable_line(load_error(path), path, "cannot read the file")


def test_several_problems_report_the_first_and_count_the_rest(tmp_path: Path) -> None:
    raw = real_raw()
    for question in raw["questions"][:3]:
        question["text"]["nb"] = "   "
    path = write_yaml(tmp_path, raw)
    first = raw["questions"][0]["id"]
    assert_one_readable_line(load_error(path), path, first, "and 2 more problems")
